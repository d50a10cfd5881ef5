import { sql } from 'drizzle-orm';
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

describe('search postings (one row per bigram and text)', () => {
  const postingsOf = async (sourceType: string, sourceId: string) => (await ctx.database.db.execute<{ gram: string; in_title: boolean } & Record<string, unknown>>(sql`
    select p.gram, p.in_title from search_postings p join search_texts s on s.id = p.text_id
     where s.source_type = ${sourceType} and s.source_id = ${sourceId} order by p.gram`)).rows;
  // postings without their text (or out of date), and bigrams of a text without their posting
  const strayPostings = async () => Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
    select (select count(*) from search_postings p
             where not exists (select 1 from search_texts s where s.id = p.text_id and s.published_at = p.published_at and s.org_path = p.org_path
                                  and s.visibility = p.visibility and s.source_type = p.source_type and p.gram = any (s.grams || s.title_grams)))
         + (select count(*) from search_texts s, unnest(s.grams || s.title_grams) g
             where not exists (select 1 from search_postings p where p.gram = g and p.text_id = s.id))::int as n`)).rows[0]!.n);

  it('holds each bigram of a text once, marked when it is in the title', async () => {
    const id = await text(bureau, '调研报告', '开展调研，调研成果。');
    const rows = await postingsOf('news', id);
    expect(rows.map((r) => r.gram).sort()).toEqual(['展调', '开展', '成果', '报告', '研成', '研报', '调研'].sort());
    expect(rows.filter((r) => r.in_title).map((r) => r.gram).sort()).toEqual(['报告', '研报', '调研'].sort());
  });

  it('forgets the old bigrams of an edited text at once and finds it by the new ones; a removed text leaves no postings', async () => {
    const id = await text(bureau, '植树节活动安排', '组织义务植树。');
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('植树')}`))).toEqual([id]);
    await indexText(ctx.database.db, { sourceType: 'news', sourceId: id, orgPath: bureau.path, title: '读书月活动安排', text: '组织读书分享。', visibility: 'tree', publishedAt: day(1) });
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('植树')}`))).toEqual([]);
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('读书分享')}`))).toEqual([id]);
    expect((await postingsOf('news', id)).map((r) => r.gram)).not.toContain('植树');
    await removeText(ctx.database.db, 'news', id);
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('读书')}`))).toEqual([]);
    expect(await postingsOf('news', id)).toEqual([]);
    expect(await strayPostings()).toBe(0);
  });

  it('finds traditional writing by a simplified query and simplified writing by a traditional one, in longer phrases too', async () => {
    const traditional = await text(root, '檢查組進駐', '開展專項檢查工作。');
    const simplified = await text(root, '检查组反馈', '专项检查发现问题。');
    for (const q of ['专项检查', '專項檢查', '检查组', '檢查組']) {
      expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent(q)}`)).sort(), q).toEqual([traditional, simplified].sort());
    }
  });

  it('drives a several-bigram query by its rarest bigram once statistics exist, with the same hits', async () => {
    const common = await Promise.all(Array.from({ length: 30 }, (_, i) => text(bureau, `工作简报第${i}期`, '推进工作落实。')));
    const rare = await text(bureau, '工作简报', '推进乡村振兴工作。');
    const before = ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('工作 振兴')}`));
    await ctx.database.db.execute(sql`analyze search_postings`);
    const after = ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('工作 振兴')}`));
    expect(before).toEqual([rare]);
    expect(after).toEqual([rare]);
    expect(common).not.toContain(rare);
  });

  it('pages a several-bigram query by cursor through both tiers without repeats', async () => {
    const made: string[] = [];
    for (let i = 1; i <= 5; i++) made.push(await text(root, i % 2 ? `网络安全宣传周${i}` : `简讯${i}`, `网络安全宣传活动第${i}场。`, { publishedAt: day(i) }));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await rootAdmin.get(`/api/search?q=${encodeURIComponent('网络安全')}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: { sourceId: string }[]; nextCursor: string | null };
      seen.push(...page.items.map((i) => i.sourceId));
      cursor = page.nextCursor;
    } while (cursor);
    // titles first (5, 3, 1), then the texts (4, 2), newest first in each
    expect(seen).toEqual([made[4], made[2], made[0], made[3], made[1]]);
  });

  it('keeps the reader\'s scope for a several-bigram query, and follows a text\'s org when the org moves', async () => {
    const fromSibling = await text(sibling, '档案整理工作', '档案整理规范。');
    const fromBranch = await text(branch, '档案整理通知', '档案整理要求。');
    expect(ids(await member.client.get(`/api/search?q=${encodeURIComponent('档案整理')}`))).toEqual([fromBranch]);
    expect(ids(await siblingMember.client.get(`/api/search?q=${encodeURIComponent('档案整理')}`))).toEqual([fromSibling]);
    expect(ids(await otherAdmin.get(`/api/search?q=${encodeURIComponent('档案')}`))).toEqual([]);
    // a group of the branch, with a text, moved under the sibling branch: its text goes with it
    const group = await makeOrg(ctx.database.db, branch, { name: '档案小组', type: 'group' });
    const fromGroup = await text(group, '档案整理小结', '内容');
    expect(ids(await member.client.get(`/api/search?q=${encodeURIComponent('档案整理')}`)).sort()).toEqual([fromBranch, fromGroup].sort());
    const moved = await rootAdmin.post(`/api/orgs/${group.id}/move`, { parentId: sibling.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(ids(await member.client.get(`/api/search?q=${encodeURIComponent('档案整理')}`))).toEqual([fromBranch]);
    expect(ids(await siblingMember.client.get(`/api/search?q=${encodeURIComponent('档案整理')}`)).sort()).toEqual([fromSibling, fromGroup].sort());
    expect(ids(await otherAdmin.get(`/api/search?q=${encodeURIComponent('档案整理')}`))).toEqual([]);
    expect(await strayPostings()).toBe(0);
  });

  it('answers a query without Chinese by its letter and digit bigrams, fullwidth folded, and a one-character word as a condition beside a longer one', async () => {
    const pdf = await text(root, '学习材料（ＰＤＦ版）', '２０２６年学习材料。');
    const other = await text(root, '学习材料（纸质版）', '2025年学习材料。');
    expect(ids(await rootAdmin.get('/api/search?q=pdf'))).toEqual([pdf]);
    expect(ids(await rootAdmin.get('/api/search?q=2026'))).toEqual([pdf]);
    expect(ids(await rootAdmin.get(`/api/search?q=${encodeURIComponent('学习材料 纸')}`))).toEqual([other]);
    // one character alone, or only one-character words, have no bigram to look up
    for (const q of ['p', '纸', 'a b']) {
      const res = await rootAdmin.get(`/api/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields, q).toHaveProperty('q');
    }
  });
});
