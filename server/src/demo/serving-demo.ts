import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { chinaDate } from '../../../contracts/china-time.js';
import type { ServiceStatus } from '../../../contracts/service_projects.js';
import { simplify } from '../platform/i18n.js';
import { maskPhone } from '../platform/personal-data.js';
import { bulkInsert, pgArrayLiteral, reserveIds } from './bulk.js';
import type { DemoContext, DemoPlace } from './context.js';
import { personName, sample, type Random } from './generate.js';
import { COMMUNITIES } from './rows.js';

/**
 * 我为群众办实事 at demo size, consistent with the tree and written as the modules' services write
 * it: the twelve residence communities of the members' records, each kept (包联) by an organ
 * committee or the demo branch, with a co-building agreement and its joint projects; 双报到 of the
 * in-service members to the community they live in; service projects of every committee and
 * branch in every state the module has (planned, in progress with progress updates, done with
 * results and citizens' ratings, stalled and overdue, returned for rework, resubmitted and waiting
 * for the bureau's review, kept off the public page), each change in the project's history and the
 * audit log; a year of volunteering with confirmed hours and a few projects still open for
 * sign-up; micro-wishes in every state (some waiting for the bureau's and the secretary's
 * moderation); donation campaigns with their ledgers in fen. None of these modules awards points.
 * Set-based: a few dozen multi-row statements.
 */
export async function seedServingDemo(ctx: DemoContext): Promise<void> {
  const s = await Seeder.start(ctx);
  const communities = await s.communities();
  await s.reports();
  await s.agreements(communities);
  await s.serviceProjects();
  await s.volunteering(communities);
  await s.wishes(communities);
  await s.donations();
  await s.flushAudit();
}

const DAY = 86_400_000;
const MINUTE = 60_000;
const IP = '10.12.3.21';
type Row = Record<string, unknown>;

interface User { id: string; username: string; displayName: string }
interface Member { id: string; orgId: string; orgPath: string; stage: string; retired: boolean }
interface Community { id: string; name: string; street: string; keeper: DemoPlace; keeperUser: User }
interface AuditRow { at: string; user: User | null; ip: string; action: string; targetType: string; targetId: string; orgPath: string; detail: Row }

const within = (path: string, root: string) => path === root || path.startsWith(root + '.');

class Seeder {
  readonly audits: AuditRow[] = [];
  private readonly now = Date.now();
  /** Midnight of today in China. */
  private readonly base: number;

  private constructor(readonly ctx: DemoContext, readonly users: { admin: User; bureau: User; secretary: User; member: User }, readonly members: Member[]) {
    this.base = Date.parse(`${ctx.today}T00:00:00+08:00`);
  }

  static async start(ctx: DemoContext): Promise<Seeder> {
    const rows = (await ctx.tx.execute<{ id: string; username: string; display_name: string } & Row>(sql`
      select id::text, username, display_name from users where id in (${ctx.users.admin}, ${ctx.users.bureau}, ${ctx.users.secretary}, ${ctx.users.member})`)).rows;
    const user = (id: string): User => { const u = rows.find((r) => r.id === id)!; return { id: u.id, username: u.username, displayName: u.display_name }; };
    const members = (await ctx.tx.execute<{ id: string; org_id: string; org_path: string; stage: string; post: string | null } & Row>(sql`
      select id::text, org_id::text, org_path::text, stage, post from members where org_path <@ ${ctx.root.path}::ltree and left_at is null order by id`)).rows
      .map((m) => ({ id: m.id, orgId: m.org_id, orgPath: m.org_path, stage: m.stage, retired: m.post === '退休干部' }));
    return new Seeder(ctx, { admin: user(ctx.users.admin), bureau: user(ctx.users.bureau), secretary: user(ctx.users.secretary), member: user(ctx.users.member) }, members);
  }

  get random(): Random { return this.ctx.random; }

  /** YYYY-MM-DD, `offset` days from today. */
  day(offset: number): string { return chinaDate(this.base + offset * DAY + 12 * 3600_000); }
  /** An instant `offset` days from today at a China clock time; events in the past never pass now. */
  at(offset: number, hour = 10, minute = 0): number { return this.base + offset * DAY + (hour * 60 + minute) * MINUTE; }
  past(t: number): number { return Math.min(t, this.now - 10 * MINUTE); }
  iso(t: number): string { return new Date(t).toISOString(); }

  /** The demo account that administers an org: the secretary for the demo branch, the bureau for its committee, else the platform admin. */
  adminOf(path: string): User {
    if (within(path, this.ctx.branch.path)) return this.users.secretary;
    if (within(path, this.ctx.committee.path)) return this.users.bureau;
    return this.users.admin;
  }
  /** The upper org's reviewer of a project (an admin of a strict ancestor). */
  reviewerOf(path: string): User {
    return path !== this.ctx.committee.path && within(path, this.ctx.committee.path) ? this.users.bureau : this.users.admin;
  }
  membersUnder(path: string): Member[] { return this.members.filter((m) => within(m.orgPath, path)); }

  audit(at: number, user: User | null, action: string, targetType: string, targetId: string, orgPath: string, detail: Row, ip = IP): void {
    this.audits.push({ at: this.iso(this.past(at)), user, ip, action, targetType, targetId, orgPath, detail });
  }

  // ---------- communities and 双报到 ----------

  /** The members' residence communities, each kept by an organ committee that 包联 it (the demo branch keeps one). */
  async communities(): Promise<Community[]> {
    const { ctx, random } = this;
    const ids = await reserveIds(ctx.tx, 'communities', COMMUNITIES.length);
    const list: Community[] = COMMUNITIES.map((full, i) => {
      const [, street, name] = /^(.+?街道)(.+)$/.exec(full)!;
      const keeper = i === 1 ? ctx.branch : ctx.committees[i % ctx.committees.length]!;
      return { id: ids[i]!, name: name!, street: street!, keeper, keeperUser: this.adminOf(keeper.path) };
    });
    const rows = list.map((c) => {
      const created = this.at(-random.int(420, 700), 9, random.int(0, 59));
      const contact = { contactName: personName(random, random.chance(0.6) ? 'female' : 'male'), contactPhone: `025-8${String(random.int(0, 9_999_999)).padStart(7, '0')}`, address: `${c.street}${c.name}党群服务中心（${random.int(1, 188)}号）` };
      this.audit(created, c.keeperUser, 'community.create', 'community', c.id, c.keeper.path, { orgId: c.keeper.id, name: c.name, street: c.street, ...contact });
      return { ...c, ...contact, created };
    });
    await bulkInsert(ctx.tx, 'communities', [
      { name: 'id', type: 'bigint', value: (c) => c.id }, { name: 'org_id', type: 'bigint', value: (c) => c.keeper.id },
      { name: 'org_path', type: 'ltree', value: (c) => c.keeper.path }, { name: 'name', type: 'text', value: (c) => c.name },
      { name: 'street', type: 'text', value: (c) => c.street }, { name: 'contact_name', type: 'text', value: (c) => c.contactName },
      { name: 'contact_phone', type: 'text', value: (c) => c.contactPhone }, { name: 'address', type: 'text', value: (c) => c.address },
      { name: 'search_text', type: 'text', value: (c) => simplify(`${c.street} ${c.name}`) },
      { name: 'created_at', type: 'timestamptz', value: (c) => this.iso(c.created) }, { name: 'updated_at', type: 'timestamptz', value: (c) => this.iso(c.created) },
    ], rows, { overridingIds: true });
    return list;
  }

  /**
   * 双报到: in-service party members report to the community on their record, nine in ten of them
   * (the demo accounts always), over the past two years and never before they joined; recorded by
   * the branch's admin, audited like the service does.
   */
  async reports(): Promise<void> {
    const { ctx, users } = this;
    await ctx.tx.execute(sql`
      insert into community_reports (member_id, community_id, reported_on, recorded_by, created_at)
      select m.id, c.id, x.reported_on, x.recorded_by, (x.reported_on + time '09:30') at time zone 'Asia/Shanghai'
        from members m
        join communities c on c.street || c.name = m.residence_community and c.org_path <@ ${ctx.root.path}::ltree
        cross join lateral (select greatest(coalesce(m.joined_on, current_date - 700), ${this.day(0)}::date - (m.id * 7919 % 700)::int)::date as reported_on,
                                   case when m.org_path <@ ${ctx.branch.path}::ltree then ${users.secretary.id}::bigint
                                        when m.org_path <@ ${ctx.committee.path}::ltree then ${users.bureau.id}::bigint else ${users.admin.id}::bigint end as recorded_by) x
       where m.org_path <@ ${ctx.root.path}::ltree and m.left_at is null and m.stage in ('probationary', 'full')
         and coalesce(m.post, '') <> '退休干部'
         and (m.id % 10 <> 3 or m.id in (${ctx.members.member}, ${ctx.members.secretary}, ${ctx.members.bureau}))`);
    await ctx.tx.execute(sql`
      insert into audit_log (at, user_id, username, ip, action, target_type, target_id, org_path, detail)
      select r.created_at, r.recorded_by, u.username, ${IP}, 'community.report', 'member', r.member_id::text, m.org_path,
             jsonb_build_object('communityId', r.community_id::text, 'from', null)
        from community_reports r join members m on m.id = r.member_id join users u on u.id = r.recorded_by
       where m.org_path <@ ${ctx.root.path}::ltree order by r.created_at, r.id`);
  }

  /** 共驻共建: each keeper signs with its community (one agreement expired and renewed), with joint projects done and planned. */
  async agreements(communities: Community[]): Promise<void> {
    const { ctx, random } = this;
    interface Agreement { id: string; c: Community; title: string; content: string; signed: number; startsOn: string; endsOn: string | null }
    const specs = communities.map((c, i) => ({ c, signedOffset: i === 0 ? -380 : -random.int(120, 560), expired: false }));
    specs.push({ c: communities[0]!, signedOffset: -1_140, expired: true });
    const ids = await reserveIds(ctx.tx, 'co_building_agreements', specs.length);
    const agreements: Agreement[] = specs.map((sp, i) => {
      const signed = this.at(sp.signedOffset, 10);
      const startsOn = this.day(sp.signedOffset);
      const endsOn = sp.expired ? this.day(sp.signedOffset + 3 * 365 - 400) : random.chance(0.2) ? null : this.day(sp.signedOffset + 3 * 365);
      const title = `${sp.c.keeper.name}与${sp.c.name}共驻共建协议${sp.expired ? '（上一期）' : ''}`;
      const content = `双方围绕“组织共建、活动共办、资源共享、难题共解”开展结对共建：${sp.c.keeper.name}组织在职党员到${sp.c.name}报到服务，每季度至少开展一次联合主题党日；社区提供党群服务中心阵地，收集居民急难愁盼问题并及时反馈；双方共同推进为民办实事项目，年底联合总结。`;
      this.audit(signed, sp.c.keeperUser, 'co_building.create', 'co_building_agreement', ids[i]!, sp.c.keeper.path,
        { orgId: sp.c.keeper.id, communityId: sp.c.id, title, signedOn: startsOn, startsOn, endsOn });
      return { id: ids[i]!, c: sp.c, title, content, signed, startsOn, endsOn };
    });
    await bulkInsert(ctx.tx, 'co_building_agreements', [
      { name: 'id', type: 'bigint', value: (a) => a.id }, { name: 'org_id', type: 'bigint', value: (a) => a.c.keeper.id },
      { name: 'org_path', type: 'ltree', value: (a) => a.c.keeper.path }, { name: 'community_id', type: 'bigint', value: (a) => a.c.id },
      { name: 'title', type: 'text', value: (a) => a.title }, { name: 'content', type: 'text', value: (a) => a.content },
      { name: 'signed_on', type: 'date', value: (a) => a.startsOn }, { name: 'starts_on', type: 'date', value: (a) => a.startsOn },
      { name: 'ends_on', type: 'date', value: (a) => a.endsOn }, { name: 'created_at', type: 'timestamptz', value: (a) => this.iso(a.signed) },
    ], agreements, { overridingIds: true });

    const projects: { agreementId: string; title: string; description: string; plannedOn: string; doneOn: string | null; created: number }[] = [];
    for (const a of agreements) {
      const signedOffset = Math.round((a.signed - this.base) / DAY);
      for (const [title, description] of sample(random, JOINT_PROJECTS, random.int(2, 4))) {
        const plannedOffset = signedOffset + random.int(30, 420);
        const doneOn = plannedOffset < -3 && random.chance(0.85) ? this.day(plannedOffset + random.int(-5, 3)) : null;
        const created = this.at(signedOffset + random.int(1, 20), 15);
        projects.push({ agreementId: a.id, title, description, plannedOn: this.day(plannedOffset), doneOn, created });
        this.audit(created, a.c.keeperUser, 'co_building.add_project', 'co_building_agreement', a.id, a.c.keeper.path, { title, description, plannedOn: this.day(plannedOffset), doneOn: null });
      }
    }
    await bulkInsert(ctx.tx, 'co_building_projects', [
      { name: 'agreement_id', type: 'bigint', value: (p) => p.agreementId }, { name: 'title', type: 'text', value: (p) => p.title },
      { name: 'description', type: 'text', value: (p) => p.description }, { name: 'planned_on', type: 'date', value: (p) => p.plannedOn },
      { name: 'done_on', type: 'date', value: (p) => p.doneOn }, { name: 'created_at', type: 'timestamptz', value: (p) => this.iso(p.created) },
    ], projects);
  }

  // ---------- 我为群众办实事 ----------

  async serviceProjects(): Promise<void> {
    const { ctx, random } = this;
    const specs: ProjectSpec[] = BUDGET_BRANCH_PROJECTS.map((p) => ({ ...p, org: ctx.branch }));
    const financeBranches = ctx.branches.filter((b) => b.path !== ctx.branch.path && within(b.path, ctx.committee.path));
    // the bureau's other to-dos: one returned project it waits on, one resubmitted it must review again
    specs.push({ ...randomSpec(random, financeBranches[0]!), status: 'in_progress', returned: 'resubmitted', isPublic: true });
    specs.push({ ...randomSpec(random, financeBranches[1]!), status: 'in_progress', returned: 'open', isPublic: true });
    for (const org of [...ctx.committees, ...ctx.branches]) {
      const isCommittee = ctx.committees.includes(org);
      const count = isCommittee ? random.int(1, 2) : org === ctx.branch ? 0 : random.int(1, 3);
      for (let k = 0; k < count; k++) specs.push(randomSpec(random, org));
    }
    const ids = await reserveIds(ctx.tx, 'service_projects', specs.length);
    const built = specs.map((spec, i) => this.buildProject(ids[i]!, spec));
    const reviewIds = await reserveIds(ctx.tx, 'service_project_reviews', built.reduce((n, b) => n + b.reviews.length, 0));
    let r = 0;
    for (const b of built) for (const review of b.reviews) review.id = reviewIds[r++]!;

    await bulkInsert(ctx.tx, 'service_projects', [
      { name: 'id', type: 'bigint', value: (b) => b.id }, { name: 'org_id', type: 'bigint', value: (b) => b.spec.org.id },
      { name: 'org_path', type: 'ltree', value: (b) => b.spec.org.path }, { name: 'title', type: 'text', value: (b) => b.spec.item.title },
      { name: 'category', type: 'text', value: (b) => b.spec.item.category }, { name: 'source', type: 'text', value: (b) => b.spec.item.source },
      { name: 'need', type: 'text', value: (b) => b.spec.item.need }, { name: 'owner_name', type: 'text', value: (b) => b.ownerName },
      { name: 'started_on', type: 'date', value: (b) => b.startedOn }, { name: 'planned_completion', type: 'date', value: (b) => b.plannedCompletion },
      { name: 'completed_on', type: 'date', value: (b) => b.completedOn }, { name: 'progress', type: 'int', value: (b) => b.progress },
      { name: 'status', type: 'text', value: (b) => b.spec.status }, { name: 'result', type: 'text', value: (b) => b.result },
      { name: 'search_text', type: 'text', value: (b) => simplify(`${b.spec.item.title} ${b.spec.item.category} ${b.spec.item.need}`) },
      { name: 'created_by', type: 'bigint', value: (b) => b.creator.id },
      { name: 'created_at', type: 'timestamptz', value: (b) => this.iso(b.createdAt) }, { name: 'updated_at', type: 'timestamptz', value: (b) => this.iso(b.updatedAt) },
    ], built, { overridingIds: true });
    const flagged = (pick: (b: BuiltProject) => boolean) => pgArrayLiteral(built.filter(pick).map((b) => b.id));
    await ctx.tx.execute(sql`update service_projects set is_public = not (id = any(${flagged((b) => !b.spec.isPublic)}::bigint[])),
      is_major_problem = id = any(${flagged((b) => !!b.spec.isMajor)}::bigint[]), is_returned = id = any(${flagged((b) => b.spec.returned === 'open')}::bigint[])
      where id = any(${flagged(() => true)}::bigint[])`);
    await bulkInsert(ctx.tx, 'service_project_milestones', [
      { name: 'project_id', type: 'bigint', value: (m) => m[0] }, { name: 'title', type: 'text', value: (m) => m[1] },
      { name: 'due_on', type: 'date', value: (m) => m[2] }, { name: 'done_on', type: 'date', value: (m) => m[3] }, { name: 'sort_order', type: 'int', value: (m) => m[4] },
    ], built.flatMap((b) => b.milestones));
    const reviews = built.flatMap((b) => b.reviews.map((rv) => ({ ...rv, projectId: b.id })));
    await bulkInsert(ctx.tx, 'service_project_reviews', [
      { name: 'id', type: 'bigint', value: (rv) => rv.id }, { name: 'project_id', type: 'bigint', value: (rv) => rv.projectId },
      { name: 'stage', type: 'text', value: (rv) => rv.stage }, { name: 'comment', type: 'text', value: (rv) => rv.comment },
      { name: 'rating', type: 'int', value: (rv) => rv.rating }, { name: 'reviewer_user_id', type: 'bigint', value: (rv) => rv.reviewer.id },
      { name: 'reviewer_name', type: 'text', value: (rv) => rv.reviewer.displayName }, { name: 'created_at', type: 'timestamptz', value: (rv) => this.iso(rv.at) },
    ], reviews, { overridingIds: true });
    await ctx.tx.execute(sql`update service_project_reviews set is_returned = true where id = any(${pgArrayLiteral(reviews.filter((rv) => rv.isReturned).map((rv) => rv.id))}::bigint[])`);
    const events = built.flatMap((b) => b.events.map((e) => ({ ...e, projectId: b.id })));
    await bulkInsert(ctx.tx, 'service_project_events', [
      { name: 'project_id', type: 'bigint', value: (e) => e.projectId }, { name: 'at', type: 'timestamptz', value: (e) => this.iso(e.at) },
      { name: 'user_id', type: 'bigint', value: (e) => e.user.id }, { name: 'username', type: 'text', value: (e) => e.user.username },
      { name: 'action', type: 'text', value: (e) => e.action },
      { name: 'before', type: 'jsonb', value: (e) => (e.before ? JSON.stringify(e.before) : null) }, { name: 'after', type: 'jsonb', value: (e) => (e.after ? JSON.stringify(e.after) : null) },
    ], events);
    const byId = new Map(built.map((b) => [b.id, b]));
    for (const e of events) {
      const b = byId.get(e.projectId)!;
      const detail = e.action === 'create' ? e.after! : e.action === 'update' ? { before: e.before, after: e.after } : e.action === 'resubmit' ? { note: e.after!.note } : e.after!;
      this.audit(e.at, e.user, `service_project.${e.action}`, 'service_project', e.projectId, b.spec.org.path, detail);
    }
    await this.feedback(byId);
  }

  private buildProject(id: string, spec: ProjectSpec): BuiltProject {
    const { random } = this;
    const status = spec.status;
    const startOffset = spec.startOffset ?? (status === 'planned' ? random.int(3, 40) : -random.int(status === 'done' ? 100 : 30, 330));
    const length = spec.length ?? random.int(60, 240);
    const isRandom = spec.startOffset === undefined;
    // most work in progress is still within plan; stalled work is behind it
    const plannedOffset = isRandom && status === 'stalled' ? Math.max(startOffset + 30, Math.min(startOffset + length, -random.int(5, 40)))
      : isRandom && status === 'in_progress' && random.chance(0.88) ? Math.max(startOffset + length, random.int(10, 150))
        : startOffset + length;
    const completedOffset = status === 'done' ? Math.min(-1, startOffset + random.int(Math.min(30, length), length + 10)) : null;
    const creator = this.adminOf(spec.org.path);
    const reviewer = this.reviewerOf(spec.org.path);
    const createdAt = this.past(this.at(Math.min(startOffset, 0) - random.int(1, 10), 9, random.int(0, 59)));
    const endOffset = completedOffset ?? Math.min(plannedOffset, -1);
    // a returned project's progress reports come before the return (the resubmission is its latest change)
    const returnOffset = spec.returned === 'open' ? -random.int(2, 5) : spec.returned === 'resubmitted' ? -random.int(12, 20) : null;
    const reportsUntil = returnOffset === null ? endOffset : Math.max(startOffset + 1, Math.min(endOffset, returnOffset - 2));
    const elapsed = (Math.min(0, plannedOffset) - startOffset) / Math.max(1, plannedOffset - startOffset);
    const progress = status === 'done' ? 100 : status === 'planned' ? 0
      : Math.max(10, Math.min(90, Math.round((spec.progress ?? elapsed * 100 * (status === 'stalled' ? 0.45 : 1)) / 5) * 5));
    const startedOn = this.day(startOffset), plannedCompletion = this.day(plannedOffset), completedOn = completedOffset === null ? null : this.day(completedOffset);
    const ownerName = personName(random, random.chance(0.55) ? 'male' : 'female');
    const result = status === 'done' ? spec.item.result : null;

    const steps = MILESTONES.slice(0, random.int(3, 5));
    const milestones: MilestoneRow[] = steps.map((title, s): MilestoneRow => {
      const dueOffset = startOffset + Math.round(((s + 1) / steps.length) * ((completedOffset ?? plannedOffset) - startOffset));
      const isDone = status === 'done' || (status !== 'planned' && dueOffset < 0 && (status === 'in_progress' ? (s + 1) / steps.length <= progress / 100 + 0.1 : s === 0));
      return [id, title, this.day(dueOffset), isDone ? this.day(Math.min(dueOffset, completedOffset ?? -1)) : null, s];
    });
    const events: ProjectEvent[] = [];
    const reviews: ProjectReview[] = [];
    events.push({ at: createdAt, user: creator, action: 'create', before: null, after: {
      orgId: spec.org.id, title: spec.item.title, category: spec.item.category, source: spec.item.source, need: spec.item.need, ownerName, startedOn,
      plannedCompletion, isPublic: spec.isPublic, status: 'planned', progress: 0, completedOn: null,
      milestones: milestones.map((m) => ({ title: m[1], dueOn: m[2], doneOn: null })) } });
    let updatedAt = createdAt;
    if (status !== 'planned') {
      // progress reported two to four times between the start and today (or the completion)
      const updates = random.int(2, 4);
      let before = { status: 'planned' as ServiceStatus, progress: 0 };
      for (let u = 1; u <= updates; u++) {
        const offset = Math.min(-1, startOffset + Math.round((u / updates) * (reportsUntil - startOffset)));
        const at = this.past(Math.max(createdAt + 3600_000, this.at(offset, 16, random.int(0, 59))));
        const last = u === updates;
        const reached = last ? progress : Math.max(5, Math.round((progress * u) / updates / 5) * 5);
        const nextStatus: ServiceStatus = last ? status : 'in_progress';
        const after: Row = { status: nextStatus, progress: reached };
        if (last && status === 'done') Object.assign(after, { completedOn, result });
        const changedBefore: Row = { status: before.status, progress: before.progress };
        if (last && status === 'done') Object.assign(changedBefore, { completedOn: null, result: null });
        if (after.status === before.status) { delete after.status; delete changedBefore.status; }
        if (after.progress !== before.progress || after.status !== undefined) events.push({ at, user: creator, action: 'update', before: changedBefore, after });
        before = { status: nextStatus, progress: reached };
        updatedAt = at;
        // the upper org's staged review (阶段性梳理) after the middle report
        if (u === Math.ceil(updates / 2) && spec.returned === undefined && random.chance(status === 'done' ? 0.7 : 0.45)) {
          const rv = random.pick(REVIEWS);
          const rat = this.past(at + random.int(1, 6) * DAY);
          reviews.push({ id: '', stage: rv.stage, comment: rv.comment, rating: rv.rating, isReturned: false, reviewer, at: rat });
          events.push({ at: rat, user: reviewer, action: 'review', before: { isReturned: false }, after: { stage: rv.stage, comment: rv.comment, rating: rv.rating, returnForRework: false } });
        }
      }
    }
    if (status === 'done' && random.chance(0.5) && spec.returned === undefined) {
      const rat = this.past(this.at(completedOffset! + random.int(2, 12), 10));
      const rating = random.chance(0.7) ? 5 : 4;
      const comment = rating === 5 ? '项目按期高质量完成，群众满意度高，成效明显，可作为典型案例推广。' : '项目已完成，请做好后续回访，巩固成果。';
      reviews.push({ id: '', stage: '年度梳理', comment, rating, isReturned: false, reviewer, at: rat });
      events.push({ at: rat, user: reviewer, action: 'review', before: { isReturned: false }, after: { stage: '年度梳理', comment, rating, returnForRework: false } });
    }
    if (spec.returned) {
      const rat = this.past(this.at(returnOffset!, 11));
      const comment = '佐证材料不全，进度与群众反映情况不一致，请补充实施前后照片和群众签字的验收材料，核实进度后重新提交。';
      reviews.push({ id: '', stage: '第二阶段梳理', comment, rating: 2, isReturned: true, reviewer, at: rat });
      events.push({ at: rat, user: reviewer, action: 'return', before: { isReturned: false }, after: { stage: '第二阶段梳理', comment, rating: 2, returnForRework: true } });
      updatedAt = Math.max(updatedAt, rat);
      if (spec.returned === 'resubmitted') {
        const sat = this.past(rat + random.int(3, 6) * DAY);
        events.push({ at: sat, user: creator, action: 'resubmit', before: { isReturned: true }, after: { isReturned: false, note: '已补充实施前后照片 12 张、居民验收签字表 1 份，进度已按实际核实更新，请审核。' } });
        updatedAt = Math.max(updatedAt, sat);
      }
    }
    for (const rv of reviews) updatedAt = Math.max(updatedAt, rv.at);
    events.sort((a, b) => a.at - b.at);
    return { id, spec, ownerName, startedOn, plannedCompletion, completedOn, progress, result, creator, createdAt, updatedAt, milestones, events, reviews };
  }

  /** Citizens' ratings from the public page: most approved by the tree's admins, a few rejected, some still waiting (the bureau's queue among them). */
  private async feedback(projects: Map<string, BuiltProject>): Promise<void> {
    const built = [...projects.values()];
    const { random } = this;
    const rows: { projectId: string; rating: number; comment: string | null; nickname: string | null; ip: string; status: string; moderator: User | null; moderatedAt: number | null; createdAt: number }[] = [];
    for (const b of built) {
      if (!b.spec.isPublic || b.spec.status === 'planned') continue;
      const count = b.spec.feedback ?? (b.spec.status === 'done' ? random.int(0, 5) : random.chance(0.3) ? random.int(1, 2) : 0);
      const from = Math.round(((b.completedOn ? Date.parse(b.completedOn) : b.createdAt) - this.base) / DAY);
      const pendingCount = b.spec.pendingFeedback ?? (random.chance(0.06) ? 1 : 0);
      for (let k = 0; k < count + pendingCount; k++) {
        const isPending = k >= count;
        const isRejected = !isPending && b.spec.feedback === undefined && random.chance(0.06);
        const fb = isRejected ? random.pick(REJECTED_FEEDBACK) : random.pick(FEEDBACK);
        const createdAt = this.past(this.at(isPending ? -random.int(0, 3) : random.int(Math.min(from + 1, -6), -5), random.int(8, 21), random.int(0, 59)));
        const moderator = isPending ? null : this.adminOf(b.spec.org.path);
        const moderatedAt = isPending ? null : this.past(createdAt + random.int(4, 48) * 3600_000);
        const ip = `223.104.${random.int(1, 254)}.${random.int(1, 254)}`;
        const status = isPending ? 'pending' : isRejected ? 'rejected' : 'approved';
        rows.push({ projectId: b.id, rating: fb.rating, comment: fb.comment, nickname: fb.nickname, ip, status, moderator, moderatedAt, createdAt });
      }
    }
    const ids = await reserveIds(this.ctx.tx, 'service_project_feedback', rows.length);
    const feedback = rows.map((f, i) => ({ ...f, id: ids[i]! }));
    for (const f of feedback) {
      const path = projects.get(f.projectId)!.spec.org.path;
      this.audit(f.createdAt, null, 'service_project.feedback_submit', 'service_project_feedback', f.id, path, { projectId: f.projectId, rating: f.rating }, f.ip);
      if (f.moderator) this.audit(f.moderatedAt!, f.moderator, `service_project.feedback_${f.status === 'approved' ? 'approve' : 'reject'}`, 'service_project_feedback', f.id, path, { projectId: f.projectId, from: 'pending', to: f.status });
    }
    await bulkInsert(this.ctx.tx, 'service_project_feedback', [
      { name: 'id', type: 'bigint', value: (f) => f.id }, { name: 'project_id', type: 'bigint', value: (f) => f.projectId },
      { name: 'rating', type: 'int', value: (f) => f.rating }, { name: 'comment', type: 'text', value: (f) => f.comment },
      { name: 'nickname', type: 'text', value: (f) => f.nickname }, { name: 'ip', type: 'text', value: (f) => f.ip }, { name: 'status', type: 'text', value: (f) => f.status },
      { name: 'moderated_by', type: 'bigint', value: (f) => f.moderator?.id ?? null },
      { name: 'moderated_at', type: 'timestamptz', value: (f) => (f.moderatedAt === null ? null : this.iso(f.moderatedAt)) },
      { name: 'created_at', type: 'timestamptz', value: (f) => this.iso(f.createdAt) },
    ], feedback, { overridingIds: true });
  }

  // ---------- volunteering ----------

  /**
   * A year of volunteer projects of committees and branches at the communities they keep, about
   * three a month, and a few still open for sign-up; past ones with attendance and hours confirmed
   * by the organiser (never more than the project's length), the demo member among the volunteers.
   */
  async volunteering(communities: Community[]): Promise<void> {
    const { ctx, random } = this;
    interface Spec { host: DemoPlace; community: Community; offset: number; hour: number; hours: number; capacity: number; title: string; description: string; cancelled?: boolean }
    const hostsFor = (): DemoPlace => {
      const r = random.next();
      if (r < 0.2) return ctx.committee;
      if (r < 0.3) return ctx.branch;
      return r < 0.7 ? random.pick(ctx.committees) : random.pick(ctx.branches.filter((b) => this.membersUnder(b.path).length >= 8));
    };
    const communityOf = (host: DemoPlace) => communities.find((c) => within(host.path, c.keeper.path) || within(c.keeper.path, host.path)) ?? random.pick(communities);
    const specs: Spec[] = [];
    const make = (host: DemoPlace, offset: number, extra: Partial<Spec> = {}): Spec => {
      const [title, description] = random.pick(VOLUNTEER_ITEMS);
      const hour = random.chance(0.6) ? 8 : 14;
      return { host, community: communityOf(host), offset, hour, hours: random.int(2, 4), capacity: random.int(12, 40), title, description, ...extra };
    };
    // the first is the bureau's committee's, so that every demo account has hours whatever today's date does to the draws below
    for (let offset = -355; offset < -2; offset += random.int(7, 14)) specs.push(make(offset === -355 ? ctx.committee : hostsFor(), offset));
    // open for sign-up now: the bureau's, the demo branch's and two more; one called off
    specs.push(make(ctx.committee, 6, { capacity: 30 }), make(ctx.branch, 13, { capacity: 15 }), make(ctx.committee, 20), make(random.pick(ctx.committees.slice(1)), 9));
    specs.push(make(random.pick(ctx.committees.slice(1)), 4, { cancelled: true }));
    const ids = await reserveIds(ctx.tx, 'volunteer_projects', specs.length);
    const projects = specs.map((v, i) => {
      const startsAt = this.at(v.offset, v.hour, v.hour === 8 ? 30 : 0);
      return { ...v, id: ids[i]!, startsAt, endsAt: startsAt + v.hours * 3600_000, organiser: this.adminOf(v.host.path), place: `${v.community.street}${v.community.name}党群服务中心`,
        created: this.past(startsAt - random.int(8, 20) * DAY), cancelledAt: v.cancelled ? this.past(startsAt - 2 * DAY) : null };
    });
    const signups: { projectId: string; memberId: string; signedUpAt: number; hoursTenths: number | null; confirmedBy: string | null; confirmedAt: number | null }[] = [];
    for (const v of projects) {
      const { id, startsAt, endsAt, organiser, created } = v;
      this.audit(created, organiser, 'volunteering.create', 'volunteer_project', id, v.host.path,
        { orgId: v.host.id, communityId: v.community.id, title: v.title, description: v.description, place: v.place, startsAt: this.iso(startsAt), endsAt: this.iso(endsAt), capacity: v.capacity });
      if (v.cancelledAt !== null) this.audit(v.cancelledAt, organiser, 'volunteering.update', 'volunteer_project', id, v.host.path, { cancelled: true });
      const isPast = endsAt < this.now;
      const pool = this.membersUnder(v.host.path);
      const isMemberHost = within(ctx.branch.path, v.host.path);
      const wanted = isPast ? random.int(Math.min(6, v.capacity), v.capacity) : Math.floor(v.capacity * random.next() * 0.6);
      let chosen = sample(random, pool.filter((m) => m.id !== ctx.members.member), Math.min(pool.length, wanted));
      // the demo member volunteers with the bureau and the branch, but has not yet signed up for what is still open
      if (isMemberHost && isPast && random.chance(0.75)) chosen = [{ id: ctx.members.member } as Member, ...chosen.slice(0, Math.max(0, wanted - 1))];
      // the bureau's and the secretary's own members serve at their committee's and branch's projects
      const accounts = [ctx.members.bureau, ctx.members.secretary];
      if (isPast && (v.host.id === ctx.committee.id || v.host.id === ctx.branch.id)) {
        const added = pool.filter((m) => accounts.includes(m.id) && !chosen.some((c) => c.id === m.id));
        chosen = [...added, ...chosen].slice(0, Math.max(chosen.length, added.length));
      }
      const entries: { memberId: string; attended: boolean; hours?: number }[] = [];
      for (const m of chosen) {
        const signedUpAt = this.past(created + random.int(1, Math.max(1, Math.round((startsAt - created) / DAY) - 1)) * DAY + random.int(0, 600) * MINUTE);
        let hoursTenths: number | null = null;
        if (isPast && !v.cancelled) {
          const attended = m.id === ctx.members.member || accounts.includes(m.id) || random.chance(0.9);
          hoursTenths = attended ? v.hours * 10 - (random.chance(0.15) ? 5 : 0) : 0;
          entries.push(attended ? { memberId: m.id, attended, hours: hoursTenths / 10 } : { memberId: m.id, attended });
        }
        signups.push({ projectId: id, memberId: m.id, signedUpAt, hoursTenths, confirmedBy: hoursTenths === null ? null : organiser.id, confirmedAt: hoursTenths === null ? null : this.past(endsAt + random.int(2, 30) * 3600_000) });
        if (m.id === ctx.members.member) this.audit(signedUpAt, this.users.member, 'volunteering.sign_up', 'volunteer_project', id, v.host.path, { memberId: m.id });
      }
      if (entries.length) this.audit(signups.at(-1)!.confirmedAt!, organiser, 'volunteering.confirm_attendance', 'volunteer_project', id, v.host.path, { entries });
    }
    await bulkInsert(ctx.tx, 'volunteer_projects', [
      { name: 'id', type: 'bigint', value: (v) => v.id }, { name: 'org_id', type: 'bigint', value: (v) => v.host.id },
      { name: 'org_path', type: 'ltree', value: (v) => v.host.path }, { name: 'community_id', type: 'bigint', value: (v) => v.community.id },
      { name: 'title', type: 'text', value: (v) => v.title }, { name: 'description', type: 'text', value: (v) => v.description },
      { name: 'place', type: 'text', value: (v) => v.place },
      { name: 'starts_at', type: 'timestamptz', value: (v) => this.iso(v.startsAt) }, { name: 'ends_at', type: 'timestamptz', value: (v) => this.iso(v.endsAt) },
      { name: 'capacity', type: 'int', value: (v) => v.capacity },
      { name: 'cancelled_at', type: 'timestamptz', value: (v) => (v.cancelledAt === null ? null : this.iso(v.cancelledAt)) },
      { name: 'created_by', type: 'bigint', value: (v) => v.organiser.id }, { name: 'created_at', type: 'timestamptz', value: (v) => this.iso(v.created) },
    ], projects, { overridingIds: true });
    await bulkInsert(ctx.tx, 'volunteer_signups', [
      { name: 'project_id', type: 'bigint', value: (x) => x.projectId }, { name: 'member_id', type: 'bigint', value: (x) => x.memberId },
      { name: 'signed_up_at', type: 'timestamptz', value: (x) => this.iso(x.signedUpAt) }, { name: 'hours_tenths', type: 'int', value: (x) => x.hoursTenths },
      { name: 'confirmed_by', type: 'bigint', value: (x) => x.confirmedBy }, { name: 'confirmed_at', type: 'timestamptz', value: (x) => (x.confirmedAt === null ? null : this.iso(x.confirmedAt)) },
    ], signups);
    // confirmed: attended with the hours, or absent with none (as confirmAttendance writes them)
    await ctx.tx.execute(sql`update volunteer_signups set attended = hours_tenths > 0 where confirmed_at is not null and project_id = any(${pgArrayLiteral(ids)}::bigint[])`);
  }

  // ---------- micro-wishes ----------

  /**
   * Residents' wishes posted on the public page (moderated, tracked by code) and wishes the
   * communities post for them (published at once), in every state; the bureau and the secretary
   * each have wishes waiting for moderation, the demo member has claimed and fulfilled some.
   */
  async wishes(communities: Community[]): Promise<void> {
    const { ctx, random } = this;
    type Status = 'pending_review' | 'rejected' | 'open' | 'claimed' | 'fulfilled' | 'confirmed';
    interface Spec { community: Community | null; source: 'resident' | 'community'; status: Status; claimant?: string }
    const specs: Spec[] = [];
    const residentStatus = (): Status => pickWeighted(random, [['pending_review', 8], ['rejected', 6], ['open', 20], ['claimed', 14], ['fulfilled', 14], ['confirmed', 38]]);
    const communityStatus = (): Status => pickWeighted(random, [['open', 25], ['claimed', 15], ['fulfilled', 15], ['confirmed', 45]]);
    for (const c of communities) {
      for (let k = random.int(2, 4); k > 0; k--) {
        const source = random.chance(0.7) ? 'resident' : 'community';
        specs.push({ community: c, source, status: source === 'resident' ? residentStatus() : communityStatus() });
      }
    }
    const [finance, branchCommunity] = [communities[0]!, communities[1]!];
    specs.push({ community: finance, source: 'resident', status: 'pending_review' }, { community: finance, source: 'resident', status: 'pending_review' },
      { community: branchCommunity, source: 'resident', status: 'pending_review' },
      { community: finance, source: 'resident', status: 'open' }, { community: finance, source: 'community', status: 'open' },
      { community: finance, source: 'resident', status: 'rejected' },
      { community: branchCommunity, source: 'resident', status: 'claimed', claimant: ctx.members.member },
      { community: finance, source: 'community', status: 'confirmed', claimant: ctx.members.member },
      { community: branchCommunity, source: 'resident', status: 'fulfilled', claimant: ctx.members.member },
      { community: null, source: 'resident', status: 'pending_review' }, { community: null, source: 'resident', status: 'open' }, { community: null, source: 'resident', status: 'confirmed' });

    const ids = await reserveIds(ctx.tx, 'micro_wishes', specs.length);
    const userOfMember = (memberId: string) => (memberId === ctx.members.member ? this.users.member : memberId === ctx.members.secretary ? this.users.secretary : memberId === ctx.members.bureau ? this.users.bureau : null);
    const rows = specs.map((w, i) => {
      const id = ids[i]!;
      const [title, content, note] = random.pick(WISHES);
      const org = w.community ? { id: w.community.keeper.id, path: w.community.keeper.path } : { id: ctx.root.id, path: ctx.root.path };
      const keeper = w.community?.keeperUser ?? this.users.admin;
      const isResident = w.source === 'resident';
      const claimed = w.status === 'claimed' || w.status === 'fulfilled' || w.status === 'confirmed';
      const posted = this.past(this.at(w.status === 'pending_review' ? -random.int(0, 3) : w.status === 'open' ? -random.int(2, 40) : -random.int(20, 320), random.int(8, 20), random.int(0, 59)));
      const published = w.status === 'pending_review' || w.status === 'rejected' ? null : isResident ? this.past(posted + random.int(3, 30) * 3600_000) : posted;
      const claimant = claimed ? (w.claimant ?? random.pick(this.membersUnder(org.path).length ? this.membersUnder(org.path) : this.members).id) : null;
      const claimedAt = claimed ? this.past(published! + random.int(1, 6) * DAY) : null;
      const fulfilledAt = w.status === 'fulfilled' || w.status === 'confirmed' ? this.past(claimedAt! + random.int(2, 10) * DAY) : null;
      const confirmedAt = w.status === 'confirmed' ? this.past(fulfilledAt! + random.int(1, 3) * DAY) : null;
      const confirmedBy = w.status === 'confirmed' ? (isResident && random.chance(0.6) ? 'poster' : 'community') : null;
      const posterName = personName(random, random.chance(0.6) ? 'female' : 'male');
      const contact = `1${random.pick(['39', '58', '86', '51', '37'])}${String(random.int(0, 99_999_999)).padStart(8, '0')}`;
      const ip = isResident ? `112.2.${random.int(1, 254)}.${random.int(1, 254)}` : null;
      const rejection = w.status === 'rejected' ? random.pick(WISH_REJECTIONS) : null;
      // the resident keeps the code; only its hash is stored
      const trackingHash = isResident ? crypto.createHash('sha256').update(`demo-wish-${id}-${random.next()}`).digest('base64url') : null;
      if (isResident) this.audit(posted, null, 'micro_wish.post', 'micro_wish', id, org.path, { title }, ip!);
      else this.audit(posted, keeper, 'micro_wish.create', 'micro_wish', id, org.path, { title, communityId: w.community!.id });
      if (isResident && w.status !== 'pending_review') this.audit(published ?? this.past(posted + 20 * 3600_000), keeper, `micro_wish.${w.status === 'rejected' ? 'reject' : 'approve'}`, 'micro_wish', id, org.path, { reason: rejection });
      const claimer = claimant ? userOfMember(claimant) : null;
      if (claimer) {
        this.audit(claimedAt!, claimer, 'micro_wish.claim', 'micro_wish', id, org.path, { memberId: claimant });
        if (fulfilledAt) this.audit(fulfilledAt, claimer, 'micro_wish.fulfil', 'micro_wish', id, org.path, { note });
      }
      if (confirmedAt) this.audit(confirmedAt, confirmedBy === 'community' ? keeper : null, 'micro_wish.confirm', 'micro_wish', id, org.path, { by: confirmedBy }, ip ?? IP);
      const updated = Math.max(posted, published ?? 0, claimedAt ?? 0, fulfilledAt ?? 0, confirmedAt ?? 0, w.status === 'rejected' ? posted + 20 * 3600_000 : 0);
      return {
        id, orgId: org.id, orgPath: org.path, communityId: w.community?.id ?? null, source: w.source, title, content, posterName,
        contactEnc: ctx.cipher.encrypt(contact), contactMasked: maskPhone(contact), trackingHash, status: w.status, rejection,
        published, claimant, claimedBy: claimer?.id ?? null, claimedAt, note: fulfilledAt ? note : null, fulfilledAt, confirmedAt, confirmedBy, ip, posted, updated: this.past(updated),
      };
    });
    const time = (t: number | null) => (t === null ? null : this.iso(t));
    await bulkInsert(ctx.tx, 'micro_wishes', [
      { name: 'id', type: 'bigint', value: (w) => w.id }, { name: 'org_id', type: 'bigint', value: (w) => w.orgId }, { name: 'org_path', type: 'ltree', value: (w) => w.orgPath },
      { name: 'community_id', type: 'bigint', value: (w) => w.communityId }, { name: 'source', type: 'text', value: (w) => w.source },
      { name: 'title', type: 'text', value: (w) => w.title }, { name: 'content', type: 'text', value: (w) => w.content }, { name: 'poster_name', type: 'text', value: (w) => w.posterName },
      { name: 'poster_contact_enc', type: 'text', value: (w) => w.contactEnc }, { name: 'poster_contact_masked', type: 'text', value: (w) => w.contactMasked },
      { name: 'tracking_code_hash', type: 'text', value: (w) => w.trackingHash }, { name: 'status', type: 'text', value: (w) => w.status },
      { name: 'rejection_reason', type: 'text', value: (w) => w.rejection }, { name: 'published_at', type: 'timestamptz', value: (w) => time(w.published) },
      { name: 'claimed_by_member_id', type: 'bigint', value: (w) => w.claimant }, { name: 'claimed_by_user_id', type: 'bigint', value: (w) => w.claimedBy },
      { name: 'claimed_at', type: 'timestamptz', value: (w) => time(w.claimedAt) }, { name: 'fulfilment_note', type: 'text', value: (w) => w.note },
      { name: 'fulfilled_at', type: 'timestamptz', value: (w) => time(w.fulfilledAt) }, { name: 'confirmed_at', type: 'timestamptz', value: (w) => time(w.confirmedAt) },
      { name: 'confirmed_by', type: 'text', value: (w) => w.confirmedBy }, { name: 'ip', type: 'text', value: (w) => w.ip },
      { name: 'created_at', type: 'timestamptz', value: (w) => this.iso(w.posted) }, { name: 'updated_at', type: 'timestamptz', value: (w) => this.iso(w.updated) },
    ], rows, { overridingIds: true });
  }

  // ---------- donations ----------

  /**
   * Campaigns of the work committee and of the bureau, their ledgers in fen: members' gifts credited
   * to their org (as recordDonation credits them), org gifts, a few anonymous ones; one campaign still running.
   */
  async donations(): Promise<void> {
    const { ctx, users } = this;
    const campaigns = [
      { org: ctx.root, title: '“慈善一日捐”活动', description: '市直机关党员干部每人自愿捐出一天收入，用于全市困难群众帮扶。', start: -210, end: -180, goal: 60_000_000, code: 'YRJ', share: 60, by: users.admin },
      { org: ctx.root, title: '“金秋助学”爱心捐款', description: '资助结对社区家庭经济困难的大学新生完成学业。', start: -110, end: -85, goal: null, code: 'JQZX', share: 12, by: users.admin },
      { org: ctx.committee, title: '结对社区困难家庭帮扶爱心捐款', description: `${ctx.committee.name}党员为包联社区困难家庭、独居老人捐款，用于购置冬季生活物资。`, start: -25, end: 20, goal: 3_000_000, code: 'CZBF', share: 45, by: users.bureau },
    ];
    const ids = await reserveIds(ctx.tx, 'donation_campaigns', campaigns.length);
    await bulkInsert(ctx.tx, 'donation_campaigns', [
      { name: 'id', type: 'bigint', value: (c) => ids[campaigns.indexOf(c)]! }, { name: 'org_id', type: 'bigint', value: (c) => c.org.id },
      { name: 'org_path', type: 'ltree', value: (c) => c.org.path }, { name: 'title', type: 'text', value: (c) => c.title },
      { name: 'description', type: 'text', value: (c) => c.description }, { name: 'starts_on', type: 'date', value: (c) => this.day(c.start) },
      { name: 'ends_on', type: 'date', value: (c) => this.day(c.end) }, { name: 'goal_fen', type: 'bigint', value: (c) => c.goal },
      { name: 'created_at', type: 'timestamptz', value: (c) => this.iso(this.at(c.start - 7, 10)) },
    ], campaigns, { overridingIds: true });
    campaigns.forEach((c, i) => this.audit(this.at(c.start - 7, 10), c.by, 'donation.create_campaign', 'donation_campaign', ids[i]!, c.org.path,
      { orgId: c.org.id, title: c.title, description: c.description, startsOn: this.day(c.start), endsOn: this.day(c.end), goalFen: c.goal }));
    for (const [i, c] of campaigns.entries()) {
      const id = ids[i]!;
      const lastDay = Math.min(c.end, -1) - c.start;
      // members' gifts (50–500 元 in steps of 50 元), then the orgs' own, then the anonymous ones
      await ctx.tx.execute(sql`
        insert into donations (campaign_id, donor_type, donor_org_id, donor_member_id, credited_org_id, credited_org_path, amount_fen, donated_on, receipt_no, note, recorded_by, created_at)
        select ${id}, x.donor_type, x.donor_org_id, x.donor_member_id, x.credited_org_id, x.credited_org_path, x.amount_fen, x.donated_on,
               ${c.code} || '-' || lpad(row_number() over (order by x.donated_on, x.k)::text, 5, '0'), x.note, ${c.by.id}, (x.donated_on + time '17:00') at time zone 'Asia/Shanghai'
          from (
            select 'member' as donor_type, null::bigint as donor_org_id, m.id as donor_member_id, m.org_id as credited_org_id, m.org_path as credited_org_path,
                   (1 + (m.id * 104729 + ${i}) % 10) * 5000 as amount_fen, ${this.day(c.start)}::date + ((m.id * 31 + ${i}) % ${lastDay + 1})::int as donated_on, null as note, m.id as k
              from members m
             where m.org_path <@ ${c.org.path}::ltree and m.left_at is null and m.stage in ('probationary', 'full') and (m.id * 7919 + ${i * 13}) % 100 < ${c.share}
            union all
            select 'org', o.id, null, o.id, o.path, (5 + o.id % 16) * 100000, ${this.day(c.start)}::date + (o.id % ${lastDay + 1})::int, '单位捐款', -o.id
              from orgs o where o.parent_id = ${c.org.id} and o.dissolved_at is null and o.type in ('organ_committee', 'general_branch') and ${c.org.id === ctx.root.id ? sql`true` : sql`false`}
            union all
            select 'anonymous', null, null, null, null, (2 + g % 5) * 10000, ${this.day(c.start)}::date + (g * 7 % ${lastDay + 1})::int, '现场捐款箱', -1000000 - g
              from generate_series(1, 3) g
          ) x`);
    }
    await ctx.tx.execute(sql`
      insert into audit_log (at, user_id, username, ip, action, target_type, target_id, org_path, detail)
      select d.created_at, d.recorded_by, u.username, ${IP}, 'donation.record', 'donation_campaign', k.id::text, k.org_path,
             jsonb_strip_nulls(jsonb_build_object('donationId', d.id::text, 'donorType', d.donor_type, 'donorOrgId', d.donor_org_id::text, 'donorMemberId', d.donor_member_id::text,
                                'amountFen', d.amount_fen, 'donatedOn', d.donated_on, 'receiptNo', d.receipt_no, 'note', d.note))
        from donations d join donation_campaigns k on k.id = d.campaign_id join users u on u.id = d.recorded_by
       where k.id = any(${pgArrayLiteral(ids)}::bigint[]) order by d.created_at, d.id`);
  }

  async flushAudit(): Promise<void> {
    this.audits.sort((a, b) => a.at.localeCompare(b.at));
    await bulkInsert(this.ctx.tx, 'audit_log', [
      { name: 'at', type: 'timestamptz', value: (a) => a.at },
      { name: 'user_id', type: 'bigint', value: (a) => a.user?.id ?? null },
      { name: 'username', type: 'text', value: (a) => a.user?.username ?? null },
      { name: 'ip', type: 'text', value: (a) => a.ip },
      { name: 'action', type: 'text', value: (a) => a.action },
      { name: 'target_type', type: 'text', value: (a) => a.targetType },
      { name: 'target_id', type: 'text', value: (a) => a.targetId },
      { name: 'org_path', type: 'ltree', value: (a) => a.orgPath },
      { name: 'detail', type: 'jsonb', value: (a) => JSON.stringify(a.detail) },
    ], this.audits);
  }
}

// ---------- project plans ----------

interface NeedItem { title: string; need: string; category: string; source: 'mass_feedback' | 'survey_visit' | 'assigned'; result: string }
interface ProjectSpec {
  org: DemoPlace; item: NeedItem; status: ServiceStatus; isPublic: boolean; isMajor?: boolean;
  /** Days from today; random when absent. */
  startOffset?: number; length?: number; progress?: number;
  /** Returned for rework and not yet resubmitted ('open'), or resubmitted and waiting for the upper org. */
  returned?: 'open' | 'resubmitted';
  feedback?: number; pendingFeedback?: number;
}
type MilestoneRow = [projectId: string, title: string, dueOn: string, doneOn: string | null, sortOrder: number];
interface ProjectEvent { at: number; user: User; action: string; before: Row | null; after: Row | null }
interface ProjectReview { id: string; stage: string; comment: string; rating: number | null; isReturned: boolean; reviewer: User; at: number }
interface BuiltProject {
  id: string; spec: ProjectSpec; ownerName: string; startedOn: string; plannedCompletion: string; completedOn: string | null; progress: number; result: string | null;
  creator: User; createdAt: number; updatedAt: number; milestones: MilestoneRow[]; events: ProjectEvent[]; reviews: ProjectReview[];
}

function randomSpec(random: Random, org: DemoPlace): ProjectSpec {
  const status = pickWeighted<ServiceStatus>(random, [['done', 42], ['in_progress', 36], ['stalled', 8], ['planned', 14]]);
  return { org, item: random.pick(NEEDS), status, isPublic: random.chance(0.88), isMajor: random.chance(0.12) };
}

const need = (title: string, category: string, source: NeedItem['source'], needText: string, result: string): NeedItem => ({ title, category, source, need: needText, result });

/** The secretary's branch shows every state: one project each, the bureau's review pending on one. */
const BUDGET_BRANCH_PROJECTS: Omit<ProjectSpec, 'org'>[] = [
  { item: need('惠企资金“免申即享”直达快享', '党建惠企利民', 'mass_feedback', '中小企业反映惠企资金申报材料多、审核环节多、到账慢，希望政策红利尽快落袋。', '梳理 23 项惠企资金政策，其中 9 项实现“免申即享”，平均拨付时间由 45 天缩短至 12 天，惠及企业 1,300 余家。'),
    status: 'done', isPublic: true, isMajor: true, startOffset: -240, length: 150, feedback: 5, pendingFeedback: 2 },
  { item: need('老旧小区加装电梯财政补助“一站式”办理', '关爱减负', 'survey_visit', '走访结对社区发现，居民申请加装电梯补助需跑住建、财政多个部门，流程不清、材料重复。', ''),
    status: 'in_progress', isPublic: true, startOffset: -150, length: 210, progress: 60 },
  { item: need('预算公开“明白纸”进社区', '党员教育成长', 'assigned', '群众反映政府预算报告专业性强、看不懂，希望用通俗方式了解财政资金花在哪里。', ''),
    status: 'in_progress', isPublic: true, startOffset: -120, length: 160, returned: 'open' },
  { item: need('困难群众医疗救助资金快速拨付', '帮扶解困', 'mass_feedback', '困难群众反映医疗救助资金结算周期长，垫付压力大。', ''),
    status: 'in_progress', isPublic: true, startOffset: -100, length: 140, returned: 'resubmitted' },
  { item: need('结对社区“四点半课堂”财政知识小课堂', '文明创建', 'survey_visit', '双职工家庭孩子放学后无人看护，社区希望机关党员提供课后志愿辅导。', ''),
    status: 'planned', isPublic: false, startOffset: 12, length: 120 },
  { item: need('政府采购“小额零星”采购便企改革', '党建惠企利民', 'mass_feedback', '小微企业反映参与政府采购门槛高、保证金负担重。', ''),
    status: 'stalled', isPublic: true, startOffset: -200, length: 150, progress: 35 },
];

const NEEDS: NeedItem[] = [
  need('老旧小区加装电梯', '关爱减负', 'mass_feedback', '居民反映多层住宅上下楼困难，老年人出行不便。', '完成 6 栋住宅电梯加装，惠及居民 210 户，群众满意率 98%。'),
  need('社区食堂助老餐', '帮扶解困', 'survey_visit', '独居老人吃饭难，希望就近解决一日三餐。', '建成社区助老食堂 1 处，日均服务老人 120 人次，困难老人用餐补贴到位。'),
  need('背街小巷路灯修复', '文明创建', 'mass_feedback', '夜间照明不足，群众出行存在安全隐患。', '修复、新装路灯 86 盏，背街小巷夜间照明全覆盖。'),
  need('企业政策服务直通车', '党建惠企利民', 'assigned', '中小企业反映惠企政策看不懂、找不到、办不了。', '开展政策宣讲 12 场，建立企业服务专员制度，帮助 340 家企业兑现政策。'),
  need('四点半课堂', '党员教育成长', 'survey_visit', '双职工家庭孩子放学后无人看护。', '党员志愿者轮流值守，服务学生 2,600 余人次，家长满意。'),
  need('政务服务“一件事”办理', '党建惠企利民', 'mass_feedback', '群众办事多头跑、材料重复交。', '梳理“一件事”清单 15 项，材料平均精简 40%，实现“一窗受理、一次办结”。'),
  need('小区停车位改造', '关爱减负', 'mass_feedback', '车位紧张，乱停乱放影响消防通道。', '新增停车位 180 个，消防通道全部畅通。'),
  need('困难群众走访帮扶', '帮扶解困', 'survey_visit', '困难家庭就医、就业存在实际困难。', '走访困难家庭 96 户，解决就医、就业等实际困难 58 件。'),
  need('垃圾分类督导', '文明创建', 'assigned', '小区垃圾分类投放不规范，环境卫生差。', '党员桶边督导 300 余小时，小区分类准确率由 62% 提升至 91%。'),
  need('便民维修服务', '帮扶解困', 'mass_feedback', '群众家电、水电维修找人难、收费乱。', '组建便民维修队，上门服务 420 次，全部免收人工费。'),
  need('适老化改造进家庭', '关爱减负', 'survey_visit', '高龄、失能老人家中地面湿滑、缺少扶手，易发生跌倒。', '完成 75 户困难老人家庭适老化改造，安装扶手、防滑地面等设施。'),
  need('“银发族”智能手机课堂', '党员教育成长', 'mass_feedback', '老年人不会用智能手机挂号、扫码、缴费。', '开课 18 期，培训老年人 540 人次，编印操作手册 1,000 册。'),
  need('农民工工资支付“绿色通道”', '帮扶解困', 'assigned', '部分农民工反映工资被拖欠、维权难。', '协调解决欠薪问题 27 件，为 410 名农民工追回工资 620 万元。'),
  need('城市书房“15分钟阅读圈”', '文明创建', 'survey_visit', '社区居民反映附近缺少安静的阅读场所。', '建成城市书房 3 处，累计接待读者 4.2 万人次。'),
  need('“三合一”证照联办', '党建惠企利民', 'mass_feedback', '个体工商户开业需分别办理多项许可，耗时长。', '实现营业执照与许可证联办，办理时限由 15 个工作日压缩至 3 个工作日。'),
  need('社区卫生服务站家庭医生签约', '关爱减负', 'survey_visit', '慢病老人复诊配药需往返大医院，排队时间长。', '重点人群家庭医生签约率达 85%，慢病长处方惠及 1,100 人。'),
];

const MILESTONES = ['调研摸底、建立需求清单', '制定实施方案', '组织实施', '验收评估', '总结回访'];

const REVIEWS: { stage: string; comment: string; rating: number | null }[] = [
  { stage: '第一阶段梳理', comment: '项目立项准确，紧扣群众急难愁盼，推进有序，请继续按时间节点推进并做好台账。', rating: 4 },
  { stage: '第一阶段梳理', comment: '调研扎实，方案可行。建议加强与结对社区的沟通，及时回应群众关切。', rating: 4 },
  { stage: '第二阶段梳理', comment: '进度符合计划，阶段性成效明显，群众反映较好，请注意收集佐证材料。', rating: 5 },
  { stage: '第二阶段梳理', comment: '进度略滞后于计划，请分析原因、明确下一步时间节点和责任人。', rating: 3 },
  { stage: '阶段性梳理', comment: '已查阅项目台账，措施具体，请在下一阶段做好群众满意度回访。', rating: null },
];

const FEEDBACK: { rating: number; comment: string | null; nickname: string | null }[] = [
  { rating: 5, comment: '事情办得实在，感谢党员干部！', nickname: '长江新村居民' },
  { rating: 5, comment: '以前要跑好几趟，现在一次就办好了，点赞！', nickname: '个体户老王' },
  { rating: 5, comment: '老人上下楼方便多了，全家都很满意。', nickname: '李阿姨' },
  { rating: 4, comment: '总体不错，希望后续继续跟进维护。', nickname: null },
  { rating: 5, comment: null, nickname: '热心群众' },
  { rating: 4, comment: '效果明显，建议推广到周边小区。', nickname: '社区志愿者' },
  { rating: 3, comment: '有改善，但进度可以再快一些。', nickname: null },
  { rating: 5, comment: '干部上门讲政策，讲得清楚明白。', nickname: '企业财务小张' },
];
const REJECTED_FEEDBACK = [
  { rating: 1, comment: '专业代办各类证件，价格优惠，详询客服。', nickname: '代办' },
  { rating: 1, comment: '与本项目无关的内容测试测试', nickname: null },
];

const JOINT_PROJECTS: [string, string][] = [
  ['联合主题党日', '机关党组织与社区党委共同开展主题党日活动，重温入党誓词。'],
  ['在职党员进社区志愿服务', '组织在职党员到社区开展环境整治、文明劝导等志愿服务。'],
  ['“微心愿”认领', '收集社区困难群众微心愿，由机关党员认领并帮助实现。'],
  ['政策宣讲进社区', '发挥机关业务优势，为居民宣讲社保、医保、惠民补贴等政策。'],
  ['困难家庭结对帮扶', '机关党员与社区困难家庭结对，定期走访慰问。'],
  ['社区党群服务中心共建共享', '机关会议室、活动场地在节假日向社区居民开放。'],
];

const VOLUNTEER_ITEMS: [string, string][] = [
  ['社区环境整治志愿服务', '清理楼道杂物、小广告和绿化带垃圾，共建整洁家园。'],
  ['文明交通劝导', '在社区周边路口开展文明交通劝导，引导行人和非机动车遵守交通规则。'],
  ['敬老院慰问', '为老人表演节目、理发、陪聊，送去节日慰问品。'],
  ['反诈宣传进社区', '向居民讲解常见电信网络诈骗手法，帮助安装国家反诈中心App。'],
  ['垃圾分类桶边督导', '早晚高峰在投放点值守，指导居民正确分类投放。'],
  ['关爱留守儿童“四点半课堂”', '辅导孩子完成作业，开展安全教育和阅读分享。'],
  ['政策宣讲和便民咨询', '为居民解答社保、医保、个税等政策问题。'],
  ['义务植树', '在社区公园补植绿化苗木，共建绿色家园。'],
  ['防汛巡查', '协助社区巡查低洼地段和危旧房屋，排查安全隐患。'],
  ['老旧小区楼道清理', '清理楼道堆物，消除消防安全隐患。'],
];

const WISHES: [string, string, string][] = [
  ['为孙子买一套课外读物', '孙子今年上三年级，家里条件有限，希望有一套适合小学生的课外读物。', '已购置课外读物一套并送到家中，孩子很高兴。'],
  ['修理家中漏水的水龙头', '独居老人，厨房水龙头漏水多日，自己不会修。', '已上门更换水龙头，检查了家中水电线路。'],
  ['想要一台助听器', '听力下降，与家人交流困难，希望得到一台助听器。', '已陪同到医院验配助听器，老人佩戴效果良好。'],
  ['希望有人陪同去医院复查', '子女在外地工作，下月需到医院复查，希望有人陪同。', '已陪同老人完成复查并取回报告。'],
  ['借用一辆轮椅', '腿部骨折康复期，出门需要轮椅。', '已送去轮椅一辆，康复后归还社区循环使用。'],
  ['孩子英语学习辅导', '双职工家庭，孩子英语基础薄弱，希望每周有志愿者辅导一次。', '党员志愿者每周六上午上门辅导，已坚持八周。'],
  ['学会用智能手机挂号', '不会用手机预约挂号和扫码，想请人教一教。', '已手把手教会老人预约挂号和扫码支付。'],
  ['更换楼道灯泡', '单元楼道灯坏了，晚上上下楼看不见。', '已更换声控节能灯，楼道恢复照明。'],
  ['一个新书包', '孩子的书包已经破了，希望开学前能有一个新书包。', '新书包和文具已送到孩子手中。'],
  ['冬季棉被一床', '家中被褥单薄，冬天怕冷，希望有一床厚棉被。', '已送去厚棉被一床和冬季慰问品。'],
  ['帮忙申请高龄津贴', '年满 80 周岁，不清楚高龄津贴如何申请。', '已协助准备材料并在社区完成申请。'],
  ['楼道里安装扶手', '家中老人行动不便，希望在楼道安装扶手。', '已协调物业在楼道安装不锈钢扶手。'],
];
const WISH_REJECTIONS = ['属于商业求助，不在微心愿范围，已引导至相关部门', '与已发布的心愿重复', '心愿金额超出微心愿标准（300 元以内），已转社区救助渠道办理'];

function pickWeighted<T>(random: Random, pairs: readonly (readonly [T, number])[]): T {
  const total = pairs.reduce((n, [, w]) => n + w, 0);
  let r = random.next() * total;
  for (const [item, w] of pairs) if ((r -= w) < 0) return item;
  return pairs[pairs.length - 1]![0];
}
