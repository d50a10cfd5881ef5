import { sql } from 'drizzle-orm';
import { sanitizeRichText } from '../platform/rich-text.js';
import { enqueueJob } from '../platform/scheduler.js';
import { PUBLISH_JOB, publishInTransaction } from '../modules/notices/service.js';
import type { DemoContext, DemoPlace } from './context.js';

const DAY = 86_400_000;

interface DemoNotice {
  org: DemoPlace;
  by: string;
  title: string;
  body: string;
  toMembers?: boolean;
  toOrgAdmins?: boolean;
  /** days ago it was published; null: a draft; negative: scheduled that many days ahead */
  publishedDaysAgo: number | null;
  /** must read within this many days from now */
  deadlineInDays?: number;
  /** share of recipients who have read it (the demo member's reading is set apart) */
  readShare?: number;
  memberHasRead?: boolean;
}

/**
 * 通知公告 of the demo tree, published the way the site publishes them (recipients fixed, inbox items
 * delivered, searchable): the 工委's notice to everyone, mostly read; the finance bureau's must-read
 * notice due in two days that the demo member has not read yet; a notice to the org admins; the
 * branch's own notice; a draft and a scheduled one.
 */
export async function seedNoticesDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, branch, users } = context;
  const now = Date.now();
  const notices: DemoNotice[] = [
    {
      org: root, by: users.admin, title: '关于开展2026年度民主评议党员工作的通知', publishedDaysAgo: 20, readShare: 0.8, memberHasRead: true,
      body: '<p>各机关党委、党总支、党支部：</p><p>根据《中国共产党党员教育管理工作条例》，现就开展本年度<strong>民主评议党员</strong>工作通知如下。</p>'
        + '<h2>一、时间安排</h2><ol><li>学习教育：本月内完成；</li><li>自我评价与民主测评：下月上旬；</li><li>组织评定：下月底前。</li></ol>'
        + '<h2>二、工作要求</h2><p>各党支部要认真组织，实事求是，评议结果于下月底前报机关工委组织部。</p>'
        + '<table><tbody><tr><th>阶段</th><th>完成时间</th></tr><tr><td>学习教育</td><td>本月底</td></tr><tr><td>组织评定</td><td>下月底</td></tr></tbody></table>',
    },
    {
      org: committee, by: users.bureau, title: '关于认真学习贯彻全会精神的通知（必读）', publishedDaysAgo: 5, deadlineInDays: 2, readShare: 0.5, memberHasRead: false,
      body: '<p>各党支部：</p><p>请全体党员认真学习全会公报和重要讲话精神，<u>于截止时间前完成阅读</u>，并在支部学习会上交流心得体会。</p>'
        + '<ul><li>原文学习不少于 2 小时；</li><li>每名党员撰写心得体会一篇；</li><li>支部书记带头讲一次专题党课。</li></ul>',
    },
    {
      org: committee, by: users.bureau, title: '关于报送年度党建工作总结的通知', publishedDaysAgo: 10, toMembers: false, toOrgAdmins: true, readShare: 0.6,
      body: '<p>各党支部：</p><p>请于本月 25 日前将本支部年度党建工作总结（含“三会一课”落实情况、党员发展情况）报机关党委办公室。</p>',
    },
    {
      org: branch, by: users.secretary, title: '本周五支部主题党日活动安排', publishedDaysAgo: 2, readShare: 0.7, memberHasRead: true,
      body: '<p>支部全体党员：</p><p>本周五下午 3 点在三楼会议室开展主题党日活动，内容为重温入党誓词、集中学习。请准时参加，不能参加的请提前向支部书记请假。</p>',
    },
    {
      org: committee, by: users.bureau, title: '关于做好党组织换届选举准备工作的通知', publishedDaysAgo: null,
      body: '<p>（草稿）届期将满的党支部要提前谋划，按程序做好换届选举准备工作。</p>',
    },
    {
      org: root, by: users.admin, title: '关于元旦春节期间廉洁过节的提醒', publishedDaysAgo: -3, readShare: 0,
      body: '<p>节日将至，请各级党组织和广大党员严守纪律规矩，廉洁过节。</p>',
    },
  ];

  for (const n of notices) {
    const body = sanitizeRichText(n.body);
    const deadline = n.deadlineInDays === undefined ? null : new Date(now + n.deadlineInDays * DAY);
    const created = new Date(now - Math.max(n.publishedDaysAgo ?? 1, 1) * DAY - DAY);
    const id = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into notices (org_id, org_path, title, body_html, body_text, target_kind, to_members, to_org_admins, must_read, read_deadline, created_by, created_at, updated_at)
      values (${n.org.id}, ${n.org.path}::ltree, ${n.title}, ${body.html}, ${body.text}, 'subtree', ${n.toMembers ?? true}, ${n.toOrgAdmins ?? false},
              ${deadline !== null}, ${deadline}, ${n.by}, ${created}, ${created})
      returning id::text`)).rows[0]!.id;
    if (n.publishedDaysAgo === null) continue;
    if (n.publishedDaysAgo < 0) {
      const at = new Date(now - n.publishedDaysAgo * DAY);
      await tx.execute(sql`update notices set status = 'scheduled', publish_at = ${at} where id = ${id}`);
      await enqueueJob(tx, PUBLISH_JOB, at, { noticeId: id }, `notice:${id}`);
      continue;
    }
    const publishedAt = new Date(now - n.publishedDaysAgo * DAY);
    await publishInTransaction(tx, id, publishedAt);
    // a stable share of the recipients read it within the days since; the demo member as the notice says
    const share = Math.round((n.readShare ?? 0) * 100);
    await tx.execute(sql`
      update notice_recipients r set read_at = ${publishedAt}::timestamptz + ((r.user_id * 37 % 97) / 97.0) * (now() - ${publishedAt}::timestamptz)
      where r.notice_id = ${id}
        and (case when r.user_id = ${users.member} then ${n.memberHasRead ?? false} else (r.user_id * 7919 + ${id}::bigint) % 100 < ${share} end)`);
    await tx.execute(sql`update inbox_items i set read_at = r.read_at, created_at = ${publishedAt}
      from notice_recipients r
      where r.notice_id = ${id} and i.source_type = 'notice' and i.source_id = ${id} and i.user_id = r.user_id`);
  }
}
