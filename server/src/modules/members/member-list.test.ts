import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { MEMBER_STAGES } from '../../../../contracts/members.js';
import { memberSearchText } from './search-text.js';

// The list at scale: short search terms through the grams index, the capped total.
let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, other: OrgFixture, crowd: OrgFixture;
let admin: Client, bureauAdmin: Client;

async function addMembers(org: OrgFixture, names: string[]): Promise<void> {
  for (const name of names) await makeMember(ctx.database.db, org, { name, gender: 'female' });
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

describe('GET /api/members — short searches from the postings', () => {
  // the same query with every stage named takes the general path (members with both indexes)
  const allStages = `&stage=${MEMBER_STAGES.join(',')}`;
  const terms = ['王', '建', '建国', 'w', 'wj', 'zh', 'y', '买', '红'];
  const pageOf = async (url: string) => {
    const res = await admin.get(url);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json() as { items: { id: string }[]; total: number };
    return { ids: page.items.map((m) => m.id), total: page.total };
  };
  async function expectSameAsGeneralQuery() {
    for (const org of [root, bureau, branch, other]) {
      for (const q of terms) {
        for (const order of ['asc', 'desc']) {
          const url = `/api/members?orgId=${org.id}&q=${encodeURIComponent(q)}&order=${order}&pageSize=3`;
          for (const page of [1, 2]) expect(await pageOf(`${url}&page=${page}`), `${org.name} ${q} ${order} page ${page}`).toEqual(await pageOf(`${url}&page=${page}${allStages}`));
        }
      }
    }
  }
  const postings = async (term: string, org: OrgFixture) => Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`
    select count(*)::int as n from member_search_postings where term = ${term} and path like ${org.path + '.%'}`)).rows[0]!.n);

  it('answers exactly what the general query answers, in order, with the same totals', async () => {
    await addMembers(branch, ['王小红', '王建华', '汪建国', '黄建', '周红']);
    expect(await postings('王', bureau)).toBe((await pageOf(`/api/members?orgId=${bureau.id}&q=${encodeURIComponent('王')}${allStages}`)).total);
    await expectSameAsGeneralQuery();
    // and the answer does come from the postings: a key planted there is found, the general query knows better
    const { db } = ctx.database;
    await db.execute(sql`insert into member_search_postings (term, path, name_sort, member_id)
      select '甲', m.org_path::text || '.', m.name_sort, m.id from members m where m.name = '赵红'`);
    const url = `/api/members?orgId=${branch.id}&q=${encodeURIComponent('甲')}`;
    expect((await pageOf(url)).total).toBe(1);
    expect((await pageOf(url + allStages)).total).toBe(0);
    await db.execute(sql`delete from member_search_postings where term = '甲'`);
  });

  it('follows renames, transfers, members leaving and orgs moving', async () => {
    const { db } = ctx.database;
    await db.execute(sql`update members set name = '王大红', search_text = ${memberSearchText('王大红')} where name = '周红'`);
    await db.execute(sql`update members set org_id = ${other.id}, org_path = ${other.path}::ltree where name = '王建华'`);
    await db.execute(sql`update members set left_at = now(), left_on = current_date, left_reason = 'deceased' where name = '汪建国'`);
    expect(await postings('汪', root)).toBe(1);
    await expectSameAsGeneralQuery();
    // the whole branch moves under the other committee: its members' paths change in one statement
    const moved = `${other.path}.${branch.id}`;
    await db.execute(sql`update orgs set parent_id = ${other.id}, path = ${moved}::ltree where id = ${branch.id}`);
    await db.execute(sql`update members set org_path = ${moved}::ltree where org_id = ${branch.id}`);
    branch = { ...branch, path: moved };
    expect(await postings('王', bureau)).toBe(0);
    await expectSameAsGeneralQuery();
  });
});

describe('GET /api/members — cursor paging (keyset, in name order)', () => {
  type CursorPage = { items: { id: string; name: string }[]; total: number; nextCursor: string | null; prevCursor: string | null };
  const get = async (url: string, client = admin): Promise<CursorPage> => {
    const res = await client.get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as CursorPage;
  };
  let ties: OrgFixture;
  beforeAll(async () => {
    ties = await makeOrg(ctx.database.db, root, { name: '同名党支部' });
    // eleven namesakes: equal sort keys, told apart by id only
    await addMembers(ties, [...Array.from({ length: 11 }, () => '钱同名'), '钱多多', '钱少', '孙钱']);
  });

  /** Every page forward by nextCursor, then back by prevCursor: the same rows, none twice, none missed. */
  async function walk(base: string, client = admin) {
    const all = await get(`${base}&pageSize=100`, client);
    const pages: string[][] = [];
    let page = await get(`${base}&pageSize=4`, client);
    pages.push(page.items.map((m) => m.id));
    expect(page.prevCursor).toBeNull();
    while (page.nextCursor) {
      page = await get(`${base}&pageSize=4&page=${pages.length + 1}&cursor=${page.nextCursor}`, client);
      expect(page.total).toBe(all.total);
      pages.push(page.items.map((m) => m.id));
    }
    expect(pages.flat()).toEqual(all.items.map((m) => m.id));
    expect(new Set(pages.flat()).size).toBe(all.items.length);
    // and back from the last page
    const back: string[][] = [pages[pages.length - 1]!];
    while (page.prevCursor) {
      page = await get(`${base}&pageSize=4&cursor=${page.prevCursor}`, client);
      back.unshift(page.items.map((m) => m.id));
    }
    expect(back).toEqual(pages);
    return all;
  }

  it.each([
    ['a short search of a small subtree (its postings sorted)', () => `/api/members?orgId=${ties.id}&q=${encodeURIComponent('钱')}`],
    ['a short search of a big subtree (the postings walked in name order)', () => `/api/members?orgId=${root.id}&q=${encodeURIComponent('钱')}`],
    ['a short search in descending order', () => `/api/members?orgId=${root.id}&q=${encodeURIComponent('钱')}&order=desc`],
    ['the general search', () => `/api/members?orgId=${root.id}&q=${encodeURIComponent('钱')}&stage=${MEMBER_STAGES.join(',')}`],
    ['a browse of a subtree', () => `/api/members?orgId=${ties.id}`],
  ])('walks %s page by page without a gap or a repeat, namesakes included', async (_, url) => {
    const all = await walk(url());
    expect(all.items.filter((m) => m.name === '钱同名')).toHaveLength(11);
    expect(all.total).toBeGreaterThanOrEqual(13);
  });

  it('answers page 1 and a deep page by number from the postings of a big subtree', async () => {
    // a key planted in the postings of the 10,001 retired members: only the postings know it
    const { db } = ctx.database;
    await db.execute(sql`insert into member_search_postings (term, path, name_sort, member_id)
      select '乙', m.org_path::text || '.', m.name_sort, m.id from members m where m.org_id = ${crowd.id} and m.left_at is null`);
    for (const page of [1, 30]) {
      const found = await get(`/api/members?orgId=${root.id}&q=${encodeURIComponent('乙')}&page=${page}&pageSize=20`);
      expect(found.items, `page ${page}`).toHaveLength(20);
      expect(found.total).toBe(10_000);
    }
    await db.execute(sql`delete from member_search_postings where term = '乙'`);
  });

  it('pages past the offset limit by cursor', async () => {
    const first = await get(`/api/members?orgId=${ties.id}&pageSize=4`);
    const deep = await get(`/api/members?orgId=${ties.id}&pageSize=4&page=9000&cursor=${first.nextCursor}`);
    expect(deep.items).toHaveLength(4);
    expect((await admin.get(`/api/members?orgId=${ties.id}&pageSize=4&page=9000`)).statusCode).toBe(400);
  });

  it('refuses a bad or foreign cursor with a message on the field, and leaks nothing out of scope', async () => {
    const first = await get(`/api/members?orgId=${ties.id}&q=${encodeURIComponent('钱')}&pageSize=4`);
    for (const url of [
      `/api/members?orgId=${ties.id}&cursor=not%20a%20cursor`,
      `/api/members?orgId=${ties.id}&cursor=${Buffer.from('["a","asc"]').toString('base64url')}`,
      `/api/members?orgId=${ties.id}&order=desc&cursor=${first.nextCursor}`,
      `/api/members?orgId=${ties.id}&sort=joinedOn&cursor=${first.nextCursor}`,
    ]) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.fields.cursor, url).toMatch(/翻页标记/);
    }
    const outside = await get(`/api/members?orgId=${ties.id}&q=${encodeURIComponent('钱')}&pageSize=4&cursor=${first.nextCursor}`, bureauAdmin);
    expect(outside.items).toEqual([]);
  });
});
