import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { electionIndicators } from './indicators.js';

/** 按期换届率: terms that ended in the period whose next term was elected on or before the end date, over those that ended. */
let ctx: TestContext;
let unit: OrgFixture, onTime: OrgFixture, late: OrgFixture, none: OrgFixture, later: OrgFixture;
let admin: Client;
const db = () => ctx.database.db;
const indicator = electionIndicators.find((i) => i.code === 'elections.on_time_rate')!;
const period = { from: '2024-01-01', to: '2024-12-31' };
const ids: Record<string, string> = {};

beforeAll(async () => {
  ctx = await startTestApp();
  const root = await makeOrg(db(), null);
  unit = await makeOrg(db(), root, { type: 'organ_committee' });
  [onTime, late, none, later] = [await makeOrg(db(), unit, { name: '按期支部' }), await makeOrg(db(), unit, { name: '延期支部' }),
    await makeOrg(db(), unit, { name: '未换届支部' }), await makeOrg(db(), unit, { name: '未到期支部' })];
  admin = await login(ctx.app, await makeUser(db(), [{ role: 'org_admin', org: unit }]));
  const term = async (org: OrgFixture, electedOn: string, termYears: number) => {
    const m = await makeMember(db(), org);
    const res = await admin.post('/api/elections/terms', { orgId: org.id, electedOn, termYears, method: 'equal', votersCount: 10, votesCast: 10,
      committee: [{ memberId: m.id, role: 'secretary', votes: 10 }] });
    expect(res.statusCode, res.body).toBe(201);
    ids[`${org.name} ${electedOn}`] = (res.json() as { id: string }).id;
  };
  await term(onTime, '2019-03-01', 5); // ends 2024-03-01
  await term(onTime, '2024-03-01', 5); // elected on the end date: on time
  await term(late, '2021-06-01', 3); // ends 2024-06-01
  await term(late, '2024-07-01', 5); // a month late
  await term(none, '2019-10-10', 5); // ends 2024-10-10, no election yet
  await term(later, '2022-01-01', 3); // ends 2025: not in the period
});
afterAll(async () => ctx?.close());

describe('elections.on_time_rate', () => {
  it('counts exactly, per org over its subtree', async () => {
    const orgs = [unit, onTime, late, none, later].map((o) => ({ id: o.id, path: o.path }));
    const values = await indicator.values(db(), orgs, period);
    const byOrg = new Map(values.map((v) => [v.orgId, v]));
    expect(byOrg.get(unit.id)).toEqual({ orgId: unit.id, numerator: 1, denominator: 3 });
    expect(byOrg.get(onTime.id)).toMatchObject({ numerator: 1, denominator: 1 });
    expect(byOrg.get(late.id)).toMatchObject({ numerator: 0, denominator: 1 });
    expect(byOrg.get(none.id)).toMatchObject({ numerator: 0, denominator: 1 });
    expect(byOrg.get(later.id)).toMatchObject({ numerator: 0, denominator: 0 });
    expect(await indicator.values(db(), [], period)).toEqual([]);
  });

  it('opens the records its value counts, from the same query', async () => {
    const all = await indicator.records(db(), { id: unit.id, path: unit.path }, period, { offset: 0, limit: 10 });
    expect(all.total).toBe(3);
    expect(all.items.map((r) => [r.id, r.date, r.counts, r.amount])).toEqual([
      [ids['按期支部 2019-03-01'], '2024-03-01', true, 1],
      [ids['延期支部 2021-06-01'], '2024-06-01', false, 0],
      [ids['未换届支部 2019-10-10'], '2024-10-10', false, 0],
    ]);
    expect(all.items[0]).toMatchObject({ kind: 'org_term', orgId: onTime.id, orgName: '按期支部' });
    const counted = await indicator.records(db(), { id: unit.id, path: unit.path }, period, { offset: 0, limit: 10, onlyCounted: true });
    expect(counted).toMatchObject({ total: 1, items: [{ id: ids['按期支部 2019-03-01'] }] });
    const second = await indicator.records(db(), { id: unit.id, path: unit.path }, period, { offset: 1, limit: 1 });
    expect(second).toMatchObject({ total: 3, items: [{ id: ids['延期支部 2021-06-01'] }] });
  });
});
