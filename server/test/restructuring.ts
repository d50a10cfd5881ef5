import { expect, it } from 'vitest';
import { login, makeOrg, makeUser, type Client, type OrgFixture, type TestContext } from './harness.js';

/**
 * A tree in which a branch changes place, for the per-module restructuring tests:
 *
 *   工委 (root)
 *   ├── oldParent (机关党委)            ← oldAdmin
 *   │   └── branch (党支部)             ← branchAdmin   (records are made here)
 *   └── newParent (机关党委)            ← newAdmin
 *       └── survivor (党支部)           ← survivorAdmin (the branch is merged into it)
 *
 * `moveBranch` puts the branch under newParent; `mergeBranch` merges it into survivor. After either,
 * the branch's records must be readable by newAdmin (and survivorAdmin after a merge) and answer 404
 * to oldAdmin.
 */
export interface RestructuringScene {
  root: OrgFixture;
  oldParent: OrgFixture;
  newParent: OrgFixture;
  branch: OrgFixture;
  survivor: OrgFixture;
  platform: Client;
  oldAdmin: Client;
  newAdmin: Client;
  branchAdmin: Client;
  survivorAdmin: Client;
}

/** A fresh scene (new orgs and accounts) in the test file's database. */
export async function restructuringScene(ctx: TestContext): Promise<RestructuringScene> {
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '改革测试工委' });
  const oldParent = await makeOrg(db, root, { type: 'organ_committee' });
  const newParent = await makeOrg(db, root, { type: 'organ_committee' });
  const branch = await makeOrg(db, oldParent);
  const survivor = await makeOrg(db, newParent);
  const as = async (org: OrgFixture | null) => login(ctx.app, await makeUser(db, org ? [{ role: 'org_admin', org }] : [{ role: 'platform_admin' }]));
  return {
    root, oldParent, newParent, branch, survivor,
    platform: await as(null),
    oldAdmin: await as(oldParent),
    newAdmin: await as(newParent),
    branchAdmin: await as(branch),
    survivorAdmin: await as(survivor),
  };
}

/** Moves the branch under newParent through the API, as the platform administrator. */
export async function moveBranch(scene: RestructuringScene): Promise<void> {
  const res = await scene.platform.post(`/api/orgs/${scene.branch.id}/move`, { parentId: scene.newParent.id });
  expect(res.statusCode, res.body).toBe(200);
}

/** Merges the branch into survivor through the API, as the platform administrator. */
export async function mergeBranch(scene: RestructuringScene): Promise<void> {
  const res = await scene.platform.post(`/api/orgs/${scene.branch.id}/merge`, { intoId: scene.survivor.id, reason: '机构改革合并' });
  expect(res.statusCode, res.body).toBe(200);
}

/**
 * The record at `url` followed its org: readable by the new place's administrator(s), 404 to the
 * old parent's. Before the change it was the other way round (checked, so the test can fail).
 */
export async function expectFollows(scene: RestructuringScene, url: string, change: 'move' | 'merge'): Promise<void> {
  const before = await scene.oldAdmin.get(url);
  expect(before.statusCode, `before the ${change}, the old parent's admin reads ${url}: ${before.body}`).toBe(200);
  expect((await scene.newAdmin.get(url)).statusCode, `before the ${change}, the new parent's admin does not see ${url}`).toBe(404);
  if (change === 'move') await moveBranch(scene);
  else await mergeBranch(scene);
  const after = await scene.newAdmin.get(url);
  expect(after.statusCode, `after the ${change}, the new parent's admin reads ${url}: ${after.body}`).toBe(200);
  if (change === 'merge') expect((await scene.survivorAdmin.get(url)).statusCode, `after the merge, the survivor's admin reads ${url}`).toBe(200);
  expect((await scene.oldAdmin.get(url)).statusCode, `after the ${change}, the old parent's admin gets 404 on ${url}`).toBe(404);
}

/**
 * Like expectFollows, for records read through a list (or any read without a 404 of its own):
 * `sees(client)` says whether that administrator reads the record.
 */
export async function expectFollowsBy(scene: RestructuringScene, what: string, sees: (client: Client) => Promise<boolean>, change: 'move' | 'merge'): Promise<void> {
  expect(await sees(scene.oldAdmin), `before the ${change}, the old parent's admin sees ${what}`).toBe(true);
  expect(await sees(scene.newAdmin), `before the ${change}, the new parent's admin does not see ${what}`).toBe(false);
  if (change === 'move') await moveBranch(scene);
  else await mergeBranch(scene);
  expect(await sees(scene.newAdmin), `after the ${change}, the new parent's admin sees ${what}`).toBe(true);
  if (change === 'merge') expect(await sees(scene.survivorAdmin), `after the merge, the survivor's admin sees ${what}`).toBe(true);
  expect(await sees(scene.oldAdmin), `after the ${change}, the old parent's admin no longer sees ${what}`).toBe(false);
}

/** Whether a list answer (`{ items: [{ id }] }`) holds `id`. */
export async function listHolds(client: Client, url: string, id: string): Promise<boolean> {
  const res = await client.get(url);
  if (res.statusCode === 404) return false;
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { id: string }[] }).items.some((item) => String(item.id) === String(id));
}

/** The id of a record a POST created (201), for building the URL that reads it. */
export async function created(res: { statusCode: number; body: string; json(): unknown }): Promise<string> {
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

/** Makes a record in the scene's branch and answers the URL that reads it. */
export type RecordMaker = (scene: RestructuringScene) => Promise<string>;

/**
 * One test per kind of record and per change (move, merge): the record is made in a fresh scene's
 * branch, then must follow the branch. Records in `openToAll` are read by every signed-in user (a
 * venue to book, a community to report to): for them what follows is who manages them (`canManage`).
 */
export function itFollows(context: () => TestContext, records: Record<string, RecordMaker>, openToAll: ReadonlySet<string> = new Set()): void {
  for (const [what, make] of Object.entries(records)) {
    for (const change of ['move', 'merge'] as const) {
      it(`${what}: after a ${change}, the new place's administrator has it and the old parent's does not`, async () => {
        const scene = await restructuringScene(context());
        const url = await make(scene);
        if (openToAll.has(what)) {
          await expectFollowsBy(scene, `the right to manage ${url}`, async (c) => ((await c.get(url)).json() as { canManage: boolean }).canManage, change);
        } else {
          await expectFollows(scene, url, change);
        }
      });
    }
  }
}
