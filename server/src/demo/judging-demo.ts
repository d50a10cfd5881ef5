import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/actor.js';
import { hashPassword } from '../platform/passwords.js';
import { addPanelEntries, createPanel } from '../modules/judging/service.js';
import type { DemoContext } from './context.js';

/**
 * The demo judge (评委) — a platform-wide judge without an org or a member record, so nothing of the
 * tree is their own subtree — and one open panel in their 我的评审, so that the page is alive before
 * the owning modules' demos (擂台赛, 述职评议) add theirs: the 工委's 党建品牌 first review of four
 * organ committees, one of them already scored and submitted. The owning modules' demos find the
 * judge by its username.
 */
export const DEMO_JUDGE = { username: 'judge', password: 'demo-judge-2025', description: '评委：在“我的评审”中为参评对象逐项打分、提交' };

export async function seedJudgingDemo(context: DemoContext): Promise<void> {
  const { tx, root, committees, users } = context;
  const judge = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into users (username, display_name, password_hash) values (${DEMO_JUDGE.username}, '周评审', ${await hashPassword(DEMO_JUDGE.password)})
    returning id::text`)).rows[0]!.id;
  await tx.execute(sql`insert into user_roles (user_id, role, org_id) values (${judge}, 'judge', null)`);
  const admin: Actor = { userId: users.admin, username: 'admin', displayName: '平台管理员', memberId: null, isPlatformAdmin: true, isJudge: false, adminPaths: [], ip: '127.0.0.1' };
  const { panelId } = await createPanel(tx, admin, {
    ownerModule: 'judging', ownerRef: 'demo', title: '党建品牌初评', orgId: root.id, blind: false, judgeUserIds: [judge],
    criteria: [
      { key: 'innovation', name: '创新性', weight: 30, maxScore: 10 },
      { key: 'effect', name: '工作成效', weight: 50, maxScore: 10 },
      { key: 'promotion', name: '示范推广', weight: 20, maxScore: 10 },
    ],
  });
  const entries = await addPanelEntries(tx, admin, panelId, committees.slice(0, 4).map((c, i) => ({
    ref: `demo-${i + 1}`, orgId: c.id, title: `${c.name.replace(/机关党委$/, '')}“红色引擎”党建品牌`,
    summary: '品牌以“党建+业务”双融合为主线，建立支部书记领办项目、党员先锋岗和季度晾晒机制，形成可复制的工作法。',
  })));
  // the judge has submitted the first: 8 × 30 % + 9 × 50 % + 7 × 20 % → 83.00
  await tx.execute(sql`insert into judging_scores (entry_id, judge_id, scores, comment, total, submitted_at, locked)
    values (${entries[0]!.entryId}, ${judge}, '{"innovation": 8, "effect": 9, "promotion": 7}', '成效明显，推广材料可再充实。', 83.00, now(), true)`);
}
