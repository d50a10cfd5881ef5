import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, expectFollowsBy, listHolds, restructuringScene } from '../../../test/restructuring.js';

/** A branch's rounds, nominations, honours and 党纪处分 follow the branch when it moves or merges. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const day = (offset: number) => new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);

async function scene() {
  const s = await restructuringScene(ctx);
  const member = await makeMember(ctx.database.db, s.branch, { joinedOn: '2010-01-01' });
  const round = await s.branchAdmin.post('/api/commendations/rounds', { orgId: s.branch.id, year: 2026, title: '支部评优', kinds: ['outstanding_member'], nominationDeadline: day(10) });
  expect(round.statusCode, round.body).toBe(201);
  const roundId = round.json().id as string;
  expect((await s.branchAdmin.put(`/api/commendations/rounds/${roundId}/quotas`, { quotas: [{ orgId: s.branch.id, kind: 'outstanding_member', places: 1 }] })).statusCode).toBe(200);
  const nomination = await s.branchAdmin.post(`/api/commendations/rounds/${roundId}/nominations`, { orgId: s.branch.id, kind: 'outstanding_member', memberId: member.id, deeds: '事迹' });
  expect(nomination.statusCode, nomination.body).toBe(201);
  const star = await s.branchAdmin.post('/api/commendations/micro-stars', { memberId: member.id, month: todayInChina().slice(0, 7), reason: '热心' });
  expect(star.statusCode, star.body).toBe(201);
  const discipline = await s.branchAdmin.post('/api/commendations/discipline', { memberId: member.id, kind: 'warning', decidedOn: '2015-01-01', endsOn: '2015-06-30' });
  expect(discipline.statusCode, discipline.body).toBe(201);
  return { s, roundId, nominationId: nomination.json().id as string, starId: star.json().id as string, disciplineId: discipline.json().id as string };
}

describe('commendations follow their branch', () => {
  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the round goes with the branch`, async () => {
      const { s, roundId } = await scene();
      await expectFollows(s, `/api/commendations/rounds/${roundId}`, change);
    });

    it(`after a ${change}, the nominations, the 微星光 and the 党纪处分 go with it`, async () => {
      const { s, roundId, nominationId, starId, disciplineId } = await scene();
      await expectFollowsBy(s, 'the nomination, the 微星光 and the 处分', async (c) =>
        await listHolds(c, `/api/commendations/rounds/${roundId}/nominations`, nominationId)
        && await listHolds(c, '/api/commendations/micro-stars', starId)
        && await listHolds(c, '/api/commendations/discipline', disciplineId), change);
    });
  }
});
