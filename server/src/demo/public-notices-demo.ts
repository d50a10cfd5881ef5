import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import { dismissObjection } from '../modules/public_notices/service.js';
import type { DemoContext } from './context.js';

type Row = Record<string, unknown>;

/**
 * 公示 in the demo: the 表彰, 品牌, 评议 and 党课 seeders open their notices through their own services;
 * this step adds what a notice's objection channel looks like once it has been used — on the finance
 * bureau's latest ended notice, a named objection from the demo member and an anonymous one from the
 * public page, both raised during the period and answered (异议不成立) through the service, so that
 * 公示管理 shows answered objections and the audit log their answers. Nothing when no notice was opened.
 */
export async function seedPublicNoticesDemo(context: DemoContext): Promise<void> {
  const { tx, committee, users, members, cipher } = context;
  const notice = (await tx.execute<{ id: string; item_id: string; ends_on: string } & Row>(sql`
    select n.id::text, i.id::text as item_id, n.ends_on::text from public_notices n
      join lateral (select id from public_notice_items x where x.notice_id = n.id and x.withdrawn_at is null order by x.id limit 1) i on true
     where n.org_path <@ ${committee.path}::ltree and n.ends_on < current_date
     order by n.ends_on desc, n.id desc limit 1`)).rows[0];
  if (!notice) return;
  const bureau: Actor = { userId: users.bureau, username: 'bureau', displayName: '市财政局机关党委', memberId: members.bureau, isPlatformAdmin: false, isJudge: false, adminPaths: [committee.path], ip: '127.0.0.1' };
  // raised on the period's last day (the form accepts objections only while a notice is open)
  const raised = (await tx.execute<{ id: string } & Row>(sql`
    insert into public_notice_objections (item_id, notice_id, content, contact_sealed, contact_masked, submitted_by, ip, created_at)
    values (${notice.item_id}, ${notice.id}, '反映该同志年度考核材料中加班时长统计有出入，请核实。', null, null, ${users.member}, '127.0.0.1',
            ${notice.ends_on}::date + time '10:20'),
           (${notice.item_id}, ${notice.id}, '听说该同志工作作风有问题，希望组织了解。', ${cipher.encrypt('13800138000')}, '138****8000', null, '203.0.113.7',
            ${notice.ends_on}::date + time '16:05')
    returning id::text`)).rows.map((r) => r.id);
  const answers = ['经核查考勤记录和加班审批单，加班时长统计准确，异议不成立。已向反映人当面说明。', '经向所在支部和同事了解，未发现反映的问题，异议不成立。已电话回复反映人。'];
  for (const [i, id] of raised.entries()) await dismissObjection(tx as unknown as Db, bureau, id, { answer: answers[i]! });
}
