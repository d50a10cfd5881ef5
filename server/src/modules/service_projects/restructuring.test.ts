import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { created, expectFollows, expectFollowsBy, listHolds, itFollows, mergeBranch, moveBranch, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';
import { TINY_PNG, multipartFile } from '../../../test/serving-fixtures.js';
import { chinaDate } from '../../../../contracts/china-time.js';

/** 我为群众办实事 projects of a branch, with their milestones, evidence, reviews, history and feedback, follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const daysFromNow = (days: number) => chinaDate(Date.now() + days * 86_400_000);

async function createProject(s: RestructuringScene, overrides: Record<string, unknown> = {}): Promise<string> {
  const owner = await makeMember(ctx.database.db, s.branch, { name: '李强' });
  return created(await s.branchAdmin.post('/api/service-projects', {
    orgId: s.branch.id, title: '老旧小区加装电梯协调', category: '帮扶解困', source: 'mass_feedback', need: '老人上下楼难', ownerName: owner.name,
    startedOn: daysFromNow(-30), plannedCompletion: daysFromNow(60),
    milestones: [{ title: '入户征求意见', dueOn: daysFromNow(-10), doneOn: daysFromNow(-12) }, { title: '完成施工', dueOn: daysFromNow(50) }],
    ...overrides,
  }));
}

async function addEvidence(s: RestructuringScene, projectId: string): Promise<string> {
  const { body, headers } = multipartFile('现场照片.png', TINY_PNG, 'image/png');
  const res = await s.branchAdmin.post(`/api/service-projects/${projectId}/evidence`, body, headers);
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { evidence: { id: string }[] }).evidence[0]!.id;
}

const records: Record<string, RecordMaker> = {
  'a service project': async (s) => `/api/service-projects/${await createProject(s)}`,
  'a service project’s history': async (s) => `/api/service-projects/${await createProject(s)}/events`,
  'a service project’s evidence file': async (s) => {
    const id = await createProject(s);
    return `/api/service-projects/${id}/evidence/${await addEvidence(s, id)}`;
  },
};

describe('service_projects records follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`milestones, evidence and reviews: after a ${change}, the new parent's administrator reads them and reviews the project; the old parent's cannot`, async () => {
      const s = await restructuringScene(ctx);
      const id = await createProject(s);
      await addEvidence(s, id);
      const review = await s.oldAdmin.post(`/api/service-projects/${id}/reviews`, { stage: '第一阶段梳理', comment: '进度偏慢，请细化节点', rating: 3 });
      expect(review.statusCode, review.body).toBe(201);
      expect((await s.newAdmin.post(`/api/service-projects/${id}/reviews`, { comment: '越界梳理' })).statusCode).toBe(404);
      if (change === 'move') await moveBranch(s);
      else await mergeBranch(s);
      const detail = await s.newAdmin.get(`/api/service-projects/${id}`);
      expect(detail.statusCode, detail.body).toBe(200);
      const project = detail.json() as { orgId: string; milestones: { title: string }[]; evidence: unknown[]; reviews: { comment: string }[]; canReview: boolean };
      expect(project.orgId).toBe(change === 'move' ? s.branch.id : s.survivor.id);
      expect(project.milestones.map((m) => m.title)).toEqual(['入户征求意见', '完成施工']);
      expect(project.evidence).toHaveLength(1);
      expect(project.reviews.map((r) => r.comment)).toEqual(['进度偏慢，请细化节点']);
      expect(project.canReview).toBe(true);
      const again = await s.newAdmin.post(`/api/service-projects/${id}/reviews`, { stage: '第二阶段梳理', comment: '节点已细化', rating: 4 });
      expect(again.statusCode, again.body).toBe(201);
      expect((await s.oldAdmin.post(`/api/service-projects/${id}/reviews`, { comment: '原上级再梳理' })).statusCode).toBe(404);
    });

    it(`public feedback: after a ${change}, it waits in the new parent's moderation queue, not the old parent's`, async () => {
      const s = await restructuringScene(ctx);
      const id = await createProject(s, { isPublic: true });
      const submitted = await ctx.app.inject({
        method: 'POST', url: `/api/public/service-projects/trees/${s.root.id}/projects/${id}/feedback`,
        payload: { rating: 5, comment: '电梯装好了，感谢！' }, remoteAddress: `10.13.${change === 'move' ? 1 : 2}.${Number(s.branch.id) % 250}`,
      });
      expect(submitted.statusCode, submitted.body).toBe(202);
      const feedbackId = (await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`
        select id::text from service_project_feedback where project_id = ${id}`)).rows[0]!.id;
      await expectFollowsBy(s, `feedback ${feedbackId} in the moderation queue`, (c) => listHolds(c, '/api/service-projects/feedback?status=pending', feedbackId), change);
      const moderated = await s.newAdmin.post(`/api/service-projects/feedback/${feedbackId}/moderate`, { decision: 'approve' });
      expect(moderated.statusCode, moderated.body).toBe(200);
    });
  }
});

describe('service project categories of a top-level tree', () => {
  const categoryRows = async (rootId: string) => (await ctx.database.db.execute<{ id: string; name: string } & Record<string, unknown>>(sql`
    select id::text, name from service_project_categories where root_org_id = ${rootId} order by name`)).rows;

  it('merging a top-level tree into another: its categories join the survivor’s, the survivor’s category of the same name stands', async () => {
    const { db } = ctx.database;
    const merged = await makeOrg(db, null, { name: '原开发区机关工委' });
    const survivor = await makeOrg(db, null, { name: '新区机关工委' });
    const platform: Client = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
    const survivorAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: survivor }]));
    const put = (body: unknown) => ctx.app.inject({ method: 'PUT', url: '/api/service-projects/categories', payload: body as never, headers: { cookie: platform.cookie, 'x-csrf-token': platform.csrfToken } });
    expect((await put({ rootOrgId: merged.id, names: ['健康服务', '帮扶解困'] })).statusCode).toBe(200);
    expect((await put({ rootOrgId: survivor.id, names: ['帮扶解困', '文化惠民'] })).statusCode).toBe(200);
    const survivorsOwn = (await categoryRows(survivor.id)).find((r) => r.name === '帮扶解困')!.id;
    // a project of the merged tree filed under a category the survivor does not have
    const unit = await makeOrg(db, merged);
    const unitAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: unit }]));
    const owner = await makeMember(db, unit, { name: '赵敏' });
    const projectId = await created(await unitAdmin.post('/api/service-projects', {
      orgId: unit.id, title: '社区义诊', category: '健康服务', source: 'mass_feedback', need: '看病难', ownerName: owner.name, startedOn: daysFromNow(-5), plannedCompletion: daysFromNow(30),
    }));
    const categoriesOf = async (orgId: string) => ((await survivorAdmin.get(`/api/service-projects/categories?orgId=${orgId}`)).json() as { names: string[] }).names;
    expect((await survivorAdmin.get(`/api/service-projects/categories?orgId=${unit.id}`)).statusCode).toBe(404);

    const res = await platform.post(`/api/orgs/${merged.id}/merge`, { intoId: survivor.id, reason: '机构改革合并' });
    expect(res.statusCode, res.body).toBe(200);

    expect([...(await categoriesOf(survivor.id))].sort()).toEqual(['健康服务', '帮扶解困', '文化惠民'].sort());
    // the unit now under the survivor's tree reads the survivor's categories
    expect([...(await categoriesOf(unit.id))].sort()).toEqual(['健康服务', '帮扶解困', '文化惠民'].sort());
    const rows = await categoryRows(survivor.id);
    expect(rows.filter((r) => r.name === '帮扶解困').map((r) => r.id)).toEqual([survivorsOwn]);
    // the merged tree keeps only its duplicate, which no longer reaches anyone
    expect((await categoryRows(merged.id)).map((r) => r.name)).toEqual(['帮扶解困']);
    // its project is still valid under its category, now in the survivor's tree
    const edited = await survivorAdmin.patch(`/api/service-projects/${projectId}`, { category: '健康服务', progress: 20 });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await survivorAdmin.patch(`/api/service-projects/${projectId}`, { category: '文化惠民' })).statusCode).toBe(200);
  });

  it('moving a branch within its tree leaves the tree’s categories alone', async () => {
    const s = await restructuringScene(ctx);
    const platformPut = (body: unknown) => ctx.app.inject({ method: 'PUT', url: '/api/service-projects/categories', payload: body as never, headers: { cookie: s.platform.cookie, 'x-csrf-token': s.platform.csrfToken } });
    expect((await platformPut({ rootOrgId: s.root.id, names: ['健康服务', '文化惠民'] })).statusCode).toBe(200);
    await expectFollows(s, `/api/service-projects/${await createProject(s, { category: '健康服务' })}`, 'move');
    expect(((await s.newAdmin.get(`/api/service-projects/categories?orgId=${s.branch.id}`)).json() as { names: string[] }).names).toEqual(['健康服务', '文化惠民']);
  });
});
