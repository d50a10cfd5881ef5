import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, makeMember, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';

// "Nothing urgent" is not "all held": early in a period a branch that has held nothing yet (but met the
// last period) must be told apart from one that has held everything, in the summary and in words.

let ctx: TestContext;
let committee: OrgFixture, heldAll: OrgFixture, notYet: OrgFixture, late: OrgFixture, empty: OrgFixture;
let admin: Client;

// the fifth day of the second quarter and of April: every period has 25 days or more left
const AS_OF = '2032-04-05';
interface Units { total: number; allHeld: number; noneDueYet: number; dueSoon: number; overdue: number }
interface Report { items: { orgId: string; status: string }[]; total: number; summary: { done: number; pending: number; dueSoon: number; overdue: number; units: Units } }

async function report(org: OrgFixture, query = ''): Promise<Report> {
  const res = await admin.get(`/api/activities/compliance?orgId=${org.id}&asOf=${AS_OF}&pageSize=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Report;
}

async function heldOn(org: OrgFixture, type: string, day: string) {
  const res = await admin.post('/api/activities', { orgId: org.id, type, title: type, startsAt: `${day}T02:00:00Z`, endsAt: `${day}T04:00:00Z`, participants: { orgIds: [org.id] } });
  expect(res.statusCode, res.body).toBe(201);
  expect((await admin.post(`/api/activities/${res.json().id}/publish`)).statusCode).toBe(200);
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  const root = await makeOrg(db, null, { name: '市直机关工委' });
  committee = await makeOrg(db, root, { name: '市审计局机关党委', type: 'organ_committee' });
  heldAll = await makeOrg(db, committee, { name: '审计一处党支部' });
  notYet = await makeOrg(db, committee, { name: '审计二处党支部' });
  late = await makeOrg(db, committee, { name: '审计三处党支部' });
  empty = await makeOrg(db, root, { name: '市档案馆机关党委', type: 'organ_committee' });
  for (const org of [heldAll, notYet, late]) await makeMember(db, org, { name: `${org.name.slice(0, 4)}党员` });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  const requirements = ['branch_general_meeting', 'branch_committee_meeting', 'party_lesson'];
  // held everything this period
  for (const type of requirements) await heldOn(heldAll, type, '2032-04-02');
  // held everything last period, nothing yet in this one: not due yet
  for (const type of requirements) await heldOn(notYet, type, '2032-03-10');
  // late held nothing at all: overdue
});
afterAll(async () => ctx?.close());

describe('compliance summary by unit', () => {
  it('tells units that held everything from units with nothing due yet, and from overdue ones', async () => {
    const r = await report(committee);
    expect(r.items.filter((i) => i.orgId === heldAll.id).map((i) => i.status)).toEqual(['done', 'done', 'done']);
    expect(r.items.filter((i) => i.orgId === notYet.id).map((i) => i.status)).toEqual(['pending', 'pending', 'pending']);
    expect(r.items.filter((i) => i.orgId === late.id).map((i) => i.status)).toEqual(['overdue', 'overdue', 'overdue']);
    expect(r.summary).toEqual({ done: 3, pending: 3, dueSoon: 0, overdue: 3, units: { total: 3, allHeld: 1, noneDueYet: 1, dueSoon: 0, overdue: 1 } });
  });

  it('counts a unit with one requirement held and the rest not yet due as none due yet, not all held', async () => {
    const r = await report(notYet);
    expect(r.summary.units).toEqual({ total: 1, allHeld: 0, noneDueYet: 1, dueSoon: 0, overdue: 0 });
    await heldOn(notYet, 'party_lesson', '2032-04-03');
    const after = await report(notYet);
    expect([after.summary.done, after.summary.pending]).toEqual([1, 2]);
    expect(after.summary.units).toEqual({ total: 1, allHeld: 0, noneDueYet: 1, dueSoon: 0, overdue: 0 });
  });

  it('makes every summary figure equal the count of the list it opens', async () => {
    const r = await report(committee);
    const statuses = { done: 'done', pending: 'pending', dueSoon: 'due_soon', overdue: 'overdue' } as const;
    for (const [key, status] of Object.entries(statuses)) {
      const list = await report(committee, `&status=${status}`);
      expect(list.total, status).toBe(r.summary[key as keyof typeof statuses]);
      expect(list.items.every((i) => i.status === status)).toBe(true);
    }
    const units = r.summary.units;
    expect(units.allHeld + units.noneDueYet + units.dueSoon + units.overdue).toBe(units.total);
    expect(new Set(r.items.map((i) => i.orgId)).size).toBe(units.total);
  });

  it('reports a subtree without branches or groups as having no units, not as all held', async () => {
    const r = await report(empty);
    expect(r.total).toBe(0);
    expect(r.summary.units).toEqual({ total: 0, allHeld: 0, noneDueYet: 0, dueSoon: 0, overdue: 0 });
  });
});
