import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import { ID_NUMBER_ANYWHERE, MOBILE_ANYWHERE, PERSONAL_KEYS, keysOf, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import {
  assertPublicNoticeFinal, openPublicNotice, publicNoticeHandler, publicNoticeState, registerPublicNoticeHandler,
  type OpenPublicNoticeInput, type PublicNoticeItemInput,
} from './service.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, sibling: OrgFixture, otherRoot: OrgFixture;
let rootAdminUser: UserFixture, bureauAdminUser: UserFixture, branchAdminUser: UserFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAdmin: Client, otherAdmin: Client;
let alice: SignedInPerson, outsider: SignedInPerson;
let lessonHandler: ReturnType<typeof publicNoticeHandler>;

/** What the 'lesson' source module would do: recorded, to count the calls. */
const withdrawn: { sourceId: string; ref: string; reason: string }[] = [];

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '基础教育处党支部' });
  sibling = await makeOrg(db, bureau, { name: '职成教处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  rootAdminUser = await makeUser(db, [{ role: 'org_admin', org: root }]);
  bureauAdminUser = await makeUser(db, [{ role: 'org_admin', org: bureau }]);
  branchAdminUser = await makeUser(db, [{ role: 'org_admin', org: branch }]);
  rootAdmin = await login(ctx.app, rootAdminUser);
  bureauAdmin = await login(ctx.app, bureauAdminUser);
  branchAdmin = await login(ctx.app, branchAdminUser);
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  alice = await signedInPerson(ctx, branch, '陈静');
  outsider = await signedInPerson(ctx, otherRoot, '周杰');
  lessonHandler = publicNoticeHandler('lesson');
  registerPublicNoticeHandler('lesson', {
    async onItemWithdrawn(tx, item) {
      if (item.ref === 'explodes') throw new AppError(409, 'public_notices.no_handler');
      // the handler runs in the upholding transaction: it sees the item already withdrawn
      const seen = (await tx.execute<{ n: number } & Record<string, unknown>>(sql`
        select count(*)::int as n from public_notice_items where ref = ${item.ref} and withdrawn_at is not null`)).rows[0]!;
      expect(Number(seen.n)).toBeGreaterThan(0);
      withdrawn.push({ sourceId: item.sourceId, ref: item.ref, reason: item.reason });
    },
  });
});
// test files share a worker process: the lessons' own handler is put back for the files after this one
afterAll(async () => {
  if (lessonHandler) registerPublicNoticeHandler('lesson', lessonHandler);
  await ctx?.close();
});

const day = (offset: number) => {
  const d = new Date(`${todayInChina()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  return d.toISOString().slice(0, 10);
};

const actorOf = (user: UserFixture, org: OrgFixture): Actor => ({
  userId: user.id, username: user.username, displayName: user.username, memberId: null, isPlatformAdmin: false, isJudge: false,
  adminPaths: [org.path], ip: '127.0.0.1',
});

let refs = 0;
const items = (n: number, summary: string | null = '坚持送教下乡三年'): PublicNoticeItemInput[] =>
  Array.from({ length: n }, (_, i) => ({ ref: `lesson-${++refs}`, name: `党员${refs}`, orgName: branch.name, title: '优秀党课', summary: i === 0 ? summary : null }));

async function open(org: OrgFixture, user: UserFixture, fields: Partial<OpenPublicNoticeInput> = {}, userOrg = org): Promise<string> {
  const input: OpenPublicNoticeInput = { kind: 'lesson', sourceId: 'round-1', orgId: org.id, title: '2026年度优秀党课公示', startsOn: day(-1), endsOn: day(5), items: items(2), ...fields };
  const { publicNoticeId } = await ctx.database.db.transaction((tx) => openPublicNotice(tx, actorOf(user, userOrg), input));
  return publicNoticeId;
}

async function detail(client: Client, id: string) {
  const res = await client.get(`/api/public-notices/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: { id: string; ref: string; withdrawnAt: string | null }[]; objections: { id: string; status: string; contactMasked: string | null; submittedBy: unknown }[]; canAnswer: boolean; objectionCounts: Record<string, number> };
}

const anonymous = (method: 'GET' | 'POST', url: string, payload?: unknown, ip = '10.0.0.1') =>
  ctx.app.inject({ method, url, payload: payload as never, remoteAddress: ip });

let ipCounter = 0;
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${ipCounter % 250}`;

async function objectAnonymously(noticeId: string, itemId: string, contact?: string): Promise<string> {
  const res = await anonymous('POST', `/api/public/public-notices/${noticeId}/objections`, { itemId, content: '该同志的党课系抄袭', ...(contact ? { contact } : {}) }, freshIp());
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

describe('opening a public notice (service)', () => {
  it('refuses an end before the start, fewer than 5 days, no items and an org the actor does not administer, naming the field', async () => {
    const before = await countRows(ctx.database.db, 'public_notices');
    const refused = async (fields: Partial<OpenPublicNoticeInput>, user = rootAdminUser, userOrg = root) => {
      const error = await open(root, user, fields, userOrg).then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    };
    const ends = await refused({ startsOn: day(3), endsOn: day(1) });
    expect([ends.status, Object.keys(ends.fields ?? {})]).toEqual([400, ['endsOn']]);
    const short = await refused({ startsOn: day(0), endsOn: day(3) });
    expect([short.status, short.fields?.endsOn?.key]).toEqual([400, 'public_notices.too_short']);
    const none = await refused({ items: [] });
    expect([none.status, Object.keys(none.fields ?? {})]).toEqual([400, ['items']]);
    const date = await refused({ startsOn: '2026-02-30' });
    expect(Object.keys(date.fields ?? {})).toEqual(['startsOn']);
    const duplicate = await refused({ items: [{ ref: 'x', name: '甲', orgName: '乙', title: '丙' }, { ref: 'x', name: '丁', orgName: '乙', title: '丙' }] });
    expect(Object.keys(duplicate.fields ?? {})).toEqual(['items.1.ref']);
    const outside = await refused({}, branchAdminUser, branch);
    expect([outside.status, Object.keys(outside.fields ?? {})]).toEqual([400, ['orgId']]);
    expect(await countRows(ctx.database.db, 'public_notices')).toBe(before);
    // exactly five days, both ends included, is enough
    expect(await open(root, rootAdminUser, { startsOn: day(0), endsOn: day(4) })).toMatch(/^\d+$/);
  });

  it('computes the status from today’s China date: scheduled, open (both ends included), ended', async () => {
    const scheduled = await open(root, rootAdminUser, { startsOn: day(1), endsOn: day(6) });
    const openToday = await open(root, rootAdminUser, { startsOn: day(-4), endsOn: day(0) });
    const ended = await open(root, rootAdminUser, { startsOn: day(-6), endsOn: day(-1) });
    const state = async (id: string) => (await publicNoticeState(ctx.database.db, id)).status;
    expect([await state(scheduled), await state(openToday), await state(ended)]).toEqual(['scheduled', 'open', 'ended']);
    expect(await publicNoticeState(ctx.database.db, ended)).toEqual({ id: ended, status: 'ended', startsOn: day(-6), endsOn: day(-1), pendingObjections: 0, withdrawnRefs: [] });
    const listed = async (status: string) => ((await rootAdmin.get(`/api/public-notices?status=${status}&pageSize=200`)).json().items as { id: string }[]).map((n) => n.id);
    expect(await listed('scheduled')).toContain(scheduled);
    expect(await listed('scheduled')).not.toContain(openToday);
    expect(await listed('open')).toContain(openToday);
    expect(await listed('ended')).toEqual(expect.arrayContaining([ended]));
    expect(await listed('ended')).not.toContain(openToday);
    await expect(assertPublicNoticeFinal(ctx.database.db, openToday)).rejects.toMatchObject({ status: 409, code: 'public_notices.not_ended' });
    await expect(assertPublicNoticeFinal(ctx.database.db, ended)).resolves.toMatchObject({ status: 'ended' });
  });
});

describe('administrators', () => {
  it('list the notices of their subtree with item and objection counts, filtered and paginated; others get 404 on the record', async () => {
    const id = await open(bureau, bureauAdminUser, { kind: 'lesson', items: items(3) });
    const other = await open(bureau, bureauAdminUser, { kind: 'commendation' });
    const { items: noticeItems } = await detail(bureauAdmin, id);
    await objectAnonymously(id, noticeItems[0]!.id);
    await objectAnonymously(id, noticeItems[1]!.id);
    const res = await bureauAdmin.get('/api/public-notices?kind=lesson&pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: { id: string; kind: string; itemCount: number; objectionCounts: Record<string, number> }[]; total: number };
    expect(page.items.every((n) => n.kind === 'lesson')).toBe(true);
    expect(page.items.map((n) => n.id)).not.toContain(other);
    expect(page.total).toBe(page.items.length);
    expect(page.items.find((n) => n.id === id)).toMatchObject({ itemCount: 3, objectionCounts: { pending: 2, upheld: 0, dismissed: 0 } });
    const first = (await bureauAdmin.get('/api/public-notices?pageSize=1')).json();
    const second = (await bureauAdmin.get('/api/public-notices?pageSize=1&page=2')).json();
    expect(first.items).toHaveLength(1);
    expect(first.total).toBeGreaterThanOrEqual(2);
    expect(second.items[0].id).not.toBe(first.items[0].id);
    // the root's admin sees it too; an admin of another tree and the branch below do not
    expect((await rootAdmin.get(`/api/public-notices/${id}`)).statusCode).toBe(200);
    expect((await otherAdmin.get(`/api/public-notices/${id}`)).statusCode).toBe(404);
    expect((await branchAdmin.get(`/api/public-notices/${id}`)).statusCode).toBe(404);
    expect(((await otherAdmin.get('/api/public-notices?pageSize=200')).json().items as { id: string }[]).map((n) => n.id)).not.toContain(id);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/public-notices' })).statusCode).toBe(401);
    expect((await bureauAdmin.get('/api/public-notices?status=closed')).json().error.fields).toHaveProperty('status');
  });

  it('upholding withdraws the item once and calls the kind’s handler exactly once with its ref; dismissing never does', async () => {
    const id = await open(bureau, bureauAdminUser, { sourceId: 'round-uphold', items: items(2) });
    const [first, second] = (await detail(bureauAdmin, id)).items;
    const o1 = await objectAnonymously(id, first!.id);
    const o2 = await objectAnonymously(id, first!.id);
    const o3 = await objectAnonymously(id, second!.id);
    const calls = withdrawn.length;
    const auditBefore = await countRows(ctx.database.db, 'audit_log');

    const dismissed = await bureauAdmin.post(`/api/public-notices/objections/${o3}/dismiss`, { answer: '经核查，党课系本人原创' });
    expect(dismissed.statusCode, dismissed.body).toBe(200);
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', answer: '经核查，党课系本人原创', answeredBy: bureauAdminUser.username });
    expect(withdrawn.length).toBe(calls);

    const upheld = await bureauAdmin.post(`/api/public-notices/objections/${o1}/uphold`, { answer: '经核查属实，撤销' });
    expect(upheld.statusCode, upheld.body).toBe(200);
    expect(withdrawn.slice(calls)).toEqual([{ sourceId: 'round-uphold', ref: first!.ref, reason: '经核查属实，撤销' }]);
    // a second objection against the same (already withdrawn) item is answered without withdrawing it again
    expect((await bureauAdmin.post(`/api/public-notices/objections/${o2}/uphold`, { answer: '同上' })).statusCode).toBe(200);
    expect(withdrawn.length).toBe(calls + 1);
    // answered once: a second answer is refused
    expect((await bureauAdmin.post(`/api/public-notices/objections/${o1}/dismiss`, { answer: '改判' })).statusCode).toBe(409);
    expect((await bureauAdmin.post(`/api/public-notices/objections/${o3}/uphold`, { answer: '改判' })).statusCode).toBe(409);
    expect(withdrawn.length).toBe(calls + 1);

    const after = await detail(bureauAdmin, id);
    expect(after.items.find((i) => i.id === first!.id)!.withdrawnAt).not.toBeNull();
    expect(after.items.find((i) => i.id === second!.id)!.withdrawnAt).toBeNull();
    expect(after.objectionCounts).toEqual({ pending: 0, upheld: 2, dismissed: 1 });
    expect((await publicNoticeState(ctx.database.db, id)).withdrawnRefs).toEqual([first!.ref]);
    const actions = (await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`
      select action from audit_log where action like 'public_notice.%' order by id desc limit 3`)).rows.map((r) => r.action).sort();
    expect(actions).toEqual(['public_notice.dismiss', 'public_notice.uphold', 'public_notice.uphold']);
    expect(await countRows(ctx.database.db, 'audit_log')).toBe(auditBefore + 3);
    // withdrawn: no more objections against it
    const late = await anonymous('POST', `/api/public/public-notices/${id}/objections`, { itemId: first!.id, content: '再议' }, freshIp());
    expect(late.statusCode).toBe(409);
  });

  it('a handler that fails rolls the uphold back: the item stays and the objection stays pending', async () => {
    const id = await open(bureau, bureauAdminUser, { items: [{ ref: 'explodes', name: '王五', orgName: branch.name, title: '优秀党课' }] });
    const item = (await detail(bureauAdmin, id)).items[0]!;
    const objection = await objectAnonymously(id, item.id);
    expect((await bureauAdmin.post(`/api/public-notices/objections/${objection}/uphold`, { answer: '属实' })).statusCode).toBe(409);
    const after = await detail(bureauAdmin, id);
    expect(after.items[0]!.withdrawnAt).toBeNull();
    expect(after.objections[0]!.status).toBe('pending');
  });

  it('answers need a non-empty answer (400 naming it) and are for the notice org’s admins only: not the branch below, not another tree', async () => {
    const id = await open(bureau, bureauAdminUser);
    const item = (await detail(bureauAdmin, id)).items[0]!;
    const objection = await objectAnonymously(id, item.id);
    const calls = withdrawn.length;
    const empty = await bureauAdmin.post(`/api/public-notices/objections/${objection}/uphold`, { answer: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toHaveProperty('answer');
    expect(empty.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect((await bureauAdmin.post(`/api/public-notices/objections/${objection}/dismiss`, {})).json().error.fields).toHaveProperty('answer');
    for (const client of [branchAdmin, otherAdmin]) {
      expect((await client.post(`/api/public-notices/objections/${objection}/uphold`, { answer: '属实' })).statusCode).toBe(404);
      expect((await client.post(`/api/public-notices/objections/${objection}/dismiss`, { answer: '不属实' })).statusCode).toBe(404);
      expect((await client.post(`/api/public-notices/objections/${objection}/reveal-contact`)).statusCode).toBe(404);
    }
    expect((await alice.client.post(`/api/public-notices/objections/${objection}/uphold`, { answer: '属实' })).statusCode).toBe(404);
    expect((await anonymous('POST', `/api/public-notices/objections/${objection}/uphold`, { answer: '属实' })).statusCode).toBe(401);
    expect((await bureauAdmin.post('/api/public-notices/objections/99999999/uphold', { answer: '属实' })).statusCode).toBe(404);
    expect(withdrawn.length).toBe(calls);
    expect((await detail(bureauAdmin, id)).objections[0]!.status).toBe('pending');
    expect((await detail(bureauAdmin, id)).canAnswer).toBe(true);
    expect((await detail(rootAdmin, id)).canAnswer).toBe(true);
  });

  it('shows the objector’s contact masked; the full contact is revealed to answering admins only, audited', async () => {
    const id = await open(bureau, bureauAdminUser);
    const item = (await detail(bureauAdmin, id)).items[0]!;
    const objection = await objectAnonymously(id, item.id, '13912345678');
    const shown = (await detail(bureauAdmin, id)).objections.find((o) => o.id === objection)!;
    expect(shown).toMatchObject({ contactMasked: '139****5678', submittedBy: null });
    expect(JSON.stringify(await detail(bureauAdmin, id))).not.toContain('13912345678');
    const before = await countRows(ctx.database.db, 'audit_log');
    const revealed = await bureauAdmin.post(`/api/public-notices/objections/${objection}/reveal-contact`);
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json()).toEqual({ contact: '13912345678' });
    expect(await countRows(ctx.database.db, 'audit_log')).toBe(before + 1);
    const sealed = (await ctx.database.db.execute<{ contact_sealed: string } & Record<string, unknown>>(sql`
      select contact_sealed from public_notice_objections where id = ${objection}`)).rows[0]!;
    expect(sealed.contact_sealed).not.toContain('13912345678');
  });
});

describe('members', () => {
  it('see the open notices of their org and those above, not a sibling’s, another tree’s or an ended one', async () => {
    const mine = await open(branch, branchAdminUser);
    const above = await open(root, rootAdminUser);
    const siblings = await open(sibling, bureauAdminUser);
    const ended = await open(bureau, bureauAdminUser, { startsOn: day(-10), endsOn: day(-2) });
    const res = await alice.client.get('/api/me/public-notices?pageSize=200');
    expect(res.statusCode, res.body).toBe(200);
    const ids = (res.json().items as { id: string }[]).map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining([mine, above]));
    expect(ids).not.toContain(siblings);
    expect(ids).not.toContain(ended);
    expect(res.json().total).toBe(ids.length);
    expect(((await outsider.client.get('/api/me/public-notices')).json().items as { id: string }[]).map((n) => n.id)).not.toContain(mine);
    expect((await anonymous('GET', '/api/me/public-notices')).statusCode).toBe(401);
  });

  it('object by name while the notice is open: 400 naming the field, 404 outside their tree, 409 once it ended', async () => {
    const id = await open(bureau, bureauAdminUser);
    const item = (await detail(bureauAdmin, id)).items[0]!;
    const before = await countRows(ctx.database.db, 'public_notice_objections');
    const bad = async (body: unknown, field: string) => {
      const res = await alice.client.post(`/api/me/public-notices/${id}/objections`, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.fields).toHaveProperty(field);
    };
    await bad({ itemId: item.id, content: '' }, 'content');
    await bad({ itemId: item.id, content: '有异议', contact: '12345' }, 'contact');
    const elsewhere = await open(root, rootAdminUser);
    await bad({ itemId: (await detail(rootAdmin, elsewhere)).items[0]!.id, content: '有异议' }, 'itemId');
    expect(await countRows(ctx.database.db, 'public_notice_objections')).toBe(before);

    const res = await alice.client.post(`/api/me/public-notices/${id}/objections`, { itemId: item.id, content: '该同志党课内容与事实不符' });
    expect(res.statusCode, res.body).toBe(201);
    const listed = (await detail(bureauAdmin, id)).objections.find((o) => o.id === res.json().id)!;
    expect(listed.submittedBy).toMatchObject({ name: expect.any(String) });
    const mine = ((await alice.client.get('/api/me/public-notices?pageSize=200')).json().items as { id: string; myObjections: { id: string }[] }[]).find((n) => n.id === id)!;
    expect(mine.myObjections.map((o) => o.id)).toEqual([res.json().id]);

    expect((await outsider.client.post(`/api/me/public-notices/${id}/objections`, { itemId: item.id, content: '有异议' })).statusCode).toBe(404);
    expect((await anonymous('POST', `/api/me/public-notices/${id}/objections`, { itemId: item.id, content: '有异议' })).statusCode).toBe(401);
    const ended = await open(bureau, bureauAdminUser, { startsOn: day(-10), endsOn: day(-1) });
    const endedItem = (await detail(bureauAdmin, ended)).items[0]!;
    expect((await alice.client.post(`/api/me/public-notices/${ended}/objections`, { itemId: endedItem.id, content: '有异议' })).statusCode).toBe(409);
  });
});

describe('the public page', () => {
  it('shows names, org names, honours and summaries only, withdrawn items as withdrawn, no personal data', async () => {
    const id = await open(bureau, bureauAdminUser, {
      items: [
        { ref: alice.id, name: alice.name, orgName: branch.name, title: '优秀党课', summary: `联系人 ${alice.phone}，身份证 ${alice.idNumber}` },
        { ref: 'p2', name: '李四', orgName: branch.name, title: '优秀党课' },
      ],
    });
    const item = (await detail(bureauAdmin, id)).items[1]!;
    const objection = await objectAnonymously(id, item.id, '13800001111');
    expect((await bureauAdmin.post(`/api/public-notices/objections/${objection}/uphold`, { answer: '经核查属实' })).statusCode).toBe(200);
    const res = await anonymous('GET', `/api/public/public-notices/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    expect(view.items.map((i: { name: string; withdrawn: boolean }) => [i.name, i.withdrawn])).toEqual([[alice.name, false], ['李四', true]]);
    expect(keysOf(view).filter((k) => PERSONAL_KEYS.includes(k) || ['ref', 'sourceId', 'objections', 'withdrawnReason', 'submittedBy', 'contactMasked'].includes(k))).toEqual([]);
    expect(res.body).not.toMatch(MOBILE_ANYWHERE);
    expect(res.body).not.toMatch(ID_NUMBER_ANYWHERE);
    expect(res.body).not.toContain('13800001111');
    expect(res.body).not.toContain('经核查属实');
    // unknown and not yet started notices are not public
    expect((await anonymous('GET', '/api/public/public-notices/99999999')).statusCode).toBe(404);
    const scheduled = await open(bureau, bureauAdminUser, { startsOn: day(2), endsOn: day(8) });
    expect((await anonymous('GET', `/api/public/public-notices/${scheduled}`)).statusCode).toBe(404);
  });

  it('lists the tree’s open and recently ended notices, not scheduled, long-ended or another tree’s', async () => {
    const current = await open(branch, branchAdminUser);
    const recent = await open(bureau, bureauAdminUser, { startsOn: day(-20), endsOn: day(-10) });
    const old = await open(bureau, bureauAdminUser, { startsOn: day(-90), endsOn: day(-60) });
    const scheduled = await open(bureau, bureauAdminUser, { startsOn: day(3), endsOn: day(9) });
    const res = await anonymous('GET', `/api/public/public-notices/trees/${root.id}?pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    const ids = (res.json().items as { id: string }[]).map((n) => n.id);
    expect(ids).toEqual(expect.arrayContaining([current, recent]));
    expect(ids).not.toContain(old);
    expect(ids).not.toContain(scheduled);
    expect(ids.indexOf(current)).toBeLessThan(ids.indexOf(recent));
    expect(((await anonymous('GET', `/api/public/public-notices/trees/${otherRoot.id}`)).json().items as unknown[])).toEqual([]);
    expect((await anonymous('GET', `/api/public/public-notices/trees/${bureau.id}`)).statusCode).toBe(404);
    expect(res.body).not.toMatch(MOBILE_ANYWHERE);
  });

  it('takes anonymous objections (contact optional) while open, 409 after the end or before the start, 400 naming the field', async () => {
    const id = await open(bureau, bureauAdminUser);
    const item = (await detail(bureauAdmin, id)).items[0]!;
    const ok = await anonymous('POST', `/api/public/public-notices/${id}/objections`, { itemId: item.id, content: '有异议' }, freshIp());
    expect(ok.statusCode, ok.body).toBe(201);
    const bad = await anonymous('POST', `/api/public/public-notices/${id}/objections`, { itemId: item.id, content: '有异议', contact: 'abc' }, freshIp());
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty('contact');
    const noItem = await anonymous('POST', `/api/public/public-notices/${id}/objections`, { content: '有异议' }, freshIp());
    expect(noItem.json().error.fields).toHaveProperty('itemId');

    const ended = await open(bureau, bureauAdminUser, { startsOn: day(-8), endsOn: day(-1) });
    const endedItem = (await detail(bureauAdmin, ended)).items[0]!;
    const before = await countRows(ctx.database.db, 'public_notice_objections');
    const late = await anonymous('POST', `/api/public/public-notices/${ended}/objections`, { itemId: endedItem.id, content: '有异议' }, freshIp());
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('public_notices.ended');
    const scheduled = await open(bureau, bureauAdminUser, { startsOn: day(1), endsOn: day(7) });
    const scheduledItem = (await detail(bureauAdmin, scheduled)).items[0]!;
    expect((await anonymous('POST', `/api/public/public-notices/${scheduled}/objections`, { itemId: scheduledItem.id, content: '有异议' }, freshIp())).statusCode).toBe(404);
    expect(await countRows(ctx.database.db, 'public_notice_objections')).toBe(before);
  });

  it('limits anonymous objections per address: the sixth within an hour answers 429 and records nothing', async () => {
    const id = await open(bureau, bureauAdminUser);
    const item = (await detail(bureauAdmin, id)).items[0]!;
    const ip = '10.77.0.1';
    for (let i = 0; i < 5; i++) {
      const res = await anonymous('POST', `/api/public/public-notices/${id}/objections`, { itemId: item.id, content: `异议${i}` }, ip);
      expect(res.statusCode, res.body).toBe(201);
    }
    const before = await countRows(ctx.database.db, 'public_notice_objections');
    const refused = await anonymous('POST', `/api/public/public-notices/${id}/objections`, { itemId: item.id, content: '第六条' }, ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await countRows(ctx.database.db, 'public_notice_objections')).toBe(before);
    // another address is not held back, and a signed-in member is not limited by the public quota
    expect((await anonymous('POST', `/api/public/public-notices/${id}/objections`, { itemId: item.id, content: '另一地址' }, '10.77.0.2')).statusCode).toBe(201);
  });
});
