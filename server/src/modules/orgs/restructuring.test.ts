import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withIdCheckDigit } from '../../platform/personal-data.js';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { expectFollows, mergeBranch, restructuringScene, type RestructuringScene } from '../../../test/restructuring.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

let seq = 500;
async function createMember(client: Client, orgId: string, name = '改革党员'): Promise<string> {
  const res = await client.post('/api/members', {
    orgId, name, gender: 'male', idNumber: withIdCheckDigit(`320102198805${String(10 + (seq % 18)).padStart(2, '0')}${String(seq++).padStart(3, '0')}`), phone: null,
    stage: 'full', appliedOn: '2008-03-01', activistOn: '2008-09-01', candidateOn: '2009-09-10', joinedOn: '2010-07-01', convertedOn: '2011-07-01',
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

const orgOf = async (id: string) => (await ctx.database.db.execute<{ path: string; parent_id: string | null; dissolved_at: string | null; merged_into_id: string | null } & Record<string, unknown>>(
  sql`select path::text, parent_id::text, dissolved_at::text, merged_into_id::text from orgs where id = ${id}`)).rows[0]!;

describe('POST /api/orgs without a parent (an empty site)', () => {
  it('lets a platform administrator create a top-level 工委 whose path is its own id', async () => {
    const admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }]));
    const res = await admin.post('/api/orgs', { name: '新区机关工委', type: 'work_committee' });
    expect(res.statusCode, res.body).toBe(201);
    const org = res.json() as { id: string; path: string; parentId: string | null };
    expect(org).toMatchObject({ path: org.id, parentId: null });
    const child = await admin.post('/api/orgs', { parentId: org.id, name: '新区财政局机关党委', type: 'organ_committee' });
    expect(child.json()).toMatchObject({ path: `${org.id}.${child.json().id}` });
  });

  it('refuses a top-level org to an org administrator, naming parentId, and creates nothing', async () => {
    const root = await makeOrg(ctx.database.db, null);
    const orgAdmin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'org_admin', org: root }]));
    const before = await countRows(ctx.database.db, 'orgs');
    const res = await orgAdmin.post('/api/orgs', { name: '擅自新建的工委', type: 'work_committee' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty('parentId');
    expect(await countRows(ctx.database.db, 'orgs')).toBe(before);
  });

  it('refuses a branch at the top, naming type', async () => {
    const admin = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'platform_admin' }]));
    const before = await countRows(ctx.database.db, 'orgs');
    const res = await admin.post('/api/orgs', { parentId: null, name: '顶级支部', type: 'branch' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.type).toContain('机关工委');
    expect(await countRows(ctx.database.db, 'orgs')).toBe(before);
  });
});

describe('moving an org', () => {
  it('carries its members and sub-orgs, deeper levels included', async () => {
    const scene = await restructuringScene(ctx);
    const group = await makeOrg(ctx.database.db, scene.branch, { type: 'group' });
    const memberId = await createMember(scene.branchAdmin, scene.branch.id);
    await expectFollows(scene, `/api/members/${memberId}`, 'move');
    expect((await orgOf(group.id)).path).toBe(`${scene.newParent.path}.${scene.branch.id}.${group.id}`);
    // a subtree two levels deep: 党总支 → 党支部 → member
    const general = await makeOrg(ctx.database.db, scene.oldParent, { type: 'general_branch' });
    const branch = await makeOrg(ctx.database.db, general);
    const deep = await createMember(scene.oldAdmin, branch.id);
    const res = await scene.platform.post(`/api/orgs/${general.id}/move`, { parentId: scene.newParent.id });
    expect(res.statusCode, res.body).toBe(200);
    const member = (await ctx.database.db.execute<{ org_path: string } & Record<string, unknown>>(sql`select org_path::text from members where id = ${deep}`)).rows[0]!;
    expect(member.org_path).toBe(`${scene.newParent.path}.${general.id}.${branch.id}`);
  });

  it('leaves audit entries where they happened', async () => {
    const scene = await restructuringScene(ctx);
    await createMember(scene.branchAdmin, scene.branch.id);
    const before = (await ctx.database.db.execute<{ org_path: string } & Record<string, unknown>>(sql`
      select org_path::text from audit_log where action = 'member.create' order by id desc limit 1`)).rows[0]!.org_path;
    await scene.platform.post(`/api/orgs/${scene.branch.id}/move`, { parentId: scene.newParent.id });
    const after = (await ctx.database.db.execute<{ org_path: string } & Record<string, unknown>>(sql`
      select org_path::text from audit_log where action = 'member.create' order by id desc limit 1`)).rows[0]!.org_path;
    expect(after).toBe(before);
    expect(after.startsWith(scene.oldParent.path + '.')).toBe(true);
  });
});

describe('POST /api/orgs/:id/merge', () => {
  let scene: RestructuringScene;
  beforeAll(async () => { scene = await restructuringScene(ctx); });

  it('refuses bad targets with a field error and changes nothing', async () => {
    const committee = await makeOrg(ctx.database.db, scene.root, { type: 'organ_committee' });
    const before = await orgOf(scene.branch.id);
    const cases: [unknown, string][] = [
      [{ intoId: scene.branch.id, reason: '合并' }, 'intoId'],
      [{ intoId: committee.id, reason: '合并' }, 'intoId'],
      [{ intoId: scene.survivor.id, reason: '' }, 'reason'],
      [{ intoId: 'x', reason: '合并' }, 'intoId'],
    ];
    for (const [body, field] of cases) {
      const res = await scene.platform.post(`/api/orgs/${scene.branch.id}/merge`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields).toHaveProperty(field);
    }
    expect(await orgOf(scene.branch.id)).toEqual(before);
  });

  it('answers 404 outside the actor\'s subtree, 401 without a session', async () => {
    const res = await scene.oldAdmin.post(`/api/orgs/${scene.branch.id}/merge`, { intoId: scene.survivor.id, reason: '合并' });
    expect(res.statusCode).toBe(400); // the survivor is outside the old parent's subtree: a field error, no existence leaked
    expect((await scene.newAdmin.post(`/api/orgs/${scene.branch.id}/merge`, { intoId: scene.survivor.id, reason: '合并' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/orgs/${scene.branch.id}/merge`, payload: { intoId: scene.survivor.id, reason: '合并' } })).statusCode).toBe(401);
  });

  it('gives the survivor both sets of members, the sub-orgs and the counts, and dissolves the merged org', async () => {
    const s = await restructuringScene(ctx);
    const group = await makeOrg(ctx.database.db, s.branch, { type: 'group' });
    const a = await createMember(s.branchAdmin, s.branch.id, '甲');
    const b = await createMember(s.branchAdmin, s.branch.id, '乙');
    const c = await createMember(s.survivorAdmin, s.survivor.id, '丙');
    await mergeBranch(s);
    const merged = await orgOf(s.branch.id);
    expect(merged.merged_into_id).toBe(s.survivor.id);
    expect(merged.dissolved_at).not.toBeNull();
    expect((await orgOf(group.id))).toMatchObject({ parent_id: s.survivor.id, path: `${s.survivor.path}.${group.id}` });
    const rows = (await ctx.database.db.execute<{ id: string; org_id: string; org_path: string } & Record<string, unknown>>(sql`
      select id::text, org_id::text, org_path::text from members where id in (${a}, ${b}, ${c}) order by id`)).rows;
    expect(rows).toEqual([
      { id: a, org_id: s.survivor.id, org_path: s.survivor.path },
      { id: b, org_id: s.survivor.id, org_path: s.survivor.path },
      { id: c, org_id: s.survivor.id, org_path: s.survivor.path },
    ]);
    const survivor = (await s.survivorAdmin.get(`/api/orgs/${s.survivor.id}`)).json() as { memberCount: number };
    expect(survivor.memberCount).toBe(3);
    const oldParent = (await s.platform.get(`/api/orgs/${s.oldParent.id}`)).json() as { memberCount: number };
    expect(oldParent.memberCount).toBe(0);
    expect((await s.platform.get(`/api/orgs/${s.branch.id}`)).json()).toMatchObject({ mergedIntoId: s.survivor.id });
    for (const id of [a, b, c]) expect((await s.oldAdmin.get(`/api/members/${id}`)).statusCode).toBe(404);
    for (const id of [a, b, c]) expect((await s.survivorAdmin.get(`/api/members/${id}`)).statusCode).toBe(200);
  });

  it('refuses to merge an org already merged', async () => {
    const s = await restructuringScene(ctx);
    await mergeBranch(s);
    const again = await s.platform.post(`/api/orgs/${s.branch.id}/merge`, { intoId: s.survivor.id, reason: '再次合并' });
    expect(again.statusCode).toBe(409);
  });
});
