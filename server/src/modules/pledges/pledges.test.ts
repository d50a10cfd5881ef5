import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { ID_NUMBER_ANYWHERE, MOBILE_ANYWHERE, PERSONAL_KEYS, TINY_PNG, keysOf, multipartFile, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, branch: OrgFixture, otherRoot: OrgFixture, otherBranch: OrgFixture;
let rootAdmin: Client, branchAdmin: Client, otherAdmin: Client;
let alice: SignedInPerson, bob: SignedInPerson, outsider: SignedInPerson;

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  branch = await makeOrg(db, root, { name: '法律援助处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  otherBranch = await makeOrg(db, otherRoot, { name: '邻市党支部' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  alice = await signedInPerson(ctx, branch, '陈静');
  bob = await signedInPerson(ctx, branch, '刘洋');
  outsider = await signedInPerson(ctx, otherBranch, '周杰');
});
afterAll(async () => ctx?.close());

const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};
type Phase = 'before' | 'pledge' | 'fulfil' | 'review' | 'ended';
const OFFSETS: Record<Phase, [number, number, number, number]> = {
  before: [10, 20, 30, 40], pledge: [-10, 10, 20, 30], fulfil: [-20, -10, 10, 20], review: [-30, -20, -10, 10], ended: [-40, -30, -20, -10],
};
const datesFor = (phase: Phase) => {
  const [a, b, c, d] = OFFSETS[phase];
  return { pledgeFrom: day(a), fulfilFrom: day(b), reviewFrom: day(c), reviewUntil: day(d) };
};
const items = [{ content: '每月走访困难群众', category: 'service', target: '全年走访不少于 12 户' }, { content: '学习党章党规', category: 'study', target: '完成 40 学时' }];

let ipCounter = 0;
const anonymous = (method: 'GET' | 'POST', url: string, payload?: unknown, ip = `10.9.0.${++ipCounter % 250}`) =>
  ctx.app.inject({ method, url, payload: payload as never, remoteAddress: ip });

async function openPeriod(phase: Phase, org: OrgFixture = root, admin: Client = rootAdmin): Promise<string> {
  const res = await admin.post('/api/pledges/periods', { orgId: org.id, name: '2026年度', ...datesFor(phase) });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json().phase).toBe(phase);
  return res.json().id;
}
async function setPhase(periodId: string, phase: Phase): Promise<void> {
  const res = await rootAdmin.put(`/api/pledges/periods/${periodId}`, { name: '2026年度', ...datesFor(phase) });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().phase).toBe(phase);
}
/** A member's pledge written, submitted and approved by the branch. */
async function publishedPledge(periodId: string, who: SignedInPerson = alice): Promise<string> {
  const made = await who.client.post('/api/pledges', { periodId, items });
  expect(made.statusCode, made.body).toBe(201);
  expect((await who.client.post(`/api/pledges/${made.json().id}/submit`)).statusCode).toBe(200);
  const approved = await branchAdmin.post(`/api/pledges/${made.json().id}/approve`);
  expect(approved.json().status, approved.body).toBe('published');
  return made.json().id;
}

async function snapshot() {
  const db = ctx.database.db;
  const tables = ['pledge_periods', 'pledges', 'pledge_items', 'pledge_progress', 'pledge_progress_files', 'pledge_public_ratings', 'audit_log', 'public_submissions'];
  const counts = await Promise.all(tables.map((t) => countRows(db, t)));
  const state = await db.execute(sql`select id, status, return_reason, self_rating, branch_rating, updated_at from pledges order by id`);
  const periods = await db.execute(sql`select id, name, pledge_from, review_until from pledge_periods order by id`);
  const ratings = await db.execute(sql`select id, status from pledge_public_ratings order by id`);
  return JSON.stringify({ counts, state: state.rows, periods: periods.rows, ratings: ratings.rows });
}

describe('亮诺 → 践诺 → 评诺', () => {
  it('runs the whole cycle: write, return, publish, progress with a photo, self and branch rating, public rating and moderation, statistics', async () => {
    const periodId = await openPeriod('pledge');
    expect((await branchAdmin.get(`/api/pledges/periods/${periodId}`)).json()).toMatchObject({ name: '2026年度', canManage: false, orgName: '市直机关工委' });
    expect((await alice.client.get('/api/pledges/periods')).json().items.map((p: { id: string }) => p.id)).toContain(periodId);

    const made = await alice.client.post('/api/pledges', { periodId, items });
    expect(made.statusCode, made.body).toBe(201);
    const id = made.json().id as string;
    expect(made.json()).toMatchObject({ status: 'draft', kind: 'member', pledgerName: '陈静', orgName: '法律援助处党支部', canEdit: true, items: [{ category: 'service' }, { category: 'study' }] });
    expect((await alice.client.post('/api/pledges', { periodId, items })).statusCode).toBe(409);
    expect((await alice.client.post(`/api/pledges/${id}/submit`)).json().status).toBe('submitted');
    expect((await alice.client.put(`/api/pledges/${id}/items`, { items })).statusCode).toBe(409);
    expect((await bob.client.post(`/api/pledges/${id}/approve`)).statusCode).toBe(404);
    expect((await alice.client.post(`/api/pledges/${id}/approve`)).statusCode).toBe(403);
    expect((await branchAdmin.post(`/api/pledges/${id}/return`, { reason: '目标不够具体' })).json()).toMatchObject({ status: 'returned', returnReason: '目标不够具体' });
    expect((await alice.client.put(`/api/pledges/${id}/items`, { items: [items[0]] })).json().items).toHaveLength(1);
    await alice.client.post(`/api/pledges/${id}/submit`);
    expect((await anonymous('GET', `/api/public/pledges/${id}`)).statusCode).toBe(404);
    expect((await branchAdmin.post(`/api/pledges/${id}/approve`)).json()).toMatchObject({ status: 'published', returnReason: null });
    expect((await branchAdmin.post(`/api/pledges/${id}/approve`)).statusCode).toBe(409);
    expect((await anonymous('GET', `/api/public/pledges/trees/${root.id}`)).json().items.map((p: { id: string }) => p.id)).toContain(id);

    // 践诺, with a photo
    const progressed = await alice.client.post(`/api/pledges/${id}/progress`, { doneOn: day(0), note: '走访张大爷家，帮助申请临时救助' });
    expect(progressed.statusCode, progressed.body).toBe(201);
    const progressId = progressed.json().progress[0].id as string;
    const { body, headers } = multipartFile('走访照片.png', TINY_PNG, 'image/png');
    const uploaded = await alice.client.post(`/api/pledges/${id}/progress/${progressId}/files`, body, headers);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const file = uploaded.json().progress[0].files[0];
    expect(file).toMatchObject({ kind: 'photo', fileName: '走访照片.png' });
    expect((await branchAdmin.get(file.url)).statusCode).toBe(200);
    expect((await otherAdmin.get(file.url)).statusCode).toBe(404);
    const publicDetail = (await anonymous('GET', `/api/public/pledges/${id}`)).json();
    expect(publicDetail.progress[0].photos).toHaveLength(1);
    expect((await anonymous('GET', publicDetail.progress[0].photos[0].url)).headers['content-type']).toBe('image/png');

    // the branch's own pledge is approved by the level above, not by itself
    const orgPledge = await branchAdmin.post('/api/pledges', { periodId, orgId: branch.id, items });
    expect(orgPledge.json()).toMatchObject({ kind: 'org', pledgerName: '法律援助处党支部' });
    await branchAdmin.post(`/api/pledges/${orgPledge.json().id}/submit`);
    expect((await branchAdmin.post(`/api/pledges/${orgPledge.json().id}/approve`)).statusCode).toBe(403);
    expect((await rootAdmin.post(`/api/pledges/${orgPledge.json().id}/approve`)).json().status).toBe('published');

    // 评诺
    await setPhase(periodId, 'review');
    expect((await alice.client.post(`/api/pledges/${id}/self-review`, { rating: 'completed', comment: '全部完成' })).json().selfReview).toMatchObject({ rating: 'completed', comment: '全部完成' });
    expect((await alice.client.post(`/api/pledges/${id}/branch-review`, { rating: 'completed', comment: '自己评自己' })).statusCode).toBe(403);
    expect((await branchAdmin.post(`/api/pledges/${id}/branch-review`, { rating: 'mostly_completed', comment: '基本完成' })).json().branchReview.rating).toBe('mostly_completed');

    expect((await anonymous('POST', `/api/public/pledges/${id}/ratings`, { rating: 'satisfied' })).json()).toMatchObject({ commentPending: false, satisfaction: { total: 1, rate: 100 } });
    const withComment = await anonymous('POST', `/api/public/pledges/${id}/ratings`, { rating: 'dissatisfied', comment: '没见到人' });
    expect(withComment.json()).toMatchObject({ commentPending: true, satisfaction: { satisfied: 1, dissatisfied: 1, total: 2, rate: 50 } });
    expect((await anonymous('GET', `/api/public/pledges/${id}`)).json().comments).toEqual([]);
    const pending = (await rootAdmin.get('/api/pledges/ratings?status=pending')).json();
    expect(pending.total).toBe(1);
    expect(pending.items[0]).toMatchObject({ pledgeId: id, comment: '没见到人', pledgerName: '陈静' });
    expect((await otherAdmin.get('/api/pledges/ratings')).json().total).toBe(0);
    expect((await otherAdmin.post(`/api/pledges/ratings/${pending.items[0].id}/moderate`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await anonymous('GET', `/api/public/pledges/${id}`)).json().comments).toEqual([]);
    expect((await rootAdmin.post(`/api/pledges/ratings/${pending.items[0].id}/moderate`, { decision: 'approve' })).statusCode).toBe(200);
    expect((await anonymous('GET', `/api/public/pledges/${id}`)).json().comments).toEqual([expect.objectContaining({ rating: 'dissatisfied', comment: '没见到人' })]);
    expect((await rootAdmin.post(`/api/pledges/ratings/${pending.items[0].id}/moderate`, { decision: 'approve' })).statusCode).toBe(409);
    expect((await branchAdmin.post(`/api/pledges/ratings/${pending.items[0].id}/moderate`, { decision: 'hide' })).statusCode).toBe(200);
    const afterHide = (await anonymous('GET', `/api/public/pledges/${id}`)).json();
    expect(afterHide).toMatchObject({ comments: [], satisfaction: { total: 1, rate: 100 }, selfRating: 'completed', branchRating: 'mostly_completed' });

    // statistics: each figure is the total of the list it opens
    const stats = (await rootAdmin.get(`/api/pledges/stats?periodId=${periodId}&orgId=${root.id}`)).json();
    expect(stats.total).toMatchObject({ published: 2, withProgress: 1, selfReviewed: 1, branchReviewed: 1, satisfaction: { total: 1, rate: 100 } });
    expect(stats.rows).toEqual([expect.objectContaining({ orgId: branch.id, published: 2, withProgress: 1 })]);
    for (const [figure, key] of [['published', 'published'], ['with_progress', 'withProgress'], ['self_reviewed', 'selfReviewed'], ['branch_reviewed', 'branchReviewed']] as const) {
      const list = (await rootAdmin.get(`/api/pledges?periodId=${periodId}&orgId=${root.id}&figure=${figure}`)).json();
      expect(list.total, figure).toBe(stats.total[key]);
      expect(list.items).toHaveLength(list.total);
    }
    expect((await alice.client.get('/api/me/pledges')).json().items.map((p: { id: string }) => p.id)).toContain(id);

    const audits = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`
      select action from audit_log where target_type = 'pledge' and target_id = ${id} order by id`);
    expect(audits.rows.map((r) => r.action)).toEqual(['pledge.create', 'pledge.submit', 'pledge.return', 'pledge.update', 'pledge.submit', 'pledge.approve',
      'pledge.progress', 'pledge.add_file', 'pledge.self_review', 'pledge.branch_review', 'pledge.approve_comment', 'pledge.hide_rating']);
  });
});

describe('phase windows', () => {
  it('refuses pledging before 亮诺 opens and after 评诺 begins (409)', async () => {
    const periodId = await openPeriod('before');
    const before = await snapshot();
    const res = await bob.client.post('/api/pledges', { periodId, items });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toContain('亮诺');
    await setPhase(periodId, 'review');
    expect((await bob.client.post('/api/pledges', { periodId, items })).statusCode).toBe(409);
    expect(JSON.parse(await snapshot()).counts.slice(1, 3)).toEqual(JSON.parse(before).counts.slice(1, 3));
  });

  it('refuses progress before publication and any rating before the 评诺 phase (409), and progress after the end', async () => {
    const periodId = await openPeriod('pledge');
    const draft = (await bob.client.post('/api/pledges', { periodId, items })).json();
    let before = await snapshot();
    expect((await bob.client.post(`/api/pledges/${draft.id}/progress`, { doneOn: day(0), note: '已开始' })).statusCode).toBe(409);
    expect((await bob.client.post(`/api/pledges/${draft.id}/self-review`, { rating: 'completed', comment: '完成' })).statusCode).toBe(409);
    expect(await snapshot()).toBe(before);
    await bob.client.post(`/api/pledges/${draft.id}/submit`);
    await branchAdmin.post(`/api/pledges/${draft.id}/approve`);
    before = await snapshot();
    const self = await bob.client.post(`/api/pledges/${draft.id}/self-review`, { rating: 'completed', comment: '完成' });
    expect(self.statusCode).toBe(409);
    expect(self.json().error.message).toContain('评诺阶段');
    expect((await branchAdmin.post(`/api/pledges/${draft.id}/branch-review`, { rating: 'completed', comment: '完成' })).statusCode).toBe(409);
    expect((await anonymous('POST', `/api/public/pledges/${draft.id}/ratings`, { rating: 'satisfied' })).statusCode).toBe(409);
    expect((await anonymous('GET', `/api/public/pledges/${draft.id}`)).json().isRatingOpen).toBe(false);
    expect(await snapshot()).toBe(before);
    const future = await bob.client.post(`/api/pledges/${draft.id}/progress`, { doneOn: day(1), note: '明天的事' });
    expect(future.statusCode).toBe(400);
    expect(future.json().error.fields.doneOn).toBeDefined();
    await setPhase(periodId, 'ended');
    before = await snapshot();
    expect((await bob.client.post(`/api/pledges/${draft.id}/progress`, { doneOn: day(0), note: '补记' })).statusCode).toBe(409);
    expect((await anonymous('POST', `/api/public/pledges/${draft.id}/ratings`, { rating: 'satisfied' })).statusCode).toBe(409);
    expect(await snapshot()).toBe(before);
  });
});

describe('the public board', () => {
  it('limits ratings per address (429) and records nothing when refusing', async () => {
    const periodId = await openPeriod('pledge');
    const member = await signedInPerson(ctx, branch, '王芳');
    const id = await publishedPledge(periodId, member);
    await setPhase(periodId, 'review');
    const rate = () => anonymous('POST', `/api/public/pledges/${id}/ratings`, { rating: 'satisfied' }, '10.77.7.7');
    for (let i = 0; i < 10; i++) expect((await rate()).statusCode).toBe(201);
    const before = await snapshot();
    const refused = await rate();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await snapshot()).toBe(before);
    expect((await anonymous('POST', `/api/public/pledges/${id}/ratings`, { rating: 'satisfied' }, '10.77.7.8')).statusCode).toBe(201);
  });

  it('shows a comment only once approved, while its rating counts at once', async () => {
    const periodId = await openPeriod('review');
    await setPhase(periodId, 'pledge');
    const member = await signedInPerson(ctx, branch, '赵磊');
    const id = await publishedPledge(periodId, member);
    await setPhase(periodId, 'review');
    await anonymous('POST', `/api/public/pledges/${id}/ratings`, { rating: 'basically_satisfied', comment: '还可以' });
    const detail = (await anonymous('GET', `/api/public/pledges/${id}`)).json();
    expect(detail).toMatchObject({ comments: [], satisfaction: { basicallySatisfied: 1, total: 1, rate: 100 }, isRatingOpen: true });
    expect(JSON.stringify(detail)).not.toContain('还可以');
  });

  it('never contains a phone, ID number, address or any personal key, and filters by org within the tree', async () => {
    const periodId = await openPeriod('pledge');
    const member = await signedInPerson(ctx, branch, '孙丽');
    const id = await publishedPledge(periodId, member);
    await member.client.post(`/api/pledges/${id}/progress`, { doneOn: day(0), note: '联系电话13811112222' });
    for (const url of [`/api/public/pledges/trees/${root.id}?pageSize=200`, `/api/public/pledges/${id}`]) {
      const res = await anonymous('GET', url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(MOBILE_ANYWHERE);
      expect(res.body).not.toMatch(ID_NUMBER_ANYWHERE);
      expect(res.body).not.toContain(member.phone);
      expect(res.body).not.toContain(member.residence);
      expect(keysOf(res.json()).filter((k) => PERSONAL_KEYS.includes(k))).toEqual([]);
    }
    expect((await anonymous('GET', `/api/public/pledges/trees/${root.id}?orgId=${branch.id}&pageSize=200`)).json().items.map((p: { id: string }) => p.id)).toContain(id);
    expect((await anonymous('GET', `/api/public/pledges/trees/${root.id}?orgId=${otherBranch.id}`)).json().total).toBe(0);
    expect((await anonymous('GET', `/api/public/pledges/trees/${otherRoot.id}?pageSize=200`)).json().items.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await anonymous('GET', `/api/public/pledges/trees/${branch.id}`)).statusCode).toBe(404);
  });
});

describe('scope', () => {
  it('answers 404 outside the actor’s subtree and changes nothing', async () => {
    const periodId = await openPeriod('pledge');
    const member = await signedInPerson(ctx, branch, '钱坤');
    const made = (await member.client.post('/api/pledges', { periodId, items })).json();
    await member.client.post(`/api/pledges/${made.id}/submit`);
    const before = await snapshot();
    expect((await otherAdmin.get(`/api/pledges/periods/${periodId}`)).statusCode).toBe(404);
    expect((await otherAdmin.put(`/api/pledges/periods/${periodId}`, { name: '改', ...datesFor('pledge') })).statusCode).toBe(404);
    expect((await branchAdmin.put(`/api/pledges/periods/${periodId}`, { name: '改', ...datesFor('pledge') })).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/pledges/${made.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/pledges/${made.id}/approve`)).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/pledges/${made.id}/return`, { reason: '不行' })).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/pledges/stats?periodId=${periodId}&orgId=${otherRoot.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/pledges/stats?periodId=${periodId}&orgId=${root.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/pledges?orgId=${root.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/pledges?pageSize=200')).json().items.map((p: { id: string }) => p.id)).not.toContain(made.id);
    expect((await outsider.client.post('/api/pledges', { periodId, items })).statusCode).toBe(404);
    expect((await outsider.client.get(`/api/pledges/${made.id}`)).statusCode).toBe(404);
    expect((await bob.client.get(`/api/pledges/${made.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.post('/api/pledges', { periodId, orgId: otherBranch.id, items })).statusCode).toBe(404);
    expect((await branchAdmin.post('/api/pledges', { periodId: await openPeriod('pledge', otherRoot, otherAdmin), orgId: branch.id, items })).statusCode).toBe(404);
    expect(JSON.parse(await snapshot()).state).toEqual(JSON.parse(before).state);
  });

  it('refuses a member an org’s pledge and an admin a personal one without a member record', async () => {
    const periodId = await openPeriod('pledge');
    expect((await bob.client.post('/api/pledges', { periodId, orgId: branch.id, items })).statusCode).toBe(400);
    expect((await rootAdmin.post('/api/pledges', { periodId, items })).statusCode).toBe(403);
  });

  it('answers 401 without a session', async () => {
    for (const [method, url] of [['GET', '/api/pledges'], ['GET', '/api/pledges/periods'], ['POST', '/api/pledges'], ['GET', '/api/pledges/stats?periodId=1&orgId=1'], ['GET', '/api/me/pledges']] as const) {
      expect((await ctx.app.inject({ method, url, payload: method === 'POST' ? {} : undefined })).statusCode, url).toBe(401);
    }
  });
});

describe('bad input returns 400 with the field and changes nothing', () => {
  it.each([
    ['period dates out of order', '/api/pledges/periods', () => ({ orgId: root.id, name: '2026年度', ...datesFor('pledge'), reviewFrom: day(-30) }), 'reviewFrom', '亮诺开始'],
    ['period without a name', '/api/pledges/periods', () => ({ orgId: root.id, ...datesFor('pledge') }), 'name', '必填'],
    ['period with a bad date', '/api/pledges/periods', () => ({ orgId: root.id, name: 'x', ...datesFor('pledge'), pledgeFrom: '2026-13-01' }), 'pledgeFrom', ''],
    ['period for an org outside the scope', '/api/pledges/periods', () => ({ orgId: otherRoot.id, name: 'x', ...datesFor('pledge') }), 'orgId', ''],
    ['pledge without items', '/api/pledges', () => ({ periodId: '1', items: [] }), 'items', '至少填写一项'],
    ['pledge item with an unknown category', '/api/pledges', () => ({ periodId: '1', items: [{ ...items[0], category: 'fun' }] }), 'items.0.category', ''],
    ['pledge item without a target', '/api/pledges', () => ({ periodId: '1', items: [{ content: '做好事', category: 'work' }] }), 'items.0.target', '必填'],
    ['pledge with an unknown field', '/api/pledges', () => ({ periodId: '1', items, idNumber: '110105198001010016' }), 'idNumber', '不支持的字段'],
    ['return without a reason', '/api/pledges/1/return', () => ({}), 'reason', '必填'],
    ['progress without a note', '/api/pledges/1/progress', () => ({ doneOn: day(0) }), 'note', '必填'],
    ['self review with a bad rating', '/api/pledges/1/self-review', () => ({ rating: 'great', comment: 'x' }), 'rating', ''],
    ['moderation with an unknown decision', '/api/pledges/ratings/1/moderate', () => ({ decision: 'delete' }), 'decision', ''],
  ])('%s', async (_case, url, body, field, message) => {
    const before = await snapshot();
    const res = await rootAdmin.post(url, body());
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('public rating with a bad value or a too long comment', async () => {
    const before = await snapshot();
    for (const payload of [{ rating: 'great' }, { rating: 'satisfied', comment: '长'.repeat(301) }, { rating: 'satisfied', name: '张三' }]) {
      const res = await anonymous('POST', '/api/public/pledges/1/ratings', payload);
      expect(res.statusCode).toBe(400);
    }
    expect((await anonymous('POST', '/api/public/pledges/x/ratings', { rating: 'satisfied' })).statusCode).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('evidence that is not a file', async () => {
    const periodId = await openPeriod('pledge');
    const member = await signedInPerson(ctx, branch, '李强');
    const id = await publishedPledge(periodId, member);
    const progressId = (await member.client.post(`/api/pledges/${id}/progress`, { doneOn: day(0), note: '进展' })).json().progress[0].id;
    const before = await snapshot();
    expect((await member.client.post(`/api/pledges/${id}/progress/${progressId}/files`, { url: 'http://x' })).statusCode).toBe(400);
    expect(await snapshot()).toBe(before);
  });
});
