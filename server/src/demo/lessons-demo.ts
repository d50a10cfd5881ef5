import { sql } from 'drizzle-orm';
import { todayInChina } from '../../../contracts/china-time.js';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import { issueMedal } from '../modules/fifty_years/service.js';
import { panelResults, scoreEntry } from '../modules/judging/service.js';
import { closeJudging, createEntry, createSelection, openJudging, openNotice, publishSelection, reviewEntry } from '../modules/lesson_selections/service.js';
import type { DemoContext, DemoPlace } from './context.js';
import { DEMO_JUDGE } from './judging-demo.js';

type Row = Record<string, unknown>;
const CRITERIA = [
  { key: 'content', name: '内容质量', weight: 40, maxScore: 100 },
  { key: 'delivery', name: '讲授效果', weight: 30, maxScore: 100 },
  { key: 'connection', name: '联系实际', weight: 30, maxScore: 100 },
];
const LESSONS = [
  { lecturer: '支部书记', title: '学思践悟新思想 奋进机关新征程', summary: '结合本处室业务，讲清理论学习如何转化为服务发展的具体举措。' },
  { lecturer: '外请专家王教授', title: '从红色家书中汲取信仰力量', summary: '以三封红色家书为线索，讲述共产党人的初心与担当。' },
  { lecturer: '党小组长', title: '把“严细实”落到每一张报表', summary: '用身边事教育身边人：一名普通党员的十年坚守。' },
];

/**
 * 授课晒课评课 and 光荣在党50年 of the demo tree: last year's 十佳党课 published (the members' list of
 * winning lessons), this year's 精品党课 being judged by the demo judge (their 我的评审), the finance
 * bureau's 微党课 taking entries (the secretary's branch has entered); a 纪念章 issued to one member
 * reaching 50 years this year, the others left to issue. Through the modules' services.
 */
export async function seedLessonsDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, branch, branches, users, today } = context;
  const db = tx as unknown as Db;
  const year = Number(today.slice(0, 4));
  const admin: Actor = { userId: users.admin, username: 'admin', displayName: '平台管理员', memberId: null, isPlatformAdmin: true, isJudge: false, adminPaths: [], ip: '127.0.0.1' };
  const judgeId = (await tx.execute<{ id: string } & Row>(sql`select id::text from users where username = ${DEMO_JUDGE.username}`)).rows[0]?.id;
  if (!judgeId) return;
  const judge: Actor = { userId: judgeId, username: DEMO_JUDGE.username, displayName: '周评审', memberId: null, isPlatformAdmin: false, isJudge: true, adminPaths: [], ip: '127.0.0.1' };
  const entrants = [branch, ...branches.filter((b) => b.id !== branch.id).slice(0, 2)];
  const window = { entryOpensOn: todayInChina(Date.now() - 20 * 86_400_000), entryClosesOn: todayInChina(Date.now() + 10 * 86_400_000) };

  const selectionWithEntries = async (org: DemoPlace, title: string, selectionYear: number, orgs: DemoPlace[], honours: number) => {
    const selection = await createSelection(db, admin, { orgId: org.id, title, year: selectionYear, ...window, honours, criteria: CRITERIA, judgeUserIds: [judgeId], blind: false });
    const entries = [];
    for (const [i, entrant] of orgs.entries()) {
      const lesson = LESSONS[i % LESSONS.length]!;
      entries.push(await createEntry(db, admin, selection.id, { orgId: entrant.id, lecturerName: lesson.lecturer, title: lesson.title, summary: lesson.summary }));
    }
    return { selection, entries };
  };

  // last year's, published after its 公示
  const past = await selectionWithEntries(root, `${year - 1}年度“十佳党课”评选`, year - 1, entrants, 2);
  for (const e of past.entries) await reviewEntry(db, admin, past.selection.id, e.id, { accepted: true, note: null });
  const judging = await openJudging(db, admin, past.selection.id, {});
  for (const [i, result] of (await panelResults(tx, judging.panelId!)).entries()) {
    await scoreEntry(db, judge, result.entryId, { scores: { content: 92 - i * 4, delivery: 90 - i * 3, connection: 88 - i * 2 }, comment: null }, true);
  }
  await closeJudging(db, admin, past.selection.id);
  await openNotice(db, admin, past.selection.id, { startsOn: todayInChina(Date.now() - 15 * 86_400_000), endsOn: todayInChina(Date.now() - 8 * 86_400_000) });
  await publishSelection(db, admin, past.selection.id);
  await tx.execute(sql`update lesson_selections set entry_opens_on = make_date(${year - 1}::int, 3, 1), entry_closes_on = make_date(${year - 1}::int, 5, 31)
    where id = ${past.selection.id}`);

  // this year's, with the demo judge
  const current = await selectionWithEntries(root, `${year}年度精品党课评选`, year, entrants, 10);
  for (const e of current.entries) await reviewEntry(db, admin, current.selection.id, e.id, { accepted: true, note: null });
  await openJudging(db, admin, current.selection.id, {});

  // the bureau's, still taking entries
  await selectionWithEntries(committee, `${committee.name}“微党课”评比`, year, [branch], 3);

  // 光荣在党50年: one 纪念章 issued this year, the rest waiting
  const reaching = (await tx.execute<{ id: string } & Row>(sql`
    select id::text from members where org_path <@ ${root.path}::ltree and left_at is null and stage = 'full'
       and joined_on >= make_date(${year - 50}::int, 1, 1) and joined_on < make_date(${year - 49}::int, 1, 1)
     order by joined_on, id limit 1`)).rows[0];
  if (reaching) await issueMedal(db, admin, { memberId: reaching.id, orgId: root.id, issuedOn: today, note: '“七一”前夕走访慰问时颁发' });
}
