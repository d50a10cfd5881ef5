import { sql } from 'drizzle-orm';
import type { AppraisalGrade } from '../../../contracts/appraisals.js';
import type { Actor } from '../platform/actor.js';
import type { Db } from '../platform/db.js';
import {
  advanceRound, castBallot, getRound, openNotice, openRounds, publishRound, saveSelfAssessment, setCommitteeGrades, setFinalGrades,
} from '../modules/appraisals/service.js';
import type { DemoContext } from './context.js';

/*
 * 民主评议党员 in the demo secretary's branch, through the module's own service: last year's round
 * published (its 优秀 shown in a 公示 that has ended), so the members' records carry a result; this
 * year's in 民主测评, the secretary has voted and the demo member's phone shows the ballot.
 */
export async function seedAppraisalsDemo(context: DemoContext): Promise<void> {
  const { tx, branch, users, members, today } = context;
  // the services open their own transaction: inside the demo's one it is a savepoint
  const db = tx as unknown as Db;
  const year = Number(today.slice(0, 4));
  const actor = (userId: string, username: string, memberId: string | null, adminPaths: string[]): Actor =>
    ({ userId, username, displayName: username, memberId, isPlatformAdmin: false, isJudge: false, adminPaths, ip: '127.0.0.1' });
  const secretaryAdmin = actor(users.secretary, 'secretary', members.secretary, [branch.path]);
  const voters = [actor(users.secretary, 'secretary', members.secretary, []), actor(users.member, 'member', members.member, [])];

  const opened = await openRounds(db, secretaryAdmin, { orgId: branch.id, year: year - 1, excellentSharePercent: 30 }).catch(() => null);
  if (!opened) return;
  const lastYear = opened.ids[0]!;
  for (const voter of voters) {
    await saveSelfAssessment(db, voter, lastYear, { summary: '认真学习党的创新理论，按时参加组织生活，立足岗位完成预算编制任务；不足是调查研究还不够深入。', grade: 'qualified' }).catch(() => null);
  }
  await advanceRound(db, secretaryAdmin, lastYear);
  const participants = (await getRound(db, secretaryAdmin, lastYear)).items;
  for (const voter of voters) {
    const others = participants.filter((p) => p.memberId !== voter.memberId);
    if (others.length === 0 || !participants.some((p) => p.memberId === voter.memberId)) continue;
    await castBallot(db, voter, lastYear, { ratings: others.map((p, i) => ({ memberId: p.memberId, grade: (i % 4 === 0 ? 'excellent' : 'qualified') as AppraisalGrade })) });
  }
  await advanceRound(db, secretaryAdmin, lastYear);
  const excellent = participants.slice(0, Math.floor((participants.length * 30) / 100)).map((p) => p.memberId);
  await setCommitteeGrades(db, secretaryAdmin, lastYear, { grades: participants.map((p) => ({ memberId: p.memberId, grade: excellent.includes(p.memberId) ? 'excellent' : 'qualified' })) });
  await advanceRound(db, secretaryAdmin, lastYear);
  await setFinalGrades(db, secretaryAdmin, lastYear, { grades: participants.map((p) => ({ memberId: p.memberId, grade: excellent.includes(p.memberId) ? 'excellent' : 'qualified', reason: null })) });
  if (excellent.length > 0) await openNotice(db, secretaryAdmin, lastYear, { startsOn: `${year - 1}-12-20`, endsOn: `${year - 1}-12-26`, title: null });
  await publishRound(db, secretaryAdmin, lastYear);
  await tx.execute(sql`update appraisal_rounds set created_at = ${`${year - 1}-12-01T09:00:00+08:00`}::timestamptz, published_at = ${`${year - 1}-12-28T09:00:00+08:00`}::timestamptz where id = ${lastYear}`);

  // this year: 自评 done by the secretary, 民主测评 open; the secretary has voted, the member has not
  const current = (await openRounds(db, secretaryAdmin, { orgId: branch.id, year, excellentSharePercent: 30 })).ids[0]!;
  await saveSelfAssessment(db, voters[0]!, current, { summary: '带头学习，严格落实“三会一课”；支部工作创新不够，下一年度加强。', grade: 'qualified' }).catch(() => null);
  await advanceRound(db, secretaryAdmin, current);
  const now = (await getRound(db, secretaryAdmin, current)).items;
  if (now.some((p) => p.memberId === members.secretary)) {
    await castBallot(db, voters[0]!, current, { ratings: now.filter((p) => p.memberId !== members.secretary).map((p) => ({ memberId: p.memberId, grade: 'qualified' as const })) });
  }
}
