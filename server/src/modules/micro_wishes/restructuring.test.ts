import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';
import { TINY_PNG, multipartFile, signedInPerson } from '../../../test/serving-fixtures.js';

/** Micro-wishes of a branch's community (posted by it or by residents), with their evidence, follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const community = async (s: RestructuringScene) =>
  created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `心愿社区${s.branch.id}`, street: '城关街道' }));
const communityWish = async (s: RestructuringScene) =>
  created(await s.branchAdmin.post('/api/micro-wishes', { communityId: await community(s), title: '孩子想要一套绘本', content: '留守儿童', posterName: '李奶奶', posterContact: '0571-87654321' }));

let ip = 0;
const records: Record<string, RecordMaker> = {
  'a micro-wish': async (s) => `/api/micro-wishes/${await communityWish(s)}`,
  'a resident’s wish awaiting moderation': async (s) => {
    const posted = await ctx.app.inject({
      method: 'POST', url: `/api/public/micro-wishes/trees/${s.root.id}`, remoteAddress: `10.13.9.${++ip}`,
      payload: { title: '想要一台助听器', content: '老伴耳背，希望有台助听器', posterName: '王秀英', posterContact: '13712345678', communityId: await community(s) },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    return `/api/micro-wishes/${(posted.json() as { id: string }).id}`;
  },
  'a micro-wish’s evidence file': async (s) => {
    const id = await communityWish(s);
    const claimant = await signedInPerson(ctx, s.branch, '陈静');
    expect((await claimant.client.post(`/api/micro-wishes/${id}/claim`)).statusCode).toBe(200);
    const { body, headers } = multipartFile('送达照片.png', TINY_PNG, 'image/png');
    const res = await claimant.client.post(`/api/micro-wishes/${id}/evidence`, body, headers);
    expect(res.statusCode, res.body).toBe(201);
    return `/api/micro-wishes/${id}/evidence/${(res.json() as { evidence: { id: string }[] }).evidence[0]!.id}`;
  },
};

describe('micro_wishes records follow their org', () => {
  itFollows(() => ctx, records);
});
