import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { ID_NUMBER_ANYWHERE, MOBILE_ANYWHERE, PERSONAL_KEYS, TINY_PNG, keysOf, multipartFile, signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, otherRoot: OrgFixture, otherBranch: OrgFixture;
let rootAdmin: Client, branchAdmin: Client, otherAdmin: Client;
let alice: SignedInPerson, bob: SignedInPerson, carol: SignedInPerson, outsider: SignedInPerson;
let community: { id: string }, otherCommunity: { id: string };

async function makeCommunity(org: OrgFixture, name: string): Promise<{ id: string }> {
  const r = await ctx.database.db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into communities (org_id, org_path, name, street, search_text) values (${org.id}, ${org.path}::ltree, ${name}, '城关街道', ${name}) returning id::text`);
  return r.rows[0]!;
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市司法局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '法律援助处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  otherBranch = await makeOrg(db, otherRoot, { name: '邻市党支部' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  branchAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: branch }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  alice = await signedInPerson(ctx, branch, '陈静');
  bob = await signedInPerson(ctx, branch, '刘洋');
  carol = await signedInPerson(ctx, bureau, '孙丽');
  outsider = await signedInPerson(ctx, otherBranch, '周杰');
  community = await makeCommunity(root, '东门社区');
  otherCommunity = await makeCommunity(otherRoot, '邻市社区');
});
afterAll(async () => ctx?.close());

const anonymous = (method: 'GET' | 'POST', url: string, payload?: unknown, ip = '10.0.0.1') =>
  ctx.app.inject({ method, url, payload: payload as never, remoteAddress: ip });

let ipCounter = 0;
/** Posts a resident's wish from a fresh address and lets the root's admin approve it. */
async function publishedWish(title = '想要一台助听器', approve = true): Promise<{ id: string; code: string }> {
  const posted = await anonymous('POST', `/api/public/micro-wishes/trees/${root.id}`, { title, content: '老伴耳背，希望有台助听器', posterName: '王秀英', posterContact: '13712345678', communityId: community.id }, `10.2.0.${++ipCounter}`);
  expect(posted.statusCode, posted.body).toBe(201);
  const { id, trackingCode } = posted.json();
  if (approve) expect((await rootAdmin.post(`/api/micro-wishes/${id}/moderate`, { decision: 'approve' })).json().status).toBe('open');
  return { id, code: trackingCode };
}

async function snapshot() {
  const db = ctx.database.db;
  const counts = await Promise.all(['micro_wishes', 'micro_wish_evidence', 'audit_log', 'public_submissions'].map((t) => countRows(db, t)));
  const state = await db.execute(sql`select id, status, claimed_by_member_id, fulfilment_note, confirmed_at, updated_at from micro_wishes order by id`);
  return JSON.stringify({ counts, state: state.rows });
}

describe('a resident’s wish, from the public form to confirmation', () => {
  it('is held for moderation, published by the tree’s admin, claimed, fulfilled with evidence and confirmed by the poster', async () => {
    const { id, code } = await publishedWish('想要一台助听器', false);
    expect((await anonymous('GET', `/api/public/micro-wishes/track/${code}`)).json()).toMatchObject({ id, status: 'pending_review' });
    expect((await anonymous('GET', `/api/public/micro-wishes/trees/${root.id}`)).json().items.map((w: { id: string }) => w.id)).not.toContain(id);
    // a branch admin does not moderate the tree's public wishes
    expect((await branchAdmin.post(`/api/micro-wishes/${id}/moderate`, { decision: 'approve' })).statusCode).toBe(404);
    expect((await rootAdmin.post(`/api/micro-wishes/${id}/moderate`, { decision: 'approve' })).json()).toMatchObject({ status: 'open', ageDays: 0, isStale: false });
    expect((await rootAdmin.post(`/api/micro-wishes/${id}/moderate`, { decision: 'approve' })).statusCode).toBe(409);

    const seen = (await alice.client.get(`/api/micro-wishes/${id}`)).json();
    expect(seen).toMatchObject({ status: 'open', canClaim: true, posterName: '王*', posterContactMasked: '137****5678' });
    expect((await alice.client.get(`/api/micro-wishes/${id}/contact`)).statusCode).toBe(403);

    const claimed = await alice.client.post(`/api/micro-wishes/${id}/claim`);
    expect(claimed.statusCode).toBe(200);
    expect(claimed.json()).toMatchObject({ status: 'claimed', isMine: true, posterName: '王秀英', claimant: { name: '陈静', orgName: '法律援助处党支部' } });
    expect((await alice.client.get(`/api/micro-wishes/${id}/contact`)).json()).toEqual({ posterName: '王秀英', posterContact: '13712345678' });
    expect((await bob.client.get(`/api/micro-wishes/${id}/contact`)).statusCode).toBe(403);

    expect((await bob.client.post(`/api/micro-wishes/${id}/fulfil`, { note: '不是我认领的' })).statusCode).toBe(403);
    const { body, headers } = multipartFile('送达照片.png', TINY_PNG, 'image/png');
    expect((await alice.client.post(`/api/micro-wishes/${id}/evidence`, body, headers)).json().evidence).toHaveLength(1);
    expect((await alice.client.post(`/api/micro-wishes/${id}/fulfil`, { note: '已购置助听器并送到家中' })).json()).toMatchObject({ status: 'fulfilled', fulfilmentNote: '已购置助听器并送到家中' });

    const confirmed = await anonymous('POST', `/api/public/micro-wishes/track/${code}/confirm`, {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', claimantOrgName: '法律援助处党支部', fulfilmentNote: '已购置助听器并送到家中' });
    expect((await anonymous('POST', `/api/public/micro-wishes/track/${code}/confirm`, {})).statusCode).toBe(409);
    expect((await alice.client.get(`/api/micro-wishes/${id}`)).json()).toMatchObject({ status: 'confirmed', confirmedBy: 'poster' });

    const audits = await ctx.database.db.execute<{ action: string } & Record<string, unknown>>(sql`select action from audit_log where target_type = 'micro_wish' and target_id = ${id} order by id`);
    expect(audits.rows.map((r) => r.action)).toEqual(['micro_wish.post', 'micro_wish.approve', 'micro_wish.claim', 'micro_wish.reveal_contact', 'micro_wish.add_evidence', 'micro_wish.fulfil', 'micro_wish.confirm']);
  });

  it('keeps a rejected wish off the public page and tells the poster why', async () => {
    const { id, code } = await publishedWish('广告推销', false);
    const missingReason = await rootAdmin.post(`/api/micro-wishes/${id}/moderate`, { decision: 'reject' });
    expect(missingReason.json().error.fields.reason).toBe('不予发布时请填写原因');
    expect((await rootAdmin.post(`/api/micro-wishes/${id}/moderate`, { decision: 'reject', reason: '内容与心愿无关' })).json().status).toBe('rejected');
    expect((await anonymous('GET', `/api/public/micro-wishes/track/${code}`)).json()).toMatchObject({ status: 'rejected', rejectionReason: '内容与心愿无关' });
    expect((await alice.client.get(`/api/micro-wishes/${id}`)).statusCode).toBe(404);
  });
});

describe('claiming', () => {
  it('refuses a second claim of a claimed wish with 409 and keeps the first claimant', async () => {
    const { id } = await publishedWish();
    expect((await alice.client.post(`/api/micro-wishes/${id}/claim`)).statusCode).toBe(200);
    const before = await snapshot();
    const second = await bob.client.post(`/api/micro-wishes/${id}/claim`);
    expect(second.statusCode).toBe(409);
    expect(second.json().error.message).toBe('该心愿已被其他党员认领');
    expect((await alice.client.post(`/api/micro-wishes/${id}/claim`)).statusCode).toBe(409);
    expect(await snapshot()).toBe(before);
    expect((await rootAdmin.get(`/api/micro-wishes/${id}`)).json().claimant.name).toBe('陈静');
  });

  it('lets exactly one of two simultaneous claims win', async () => {
    const { id } = await publishedWish();
    const results = await Promise.all([alice.client.post(`/api/micro-wishes/${id}/claim`), bob.client.post(`/api/micro-wishes/${id}/claim`), carol.client.post(`/api/micro-wishes/${id}/claim`)]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
  });

  it('opens a released wish to others again', async () => {
    const { id } = await publishedWish();
    await alice.client.post(`/api/micro-wishes/${id}/claim`);
    expect((await bob.client.post(`/api/micro-wishes/${id}/release`)).statusCode).toBe(403);
    expect((await alice.client.post(`/api/micro-wishes/${id}/release`)).json()).toMatchObject({ status: 'open', claimant: null });
    expect((await bob.client.post(`/api/micro-wishes/${id}/claim`)).json().claimant.name).toBe('刘洋');
  });

  it('does not show or give a wish to a member of another tree, nor to an account without a member record', async () => {
    const { id } = await publishedWish();
    expect((await outsider.client.get(`/api/micro-wishes/${id}`)).statusCode).toBe(404);
    expect((await outsider.client.post(`/api/micro-wishes/${id}/claim`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/micro-wishes/${id}`)).statusCode).toBe(404);
    expect((await rootAdmin.post(`/api/micro-wishes/${id}/claim`)).statusCode).toBe(403);
    expect((await rootAdmin.get(`/api/micro-wishes/${id}`)).json().status).toBe('open');
  });

  it('refuses claiming a wish still under review', async () => {
    const { id } = await publishedWish('待审核', false);
    expect((await alice.client.post(`/api/micro-wishes/${id}/claim`)).statusCode).toBe(404);
  });
});

describe('a community’s wish', () => {
  it('is published at once, served, and confirmed by the community; the admin’s look at the contact is audited', async () => {
    const created = await rootAdmin.post('/api/micro-wishes', { communityId: community.id, title: '孩子想要一套绘本', content: '留守儿童', posterName: '李奶奶', posterContact: '0571-87654321' });
    expect(created.statusCode, created.body).toBe(201);
    const wish = created.json();
    expect(wish).toMatchObject({ source: 'community', status: 'open', communityName: '东门社区', posterContactMasked: '0571****21' });
    expect((await rootAdmin.get(`/api/micro-wishes/${wish.id}/contact`)).json().posterContact).toBe('0571-87654321');
    await carol.client.post(`/api/micro-wishes/${wish.id}/claim`);
    expect((await rootAdmin.post(`/api/micro-wishes/${wish.id}/confirm`)).statusCode).toBe(409);
    await carol.client.post(`/api/micro-wishes/${wish.id}/fulfil`, { note: '绘本已送达' });
    expect((await carol.client.post(`/api/micro-wishes/${wish.id}/confirm`)).statusCode).toBe(403);
    expect((await rootAdmin.post(`/api/micro-wishes/${wish.id}/confirm`)).json()).toMatchObject({ status: 'confirmed', confirmedBy: 'community' });
    const reveal = await ctx.database.db.execute(sql`select detail from audit_log where action = 'micro_wish.reveal_contact' and target_id = ${wish.id}`);
    expect(reveal.rows).toHaveLength(1);
  });

  it('stores the poster’s contact encrypted', async () => {
    const rows = await ctx.database.db.execute<{ poster_contact_enc: string } & Record<string, unknown>>(sql`select poster_contact_enc from micro_wishes`);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) {
      expect(r.poster_contact_enc).toMatch(/^v1\./);
      expect(r.poster_contact_enc).not.toMatch(/\d{7}/);
    }
  });
});

describe('ageing', () => {
  it('shows how long an open wish has waited and flags it after 14 days', async () => {
    const { id } = await publishedWish('想学智能手机');
    await ctx.database.db.execute(sql`update micro_wishes set published_at = now() - interval '20 days 1 hour' where id = ${id}`);
    expect((await alice.client.get(`/api/micro-wishes/${id}`)).json()).toMatchObject({ ageDays: 20, isStale: true });
    expect((await rootAdmin.get('/api/micro-wishes?stale=1&pageSize=200')).json().items.map((w: { id: string }) => w.id)).toEqual([id]);
    const publicItem = (await anonymous('GET', `/api/public/micro-wishes/trees/${root.id}?pageSize=200`)).json().items.find((w: { id: string }) => w.id === id);
    expect(publicItem).toMatchObject({ ageDays: 20, isStale: true, status: 'open' });
    // the longest-waiting open wish comes first
    expect((await anonymous('GET', `/api/public/micro-wishes/trees/${root.id}?status=open`)).json().items[0].id).toBe(id);
  });

  it('lists the open wishes longest waiting first, then the others newest first', async () => {
    const [older, newer, waiting, fresh] = [await publishedWish('帮忙修理轮椅'), await publishedWish('想学包饺子'), await publishedWish('想要一本大字书'), await publishedWish('希望有人读报')];
    await ctx.database.db.execute(sql`update micro_wishes set published_at = now() - interval '30 days' where id = ${older.id}`);
    await ctx.database.db.execute(sql`update micro_wishes set published_at = now() - interval '40 days' where id = ${waiting.id}`);
    for (const wish of [older, newer]) expect((await alice.client.post(`/api/micro-wishes/${wish.id}/claim`)).statusCode).toBe(200);
    const order = (items: { id: string }[]) => items.map((w) => w.id).filter((id) => [older.id, newer.id, waiting.id, fresh.id].includes(id));
    expect(order((await rootAdmin.get('/api/micro-wishes?pageSize=200')).json().items)).toEqual([waiting.id, fresh.id, newer.id, older.id]);
    expect(order((await rootAdmin.get('/api/micro-wishes?status=claimed&pageSize=1')).json().items)).toEqual([newer.id]);
    expect(order((await anonymous('GET', `/api/public/micro-wishes/trees/${root.id}?pageSize=200`)).json().items)).toEqual([waiting.id, fresh.id, newer.id, older.id]);
  });
});

describe('bad input on every write returns 400 and changes nothing', () => {
  const validPost = () => ({ title: '心愿', content: '内容', posterName: '居民', posterContact: '13812345678' });

  it.each([
    ['missing title', { title: undefined }, 'title', '必填'],
    ['content too long', { content: '字'.repeat(501) }, 'content', '不能超过 500 个字符'],
    ['bad contact', { posterContact: '12345' }, 'posterContact', '请填写手机号或固定电话'],
    ['unknown field', { idNumber: '110105198001010016' }, 'idNumber', '不支持的字段'],
    ['community id not a number', { communityId: 'x' }, 'communityId', '编号格式不正确'],
  ])('public post with %s', async (_case, overrides, field, message) => {
    const before = await snapshot();
    const res = await anonymous('POST', `/api/public/micro-wishes/trees/${root.id}`, { ...validPost(), ...overrides }, '10.3.3.3');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await snapshot()).toBe(before);
  });

  it('public post naming a community of another tree', async () => {
    const before = await snapshot();
    const res = await anonymous('POST', `/api/public/micro-wishes/trees/${root.id}`, { ...validPost(), communityId: otherCommunity.id }, '10.3.3.4');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.communityId).toBe('社区不存在或不在本系统内');
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ['community post without community', '/api/micro-wishes', { title: '心愿', content: '内容', posterName: '居民', posterContact: '13812345678' }, 'communityId'],
    ['moderation with an unknown decision', '/api/micro-wishes/1/moderate', { decision: 'later' }, 'decision'],
    ['fulfilment without a note', '/api/micro-wishes/1/fulfil', {}, 'note'],
    ['claim with a body', '/api/micro-wishes/1/claim', { memberId: '5' }, 'memberId'],
    ['confirm with a body', '/api/micro-wishes/1/confirm', { by: 'poster' }, 'by'],
  ])('%s', async (_case, url, body, field) => {
    const before = await snapshot();
    const res = await rootAdmin.post(url, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields).toHaveProperty(field);
    expect(await snapshot()).toBe(before);
  });

  it('community post for a community the admin does not manage', async () => {
    const before = await snapshot();
    const res = await branchAdmin.post('/api/micro-wishes', { communityId: community.id, title: '心愿', content: '内容', posterName: '居民', posterContact: '13812345678' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.communityId).toBe('社区不存在或不在本系统内');
    expect(await snapshot()).toBe(before);
  });

  it('evidence that is not a file', async () => {
    const { id } = await publishedWish();
    await alice.client.post(`/api/micro-wishes/${id}/claim`);
    const before = await snapshot();
    const res = await alice.client.post(`/api/micro-wishes/${id}/evidence`, { url: 'http://x' });
    expect(res.statusCode).toBe(400);
    expect(await snapshot()).toBe(before);
  });

  it('a malformed tracking code', async () => {
    const res = await anonymous('POST', '/api/public/micro-wishes/track/%20bad/confirm', {});
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.code).toBe('查询码格式不正确');
  });
});

describe('public answers', () => {
  it('limit posts per address to 3 an hour', async () => {
    const post = () => anonymous('POST', `/api/public/micro-wishes/trees/${root.id}`, { title: '心愿', content: '内容', posterName: '居民', posterContact: '13812345678' }, '10.8.8.8');
    for (let i = 0; i < 3; i++) expect((await post()).statusCode).toBe(201);
    const before = await snapshot();
    const refused = await post();
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await snapshot()).toBe(before);
  });

  it('never contain the poster’s contact or name, nor members’ phone, ID number, address or name', async () => {
    const { id, code } = await publishedWish('需要轮椅，电话13611112222');
    await bob.client.post(`/api/micro-wishes/${id}/claim`);
    const members = await ctx.database.db.execute<{ name: string; residence_community: string | null } & Record<string, unknown>>(sql`select name, residence_community from members`);
    for (const url of [`/api/public/micro-wishes/trees/${root.id}?pageSize=200`, `/api/public/micro-wishes/track/${code}`]) {
      const res = await anonymous('GET', url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(MOBILE_ANYWHERE);
      expect(res.body).not.toMatch(ID_NUMBER_ANYWHERE);
      expect(res.body).not.toContain('王秀英');
      expect(res.body).not.toContain('0571');
      for (const m of members.rows) {
        expect(res.body).not.toContain(m.name);
        if (m.residence_community) expect(res.body).not.toContain(m.residence_community);
      }
      expect(keysOf(res.json()).filter((k) => PERSONAL_KEYS.includes(k) || k.startsWith('poster'))).toEqual([]);
    }
  });

  it('answer 404 for a tree that does not exist or is not a root', async () => {
    expect((await anonymous('GET', '/api/public/micro-wishes/trees/999999')).statusCode).toBe(404);
    expect((await anonymous('GET', `/api/public/micro-wishes/trees/${bureau.id}`)).statusCode).toBe(404);
  });
});
