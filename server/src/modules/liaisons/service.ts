import { sql, type SQL } from 'drizzle-orm';
import type {
  CreateLiaison, CreateSitIn, Liaison, LiaisonListQuery, LiaisonPage, MyLiaisons, SitIn, SitInListQuery, SitInPage,
} from '../../../../contracts/liaisons.js';
import type { Activity } from '../../../../contracts/activities.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { chinaDateOf } from '../../platform/china-time.js';
import { AppError, conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { getActivity, listActivities } from '../activities/service.js';
import { asLiaisonOf, canAssignLiaison, liaisonsInScope, sitInsInScope } from './policy.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());

const today = chinaDateOf(sql`now()`);
/** Standing today: begun, not past its last day, not ended. */
const standing = sql`(l.ended_at is null and l.from_date <= ${today} and (l.until_date is null or l.until_date >= ${today}))`;

type LiaisonRow = {
  id: string; user_id: string; username: string; user_name: string; org_id: string; org_name: string; org_path: string; duty: string | null;
  from_date: string; until_date: string | null; ended_at: Time; active: boolean; assigned_by_name: string | null; sit_ins: number; created_at: Time;
} & Row;

const liaisonColumns = sql`l.id::text, l.user_id::text, u.username, u.display_name as user_name, l.org_id::text, o.name as org_name, l.org_path::text,
  l.duty, l.from_date::text, l.until_date::text, l.ended_at, ${standing} as active, ab.display_name as assigned_by_name,
  (select count(*)::int from liaison_sit_ins s where s.liaison_id = l.id) as sit_ins, l.created_at`;
const liaisonFrom = sql`org_liaisons l join users u on u.id = l.user_id join orgs o on o.id = l.org_id left join users ab on ab.id = l.assigned_by`;

const toLiaison = (actor: Actor, r: LiaisonRow): Liaison => ({
  id: r.id, userId: r.user_id, username: r.username, userName: r.user_name, orgId: r.org_id, orgName: r.org_name, duty: r.duty,
  fromDate: r.from_date, untilDate: r.until_date, endedAt: iso(r.ended_at), active: r.active === true, assignedByName: r.assigned_by_name,
  sitIns: Number(r.sit_ins), createdAt: iso(r.created_at)!, canManage: r.ended_at == null && canAssignLiaison(actor, r.org_path),
});

export async function listLiaisons(db: Db, actor: Actor, query: LiaisonListQuery): Promise<LiaisonPage> {
  const conditions: SQL[] = [liaisonsInScope(actor)];
  if (query.orgId) conditions.push(sql`l.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.status === 'active') conditions.push(sql`l.ended_at is null and (l.until_date is null or l.until_date >= ${today})`);
  if (query.status === 'ended') conditions.push(sql`(l.ended_at is not null or l.until_date < ${today})`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<LiaisonRow>(sql`select ${liaisonColumns} from ${liaisonFrom} where ${where} order by o.path, l.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from org_liaisons l where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toLiaison(actor, r)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findLiaison(q: Queryable, actor: Actor, id: string, lock = false): Promise<LiaisonRow> {
  const row = (await q.execute<LiaisonRow>(sql`select ${liaisonColumns} from ${liaisonFrom} where l.id = ${id} and ${liaisonsInScope(actor)}
    ${lock ? sql`for update of l` : sql``}`)).rows[0];
  if (!row) throw notFound('liaison.not_found');
  return row;
}

export async function createLiaison(db: Db, actor: Actor, input: CreateLiaison): Promise<Liaison> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId' });
    if (!canAssignLiaison(actor, org.path)) throw invalidField('orgId', 'liaison.not_above');
    const user = (await tx.execute<{ id: string; display_name: string } & Row>(sql`
      select id::text, display_name from users where id = ${input.userId} and disabled_at is null`)).rows[0];
    if (!user) throw invalidField('userId', 'liaison.user_not_found');
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into org_liaisons (user_id, org_id, org_path, duty, from_date, until_date, assigned_by)
      values (${input.userId}, ${org.id}, ${org.path}::ltree, ${input.duty ?? null}, coalesce(${input.fromDate ?? null}::date, ${today}), ${input.untilDate ?? null}, ${actor.userId})
      on conflict (user_id, org_id) where ended_at is null do nothing
      returning id::text`)).rows[0];
    if (!row) throw conflict('liaison.exists');
    await audit(tx, actor, {
      action: 'liaison.assign', targetType: 'liaison', targetId: row.id, orgPath: org.path,
      detail: { name: `${user.display_name} · ${org.name}`, userId: input.userId, orgId: org.id, fromDate: input.fromDate ?? null, untilDate: input.untilDate ?? null },
    });
    return row.id;
  });
  return toLiaison(actor, await findLiaison(db, actor, id));
}

/** Ends an assignment now: the liaison's read access goes with it (the session cache hears of it). */
export async function endLiaison(db: Db, actor: Actor, id: string): Promise<Liaison> {
  await db.transaction(async (tx) => {
    const row = await findLiaison(tx, actor, id, true);
    if (!canAssignLiaison(actor, row.org_path)) throw notFound('liaison.not_found');
    if (row.ended_at != null) throw conflict('liaison.already_ended');
    await tx.execute(sql`update org_liaisons set ended_at = now(), ended_by = ${actor.userId} where id = ${id}`);
    await audit(tx, actor, { action: 'liaison.end', targetType: 'liaison', targetId: id, orgPath: row.org_path, detail: { name: `${row.user_name} · ${row.org_name}` } });
  });
  return toLiaison(actor, await findLiaison(db, actor, id));
}

type StandingRow = { id: string; org_id: string; org_name: string; org_path: string; duty: string | null; from_date: string; until_date: string | null; sit_ins: number } & Row;

/** The branches the actor liaises with today (the same condition as the session's read paths). */
async function standingLiaisons(q: Queryable, actor: Actor): Promise<StandingRow[]> {
  return (await q.execute<StandingRow>(sql`
    select l.id::text, l.org_id::text, o.name as org_name, o.path::text as org_path, l.duty, l.from_date::text, l.until_date::text,
           (select count(*)::int from liaison_sit_ins s where s.liaison_id = l.id) as sit_ins
      from org_liaisons l join orgs o on o.id = l.org_id and o.dissolved_at is null
     where l.user_id = ${actor.userId} and ${standing}
     order by o.path`)).rows;
}

const ACTIVITY_WINDOW_DAYS = 60;

export async function myLiaisons(db: Db, actor: Actor): Promise<MyLiaisons> {
  const branches = await standingLiaisons(db, actor);
  if (branches.length === 0) return { branches: [], activities: [] };
  const from = new Date(Date.now() - ACTIVITY_WINDOW_DAYS * 86_400_000).toISOString();
  const page = await listActivities(db, asLiaisonOf(actor, branches.map((b) => b.org_path)), { page: 1, pageSize: 50, from });
  const held = page.items.filter((a) => a.status !== 'draft');
  const sitIns = held.length === 0 ? [] : (await db.execute<{ id: string; activity_id: string } & Row>(sql`
    select id::text, activity_id::text from liaison_sit_ins where user_id = ${actor.userId} and activity_id = any(${textArray(held.map((a) => a.id))}::bigint[])`)).rows;
  const sitInOf = new Map(sitIns.map((s) => [s.activity_id, s.id]));
  return {
    branches: branches.map((b) => ({ id: b.id, orgId: b.org_id, orgName: b.org_name, duty: b.duty, fromDate: b.from_date, untilDate: b.until_date, sitIns: Number(b.sit_ins) })),
    activities: held.map((a) => ({
      id: a.id, orgId: a.orgId, orgName: a.orgName, title: a.title, type: a.type, startsAt: a.startsAt, endsAt: a.endsAt, place: a.place, status: a.status,
      sitInId: sitInOf.get(a.id) ?? null,
    })),
  };
}

type SitInRow = {
  id: string; liaison_id: string; user_name: string; org_id: string; org_name: string; activity_id: string; activity_title: string;
  activity_starts_at: Time; sat_in_on: string; observations: string; suggestions: string | null; created_at: Time;
} & Row;

const sitInColumns = sql`s.id::text, s.liaison_id::text, u.display_name as user_name, s.org_id::text, o.name as org_name, s.activity_id::text, s.activity_title,
  s.activity_starts_at, s.sat_in_on::text, s.observations, s.suggestions, s.created_at`;
const sitInFrom = sql`liaison_sit_ins s join users u on u.id = s.user_id join orgs o on o.id = s.org_id`;
const toSitIn = (r: SitInRow): SitIn => ({
  id: r.id, liaisonId: r.liaison_id, userName: r.user_name, orgId: r.org_id, orgName: r.org_name, activityId: r.activity_id, activityTitle: r.activity_title,
  activityStartsAt: iso(r.activity_starts_at)!, satInOn: r.sat_in_on, observations: r.observations, suggestions: r.suggestions, createdAt: iso(r.created_at)!,
});

async function pageOfSitIns(db: Db, conditions: SQL[], query: SitInListQuery): Promise<SitInPage> {
  if (query.orgId) conditions.push(sql`s.org_path <@ (select path from orgs where id = ${query.orgId})`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<SitInRow>(sql`select ${sitInColumns} from ${sitInFrom} where ${where} order by s.sat_in_on desc, s.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from liaison_sit_ins s where ${where}`),
  ]);
  return { items: rows.rows.map(toSitIn), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** The 旁听 records of the branches in the actor's scope (the committee above reads what its liaisons saw). */
export const listSitIns = (db: Db, actor: Actor, query: SitInListQuery) => pageOfSitIns(db, [sitInsInScope(actor)], query);

/** The actor's own 旁听 records, whatever their assignments since. */
export const listMySitIns = (db: Db, actor: Actor, query: SitInListQuery) => pageOfSitIns(db, [sql`s.user_id = ${actor.userId}`], query);

/** 旁听: the liaison records sitting in on an activity of a branch they liaise with today. */
export async function createSitIn(db: Db, actor: Actor, input: CreateSitIn): Promise<SitIn> {
  const id = await db.transaction(async (tx) => {
    const branches = await standingLiaisons(tx, actor);
    let activity: Activity;
    try {
      if (branches.length === 0) throw notFound('liaison.activity_not_found');
      activity = await getActivity(tx, asLiaisonOf(actor, branches.map((b) => b.org_path)), input.activityId);
    } catch (error) {
      if (error instanceof AppError && error.status === 404) throw invalidField('activityId', 'liaison.activity_not_found');
      throw error;
    }
    if (activity.status === 'draft' || activity.status === 'cancelled') throw invalidField('activityId', 'liaison.activity_not_held');
    const branch = branches.find((b) => activity.orgPath === b.org_path || activity.orgPath.startsWith(`${b.org_path}.`))!;
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into liaison_sit_ins (liaison_id, user_id, org_id, org_path, activity_id, activity_title, activity_starts_at, sat_in_on, observations, suggestions)
      values (${branch.id}, ${actor.userId}, ${activity.orgId}, ${activity.orgPath}::ltree, ${activity.id}, ${activity.title}, ${activity.startsAt},
              coalesce(${input.satInOn ?? null}::date, ${chinaDateOf(sql`${activity.startsAt}::timestamptz`)}), ${input.observations}, ${input.suggestions ?? null})
      on conflict (user_id, activity_id) do nothing
      returning id::text`)).rows[0];
    if (!row) throw conflict('liaison.sit_in_exists');
    await audit(tx, actor, { action: 'liaison.sit_in', targetType: 'liaison_sit_in', targetId: row.id, orgPath: activity.orgPath, detail: { title: activity.title, activityId: activity.id } });
    return row.id;
  });
  const row = (await db.execute<SitInRow>(sql`select ${sitInColumns} from ${sitInFrom} where s.id = ${id}`)).rows[0]!;
  return toSitIn(row);
}
