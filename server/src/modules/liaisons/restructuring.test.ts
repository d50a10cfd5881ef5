import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeUser, startTestApp, type TestContext } from '../../../test/harness.js';
import { listHolds, mergeBranch, moveBranch, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's liaison assignments and 旁听 records follow the branch when it moves or merges, and so does the liaison's reading. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function liaisonScene() {
  const s = await restructuringScene(ctx);
  await makeMember(ctx.database.db, s.branch);
  const user = await makeUser(ctx.database.db, []);
  const liaison = await login(ctx.app, user);
  const assigned = await s.oldAdmin.post('/api/liaisons', { userId: user.id, orgId: s.branch.id });
  expect(assigned.statusCode, assigned.body).toBe(201);
  const created = await s.branchAdmin.post('/api/activities', {
    orgId: s.branch.id, type: 'theme_day', title: '主题党日', startsAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
    endsAt: new Date(Date.now() - 2 * 3600_000).toISOString(), participants: { orgIds: [s.branch.id] },
  });
  expect((await s.branchAdmin.post(`/api/activities/${created.json().id}/publish`)).statusCode).toBe(200);
  const sitIn = await liaison.post('/api/me/sit-ins', { activityId: created.json().id, observations: '程序规范' });
  expect(sitIn.statusCode, sitIn.body).toBe(201);
  return { s, liaison, liaisonId: assigned.json().id as string, sitInId: sitIn.json().id as string };
}

const holds = (s: RestructuringScene, who: keyof RestructuringScene, url: string, id: string) => listHolds(s[who] as never, url, id);

describe('liaisons follow their branch', () => {
  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, the new place's administrators have the assignment and the 旁听, the old parent's do not, and the liaison still reads it`, async () => {
      const { s, liaison, liaisonId, sitInId } = await liaisonScene();
      expect(await holds(s, 'oldAdmin', '/api/liaisons', liaisonId)).toBe(true);
      expect(await holds(s, 'newAdmin', '/api/liaisons', liaisonId)).toBe(false);
      expect(await holds(s, 'oldAdmin', '/api/liaisons/sit-ins', sitInId)).toBe(true);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      for (const who of change === 'merge' ? ['newAdmin', 'survivorAdmin'] as const : ['newAdmin'] as const) {
        expect(await holds(s, who, '/api/liaisons', liaisonId), who).toBe(true);
        expect(await holds(s, who, '/api/liaisons/sit-ins', sitInId), who).toBe(true);
      }
      expect(await holds(s, 'oldAdmin', '/api/liaisons', liaisonId)).toBe(false);
      expect(await holds(s, 'oldAdmin', '/api/liaisons/sit-ins', sitInId)).toBe(false);
      const into = change === 'move' ? s.branch : s.survivor;
      expect((await liaison.get(`/api/orgs/${into.id}`)).statusCode).toBe(200);
      expect((await liaison.get('/api/me/liaisons')).json().branches).toEqual([expect.objectContaining({ orgId: into.id })]);
    });
  }
});
