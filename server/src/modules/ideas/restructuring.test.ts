import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { created, itFollows, type RecordMaker } from '../../../test/restructuring.js';
import { signedInPerson } from '../../../test/serving-fixtures.js';

/** An idea addressed to a branch follows the branch: the new place's administrators review it, the old parent's no longer see it. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const records: Record<string, RecordMaker> = {
  'an idea for the branch': async (s) => {
    const member = await signedInPerson(ctx, s.branch, '赵金');
    const id = await created(await member.client.post('/api/me/ideas', { orgId: s.branch.id, title: '推行无纸化会议', content: '节约办公经费', category: 'work_style' }));
    return `/api/ideas/${id}`;
  },
  'an adopted idea with its progress': async (s) => {
    const member = await signedInPerson(ctx, s.branch, '钱银');
    const id = await created(await member.client.post('/api/me/ideas', { orgId: s.branch.id, title: '建立支部学习角', content: '每周更新书目', category: 'party_building' }));
    expect((await s.branchAdmin.post(`/api/ideas/${id}/review`, { decision: 'adopt', reply: '采纳' })).statusCode).toBe(200);
    expect((await s.branchAdmin.post(`/api/ideas/${id}/progress`, { status: 'implementing', note: '已选址' })).statusCode).toBe(200);
    return `/api/ideas/${id}`;
  },
};

describe('ideas follow their org', () => {
  itFollows(() => ctx, records);
});
