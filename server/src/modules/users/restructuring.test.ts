import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMember, startTestApp, type TestContext } from '../../../test/harness.js';
import { expectFollows, mergeBranch, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

/**
 * Role grants are historical (org_owned_columns: user_roles.org_id): a grant stays on the org it was
 * given for. A move takes the grant along with its org (the grant names the org, the org's path
 * follows); a merge does not hand the merged org's administrators the survivor (issue #13).
 */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

/** The account signed in as scene.branchAdmin: the one holding org_admin on the branch. */
const branchAdminId = async (s: RestructuringScene) => (await ctx.database.db.execute<{ user_id: string } & Record<string, unknown>>(sql`
  select user_id::text from user_roles where role = 'org_admin' and org_id = ${s.branch.id}`)).rows[0]!.user_id;
const rolesOf = async (userId: string) => (await ctx.database.db.execute<{ role: string; org_id: string } & Record<string, unknown>>(sql`
  select role, org_id::text from user_roles where user_id = ${userId} order by id`)).rows;

describe('users: role grants through a restructuring', () => {
  it('after a move, the branch’s administrator still administers the branch in its new place, and the account is managed from the new parent', async () => {
    const s = await restructuringScene(ctx);
    const userId = await branchAdminId(s);
    const member = await makeMember(ctx.database.db, s.branch, { name: '吴磊' });
    expect((await s.branchAdmin.get(`/api/members/${member.id}`)).statusCode).toBe(200);
    await expectFollows(s, `/api/users/${userId}`, 'move');
    expect(await rolesOf(userId)).toEqual([{ role: 'org_admin', org_id: s.branch.id }]);
    // the same session: its grant now reaches the branch at its new path
    expect((await s.branchAdmin.get(`/api/members/${member.id}`)).statusCode).toBe(200);
    expect((await s.branchAdmin.get(`/api/members?orgId=${s.branch.id}`)).json()).toMatchObject({ items: [expect.objectContaining({ id: member.id })] });
  });

  it('after a merge, the merged branch’s administrator does not become the survivor’s: 404 on its members; the account keeps its role row', async () => {
    const s = await restructuringScene(ctx);
    const userId = await branchAdminId(s);
    const own = await makeMember(ctx.database.db, s.branch, { name: '吴磊' });
    const survivors = await makeMember(ctx.database.db, s.survivor, { name: '郑洁' });
    expect((await s.branchAdmin.get(`/api/members/${own.id}`)).statusCode).toBe(200);
    expect((await s.branchAdmin.get(`/api/members?orgId=${s.branch.id}`)).json()).toMatchObject({ items: [expect.objectContaining({ id: own.id })] });
    expect((await s.survivorAdmin.get(`/api/members/${own.id}`)).statusCode).toBe(404);

    await mergeBranch(s);

    // the branch's members are the survivor's now, and the survivor's administrator has them
    expect((await s.survivorAdmin.get(`/api/members/${own.id}`)).statusCode).toBe(200);
    // the merged branch's administrator gets none of them, nor the survivor's own
    for (const id of [own.id, survivors.id]) expect((await s.branchAdmin.get(`/api/members/${id}`)).statusCode).toBe(404);
    // and the member list, filtered to the survivor, holds nothing for it (a filter, not a 404)
    const list = await s.branchAdmin.get(`/api/members?orgId=${s.survivor.id}`);
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json() as { items: unknown[] }).items).toEqual([]);
    // the grant is history: still there, still on the merged (dissolved) branch
    expect(await rolesOf(userId)).toEqual([{ role: 'org_admin', org_id: s.branch.id }]);
    const account = await s.platform.get(`/api/users/${userId}`);
    expect(account.statusCode, account.body).toBe(200);
    expect((account.json() as { roles: unknown[] }).roles).toEqual([expect.objectContaining({ role: 'org_admin', orgId: s.branch.id })]);
    // the account stays where its grant was given (the dissolved branch keeps its path under the old
    // parent): the old parent's administrator still manages it, the survivor's does not
    expect((await s.oldAdmin.get(`/api/users/${userId}`)).statusCode).toBe(200);
    expect((await s.survivorAdmin.get(`/api/users/${userId}`)).statusCode).toBe(404);
  });
});
