import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { textArray } from '../../platform/sql.js';
import type { Actor } from '../../platform/actor.js';
import { PROBATION_NOTICE_DAYS, TERM_DUE_SOON_DAYS, TERM_NOTICE_DAYS, TODO_KINDS, type Todo, type TodoKind, type TodoSeverity } from '../../../../contracts/home.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { computeCompliance } from '../activities/compliance.js';
import { noticeReadRates } from '../notices/stats.js';
import { electionStepTodos } from '../elections/todos.js';
import { overdueRectificationTodos, roundTodos } from '../standardization/todos.js';
import { inspectionTodos, overdueItemTodos } from '../responsibility_lists/todos.js';
import { manualReviewTodos } from '../assessment/todos.js';
import { addDays, yearsBefore } from './dates.js';

export type { Todo, TodoKind };

/*
 * 工作台 to-dos. Each record that needs work belongs to the org that does the work: a branch's
 * 三会一课 requirement to the branch, an org's term to the org, a probationary member to the member's org,
 * a transfer to the receiving (in) or issuing (out) org, a 补学 task to the task's org, a returned 办实事
 * project to its org, a resident's wish to the org it was posted to, a booking to the venue's org.
 *
 *   per: 'org'   — one to-do per such org, kind and list (what a reminder job needs: whom to tell). Its link
 *                  opens the org's subtree (a 党委's list covers its branches), so its count is the records of
 *                  the subtree too: a 党委 and one of its branches may both appear, the branch's records in both;
 *   per: 'scope' — one to-do per kind and list for the scope's root org: its count is the total of the list
 *                  its link opens (the same filters over the same subtree), each record counted once (added up
 *                  from the orgs' own records, never from the overlapping subtree counts).
 *
 * Set-based: 三会一课 comes from the activities module's compliance report (one cached query for the whole
 * subtree), every other kind from one union query grouped by org.
 */

type Per = 'org' | 'scope';
export interface TodoOptions { kinds?: readonly TodoKind[]; today?: string; per?: Per }

/** A system actor for the compliance report: the scope is given by the caller (a route's checked org, a job's tree). */
const systemActor: Actor = { userId: '0', username: 'system', displayName: 'system', memberId: null, isPlatformAdmin: true, isJudge: false, adminPaths: [], ip: '' };

const SEVERITY_ORDER: Record<TodoSeverity, number> = { overdue: 0, due_soon: 1, info: 2 };
/** A pending booking whose visit is this close is due soon: the visiting unit waits for the answer. */
const BOOKING_DUE_SOON_DAYS = 7;

/** The to-dos of an org's subtree (`orgPath`, an ltree path), computed from the records for the day `today` (China time). */
export async function computeTodos(db: Db, scope: { orgPath: string }, options: TodoOptions = {}): Promise<Todo[]> {
  const today = options.today ?? todayInChina();
  const rootId = scope.orgPath.split('.').at(-1) ?? '';
  const own = await ownTodos(db, scope, { ...options, today });
  if (options.per !== 'scope') return subtreeTodos(own, today);
  const root = (await db.execute<{ name: string } & Record<string, unknown>>(sql`select name from orgs where id = ${rootId}`)).rows[0];
  return rollUpTodos(own, { id: rootId, name: root?.name ?? '' }, today);
}

/** A to-do counting only the records of its own org (not of the orgs under it), with the org's path. */
export type OwnTodo = Todo & { orgPath: string };

/** The to-dos of each org's own records in the subtree: the parts that subtree and scope to-dos add up. */
export async function ownTodos(db: Db, scope: { orgPath: string }, options: TodoOptions & { today: string }): Promise<OwnTodo[]> {
  const { today } = options;
  const kinds = new Set(options.kinds ?? TODO_KINDS);
  const rootId = scope.orgPath.split('.').at(-1) ?? '';
  const [meetings, others, notices, modules] = await Promise.all([
    kinds.has('three_meetings') ? threeMeetingTodos(db, rootId, today) : Promise.resolve([]),
    otherTodos(db, scope.orgPath, today, kinds),
    kinds.has('notice_unread') ? unreadNoticeTodos(db, scope.orgPath) : Promise.resolve([]),
    moduleTodos(db, scope.orgPath, today, kinds),
  ]);
  return [...meetings, ...others, ...notices, ...modules];
}

const withoutPath = ({ orgPath: _path, ...todo }: OwnTodo): Todo => todo;
const isUnder = (path: string, top: string) => path === top || path.startsWith(`${top}.`);

/**
 * One to-do per org that has records of its own, kind and list, counting the records of the org's subtree —
 * the list its link opens. The records are counted once each in the scope's roll-up, not by adding these up.
 */
export function subtreeTodos(own: readonly OwnTodo[], today: string): Todo[] {
  const byList = new Map<string, OwnTodo[]>();
  for (const t of own) {
    const key = `${t.kind}|${listOf(t)}`;
    const list = byList.get(key);
    if (list) list.push(t);
    else byList.set(key, [t]);
  }
  const result: Todo[] = [];
  for (const list of byList.values()) {
    const owners = new Map(list.map((t) => [t.orgId, t]));
    for (const owner of owners.values()) {
      if (PER_RECORD.has(owner.kind)) {
        result.push(withoutPath(owner));
        continue;
      }
      const below = list.filter((t) => isUnder(t.orgPath, owner.orgPath));
      const todo: Todo = { ...withoutPath(owner), count: 0, dueDate: null };
      for (const t of below) {
        todo.count += t.count;
        if (t.dueDate && (!todo.dueDate || t.dueDate < todo.dueDate)) todo.dueDate = t.dueDate;
        if (SEVERITY_ORDER[t.severity] < SEVERITY_ORDER[todo.severity]) todo.severity = t.severity;
      }
      result.push({ ...todo, link: linkOf(todo.kind, todo.severity, todo.orgId, today) });
    }
  }
  return sortTodos(result);
}

/** What needs attention first: overdue before due soon before the rest; then by kind, due date and org. */
export function sortTodos<T extends Todo>(todos: T[]): T[] {
  return todos.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || TODO_KINDS.indexOf(a.kind) - TODO_KINDS.indexOf(b.kind)
    || (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999') || a.orgName.localeCompare(b.orgName, 'zh') || a.orgId.localeCompare(b.orgId));
}

/** The units' requirements overdue or due soon, from the compliance report of the subtree. */
async function threeMeetingTodos(db: Db, rootId: string, today: string): Promise<OwnTodo[]> {
  const report = await computeCompliance(db, systemActor, { orgId: rootId, asOf: today, page: 1, pageSize: Number.MAX_SAFE_INTEGER });
  const byOrg = new Map<string, OwnTodo>();
  for (const item of report.items) {
    if (item.status !== 'overdue' && item.status !== 'due_soon') continue;
    const key = `${item.orgId}|${item.status}`;
    const found = byOrg.get(key);
    if (found) {
      found.count++;
      if (item.periodEnd < (found.dueDate ?? '9999')) found.dueDate = item.periodEnd;
    } else {
      byOrg.set(key, { kind: 'three_meetings', orgId: item.orgId, orgName: item.orgName, orgPath: item.orgPath, count: 1, dueDate: item.periodEnd, severity: item.status, link: linkOf('three_meetings', item.status, item.orgId, today) });
    }
  }
  return [...byOrg.values()];
}

/** Notices of the subtree (the notices module's last 90 days) that some recipients have not read: one to-do per notice. */
async function unreadNoticeTodos(db: Db, rootPath: string): Promise<OwnTodo[]> {
  const rates = (await noticeReadRates(db, rootPath)).filter((r) => r.read < r.recipients);
  if (!rates.length) return [];
  const orgs = await db.execute<{ id: string; name: string; path: string } & Record<string, unknown>>(sql`
    select id::text, name, path::text from orgs where id = any(${textArray([...new Set(rates.map((r) => r.orgId))])}::bigint[])`);
  const orgOf = new Map(orgs.rows.map((r) => [r.id, r]));
  return rates.map((r) => ({
    kind: 'notice_unread', orgId: r.orgId, orgName: orgOf.get(r.orgId)?.name ?? '', orgPath: orgOf.get(r.orgId)?.path ?? '', count: r.recipients - r.read, dueDate: null, severity: 'info',
    link: `/notices/${r.noticeId}?${new URLSearchParams({ state: 'unread' }).toString()}`, subject: r.title, outOf: r.recipients,
  }));
}

/**
 * An org's own records of a kind, counted by the module that keeps them (its list of the org's subtree adds them up);
 * a kind with one to-do per record (PER_RECORD) brings its subject and link.
 */
type ModuleCount = { orgId: string; count: number; due: string | null; subject?: string; link?: string };

/** Kinds with one to-do per record (a notice, a scheme): its own list, org and link, never added up. */
const PER_RECORD: ReadonlySet<TodoKind> = new Set(['notice_unread', 'manual_score_review']);

/** The kinds whose modules count their own records (a module's todos.ts, the same condition as the list the link opens). */
async function moduleTodos(db: Db, rootPath: string, today: string, kinds: ReadonlySet<TodoKind>): Promise<OwnTodo[]> {
  const sources: { kind: TodoKind; severity: TodoSeverity; counts: Promise<ModuleCount[]> }[] = [];
  if (kinds.has('election_step')) sources.push({ kind: 'election_step', severity: 'due_soon', counts: electionStepTodos(db, rootPath) });
  if (kinds.has('grading_review')) sources.push({ kind: 'grading_review', severity: 'due_soon', counts: roundTodos(db, rootPath, 'review') });
  if (kinds.has('grading_submit')) sources.push({ kind: 'grading_submit', severity: 'info', counts: roundTodos(db, rootPath, 'submit') });
  if (kinds.has('rectification_overdue')) sources.push({ kind: 'rectification_overdue', severity: 'overdue', counts: overdueRectificationTodos(db, rootPath, today) });
  if (kinds.has('responsibility_inspection')) sources.push({ kind: 'responsibility_inspection', severity: 'due_soon', counts: inspectionTodos(db, rootPath) });
  if (kinds.has('responsibility_overdue')) sources.push({ kind: 'responsibility_overdue', severity: 'overdue', counts: overdueItemTodos(db, rootPath) });
  if (kinds.has('manual_score_review')) {
    const rootId = rootPath.split('.').at(-1) ?? '';
    sources.push({ kind: 'manual_score_review', severity: 'due_soon', counts: manualReviewTodos(db, rootPath).then((rows) => rows.map((r) => ({
      ...r, subject: r.schemeName, link: `/assessment/schemes/${r.schemeId}?${new URLSearchParams({ orgId: rootId, reviewStatus: 'pending' }).toString()}`,
    }))) });
  }
  const found = (await Promise.all(sources.map(async (s) => (await s.counts).map((c) => ({ ...s, ...c }))))).flat().filter((c) => c.count > 0);
  if (!found.length) return [];
  const orgs = await db.execute<{ id: string; name: string; path: string } & Record<string, unknown>>(sql`
    select id::text, name, path::text from orgs where id = any(${textArray([...new Set(found.map((c) => c.orgId))])}::bigint[])`);
  const orgOf = new Map(orgs.rows.map((r) => [r.id, r]));
  return found.flatMap((c) => {
    const org = orgOf.get(c.orgId);
    return org ? [{
      kind: c.kind, orgId: c.orgId, orgName: org.name, orgPath: org.path, count: c.count, dueDate: c.due, severity: c.severity,
      link: c.link ?? linkOf(c.kind, c.severity, c.orgId, today), ...(c.subject ? { subject: c.subject } : {}),
    }] : [];
  });
}

type Row = { kind: TodoKind; org_id: string; org_name: string; org_path: string; severity: TodoSeverity; n: number; due: string | null } & Record<string, unknown>;

async function otherTodos(db: Db, rootPath: string, today: string, kinds: ReadonlySet<TodoKind>): Promise<OwnTodo[]> {
  const yearAgo = yearsBefore(today, 1);
  const parts = [];
  // the org list's electionDue filter: ended (overdue), or ending within TERM_NOTICE_DAYS
  if (kinds.has('term_due')) {
    parts.push(sql`select 'term_due' as kind, o.id as org_id,
        case when o.term_end < ${today}::date then 'overdue' when o.term_end <= ${today}::date + ${TERM_DUE_SOON_DAYS}::int then 'due_soon' else 'info' end as severity,
        1 as n, o.term_end as due
      from orgs o where o.path <@ ${rootPath}::ltree and o.dissolved_at is null and o.term_end <= ${today}::date + ${TERM_NOTICE_DAYS}::int`);
  }
  // probation lasts a year from joining: ended and not yet converted (overdue), or ending within PROBATION_NOTICE_DAYS
  if (kinds.has('probation_ending')) {
    parts.push(sql`select 'probation_ending', m.org_id, case when m.joined_on < ${yearAgo}::date then 'overdue' else 'due_soon' end, count(*), min(m.joined_on + interval '1 year')::date
      from members m where m.org_path <@ ${rootPath}::ltree and m.left_at is null and m.stage = 'probationary'
       and m.joined_on <= ${addDays(yearAgo, PROBATION_NOTICE_DAYS)}::date
      group by m.org_id, 3`);
  }
  if (kinds.has('transfer_in')) {
    parts.push(sql`select 'transfer_in', t.to_org_id, 'info', count(*), null::date from transfers t
      where t.to_path <@ ${rootPath}::ltree and t.status = 'issued' group by t.to_org_id`);
  }
  if (kinds.has('transfer_out')) {
    parts.push(sql`select 'transfer_out', t.from_org_id, 'info', count(*), null::date from transfers t
      where t.from_path <@ ${rootPath}::ltree and t.status = 'issued' group by t.from_org_id`);
  }
  if (kinds.has('make_up')) {
    parts.push(sql`select 'make_up', ltree2text(subpath(t.org_path, -1))::bigint, 'info', count(*), null::date from make_up_tasks t
      where t.org_path <@ ${rootPath}::ltree and t.status = 'open' group by 2`);
  }
  if (kinds.has('service_review')) {
    parts.push(sql`select 'service_review', p.org_id, 'due_soon', count(*), min(p.planned_completion) from service_projects p
      where p.org_path <@ ${rootPath}::ltree and p.is_returned group by p.org_id`);
  }
  if (kinds.has('wish_moderation')) {
    parts.push(sql`select 'wish_moderation', w.org_id, 'due_soon', count(*), null::date from micro_wishes w
      where w.org_path <@ ${rootPath}::ltree and w.status = 'pending_review' group by w.org_id`);
  }
  if (kinds.has('venue_booking')) {
    parts.push(sql`select 'venue_booking', v.org_id, case when min(b.visit_date) <= ${today}::date + ${BOOKING_DUE_SOON_DAYS}::int then 'due_soon' else 'info' end,
        count(*), min(b.visit_date) from venue_bookings b join venues v on v.id = b.venue_id
      where v.org_path <@ ${rootPath}::ltree and b.status = 'pending' group by v.org_id`);
  }
  if (!parts.length) return [];
  const rows = await db.execute<Row>(sql`
    select x.kind, x.org_id::text, o.name as org_name, o.path::text as org_path, x.severity, x.n::int as n, x.due::text as due
      from (${sql.join(parts, sql` union all `)}) as x (kind, org_id, severity, n, due) join orgs o on o.id = x.org_id`);
  return rows.rows.map((r) => ({
    kind: r.kind, orgId: r.org_id, orgName: r.org_name, orgPath: r.org_path, count: Number(r.n), dueDate: r.due, severity: r.severity,
    link: linkOf(r.kind, r.severity, r.org_id, today),
  }));
}

/**
 * Which list a to-do belongs to: the kinds whose list has one filter for several severities share it; each
 * notice has its own list of unread recipients.
 */
export const listOf = (t: Pick<Todo, 'kind' | 'severity' | 'link'>) => (PER_RECORD.has(t.kind) ? t.link : t.kind === 'term_due' && t.severity !== 'overdue' ? 'due' : t.severity);

/** One to-do per kind and list for the root org, its count the list's total (each record counted once, by its own org). */
export function rollUpTodos(own: readonly OwnTodo[], root: { id: string; name: string }, today: string): Todo[] {
  const byList = new Map<string, Todo>();
  for (const t of own) {
    const key = `${t.kind}|${listOf(t)}`;
    const found = byList.get(key);
    if (!found) {
      // a notice's list is the notice's own: it keeps its org and link
      byList.set(key, PER_RECORD.has(t.kind) ? withoutPath(t) : { ...withoutPath(t), orgId: root.id, orgName: root.name, link: linkOf(t.kind, t.severity, root.id, today) });
      continue;
    }
    found.count += t.count;
    if (t.dueDate && (!found.dueDate || t.dueDate < found.dueDate)) found.dueDate = t.dueDate;
    if (SEVERITY_ORDER[t.severity] < SEVERITY_ORDER[found.severity]) found.severity = t.severity;
  }
  return sortTodos([...byList.values()]);
}

/**
 * The web route where the work is done, with the filters of the list the count was taken from: every list is
 * that of the org's subtree (orgId), whatever the viewer's scope beyond it.
 */
export function linkOf(kind: TodoKind, severity: TodoSeverity, orgId: string, today: string): string {
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  const yearAgo = yearsBefore(today, 1);
  switch (kind) {
    case 'three_meetings': return `/activities/compliance?${q({ orgId, status: severity })}`;
    case 'term_due': return `/orgs?${q({ orgId, electionDue: severity === 'overdue' ? 'overdue' : 'due' })}`;
    case 'probation_ending': return `/members?${q(severity === 'overdue'
      ? { orgId, stage: 'probationary', joinedTo: addDays(yearAgo, -1) }
      : { orgId, stage: 'probationary', joinedFrom: yearAgo, joinedTo: addDays(yearAgo, PROBATION_NOTICE_DAYS) })}`;
    case 'transfer_in': return `/transfers?${q({ orgId, box: 'incoming', status: 'issued' })}`;
    case 'transfer_out': return `/transfers?${q({ orgId, box: 'outgoing', status: 'issued' })}`;
    case 'make_up': return `/activities/compliance?${q({ orgId, makeUp: 'open' })}`;
    case 'service_review': return `/service/projects?${q({ orgId, returned: '1' })}`;
    case 'wish_moderation': return `/service/wishes?${q({ orgId, status: 'pending_review' })}`;
    case 'venue_booking': return `/venues?${q({ orgId, status: 'pending' })}`;
    case 'notice_unread': return `/notices?${q({ orgId, status: 'published' })}`;
    case 'election_step': return `/elections?${q({ orgId, waiting: '1' })}`;
    case 'grading_review': return `/standardization?${q({ orgId, waiting: 'review' })}`;
    case 'grading_submit': return `/standardization?${q({ orgId, waiting: 'submit' })}`;
    case 'rectification_overdue': return `/standardization/rectifications?${q({ orgId, status: 'open', overdue: '1' })}`;
    case 'responsibility_inspection': return `/responsibility/items?${q({ orgId, waiting: 'inspection' })}`;
    case 'responsibility_overdue': return `/responsibility/items?${q({ orgId, overdue: 'true' })}`;
    // one to-do per scheme, its link made with the scheme (manualReviewTodos): this is the schemes' list
    case 'manual_score_review': return `/assessment/schemes?${q({ orgId })}`;
  }
}
