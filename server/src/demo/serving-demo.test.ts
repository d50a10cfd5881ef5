import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type Client, type TestContext, startTestApp } from '../../test/harness.js';
import type { ServiceProject, ServiceProjectDetail, ServiceProjectPage, Statistics, PublicProjectPage, FeedbackPage } from '../../../contracts/service_projects.js';
import type { WishPage } from '../../../contracts/micro_wishes.js';
import type { MemberHoursPage, MyHours, VolunteerProjectPage } from '../../../contracts/volunteering.js';
import type { AgreementPage, CommunityMembers, CommunityPage, ReportStats } from '../../../contracts/communities.js';
import type { CampaignPage, CampaignTotals, DonationPage, OrgTotals } from '../../../contracts/donations.js';
import { DEMO_ACCOUNTS, seedDemo } from './seed-demo.js';

let ctx: TestContext;
let admin: Client, bureau: Client, secretary: Client, member: Client;
let committeeId: string, branchId: string, rootId: string;

const rows = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) => (await ctx.database.db.execute<T>(query)).rows;
const json = async <T>(res: Promise<{ statusCode: number; body: string; json: () => unknown }>): Promise<T> => {
  const r = await res;
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as T;
};
/** Every item of a paged list, following the pages. */
async function all<T>(client: Client, url: string): Promise<{ items: T[]; total: number }> {
  const items: T[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const res = await json<{ items: T[]; total: number }>(client.get(`${url}${url.includes('?') ? '&' : '?'}pageSize=200&page=${page}`));
    items.push(...res.items);
    total = res.total;
    if (items.length >= total || !res.items.length) return { items, total };
  }
}
const adminOrg = async (client: Client) =>
  ((await json<{ user: { roles: { role: string; orgId: string }[] } }>(client.get('/api/auth/me'))).user.roles.find((r) => r.role === 'org_admin')!.orgId);

beforeAll(async () => {
  ctx = await startTestApp();
  await seedDemo(ctx.database.db, ctx.app.cipher);
  [admin, bureau, secretary, member] = await Promise.all([login(ctx.app, DEMO_ACCOUNTS.admin), login(ctx.app, DEMO_ACCOUNTS.bureau), login(ctx.app, DEMO_ACCOUNTS.secretary), login(ctx.app, DEMO_ACCOUNTS.member)]);
  committeeId = await adminOrg(bureau);
  branchId = await adminOrg(secretary);
  rootId = (await rows<{ id: string }>(sql`select id::text from orgs where parent_id is null`))[0]!.id;
  // the whole demo (every module's year) is written here: more than the default on a busy machine
}, 300_000);
afterAll(async () => ctx?.close());

describe('demo: 我为群众办实事 projects', () => {
  it('gives every role a non-empty list in its scope, the secretary\'s branch in every state', async () => {
    for (const client of [admin, bureau, secretary, member]) expect((await json<ServiceProjectPage>(client.get('/api/service-projects'))).total).toBeGreaterThan(0);
    const own = await all<ServiceProject>(secretary, `/api/service-projects?orgId=${branchId}`);
    expect(new Set(own.items.map((p) => p.status))).toEqual(new Set(['planned', 'in_progress', 'done', 'stalled']));
    expect(own.items.some((p) => p.isReturned)).toBe(true);
    expect(own.items.some((p) => !p.isPublic)).toBe(true);
    expect(own.items.some((p) => p.isOverdue)).toBe(true);
    expect(own.items.every((p) => p.orgName === '预算处党支部' && p.canEdit && !p.canReview)).toBe(true);
    // the member sees the own branch's projects, read-only
    const mine = await all<ServiceProject>(member, '/api/service-projects');
    expect(mine.total).toBe(own.total);
    expect(mine.items.every((p) => !p.canEdit)).toBe(true);
    // the bureau sees its whole subtree, more than the branch
    expect((await json<ServiceProjectPage>(bureau.get('/api/service-projects'))).total).toBeGreaterThan(own.total);
  });

  it('shows done projects with results, progress updates in their history and reviews from the upper org', async () => {
    const done = (await all<ServiceProject>(secretary, `/api/service-projects?orgId=${branchId}&status=done`)).items[0]!;
    expect(done).toMatchObject({ progress: 100 });
    expect(done.result).toBeTruthy();
    expect(done.completedOn! >= done.startedOn).toBe(true);
    const detail = await json<ServiceProjectDetail>(secretary.get(`/api/service-projects/${done.id}`));
    expect(detail.milestones.length).toBeGreaterThan(2);
    expect(detail.milestones.every((m) => m.doneOn)).toBe(true);
    // residents' ratings are drawn at random per project (none, or only pending, for some): the done ones have some between them
    const doneProjects = (await all<ServiceProject>(secretary, `/api/service-projects?orgId=${branchId}&status=done`)).items;
    const rated = await Promise.all(doneProjects.map(async (p) => (await json<ServiceProjectDetail>(secretary.get(`/api/service-projects/${p.id}`))).satisfaction.count));
    expect(rated.some((n) => n > 0)).toBe(true);
    const events = (await json<{ items: { action: string; after: Record<string, unknown> | null }[] }>(secretary.get(`/api/service-projects/${done.id}/events`))).items;
    expect(events[0]!.action).toBe('create');
    expect(events.filter((e) => e.action === 'update').at(-1)!.after).toMatchObject({ status: 'done', progress: 100 });
    const inProgress = (await all<ServiceProject>(bureau, `/api/service-projects?orgId=${committeeId}&status=in_progress`)).items;
    expect(inProgress.length).toBeGreaterThan(2);
    expect(inProgress.every((p) => p.progress > 0 && p.progress < 100 && !p.completedOn)).toBe(true);
  });

  it('leaves the bureau a resubmitted project to review again, and the secretary one returned for rework', async () => {
    const projects = (await all<ServiceProject>(bureau, `/api/service-projects?orgId=${committeeId}`)).items;
    const waiting: ServiceProject[] = [];
    for (const p of projects.filter((x) => x.canReview && !x.isReturned)) {
      const events = (await json<{ items: { action: string }[] }>(bureau.get(`/api/service-projects/${p.id}/events`))).items;
      if (events.at(-1)!.action === 'resubmit') waiting.push(p);
    }
    expect(waiting.length).toBeGreaterThanOrEqual(2);
    const detail = await json<ServiceProjectDetail>(bureau.get(`/api/service-projects/${waiting[0]!.id}`));
    expect(detail.reviews[0]).toMatchObject({ isReturned: true });
    const returned = await json<ServiceProjectPage>(secretary.get('/api/service-projects?returned=1'));
    expect(returned.total).toBeGreaterThan(0);
    expect(returned.items.every((p) => p.isReturned && p.canEdit)).toBe(true);
    // the review itself works on the demo data
    const reviewed = await bureau.post(`/api/service-projects/${waiting[0]!.id}/reviews`, { stage: '第二阶段梳理', comment: '材料已补齐，同意继续推进。', rating: 4 });
    expect(reviewed.statusCode, reviewed.body).toBe(201);
  });

  it('gives the bureau citizens\' ratings to moderate', async () => {
    const pending = await json<FeedbackPage>(bureau.get('/api/service-projects/feedback?status=pending'));
    expect(pending.total).toBeGreaterThan(0);
    const approved = await json<FeedbackPage>(bureau.get('/api/service-projects/feedback?status=approved'));
    expect(approved.total).toBeGreaterThan(pending.total);
    expect((await json<FeedbackPage>(member.get('/api/service-projects/feedback'))).total).toBe(0);
  });

  it('has statistics whose figures equal the lists they open', async () => {
    const stats = await json<Statistics>(bureau.get(`/api/service-projects/statistics?orgId=${committeeId}`));
    expect(stats.total).toBe((await json<ServiceProjectPage>(bureau.get(`/api/service-projects?orgId=${committeeId}`))).total);
    for (const status of ['planned', 'in_progress', 'done', 'stalled'] as const) {
      expect(stats.byStatus[status], status).toBe((await json<ServiceProjectPage>(bureau.get(`/api/service-projects?orgId=${committeeId}&status=${status}`))).total);
    }
    expect(stats.overdue).toBe((await json<ServiceProjectPage>(bureau.get(`/api/service-projects?orgId=${committeeId}&overdue=1`))).total);
    expect(stats.solved).toBe(stats.byStatus.done);
    expect(stats.byChildOrg.reduce((n, c) => n + c.total, 0)).toBeLessThanOrEqual(stats.total);
    const city = await json<Statistics>(admin.get(`/api/service-projects/statistics?orgId=${rootId}`));
    expect(city.total).toBeGreaterThan(100);
    expect(city.byCategory.length).toBe(5);
  });

  it('lists public projects on the page without sign-in, with overdue figures that match', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/service-projects/trees/${rootId}/projects?pageSize=200` });
    expect(res.statusCode).toBe(200);
    const page = res.json() as PublicProjectPage;
    expect(page.treeName).toBe('市直机关工委');
    expect(page.total).toBeGreaterThan(50);
    const [counts] = await rows<{ public: number; hidden: number }>(sql`select count(*) filter (where is_public)::int as public, count(*) filter (where not is_public)::int as hidden from service_projects`);
    expect(page.total).toBe(counts!.public);
    expect(counts!.hidden).toBeGreaterThan(0);
    expect(page.items.some((p) => p.satisfaction.count > 0)).toBe(true);
    const overdue = (await ctx.app.inject({ method: 'GET', url: `/api/public/service-projects/trees/${rootId}/projects?overdue=1` })).json() as PublicProjectPage;
    expect(overdue.total).toBe(page.overdueTotal);
    expect(overdue.total).toBeGreaterThan(0);
  });

  it('keeps each project\'s history consistent with its state', async () => {
    const [bad] = await rows<{ dates: number; done: number; progress: number; returned: number; audits: number; events: number }>(sql`
      select count(*) filter (where planned_completion < started_on or completed_on < started_on or completed_on > current_date)::int as dates,
             count(*) filter (where (status = 'done') <> (completed_on is not null and progress = 100 and result is not null))::int as done,
             count(*) filter (where status = 'planned' and progress <> 0)::int as progress,
             count(*) filter (where is_returned <> coalesce((select e.action = 'return' from service_project_events e where e.project_id = p.id and e.action in ('return', 'resubmit') order by e.at desc, e.id desc limit 1), false))::int as returned,
             (select count(*) from audit_log where action like 'service_project.%' and action not like 'service_project.feedback%' and target_type = 'service_project')::int as audits,
             (select count(*) from service_project_events)::int as events
        from service_projects p`);
    expect(bad).toMatchObject({ dates: 0, done: 0, progress: 0, returned: 0 });
    // one more of each for the review made by the test above
    expect(bad!.audits).toBe(bad!.events);
  });
});

describe('demo: communities, 双报到 and co-building', () => {
  it('lists the residence communities, and the member sees the one they reported to', async () => {
    for (const client of [admin, bureau, secretary, member]) expect((await json<CommunityPage>(client.get('/api/communities'))).total).toBe(12);
    const [own] = await rows<{ residence_community: string; member_id: string }>(sql`
      select m.residence_community, m.id::text as member_id from members m join users u on u.member_id = m.id where u.username = 'member'`);
    expect(own!.residence_community).toBeTruthy();
    const mine = await json<{ report: { communityName: string; memberId: string } | null }>(member.get('/api/communities/my-report'));
    expect(mine.report).not.toBeNull();
    expect(own!.residence_community.endsWith(mine.report!.communityName)).toBe(true);
  });

  it('counts reported members per community as the community\'s list does, and as the statistics do', async () => {
    const communities = (await json<CommunityPage>(admin.get('/api/communities?pageSize=50'))).items;
    const managed = communities.find((c) => c.reportedCount > 0)!;
    const list = await json<CommunityMembers>(admin.get(`/api/communities/${managed.id}/members`));
    expect(list.total).toBe(managed.reportedCount);
    const stats = await json<ReportStats>(bureau.get(`/api/communities/report-stats?orgId=${committeeId}`));
    expect(stats.reported).toBeGreaterThan(stats.members / 2);
    expect(stats.reported).toBeLessThan(stats.members);
    expect(stats.byCommunity.reduce((n, c) => n + c.reported, 0)).toBe(stats.reported);
    expect(stats.byChildOrg.reduce((n, c) => n + c.reported, 0)).toBe(stats.reported);
    const [wrong] = await rows<{ n: number }>(sql`
      select count(*)::int as n from community_reports r join members m on m.id = r.member_id join communities c on c.id = r.community_id
       where c.street || c.name <> m.residence_community or m.stage not in ('probationary', 'full') or r.reported_on > current_date`);
    expect(wrong!.n).toBe(0);
  });

  it('shows co-building agreements with joint projects, the bureau managing its own', async () => {
    const agreements = await json<AgreementPage>(bureau.get('/api/co-building/agreements'));
    expect(agreements.total).toBeGreaterThanOrEqual(2);
    expect(agreements.items.some((a) => a.isActive && a.projectCount > 0 && a.canManage)).toBe(true);
    expect(agreements.items.some((a) => !a.isActive)).toBe(true);
    expect((await json<AgreementPage>(member.get('/api/co-building/agreements'))).total).toBeGreaterThan(0);
    expect((await json<AgreementPage>(admin.get('/api/co-building/agreements'))).total).toBe(13);
  });
});

describe('demo: volunteering', () => {
  it('shows the member their confirmed hours, the same figure their branch\'s summary shows', async () => {
    const mine = await json<MyHours>(member.get('/api/volunteering/hours/me'));
    expect(mine.records.length).toBeGreaterThan(1);
    expect(mine.hours).toBe(mine.records.reduce((n, r) => n + Math.round(r.hours * 10), 0) / 10);
    const memberId = ((await json<{ user: { memberId: string } }>(member.get('/api/auth/me'))).user.memberId);
    const branch = await all<MemberHoursPage['items'][number]>(secretary, `/api/volunteering/hours?orgId=${branchId}`);
    expect(branch.items.find((m) => m.memberId === memberId)).toMatchObject({ hours: mine.hours, projects: mine.records.length });
    const [roll] = await rows<{ n: number }>(sql`select count(*)::int as n from members where org_id = ${branchId} and left_at is null`);
    expect(branch.total).toBe(roll!.n);
  });

  it('lists a year of projects for every role and lets the member sign up for one still open', async () => {
    for (const client of [admin, bureau, secretary, member]) expect((await json<VolunteerProjectPage>(client.get('/api/volunteering/projects'))).total).toBeGreaterThan(10);
    const open = (await json<VolunteerProjectPage>(member.get('/api/volunteering/projects?upcoming=1'))).items.filter((p) => !p.mySignup && p.placesLeft > 0 && !p.isCancelled);
    expect(open.length).toBeGreaterThan(0);
    const signed = await member.post(`/api/volunteering/projects/${open[0]!.id}/signups`);
    expect(signed.statusCode, signed.body).toBe(200);
    expect((signed.json() as { signedUp: number; mySignup: unknown }).signedUp).toBe(open[0]!.signedUp + 1);
    const [checks] = await rows<{ over_capacity: number; over_length: number; unconfirmed_past: number; confirmed_future: number }>(sql`
      select count(*) filter (where (select count(*) from volunteer_signups s where s.project_id = v.id) > v.capacity)::int as over_capacity,
             (select count(*) from volunteer_signups s join volunteer_projects p on p.id = s.project_id where s.hours_tenths * 360000 > extract(epoch from p.ends_at - p.starts_at) * 1000)::int as over_length,
             count(*) filter (where v.ends_at < now() and v.cancelled_at is null and exists (select 1 from volunteer_signups s where s.project_id = v.id and s.attended is null))::int as unconfirmed_past,
             count(*) filter (where v.starts_at > now() and exists (select 1 from volunteer_signups s where s.project_id = v.id and s.attended is not null))::int as confirmed_future
        from volunteer_projects v`);
    expect(checks).toEqual({ over_capacity: 0, over_length: 0, unconfirmed_past: 0, confirmed_future: 0 });
  });
});

describe('demo: micro-wishes', () => {
  it('gives the bureau and the secretary wishes to moderate, and the member wishes to claim and their own', async () => {
    const bureauPending = await json<WishPage>(bureau.get('/api/micro-wishes?status=pending_review'));
    expect(bureauPending.total).toBeGreaterThan(0);
    expect(bureauPending.items.every((w) => w.canModerate)).toBe(true);
    const secretaryPending = await json<WishPage>(secretary.get('/api/micro-wishes?status=pending_review'));
    expect(secretaryPending.total).toBeGreaterThan(0);
    expect(secretaryPending.total).toBeLessThan(bureauPending.total);
    const statuses = new Set((await all<WishPage['items'][number]>(admin, '/api/micro-wishes')).items.map((w) => w.status));
    expect(statuses).toEqual(new Set(['pending_review', 'rejected', 'open', 'claimed', 'fulfilled', 'confirmed']));
    const mine = await json<WishPage>(member.get('/api/micro-wishes?mine=1'));
    expect(new Set(mine.items.map((w) => w.status))).toEqual(new Set(['claimed', 'fulfilled', 'confirmed']));
    const open = (await json<WishPage>(member.get('/api/micro-wishes?status=open'))).items.filter((w) => w.canClaim);
    expect(open.length).toBeGreaterThan(0);
    const claimed = await member.post(`/api/micro-wishes/${open[0]!.id}/claim`);
    expect(claimed.statusCode, claimed.body).toBe(200);
    const moderated = await bureau.post(`/api/micro-wishes/${bureauPending.items[0]!.id}/moderate`, { decision: 'approve' });
    expect(moderated.statusCode, moderated.body).toBe(200);
    // the poster's contact is sealed and reveals to the keeper
    const contact = await json<{ posterContact: string }>(bureau.get(`/api/micro-wishes/${bureauPending.items[0]!.id}/contact`));
    expect(contact.posterContact).toMatch(/^1\d{10}$/);
  });

  it('shows the published wishes on the public page without sign-in', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: `/api/public/micro-wishes/trees/${rootId}` });
    expect(res.statusCode).toBe(200);
    const [n] = await rows<{ n: number }>(sql`select count(*)::int as n from micro_wishes where status in ('open', 'claimed', 'fulfilled', 'confirmed')`);
    expect((res.json() as { total: number }).total).toBe(n!.n);
  });
});

describe('demo: donations', () => {
  it('lists campaigns whose totals equal their ledgers, in fen', async () => {
    for (const client of [admin, bureau, secretary, member]) expect((await json<CampaignPage>(client.get('/api/donations/campaigns'))).total).toBeGreaterThan(0);
    const campaigns = (await json<CampaignPage>(bureau.get('/api/donations/campaigns'))).items;
    const own = campaigns.find((c) => c.canManage)!;
    const ledger = await all<DonationPage['items'][number]>(bureau, `/api/donations/campaigns/${own.id}/donations`);
    expect(ledger.total).toBe(own.donationCount);
    expect(ledger.items.reduce((n, d) => n + d.amountFen, 0)).toBe(own.totalFen);
    expect(ledger.items.every((d) => Number.isInteger(d.amountFen) && d.amountFen > 0)).toBe(true);
    const totals = await json<CampaignTotals>(bureau.get(`/api/donations/campaigns/${own.id}/totals`));
    expect(totals.totalFen).toBe(own.totalFen);
    expect(totals.byOrg.reduce((n, o) => n + o.totalFen, 0) + totals.anonymousFen).toBe(totals.totalFen);
    const orgTotals = await json<OrgTotals>(bureau.get(`/api/donations/org-totals?orgId=${committeeId}`));
    // the committee's own gifts (as an org) are in its total, not in any child's
    const [committeeGifts] = await rows<{ fen: string }>(sql`select coalesce(sum(amount_fen), 0)::text as fen from donations where credited_org_id = ${committeeId}`);
    expect(Number(committeeGifts!.fen)).toBeGreaterThan(0);
    expect(orgTotals.byChildOrg.reduce((n, o) => n + o.totalFen, 0) + Number(committeeGifts!.fen)).toBe(orgTotals.totalFen);
    expect(orgTotals.totalFen).toBeGreaterThan(own.totalFen);
  });
});
