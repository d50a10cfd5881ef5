import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';
import { indexText, removeText } from './index-text.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, sibling: OrgFixture, otherRoot: OrgFixture, otherBranch: OrgFixture;
let rootAdmin: Client, otherAdmin: Client;
let member: SignedInPerson, siblingMember: SignedInPerson;

const day = (n: number) => new Date(Date.UTC(2026, 10, n, 2, 0, 0));
let nextId = 1;
async function text(org: OrgFixture, title: string, body: string, options: { visibility?: 'public' | 'tree'; publishedAt?: Date; sourceType?: 'notice' | 'news' | 'article' | 'course' } = {}): Promise<string> {
  const sourceId = String(nextId++);
  await indexText(ctx.database.db, {
    sourceType: options.sourceType ?? 'news', sourceId, orgPath: org.path, title, text: body,
    visibility: options.visibility ?? 'tree', publishedAt: options.publishedAt ?? day(1),
  });
  return sourceId;
}
const ids = (res: { json: () => unknown }) => (res.json() as { items: { sourceId: string }[] }).items.map((i) => i.sourceId);

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  sibling = await makeOrg(db, bureau, { name: '国库处党支部' });
  otherRoot = await makeOrg(db, null, { name: '邻市机关工委' });
  otherBranch = await makeOrg(db, otherRoot, { name: '邻市党支部' });
  rootAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: root }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherRoot }]));
  member = await signedInPerson(ctx, branch, '陈静');
  siblingMember = await signedInPerson(ctx, sibling, '刘洋');
});
afterAll(async () => ctx?.close());

describe('GET /api/search', () => {
  it('finds a two-character word anywhere in the text, in simplified or traditional writing', async () => {
    const simplified = await text(bureau, '季度工作安排', '本季度重点推进机关党建与业务融合。');
    const traditional = await text(bureau, '學習體會', '深入學習黨的理論，推進機關黨建。');
    const unrelated = await text(bureau, '财务通报', '预算执行情况良好。');
    for (const q of ['党建', '黨建']) {
      const res = await rootAdmin.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(ids(res).sort()).toEqual([simplified, traditional].sort());
      expect(ids(res)).not.toContain(unrelated);
    }
    // a longer phrase must appear as written, not only as its bigrams scattered
    const phrase = await rootAdmin.get(`/api/search?q=${encodeURIComponent('机关党建')}`);
    expect(ids(phrase).sort()).toEqual([simplified, traditional].sort());
    const scattered = await rootAdmin.get(`/api/search?q=${encodeURIComponent('党建机关')}`);
    expect(ids(scattered)).toEqual([]);
  });

  it('ranks texts with the word in the title first, newest first within each', async () => {
    const oldInTitle = await text(root, '廉政教育月活动', '内容', { publishedAt: day(2) });
    const newInBody = await text(root, '通知', '开展廉政教育', { publishedAt: day(20) });
    const newInTitle = await text(root, '廉政教育专题', '内容', { publishedAt: day(10) });
    const oldInBody = await text(root, '简报', '廉政教育情况', { publishedAt: day(3) });
    const res = await rootAdmin.get(`/api/search?q=${encodeURIComponent('廉政')}`);
    expect(ids(res)).toEqual([newInTitle, oldInTitle, newInBody, oldInBody]);
    expect((res.json() as { items: { inTitle: boolean }[] }).items.map((i) => i.inTitle)).toEqual([true, true, false, false]);
    // page by cursor: two at a time, the same order, no repeats
    const first = (await rootAdmin.get(`/api/search?q=${encodeURIComponent('廉政')}&limit=2`)).json() as { items: { sourceId: string }[]; nextCursor: string };
    const second = (await rootAdmin.get(`/api/search?q=${encodeURIComponent('廉政')}&limit=2&cursor=${first.nextCursor}`)).json() as { items: { sourceId: string }[]; nextCursor: string | null };
    expect([...first.items, ...second.items].map((i) => i.sourceId)).toEqual([newInTitle, oldInTitle, newInBody, oldInBody]);
    expect(second.nextCursor).toBeNull();
  });

  it('shows a member the texts of the orgs above and of the own branch, and public texts of the tree, but not a sibling branch nor another tree', async () => {
    const fromRoot = await text(root, '巡察工作部署', '内容');
    const fromOwnBranch = await text(branch, '巡察整改', '内容');
    const fromSibling = await text(sibling, '巡察自查', '内容');
    const publicFromSibling = await text(sibling, '巡察开放日', '内容', { visibility: 'public' });
    const fromOtherTree = await text(otherBranch, '巡察通报', '内容', { visibility: 'public' });
    const res = await member.client.get(`/api/search?q=${encodeURIComponent('巡察')}`);
    expect(ids(res).sort()).toEqual([fromRoot, fromOwnBranch, publicFromSibling].sort());
    const siblingSees = await siblingMember.client.get(`/api/search?q=${encodeURIComponent('巡察')}`);
    expect(ids(siblingSees).sort()).toEqual([fromRoot, fromSibling, publicFromSibling].sort());
    const other = await otherAdmin.get(`/api/search?q=${encodeURIComponent('巡察')}`);
    expect(ids(other)).toEqual([fromOtherTree]);
  });

  it('filters by kind of text and forgets a removed text', async () => {
    const notice = await text(root, '防汛值班通知', '内容', { sourceType: 'notice' });
    const course = await text(root, '防汛知识课程', '内容', { sourceType: 'course' });
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('防汛')}&type=course`))).toEqual([course]);
    await removeText(ctx.database.db, 'notice', notice);
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('防汛')}`))).toEqual([course]);
  });

  it('finds a learning article once published, with its new title after an edit, and no longer once archived', async () => {
    const created = await rootAdmin.post('/api/learning/articles', { orgId: bureau.id, title: '學習貫徹全會精神', body: '全面从严治党永远在路上。' });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: string }).id;
    const find = async (q: string) => (await member.client.get(`/api/search?q=${encodeURIComponent(q)}&type=article`)).json() as { items: { sourceId: string; title: string }[] };
    expect((await find('贯彻')).items.map((i) => i.sourceId)).toEqual([id]);
    expect((await find('治党')).items.map((i) => i.sourceId)).toEqual([id]);
    expect((await rootAdmin.patch(`/api/learning/articles/${id}`, { title: '深入学习全会精神' })).statusCode).toBe(200);
    expect((await find('贯彻')).items).toEqual([]);
    expect((await find('深入')).items.map((i) => i.title)).toEqual(['深入学习全会精神']);
    expect((await rootAdmin.delete(`/api/learning/articles/${id}`)).statusCode).toBeLessThan(300);
    expect((await find('深入')).items).toEqual([]);
  });

  it('refuses a one-character query with 400 naming q, and an anonymous caller with 401', async () => {
    const short = await rootAdmin.get(`/api/search?q=${encodeURIComponent('党')}`);
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields).toHaveProperty('q');
    const single = await rootAdmin.get(`/api/search?q=${encodeURIComponent('党 建')}`);
    expect(single.statusCode).toBe(400);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/search?q=abc' })).statusCode).toBe(401);
  });
});
