import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext, type UserFixture } from '../../../test/harness.js';
import { ID_NUMBER_ANYWHERE, MOBILE_ANYWHERE, PERSONAL_KEYS, TINY_PNG, keysOf, multipartFile } from '../../../test/serving-fixtures.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Application, ApplicationPage, Brand, BrandPage, GalleryPage, ReviewRound } from '../../../../contracts/brands.js';
import type { JudgeEntryPage } from '../../../../contracts/judging.js';

/**
 * 党建品牌 and 星级评审 through the real server.
 *
 *   工委 root ← rootAdmin (runs the round)
 *   ├── bureauA (机关党委) ← bureauAdmin
 *   │   ├── branchA1 ← branchAdmin   (brand A1)
 *   │   └── branchA2                  (brand A2, applied by bureauAdmin)
 *   └── bureauB ← outAdmin             (brand B1)
 *   otherRoot ← otherAdmin (another tree)
 */
let ctx: TestContext;
let root: OrgFixture, bureauA: OrgFixture, branchA1: OrgFixture, branchA2: OrgFixture, bureauB: OrgFixture, otherRoot: OrgFixture;
let rootAdmin: Client, bureauAdmin: Client, branchAdmin: Client, outAdmin: Client, otherAdmin: Client;
let judges: UserFixture[], judgeClients: Client[], conflictedJudgeUser: UserFixture, conflictedJudge: Client;

const db = () => ctx.database.db;
const day = (n: number) => todayInChina(Date.now() + n * 86_400_000);
/** feature: weight 60, full 10; effect: weight 40, full 100 — so that (T/10, T) totals exactly T */
const criteria = [{ key: 'feature', name: '特色做法', weight: 60, maxScore: 10 }, { key: 'effect', name: '工作成效', weight: 40, maxScore: 100 }];
const levels = [
  { level: 'star5', minScore: 90 }, { level: 'star4', minScore: 80 }, { level: 'star3', minScore: 70 },
  { level: 'model', minScore: 85 }, { level: 'cultivating', minScore: 70 },
];
const scoresFor = (total: number) => ({ feature: total / 10, effect: total });

beforeAll(async () => {
  ctx = await startTestApp();
  root = await makeOrg(db(), null, { name: '品牌测试工委' });
  bureauA = await makeOrg(db(), root, { name: '甲局机关党委', type: 'organ_committee' });
  branchA1 = await makeOrg(db(), bureauA, { name: '甲局办公室党支部' });
  branchA2 = await makeOrg(db(), bureauA, { name: '甲局财务党支部' });
  bureauB = await makeOrg(db(), root, { name: '乙局机关党委', type: 'organ_committee' });
  otherRoot = await makeOrg(db(), null, { name: '另一工委' });
  const admin = async (org: OrgFixture) => login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org }]));
  rootAdmin = await admin(root);
  bureauAdmin = await admin(bureauA);
  branchAdmin = await admin(branchA1);
  outAdmin = await admin(bureauB);
  otherAdmin = await admin(otherRoot);
  judges = [];
  for (let i = 0; i < 5; i++) judges.push(await makeUser(db(), [{ role: 'judge' }]));
  judgeClients = await Promise.all(judges.map((j) => login(ctx.app, j)));
  conflictedJudgeUser = await makeUser(db(), [{ role: 'judge', org: bureauA }]);
  conflictedJudge = await login(ctx.app, conflictedJudgeUser);
});
afterAll(async () => ctx?.close());

const uploadTo = (client: Client, url: string, name = '品牌照片.png', bytes = TINY_PNG, type = 'image/png') => {
  const file = multipartFile(name, bytes, type);
  return ctx.app.inject({ method: 'POST', url, payload: file.body, headers: { ...file.headers, cookie: client.cookie, 'x-csrf-token': client.csrfToken } });
};

async function makeBrand(client: Client, org: OrgFixture, fields: Record<string, unknown> = {}): Promise<Brand> {
  const res = await client.post('/api/brands', { orgId: org.id, name: `${org.name}品牌`, slogan: '红色引擎', distinctive: '三联三促', status: 'active', ...fields });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Brand;
}

async function makeRound(fields: Record<string, unknown> = {}): Promise<ReviewRound> {
  const res = await rootAdmin.post('/api/brands/rounds', {
    orgId: root.id, title: '2026年度党建品牌星级评审', year: 2026, levels, appliesFrom: day(0), appliesUntil: day(10), criteria,
    judgeUserIds: [...judges.map((j) => j.id), conflictedJudgeUser.id], ...fields,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as ReviewRound;
}

describe('the brand registry', () => {
  it('registers, edits, lists and searches an org’s brands, with photos', async () => {
    const brand = await makeBrand(branchAdmin, branchA1, { name: '红帆领航', status: 'draft', achievements: '市级先进基层党组织' });
    expect(brand).toMatchObject({ orgId: branchA1.id, orgName: '甲局办公室党支部', name: '红帆领航', status: 'draft', starLevel: null, title: null, photos: [], history: [], canManage: true });
    const edited = await branchAdmin.patch(`/api/brands/${brand.id}`, { slogan: '扬帆起航', status: 'active' });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ slogan: '扬帆起航', status: 'active', achievements: '市级先进基层党组织' });
    // the level above keeps it too; search by part of the name
    const found = (await rootAdmin.get(`/api/brands?q=${encodeURIComponent('红帆')}`)).json() as BrandPage;
    expect(found.items.map((b) => b.id)).toEqual([brand.id]);
    expect(found.total).toBe(1);
    const inBureau = (await bureauAdmin.get(`/api/brands?orgId=${branchA1.id}&pageSize=1`)).json() as BrandPage;
    expect(inBureau.items).toHaveLength(1);
    expect(inBureau.total).toBe((await bureauAdmin.get(`/api/brands?orgId=${branchA1.id}&pageSize=200`)).json().items.length);

    const uploaded = await uploadTo(branchAdmin, `/api/brands/${brand.id}/photos`);
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const photo = (uploaded.json() as Brand).photos[0]!;
    expect(photo).toMatchObject({ fileName: '品牌照片.png', sizeBytes: TINY_PNG.length });
    const read = await branchAdmin.get(`/api/brands/${brand.id}/photos/${photo.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('image/png');
    expect(read.rawPayload.equals(TINY_PNG)).toBe(true);
    expect((await rootAdmin.get(`/api/brands?q=${encodeURIComponent('红帆')}`)).json().items[0].coverPhotoId).toBe(photo.id);
    // a document is not a photo; nothing is recorded
    const before = await countRows(db(), 'brand_photos');
    const pdf = await uploadTo(branchAdmin, `/api/brands/${brand.id}/photos`, '材料.pdf', Buffer.from('%PDF-1.4 test'), 'application/pdf');
    expect(pdf.statusCode).toBe(400);
    expect(pdf.json().error.fields).toHaveProperty('file');
    expect(await countRows(db(), 'brand_photos')).toBe(before);
    const removed = await branchAdmin.delete(`/api/brands/${brand.id}/photos/${photo.id}`);
    expect(removed.statusCode, removed.body).toBe(200);
    expect(removed.json().photos).toEqual([]);
    expect((await branchAdmin.get(`/api/brands/${brand.id}/photos/${photo.id}`)).statusCode).toBe(404);
  });

  it('answers 400 with the fields, and changes nothing', async () => {
    const before = await countRows(db(), 'brands');
    const res = await branchAdmin.post('/api/brands', { orgId: branchA1.id, name: '  ', status: 'retired' });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields).sort()).toEqual(['name', 'status']);
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fa5]/);
    const outside = await branchAdmin.post('/api/brands', { orgId: bureauB.id, name: '越权品牌' });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toHaveProperty('orgId');
    const brand = await makeBrand(branchAdmin, branchA1);
    const bad = await branchAdmin.patch(`/api/brands/${brand.id}`, { name: 'x'.repeat(61), color: 'red' });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['color', 'name']);
    expect(await countRows(db(), 'brands')).toBe(before + 1);
    expect((await branchAdmin.get(`/api/brands/${brand.id}`)).json().name).toBe(brand.name);
  });

  it('answers 401 without a session and 404 outside the viewer’s subtree', async () => {
    const brand = await makeBrand(branchAdmin, branchA1);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/brands' })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/brands/${brand.id}` })).statusCode).toBe(401);
    for (const client of [outAdmin, otherAdmin]) {
      expect((await client.get(`/api/brands/${brand.id}`)).statusCode).toBe(404);
      expect((await client.patch(`/api/brands/${brand.id}`, { name: '改名' })).statusCode).toBe(404);
      expect((await uploadTo(client, `/api/brands/${brand.id}/photos`)).statusCode).toBe(404);
      expect(((await client.get('/api/brands?pageSize=200')).json() as BrandPage).items.some((b) => b.id === brand.id)).toBe(false);
    }
    expect((await outAdmin.get(`/api/brands?orgId=${bureauA.id}`)).statusCode).toBe(404);
    expect((await branchAdmin.get(`/api/brands/${brand.id}`)).json().name).toBe(brand.name);
  });
});

describe('the galleries', () => {
  it('shows the tree’s active brands to its signed-in users and to the public, without personal data', async () => {
    const active = await makeBrand(branchAdmin, branchA1, { name: '先锋港湾', slogan: '党旗飘扬' });
    const draft = await makeBrand(branchAdmin, branchA1, { name: '未发布品牌', status: 'draft' });
    const photoId = ((await uploadTo(branchAdmin, `/api/brands/${active.id}/photos`)).json() as Brand).photos[0]!.id;
    const draftPhotoId = ((await uploadTo(branchAdmin, `/api/brands/${draft.id}/photos`)).json() as Brand).photos[0]!.id;

    const mine = (await outAdmin.get('/api/brands/gallery?pageSize=200')).json() as GalleryPage;
    expect(mine.rootId).toBe(root.id);
    expect(mine.items.find((c) => c.id === active.id)).toMatchObject({ name: '先锋港湾', slogan: '党旗飘扬', orgName: '甲局办公室党支部', photoId });
    expect(mine.items.some((c) => c.id === draft.id)).toBe(false);
    // a signed-in user of the tree sees the photo of an active brand, not of a draft; another tree sees neither
    expect((await outAdmin.get(`/api/brands/${active.id}/photos/${photoId}`)).statusCode).toBe(200);
    expect((await outAdmin.get(`/api/brands/${draft.id}/photos/${draftPhotoId}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/brands/${active.id}/photos/${photoId}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/brands/gallery?rootId=${root.id}`)).statusCode).toBe(404);

    const pub = await ctx.app.inject({ method: 'GET', url: `/api/public/brands/trees/${root.id}?pageSize=200` });
    expect(pub.statusCode, pub.body).toBe(200);
    const page = pub.json() as GalleryPage;
    expect(page.items.find((c) => c.id === active.id)).toEqual({ id: active.id, name: '先锋港湾', slogan: '党旗飘扬', orgName: '甲局办公室党支部', starLevel: null, title: null, photoId });
    expect(page.items.some((c) => c.id === draft.id)).toBe(false);
    expect(page.total).toBe(page.items.length);
    expect(keysOf(page).filter((k) => PERSONAL_KEYS.includes(k) || /user|createdBy|achievement|distinctive/i.test(k))).toEqual([]);
    expect(pub.body).not.toMatch(MOBILE_ANYWHERE);
    expect(pub.body).not.toMatch(ID_NUMBER_ANYWHERE);
    const pubPhoto = await ctx.app.inject({ method: 'GET', url: `/api/public/brands/trees/${root.id}/photos/${photoId}` });
    expect(pubPhoto.statusCode).toBe(200);
    expect(pubPhoto.headers['content-type']).toBe('image/png');
    expect((await ctx.app.inject({ method: 'GET', url: `/api/public/brands/trees/${root.id}/photos/${draftPhotoId}` })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/public/brands/trees/${otherRoot.id}/photos/${photoId}` })).statusCode).toBe(404);
    // only the top of a tree has a gallery
    expect((await ctx.app.inject({ method: 'GET', url: `/api/public/brands/trees/${bureauA.id}` })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/public/brands/trees/abc' })).statusCode).toBe(400);
  });
});

describe('star review rounds', () => {
  it('takes applications only within the window, only with the applicant’s own brands of the round’s subtree', async () => {
    const round = await makeRound();
    const a1 = await makeBrand(branchAdmin, branchA1);
    const b1 = await makeBrand(outAdmin, bureauB);
    const other = await makeBrand(otherAdmin, otherRoot);
    const url = `/api/brands/rounds/${round.id}/applications`;
    const before = await countRows(db(), 'brand_applications');
    // another's brand, or a brand outside the round's subtree: 400 on brandId
    for (const [client, brand] of [[branchAdmin, b1], [otherAdmin, other]] as const) {
      const res = await client.post(url, { brandId: brand.id, statement: '申报' });
      expect(res.statusCode, res.body).toBe(otherAdmin === client ? 404 : 400);
    }
    expect((await branchAdmin.post(url, { brandId: b1.id, statement: '申报' })).json().error.fields).toHaveProperty('brandId');
    expect((await branchAdmin.post(url, { brandId: a1.id, statement: '' })).statusCode).toBe(400);
    expect(await countRows(db(), 'brand_applications')).toBe(before);
    // the round is open to the orgs below: listed for the branch, not for another tree
    expect(((await branchAdmin.get('/api/brands/rounds?view=apply')).json().items as ReviewRound[]).some((r) => r.id === round.id)).toBe(true);
    expect(((await otherAdmin.get('/api/brands/rounds?view=apply')).json().items as ReviewRound[]).some((r) => r.id === round.id)).toBe(false);
    const ok = await branchAdmin.post(url, { brandId: a1.id, statement: '三联三促工作法' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ brandId: a1.id, orgId: branchA1.id, status: 'submitted', canCheck: false });
    expect((await branchAdmin.post(url, { brandId: a1.id, statement: '再次申报' })).statusCode).toBe(409);
    const withFile = await uploadTo(branchAdmin, `/api/brands/applications/${ok.json().id}/files`, '申报书.pdf', Buffer.from('%PDF-1.4 test'), 'application/pdf');
    expect(withFile.statusCode, withFile.body).toBe(201);
    expect((withFile.json() as Application).files).toEqual([expect.objectContaining({ fileName: '申报书.pdf', kind: 'document' })]);
    expect((await outAdmin.get(`/api/brands/applications/${ok.json().id}`)).statusCode).toBe(404);
    expect((await outAdmin.get(`/api/brands/applications/${ok.json().id}/files/${(withFile.json() as Application).files[0]!.id}`)).statusCode).toBe(404);
    expect((await rootAdmin.get(`/api/brands/applications/${ok.json().id}/files/${(withFile.json() as Application).files[0]!.id}`)).statusCode).toBe(200);

    // a window that has not opened, or has closed
    for (const window of [{ appliesFrom: day(1), appliesUntil: day(5) }, { appliesFrom: day(-10), appliesUntil: day(-1) }]) {
      const closed = await makeRound(window);
      const res = await branchAdmin.post(`/api/brands/rounds/${closed.id}/applications`, { brandId: a1.id, statement: '申报' });
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('brand.window_closed');
    }
  });

  it('answers 400 on a bad round and 404 to those outside', async () => {
    const before = await countRows(db(), 'brand_review_rounds');
    const bad = await rootAdmin.post('/api/brands/rounds', {
      orgId: root.id, title: '', year: 2026, levels: [{ level: 'star6', minScore: 90 }], appliesFrom: day(5), appliesUntil: day(1), criteria: [],
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(expect.arrayContaining(['title', 'levels.0.level', 'criteria']));
    const dupe = await rootAdmin.post('/api/brands/rounds', {
      orgId: root.id, title: '评审', year: 2026, levels: [{ level: 'star5', minScore: 90 }, { level: 'star5', minScore: 80 }], appliesFrom: day(5), appliesUntil: day(1), criteria,
    });
    expect(Object.keys(dupe.json().error.fields).sort()).toEqual(['appliesUntil', 'levels']);
    const noJudge = await rootAdmin.post('/api/brands/rounds', { orgId: root.id, title: '评审', year: 2026, levels, appliesFrom: day(0), appliesUntil: day(1), criteria, judgeUserIds: ['999999'] });
    expect(noJudge.json().error.fields).toHaveProperty('judgeUserIds');
    const outside = await bureauAdmin.post('/api/brands/rounds', { orgId: root.id, title: '评审', year: 2026, levels, appliesFrom: day(0), appliesUntil: day(1), criteria });
    expect(outside.json().error.fields).toHaveProperty('orgId');
    expect(await countRows(db(), 'brand_review_rounds')).toBe(before);
    const round = await makeRound();
    expect((await otherAdmin.get(`/api/brands/rounds/${round.id}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/brands/rounds/${round.id}/applications`)).statusCode).toBe(404);
    expect((await bureauAdmin.post(`/api/brands/rounds/${round.id}/judging`)).statusCode).toBe(404);
    expect((await bureauAdmin.patch(`/api/brands/rounds/${round.id}`, { title: '改名' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: `/api/brands/rounds/${round.id}` })).statusCode).toBe(401);
    const renamed = await rootAdmin.patch(`/api/brands/rounds/${round.id}`, { title: '改名后的评审' });
    expect(renamed.json()).toMatchObject({ title: '改名后的评审', canManage: true });
  });

  it('judges through the engine (trimmed mean of 5), proposes levels, adjusts with a reason, withdraws on an upheld objection and finalizes after the 公示', async () => {
    const round = await makeRound();
    const a1 = await makeBrand(branchAdmin, branchA1, { name: '红帆领航' });
    const a2 = await makeBrand(bureauAdmin, branchA2, { name: '财务先锋' });
    const b1 = await makeBrand(outAdmin, bureauB, { name: '乙局之光' });
    const applyWith = async (client: Client, brand: Brand) => {
      const res = await client.post(`/api/brands/rounds/${round.id}/applications`, { brandId: brand.id, statement: `${brand.name}申报材料` });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Application;
    };
    const app1 = await applyWith(branchAdmin, a1);
    const app2 = await applyWith(bureauAdmin, a2);
    const app3 = await applyWith(outAdmin, b1);

    // the round's admin checks: an applicant cannot; an unchecked application holds the judging back
    expect((await branchAdmin.post(`/api/brands/applications/${app1.id}/accept`)).statusCode).toBe(404);
    expect((await rootAdmin.post(`/api/brands/applications/${app3.id}/return`, { reason: '' })).statusCode).toBe(400);
    const returned = await rootAdmin.post(`/api/brands/applications/${app3.id}/return`, { reason: '材料不全，请补充成效数据' });
    expect(returned.json()).toMatchObject({ status: 'returned', returnReason: '材料不全，请补充成效数据' });
    expect((await rootAdmin.post(`/api/brands/rounds/${round.id}/judging`)).json().error.code).toBe('brand.applications_unchecked');
    for (const app of [app1, app2]) expect((await rootAdmin.post(`/api/brands/applications/${app.id}/accept`)).json().status).toBe('accepted');
    // returned: sent again, then accepted
    await applyWith(outAdmin, b1);
    expect((await rootAdmin.post(`/api/brands/applications/${app3.id}/accept`)).json().status).toBe('accepted');

    const started = await rootAdmin.post(`/api/brands/rounds/${round.id}/judging`);
    expect(started.statusCode, started.body).toBe(200);
    const panelId = (started.json() as ReviewRound).panelId!;
    expect(started.json()).toMatchObject({ status: 'judging', acceptedCount: 3 });
    expect((await branchAdmin.post(`/api/brands/rounds/${round.id}/applications`, { brandId: a1.id, statement: 'x' })).statusCode).toBe(409);

    const entries = (await judgeClients[0]!.get(`/api/judging/panels/${panelId}/entries`)).json() as JudgeEntryPage;
    const entryOf = (name: string) => entries.items.find((e) => e.title === name)!.id;
    // the judge from bureauA does not see, nor score, bureauA's brands (the engine's conflict of interest)
    const conflicted = (await conflictedJudge.get(`/api/judging/panels/${panelId}/entries`)).json() as JudgeEntryPage;
    expect(conflicted.items.map((e) => e.title)).toEqual(['乙局之光']);
    expect((await conflictedJudge.get(`/api/judging/entries/${entryOf('红帆领航')}`)).statusCode).toBe(404);
    expect((await conflictedJudge.post(`/api/judging/entries/${entryOf('红帆领航')}/submit`, { scores: scoresFor(100) })).statusCode).toBe(404);

    const totals: Record<string, number[]> = { 红帆领航: [95, 90, 88, 70, 99], 财务先锋: [80, 82, 84, 60, 100], 乙局之光: [70, 72, 74] };
    for (const [name, list] of Object.entries(totals)) {
      for (const [i, total] of list.entries()) {
        const res = await judgeClients[i]!.post(`/api/judging/entries/${entryOf(name)}/submit`, { scores: scoresFor(total) });
        expect(res.statusCode, res.body).toBe(200);
      }
    }
    expect((await conflictedJudge.post(`/api/judging/entries/${entryOf('乙局之光')}/submit`, { scores: scoresFor(76) })).statusCode).toBe(200);

    // adjusting before the scores are in is refused
    expect((await rootAdmin.post(`/api/brands/applications/${app2.id}/level`, { starLevel: 3, title: null, reason: '调整' })).statusCode).toBe(409);
    const closed = await rootAdmin.post(`/api/brands/rounds/${round.id}/close-judging`);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().status).toBe('scored');
    const results = (await rootAdmin.get(`/api/brands/rounds/${round.id}/applications`)).json() as ApplicationPage;
    // 95 90 88 70 99 → 99 and 70 dropped → 91.00; 80 82 84 60 100 → 82.00; four judges, none dropped → 73.00
    expect(results.items.map((a) => [a.brandName, a.score, a.rank, a.proposedStar, a.proposedTitle, a.starLevel, a.title])).toEqual([
      ['红帆领航', 91, 1, 5, 'model', 5, 'model'],
      ['财务先锋', 82, 2, 4, 'cultivating', 4, 'cultivating'],
      ['乙局之光', 73, 3, 3, 'cultivating', 3, 'cultivating'],
    ]);
    // the applicant reads its own application only
    expect(((await branchAdmin.get(`/api/brands/rounds/${round.id}/applications`)).json() as ApplicationPage).items.map((a) => a.id)).toEqual([app1.id]);

    // adjust with a reason, within the levels offered
    expect((await rootAdmin.post(`/api/brands/applications/${app2.id}/level`, { starLevel: 1, title: null, reason: '调整' })).json().error.fields).toHaveProperty('starLevel');
    expect((await rootAdmin.post(`/api/brands/applications/${app2.id}/level`, { starLevel: 3, title: 'cultivating' })).statusCode).toBe(400);
    expect((await bureauAdmin.post(`/api/brands/applications/${app2.id}/level`, { starLevel: 3, title: null, reason: '调整' })).statusCode).toBe(404);
    const adjusted = await rootAdmin.post(`/api/brands/applications/${app2.id}/level`, { starLevel: 3, title: 'cultivating', reason: '实地核查发现台账不完整' });
    expect(adjusted.json()).toMatchObject({ proposedStar: 4, starLevel: 3, title: 'cultivating', adjustReason: '实地核查发现台账不完整' });
    const audited = await db().execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = 'brand.adjust_level' and target_id = ${app2.id}`);
    expect(Number(audited.rows[0]!.n)).toBe(1);

    // 公示
    expect((await rootAdmin.post(`/api/brands/rounds/${round.id}/notice`, { startsOn: day(3), endsOn: day(1) })).statusCode).toBe(400);
    const noticed = await rootAdmin.post(`/api/brands/rounds/${round.id}/notice`, { startsOn: day(0), endsOn: day(6) });
    expect(noticed.statusCode, noticed.body).toBe(200);
    const noticeId = (noticed.json() as ReviewRound).publicNoticeId!;
    const view = (await ctx.app.inject({ method: 'GET', url: `/api/public/public-notices/${noticeId}` })).json() as { items: { id: string; name: string; title: string; orgName: string }[] };
    expect(view.items.map((i) => [i.name, i.title, i.orgName])).toEqual([
      ['红帆领航', '五星级示范党建品牌', '甲局办公室党支部'], ['财务先锋', '三星级培育党建品牌', '甲局财务党支部'], ['乙局之光', '三星级培育党建品牌', '乙局机关党委'],
    ]);
    // finalizing while the 公示 runs is refused
    const early = await rootAdmin.post(`/api/brands/rounds/${round.id}/finalize`);
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('brand.notice_not_ended');

    // an objection against 乙局之光, upheld: its result is withdrawn
    const objection = await ctx.app.inject({ method: 'POST', url: `/api/public/public-notices/${noticeId}/objections`,
      payload: { itemId: view.items.find((i) => i.name === '乙局之光')!.id, content: '该品牌成效数据与实际不符' } });
    expect(objection.statusCode, objection.body).toBe(201);
    const upheld = await rootAdmin.post(`/api/public-notices/objections/${objection.json().id}/uphold`, { answer: '经核查异议成立' });
    expect(upheld.statusCode, upheld.body).toBe(200);
    expect((await rootAdmin.get(`/api/brands/applications/${app3.id}`)).json()).toMatchObject({ status: 'withdrawn', withdrawnReason: expect.any(String) });

    // the 公示 ends (its dates moved into the past), then the results are final
    await db().execute(sql`update public_notices set starts_on = ${day(-8)}::date, ends_on = ${day(-1)}::date where id = ${noticeId}`);
    const final = await rootAdmin.post(`/api/brands/rounds/${round.id}/finalize`);
    expect(final.statusCode, final.body).toBe(200);
    expect(final.json().status).toBe('finalized');
    const brand1 = (await branchAdmin.get(`/api/brands/${a1.id}`)).json() as Brand;
    expect(brand1).toMatchObject({ starLevel: 5, title: 'model' });
    expect(brand1.history).toEqual([expect.objectContaining({ roundId: round.id, roundTitle: round.title, year: 2026, starLevel: 5, title: 'model' })]);
    expect((await bureauAdmin.get(`/api/brands/${a2.id}`)).json()).toMatchObject({ starLevel: 3, title: 'cultivating' });
    expect((await outAdmin.get(`/api/brands/${b1.id}`)).json()).toMatchObject({ starLevel: null, title: null, history: [] });
    expect((await rootAdmin.get(`/api/brands/applications/${app1.id}`)).json().status).toBe('awarded');
    expect((await rootAdmin.post(`/api/brands/rounds/${round.id}/finalize`)).statusCode).toBe(409);
    // the gallery shows the stars
    const card = ((await ctx.app.inject({ method: 'GET', url: `/api/public/brands/trees/${root.id}?pageSize=200` })).json() as GalleryPage).items[0]!;
    expect(card).toMatchObject({ id: a1.id, starLevel: 5, title: 'model' });
  });
});
