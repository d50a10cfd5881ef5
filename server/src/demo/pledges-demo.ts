import type { Actor } from '../platform/actor.js';
import type { DemoContext } from './context.js';
import {
  addProgress, approvePledge, createPeriod, createPledge, selfReview, submitPledge, updatePeriod,
} from '../modules/pledges/service.js';
import { ratePublicly } from '../modules/pledges/public.js';

/**
 * 承诺践诺 of the demo tree, through the module's own service: the 工委's year (now in 践诺) with the
 * demo member's pledge published and progressing, the branch's own pledge approved by the bureau and the
 * secretary's awaiting approval; and the half year before, now in 评诺, self-rated and rated by the public
 * (one comment waiting for moderation).
 */
export async function seedPledgesDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, branch, users, members, today } = context;
  const year = today.slice(0, 4);
  const day = (offset: number) => new Date(Date.parse(`${today}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  const actor = (userId: string, username: string, adminPaths: string[], memberId: string | null, isPlatformAdmin = false): Actor =>
    ({ userId, username, displayName: username, memberId, isPlatformAdmin, isJudge: false, adminPaths, ip: '127.0.0.1' });
  const admin = actor(users.admin, 'admin', [], null, true);
  const bureau = actor(users.bureau, 'bureau', [committee.path], members.bureau);
  const secretary = actor(users.secretary, 'secretary', [branch.path], members.secretary);
  const member = actor(users.member, 'member', [], members.member);

  // the year, opened in 亮诺; pledges written, approved, then the dates move on to 践诺
  const pledgeDates = { pledgeFrom: day(-40), fulfilFrom: day(20), reviewFrom: day(60), reviewUntil: day(90) };
  const yearPeriod = await createPeriod(tx, admin, { orgId: root.id, name: `${year}年度`, ...pledgeDates });
  const mine = await createPledge(tx, member, { periodId: yearPeriod.id, items: [
    { content: '每月到结对社区开展一次志愿服务', category: 'service', target: '全年不少于 12 次' },
    { content: '系统学习党的创新理论', category: 'study', target: '完成 50 学时并撰写 2 篇心得' },
  ] });
  await submitPledge(tx, member, mine.id);
  await approvePledge(tx, secretary, mine.id);
  await addProgress(tx, member, mine.id, { doneOn: day(-10), note: '到东门社区为独居老人代购生活用品，并讲解防诈骗知识。' });
  await addProgress(tx, member, mine.id, { doneOn: day(-3), note: '完成第一季度理论学习 14 学时。' });
  const branchPledge = await createPledge(tx, secretary, { periodId: yearPeriod.id, orgId: branch.id, items: [
    { content: '深化“预算为民”党员先锋岗', category: 'work', target: '全年办结群众咨询 100 件以上，满意率 95% 以上' },
  ] });
  await submitPledge(tx, secretary, branchPledge.id);
  await approvePledge(tx, bureau, branchPledge.id);
  const pending = await createPledge(tx, secretary, { periodId: yearPeriod.id, items: [
    { content: '带头讲好专题党课', category: 'study', target: '全年讲党课不少于 2 次' },
  ] });
  await submitPledge(tx, secretary, pending.id);
  await updatePeriod(tx, admin, yearPeriod.id, { name: yearPeriod.name, pledgeFrom: day(-60), fulfilFrom: day(-30), reviewFrom: day(60), reviewUntil: day(90) });

  // the half year before, now in 评诺
  const half = await createPeriod(tx, admin, { orgId: root.id, name: `${year}上半年`, ...pledgeDates });
  const done = await createPledge(tx, member, { periodId: half.id, items: [{ content: '为群众办一件实事', category: 'service', target: '帮助社区完成适老化改造登记' }] });
  await submitPledge(tx, member, done.id);
  await approvePledge(tx, secretary, done.id);
  await addProgress(tx, member, done.id, { doneOn: day(-5), note: '协助社区登记 36 户适老化改造需求。' });
  await updatePeriod(tx, admin, half.id, { name: half.name, pledgeFrom: day(-150), fulfilFrom: day(-120), reviewFrom: day(-5), reviewUntil: day(25) });
  await selfReview(tx, member, done.id, { rating: 'completed', comment: '按计划完成登记并移交社区。' });
  await ratePublicly(tx, done.id, { rating: 'satisfied', comment: null }, '198.51.100.1');
  await ratePublicly(tx, done.id, { rating: 'basically_satisfied', comment: '上门很及时，希望后续跟进施工。' }, '198.51.100.2');
}
