import { afterAll, beforeAll, describe } from 'vitest';
import { todayInChina } from '../../../../contracts/china-time.js';
import { makeUser, login, startTestApp, type TestContext } from '../../../test/harness.js';
import { makePerson } from '../../../test/serving-fixtures.js';
import { created, itFollows, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';

/** A branch's pledge periods and its pledges (the org's own and its members') follow the branch when it moves or is merged. */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const shift = (days: number) => new Date(Date.parse(`${todayInChina()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const openPeriod = async (s: RestructuringScene) => created(await s.branchAdmin.post('/api/pledges/periods', {
  orgId: s.branch.id, name: '2026年度', pledgeFrom: shift(-1), fulfilFrom: shift(10), reviewFrom: shift(20), reviewUntil: shift(30),
}));
const items = [{ content: '带头学习', category: 'study', target: '完成 40 学时' }];

const records: Record<string, RecordMaker> = {
  'a pledge period': async (s) => `/api/pledges/periods/${await openPeriod(s)}`,
  'an org’s pledge': async (s) => `/api/pledges/${await created(await s.branchAdmin.post('/api/pledges', { periodId: await openPeriod(s), orgId: s.branch.id, items }))}`,
  'a member’s pledge': async (s) => {
    const person = await makePerson(ctx.database.db, s.branch);
    const member = await login(ctx.app, await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: person.id }));
    return `/api/pledges/${await created(await member.post('/api/pledges', { periodId: await openPeriod(s), items }))}`;
  },
};

describe('pledges follow their org', () => {
  itFollows(() => ctx, records);
});
