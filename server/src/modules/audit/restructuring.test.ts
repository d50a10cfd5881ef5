import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { created, mergeBranch, moveBranch, restructuringScene } from '../../../test/restructuring.js';

/**
 * Audit entries are historical (org_owned_columns: audit_log.org_path): each keeps the path where
 * the act happened, as it was then, and the audit list is scoped by that stored path (or by the
 * actor's own acts) — not by where the record is now. So after a move or a merge the old parent's
 * administrator still reads the entries of acts done while the branch was theirs, and the new
 * place's administrator reads the acts done since (issue #13).
 */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const actionsOn = async (client: Client, targetId: string) => {
  const res = await client.get(`/api/audit?targetType=service_project&targetId=${targetId}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { action: string; orgName: string | null }[] }).items.map((e) => e.action).sort();
};

describe('audit entries through a restructuring', () => {
  for (const change of ['move', 'merge'] as const) {
    it(`after a ${change}, entries keep the path they recorded: the old parent reads the acts done while the branch was theirs, the new place the acts done since`, async () => {
      const s = await restructuringScene(ctx);
      const owner = await makeMember(ctx.database.db, s.branch, { name: '李强' });
      const id = await created(await s.branchAdmin.post('/api/service-projects', {
        orgId: s.branch.id, title: '老旧小区加装电梯协调', category: '帮扶解困', source: 'mass_feedback', need: '老人上下楼难', ownerName: owner.name,
        startedOn: '2026-01-05', plannedCompletion: '2099-12-31',
      }));
      expect(await actionsOn(s.oldAdmin, id)).toEqual(['service_project.create']);
      expect(await actionsOn(s.newAdmin, id)).toEqual([]);

      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      const now = change === 'move' ? s.newAdmin : s.survivorAdmin;
      const updated = await now.patch(`/api/service-projects/${id}`, { progress: 30 });
      expect(updated.statusCode, updated.body).toBe(200);

      // the act done before stays with the old parent; the act done since is the new place's
      expect(await actionsOn(s.oldAdmin, id)).toEqual(['service_project.create']);
      expect(await actionsOn(s.newAdmin, id)).toEqual(['service_project.update']);
      if (change === 'merge') expect(await actionsOn(s.survivorAdmin, id)).toEqual(['service_project.update']);
      // the platform administrator reads both, the earlier one under the org it happened in, by its current name
      const all = (await s.platform.get(`/api/audit?targetType=service_project&targetId=${id}`)).json() as { items: { action: string; orgPath: string; orgName: string | null }[] };
      const byAction = Object.fromEntries(all.items.map((e) => [e.action, e]));
      expect(byAction['service_project.create']).toMatchObject({ orgPath: s.branch.path, orgName: s.branch.name });
      expect(byAction['service_project.update']!.orgPath).toBe(change === 'move' ? `${s.newParent.path}.${s.branch.id}` : s.survivor.path);
      if (change === 'move') {
        // the branch's own administrator reads its own act (recorded under the old path) and the act done since in its branch, now at the new path
        expect(await actionsOn(s.branchAdmin, id)).toEqual(['service_project.create', 'service_project.update']);
      } else {
        // the merged branch's administrator holds a grant on a dissolved org only: no longer an administrator, so no audit list at all
        expect((await s.branchAdmin.get(`/api/audit?targetType=service_project&targetId=${id}`)).statusCode).toBe(403);
      }
    });
  }
});
