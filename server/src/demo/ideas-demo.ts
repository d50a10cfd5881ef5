import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import { createIdea, recordIdeaProgress, reviewIdea } from '../modules/ideas/service.js';
import type { DemoContext } from './context.js';

/*
 * 金点子 in the demo, written through the ideas service: the demo member's idea adopted and implemented
 * by the branch, the secretary's idea for the bureau being implemented, one declined, and a
 * near-duplicate of the first still waiting in the bureau's queue (it shows the idea it resembles).
 */
export async function seedIdeasDemo(context: DemoContext): Promise<void> {
  const { tx, branch, committee, users, members } = context;
  // the services take the database handle: the demo's transaction stands for it
  const db = tx as unknown as Db;
  const person = (userId: string, memberId: string, username: string, adminPaths: string[]): Actor =>
    ({ userId, username, displayName: username, memberId, isPlatformAdmin: false, isJudge: false, adminPaths, ip: '127.0.0.1' });
  const member = person(users.member, members.member, 'member', []);
  const secretary = person(users.secretary, members.secretary, 'secretary', [branch.path]);
  const bureau = person(users.bureau, members.bureau, 'bureau', [committee.path]);

  const canteen = await createIdea(db, member, {
    orgId: branch.id, category: 'work_style', title: '关于优化机关食堂就餐管理的建议',
    content: '中午就餐时段集中，排队时间较长。建议各处室错峰就餐，并开通线上预订。',
  });
  await reviewIdea(db, secretary, canteen.id, { decision: 'adopt', reply: '建议很好，支部予以采纳，请办公室牵头制定错峰方案。' });
  await recordIdeaProgress(db, secretary, canteen.id, { status: 'implementing', note: '办公室已制定错峰就餐方案，征求各处室意见。' });
  await recordIdeaProgress(db, secretary, canteen.id, { status: 'implemented', note: '错峰就餐方案正式实施，排队时间明显缩短。' });

  const points = await createIdea(db, secretary, {
    orgId: committee.id, category: 'party_building', title: '建立党员志愿服务积分制度',
    content: '将党员参加志愿服务的时长折算为积分，年底纳入民主评议参考。',
  });
  await reviewIdea(db, bureau, points.id, { decision: 'adopt', reply: '机关党委采纳，先在两个支部试点。' });
  await recordIdeaProgress(db, bureau, points.id, { status: 'implementing', note: '已确定预算处、国库处两个试点支部。' });

  const reading = await createIdea(db, bureau, {
    orgId: committee.id, category: 'other', title: '每周五下午统一开展读书活动',
    content: '建议固定每周五下午为机关读书时间。',
  });
  await reviewIdea(db, bureau, reading.id, { decision: 'decline', reply: '与业务工作安排冲突，暂不采纳；可结合青年理论学习小组开展。' });

  await createIdea(db, member, {
    orgId: committee.id, category: 'work_style', title: '建议优化机关食堂的就餐管理',
    content: '希望机关党委统筹各支部食堂就餐时间。',
  });
  await createIdea(db, secretary, {
    orgId: branch.id, category: 'business', title: '推行支部会议无纸化',
    content: '支部会议材料通过平台提前分发，节约纸张。',
  });
}
