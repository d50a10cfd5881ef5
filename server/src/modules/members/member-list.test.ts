import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { memberSearchText } from './search-text.js';

// The list at scale: short search terms through the grams index, the capped total.
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, other: OrgFixture, crowd: OrgFixture;
let admin: Client, bureauAdmin: Client;

async function addMembers(org: OrgFixture, names: string[], stage = 'full'): Promise<void> {
  await ctx.database.db.execute(sql`
    insert into members (org_id, org_path, name, gender, stage, search_text)
    select ${org.id}, ${org.path}::ltree, n, 'female', ${stage}, s
      from unnest(${`{${names.join(',')}}`}::text[], ${`{${names.map((n) => `"${memberSearchText(n)}"`).join(',')}}`}::text[]) as t (n, s)`);
}

type Page = { items: { name: string }[]; total: number; isTotalCapped?: boolean };
const names = (page: Page) => page.items.map((m) => m.name).sort();

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  other = await makeOrg(db, root, { name: '市教育局机关党委', type: 'organ_committee' });
  crowd = await makeOrg(db, other, { name: '教育局离退休干部党支部' });
  await addMembers(branch, ['王建国', '李王芳', '汪洋', '張建國', '赵红', '郑重', '杨柳', '阿依古丽·买买提']);
  await addMembers(other, ['王强']);
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
});
afterAll(async () => ctx?.close());

describe('GET /api/members — short search terms', () => {
  it.each([
    ['one name character anywhere in the name', '王', ['李王芳', '王建国']],
    ['two adjacent name characters, simplified or traditional', '建國', ['張建國', '王建国']],
    ['the start of a pinyin word (initials or full)', 'zh', ['張建國', '赵红', '郑重']],
    ['one letter: the start of a pinyin word', 'y', ['杨柳']],
    ['a character after the middle dot of a name', '买提', ['阿依古丽·买买提']],
  ])('finds %s (%s), only within the viewer\'s subtree', async (_, q, expected) => {
    const res = await bureauAdmin.get(`/api/members?q=${encodeURIComponent(q)}&pageSize=100`);
    expect(res.statusCode).toBe(200);
    const page = res.json() as Page;
    expect(names(page)).toEqual([...expected].sort());
    expect(page).toMatchObject({ total: expected.length, isTotalCapped: false });
  });

  it('reports the total of a search on a page past its end', async () => {
    const page = (await bureauAdmin.get(`/api/members?q=${encodeURIComponent('王')}&page=3&pageSize=20`)).json() as Page;
    expect(page).toMatchObject({ items: [], total: 2, isTotalCapped: false, page: 3 });
  });
});

describe('GET /api/members — the total', () => {
  it('counts up to 10,000 and says when there are more', async () => {
    const { db } = ctx.database;
    await db.execute(sql`insert into members (org_id, org_path, name, gender, stage, search_text)
      select ${crowd.id}, ${crowd.path}::ltree, '退休党员' || g, 'male', 'full', '退休党员' || g || ' txdy tuixiudangyuan'
        from generate_series(1, 10001) g`);
    const browse = (await admin.get(`/api/members?orgId=${other.id}&page=2&pageSize=20`)).json() as Page;
    expect(browse).toMatchObject({ total: 10_000, isTotalCapped: true });
    expect(browse.items).toHaveLength(20);
    const search = (await admin.get(`/api/members?orgId=${other.id}&q=${encodeURIComponent('退休')}`)).json() as Page;
    expect(search).toMatchObject({ total: 10_000, isTotalCapped: true });
    const few = (await admin.get(`/api/members?orgId=${bureau.id}`)).json() as Page;
    expect(few).toMatchObject({ total: 8, isTotalCapped: false });
  });
});
