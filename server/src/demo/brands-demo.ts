import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import { scoreEntry } from '../modules/judging/service.js';
import { createBrand } from '../modules/brands/service.js';
import { apply, checkApplication, closeJudging, createRound, finalizeRound, openNotice, startJudging } from '../modules/brands/rounds.js';
import type { DemoContext } from './context.js';
import { DEMO_JUDGE } from './judging-demo.js';

type Row = Record<string, unknown>;
const dayOffset = (today: string, days: number) => new Date(Date.parse(`${today}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const CRITERIA = [
  { key: 'feature', name: '特色做法', weight: 30, maxScore: 100 },
  { key: 'effect', name: '工作成效', weight: 40, maxScore: 100 },
  { key: 'influence', name: '示范影响', weight: 30, maxScore: 100 },
];
const LEVELS = [
  { level: 'star5' as const, minScore: 90 }, { level: 'star4' as const, minScore: 80 }, { level: 'star3' as const, minScore: 70 },
  { level: 'model' as const, minScore: 88 }, { level: 'cultivating' as const, minScore: 75 },
];

/**
 * 党建品牌 in the demo: a few bureaus' brands and the demo branch's; last year's 星级评审 of the 工委
 * judged by the demo judge, shown in a 公示 and finalized (so the gallery shows stars), and this year's
 * round taking applications, the demo branch's already in. Written through the module's services.
 */
export async function seedBrandsDemo(context: DemoContext): Promise<void> {
  const { tx, root, committees, branch, users, members, today } = context;
  const db = tx as unknown as Db;
  const judge = (await tx.execute<{ id: string } & Row>(sql`select id::text from users where username = ${DEMO_JUDGE.username}`)).rows[0]?.id;
  if (!judge || committees.length < 3) return;
  const admin: Actor = { userId: users.admin, username: 'admin', displayName: '平台管理员', memberId: null, isPlatformAdmin: true, isJudge: false, adminPaths: [], ip: '127.0.0.1' };
  const secretary: Actor = { userId: users.secretary, username: 'secretary', displayName: '支部书记', memberId: members.secretary, isPlatformAdmin: false, isJudge: false, adminPaths: [branch.path], ip: '127.0.0.1' };
  const judgeActor: Actor = { ...admin, userId: judge, username: DEMO_JUDGE.username, displayName: '周评审', isPlatformAdmin: false, isJudge: true };

  const brandOf = (orgId: string, name: string, slogan: string, distinctive: string) =>
    createBrand(db, admin, { orgId, name, slogan, distinctive, achievements: null, status: 'active' });
  const made = [
    await brandOf(committees[0]!.id, '“红色引擎”财政先锋', '党建引领 财力保障', '支部书记领办重点项目，党员先锋岗与季度晾晒机制结合，形成“党建+预算”双融合工作法。'),
    await brandOf(committees[1]!.id, '“暖心服务”品牌', '用心用情 服务群众', '窗口党员“首问负责、限时办结”，每月一次进社区办实事。'),
    await brandOf(committees[2]!.id, '“匠心党建”品牌', '精益求精 追求卓越', '以技术攻关小组为载体，党员领题攻关、结对帮带青年骨干。'),
  ];
  const own = await createBrand(db, secretary, {
    orgId: branch.id, name: '“预算铁军”党支部', slogan: '精打细算 为民理财', distinctive: '“三会一课”与预算评审结合，党员承诺、亮诺、践诺全程留痕。', achievements: null, status: 'active',
  });

  // last year: judged, shown and final
  const year = Number(today.slice(0, 4));
  const last = await createRound(db, admin, {
    orgId: root.id, title: `${year - 1}年度党建品牌星级评审`, year: year - 1, levels: LEVELS, criteria: CRITERIA, judgeUserIds: [judge], blind: false,
    appliesFrom: dayOffset(today, -90), appliesUntil: dayOffset(today, -60),
  });
  const entered = [];
  for (const brand of made) entered.push(await apply(db, admin, last.id, { brandId: brand.id, statement: `${brand.name}：${brand.distinctive ?? ''}` }, dayOffset(today, -70)));
  for (const application of entered) await checkApplication(db, admin, application.id, { accept: true });
  const judging = await startJudging(db, admin, last.id);
  const entries = (await tx.execute<{ id: string; ref: string } & Row>(sql`select id::text, ref from judging_entries where panel_id = ${judging.panelId} order by ref`)).rows;
  const totals = [[95, 92, 90], [86, 84, 82], [76, 74, 72]];
  for (const [i, application] of entered.entries()) {
    const [feature, effect, influence] = totals[i]!;
    const entry = entries.find((e) => e.ref === application.id);
    if (entry) await scoreEntry(db, judgeActor, entry.id, { scores: { feature: feature!, effect: effect!, influence: influence! }, comment: null }, true);
  }
  await closeJudging(db, admin, last.id);
  await openNotice(db, admin, last.id, { startsOn: dayOffset(today, -40), endsOn: dayOffset(today, -34) });
  await finalizeRound(db, admin, last.id);

  // this year: open for applications, the demo branch's waiting to be checked
  const current = await createRound(db, admin, {
    orgId: root.id, title: `${year}年度党建品牌星级评审`, year, levels: LEVELS, criteria: CRITERIA, judgeUserIds: [judge], blind: false,
    appliesFrom: today, appliesUntil: dayOffset(today, 30),
  });
  await apply(db, secretary, current.id, { brandId: own.id, statement: '支部把党建品牌创建与预算编制、绩效评价深度融合，连续三年获评先进党支部。' }, today);
}
