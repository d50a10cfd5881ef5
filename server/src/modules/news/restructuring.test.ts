import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's news column and its items — drafts and published ones, with their search entries — follow the branch. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

async function item(s: RestructuringScene, title = '支部动态'): Promise<string> {
  const column = await created(await s.branchAdmin.post('/api/news/columns', { orgId: s.branch.id, name: '支部动态' }));
  return created(await s.branchAdmin.post('/api/news/items', { columnId: column, title, bodyHtml: '<p>支部开展改革学习</p>' }));
}

const records: Record<string, RecordMaker> = {
  'a draft news item': async (s) => `/api/news/items/${await item(s)}`,
  'a published news item': async (s) => {
    const id = await item(s);
    expect((await s.branchAdmin.post(`/api/news/items/${id}/submit`)).statusCode).toBe(200);
    expect((await s.oldAdmin.post(`/api/news/items/${id}/approve`)).statusCode).toBe(200);
    return `/api/news/items/${id}`;
  },
};

describe('news records follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`a published item's search entry: after a ${change}, found by the new place's administrator and not the old parent's`, async () => {
      const s = await restructuringScene(ctx);
      const id = await item(s, '机构改革学习心得');
      await s.branchAdmin.post(`/api/news/items/${id}/submit`);
      expect((await s.oldAdmin.post(`/api/news/items/${id}/approve`)).statusCode).toBe(200);
      await expectFollowsBy(s, 'the search entry', async (c) => {
        const res = await c.get(`/api/search?q=${encodeURIComponent('改革学习')}&type=news`);
        return (res.json() as { items: { sourceId: string }[] }).items.some((i) => i.sourceId === id);
      }, change);
    });
  }
});
