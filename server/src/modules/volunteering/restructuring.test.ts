import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type Client, type TestContext } from '../../../test/harness.js';
import { created, expectFollowsBy, itFollows, restructuringScene, type RecordMaker, type RestructuringScene } from '../../../test/restructuring.js';
import { signedInPerson, type SignedInPerson } from '../../../test/serving-fixtures.js';

/** Volunteer projects of a branch, their sign-ups and their members' hours follow it (issue #13). */
let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

const project = async (s: RestructuringScene) => {
  const community = await created(await s.branchAdmin.post('/api/communities', { orgId: s.branch.id, name: `志愿社区${s.branch.id}`, street: '城关街道' }));
  return created(await s.branchAdmin.post('/api/volunteering/projects', {
    orgId: s.branch.id, communityId: community, title: '文明交通劝导', place: '南门路口', startsAt: inMinutes(24 * 60), endsAt: inMinutes(27 * 60), capacity: 2,
  }));
};

/** A branch member who signed up for a project of the branch, served it and had 2.5 hours confirmed. */
async function servedHours(s: RestructuringScene): Promise<SignedInPerson> {
  const id = await project(s);
  const volunteer = await signedInPerson(ctx, s.branch, '马丽');
  expect((await volunteer.client.post(`/api/volunteering/projects/${id}/signups`)).statusCode).toBe(200);
  await ctx.database.db.execute(sql`update volunteer_projects set starts_at = now() - interval '27 hours', ends_at = now() - interval '24 hours' where id = ${id}`);
  const confirmed = await s.branchAdmin.post(`/api/volunteering/projects/${id}/attendance`, { entries: [{ memberId: volunteer.id, attended: true, hours: 2.5 }] });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return volunteer;
}

const records: Record<string, RecordMaker> = {
  'a volunteer project': async (s) => `/api/volunteering/projects/${await project(s)}`,
  'a volunteer project’s sign-ups': async (s) => {
    const id = await project(s);
    const volunteer = await signedInPerson(ctx, s.branch, '高峰');
    expect((await volunteer.client.post(`/api/volunteering/projects/${id}/signups`)).statusCode).toBe(200);
    return `/api/volunteering/projects/${id}/signups`;
  },
  'a member’s volunteer hours certificate': async (s) => `/api/volunteering/members/${(await servedHours(s)).id}/certificate?format=html`,
};

describe('volunteering records follow their org', () => {
  itFollows(() => ctx, records);

  for (const change of ['move', 'merge'] as const) {
    it(`a member's confirmed hours: after a ${change}, they count in the new parent's totals, not the old parent's`, async () => {
      const s = await restructuringScene(ctx);
      const volunteer = await servedHours(s);
      const orgOf = new Map<Client, string>([[s.oldAdmin, s.oldParent.id], [s.newAdmin, s.newParent.id], [s.survivorAdmin, s.survivor.id]]);
      const counts = async (c: Client) => {
        const res = await c.get(`/api/volunteering/hours?orgId=${orgOf.get(c)}`);
        expect(res.statusCode, res.body).toBe(200);
        const row = (res.json() as { items: { memberId: string; hours: number }[] }).items.find((r) => r.memberId === volunteer.id);
        if (row) expect(row.hours).toBe(2.5);
        return row !== undefined;
      };
      await expectFollowsBy(s, `the hours of member ${volunteer.id}`, counts, change);
      expect(((await volunteer.client.get('/api/volunteering/hours/me')).json() as { hours: number }).hours).toBe(2.5);
    });
  }
});
