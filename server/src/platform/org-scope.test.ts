import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, startTestApp, type OrgFixture, type TestContext } from '../../test/harness.js';
import type { Actor } from './actor.js';
import { AppError } from './errors.js';
import { managedOrg, type ManagedOrgOptions } from './org-scope.js';

/** The one scoping gate: what each option does, on a real database. */
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, sibling: OrgFixture, dissolved: OrgFixture;
const adminOf = (...paths: string[]): Actor => ({
  userId: '1', username: 'a', displayName: 'A', memberId: null, isPlatformAdmin: false, isJudge: false, adminPaths: paths, ip: '127.0.0.1',
});

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null);
  bureau = await makeOrg(db, root, { type: 'party_committee' });
  branch = await makeOrg(db, bureau);
  sibling = await makeOrg(db, root, { type: 'party_committee' });
  dissolved = await makeOrg(db, bureau);
  await db.execute(sql`update orgs set dissolved_at = now(), dissolved_reason = '撤销' where id = ${dissolved.id}`);
});
afterAll(async () => ctx?.close());

async function refusal(actor: Actor, id: string, options?: ManagedOrgOptions): Promise<{ status: number; code: string; fields?: string[] }> {
  try {
    await managedOrg(ctx.database.db, actor, id, options);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { status: error.status, code: error.code, ...(error.fields ? { fields: Object.keys(error.fields) } : {}) };
  }
  throw new Error('expected a refusal');
}

describe('managedOrg', () => {
  it('answers an org of the actor’s subtree with its place', async () => {
    const org = await managedOrg(ctx.database.db, adminOf(bureau.path), branch.id);
    expect(org).toEqual({ id: branch.id, path: branch.path, type: 'branch', name: branch.name, dissolvedAt: null });
    expect((await managedOrg(ctx.database.db, { ...adminOf(), isPlatformAdmin: true }, sibling.id)).path).toBe(sibling.path);
  });

  it('answers an org outside the subtree exactly as a missing one: 404, or 400 on the field', async () => {
    const actor = adminOf(bureau.path);
    expect(await refusal(actor, sibling.id)).toEqual({ status: 404, code: 'org.not_found' });
    expect(await refusal(actor, root.id)).toEqual({ status: 404, code: 'org.not_found' });
    expect(await refusal(actor, '999999999')).toEqual({ status: 404, code: 'org.not_found' });
    expect(await refusal(actor, sibling.id, { field: 'orgId' })).toEqual({ status: 400, code: 'org.not_found', fields: ['orgId'] });
    expect(await refusal(actor, '999999999', { field: 'orgId', notFoundKey: 'venue.org_not_found' }))
      .toEqual({ status: 400, code: 'venue.org_not_found', fields: ['orgId'] });
  });

  it('refuses a dissolved org unless allowed: 409, or 400 on the field, or the module’s own key', async () => {
    const actor = adminOf(bureau.path);
    expect(await refusal(actor, dissolved.id)).toEqual({ status: 409, code: 'org.already_dissolved' });
    expect(await refusal(actor, dissolved.id, { field: 'parentId' })).toEqual({ status: 400, code: 'org.dissolved', fields: ['parentId'] });
    expect(await refusal(actor, dissolved.id, { field: 'orgId', notFoundKey: 'question.org_not_found', dissolvedKey: 'question.org_not_found' }))
      .toEqual({ status: 400, code: 'question.org_not_found', fields: ['orgId'] });
    const kept = await managedOrg(ctx.database.db, actor, dissolved.id, { allowDissolved: true });
    expect(kept.id).toBe(dissolved.id);
    expect(kept.dissolvedAt).not.toBeNull();
    // outside the subtree a dissolved org is still just "not found"
    expect(await refusal(adminOf(sibling.path), dissolved.id)).toEqual({ status: 404, code: 'org.not_found' });
  });

  it('reads the org locked (for update or for share) inside a transaction', async () => {
    for (const lock of ['update', 'share'] as const) {
      const path = await ctx.database.db.transaction(async (tx) => (await managedOrg(tx, adminOf(root.path), branch.id, { lock })).path);
      expect(path).toBe(branch.path);
    }
  });
});
