import { sql, type SQL } from 'drizzle-orm';
import type {
  ConfirmAttendance, CreateVolunteerProject, HoursQuery, MemberHoursPage, MyHours, Signup, UpdateVolunteerProject, VolunteerProject,
  VolunteerProjectListQuery, VolunteerProjectPage,
} from '../../../../contracts/volunteering.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, invalidFields, notFound } from '../../platform/errors.js';
import { findCommunityInTree } from '../communities/lookup.js';
import { managedOrg } from '../../platform/org-scope.js';
import { actorMemberPath, canManageProject, canSeeHoursOf, visibleProjects } from './policy.js';
import { pageLimit } from '../../platform/sql.js';

type Row = Record<string, unknown>;
type ProjectRow = {
  id: string; org_id: string; org_path: string; org_name: string; community_id: string | null; community_name: string | null; title: string;
  description: string | null; place: string; starts_at: Date | string; ends_at: Date | string; capacity: number; signed_up: number;
  cancelled_at: Date | string | null; my_attended: boolean | null; my_hours: number | null; my_signed: boolean;
} & Row;

const iso = (v: Date | string) => new Date(v).toISOString();
const hoursOf = (tenths: number | string | null) => (tenths == null ? null : Number(tenths) / 10);

const projectColumns = sql`v.id::text, v.org_id::text, v.org_path::text, o.name as org_name, v.community_id::text, c.name as community_name,
  v.title, v.description, v.place, v.starts_at, v.ends_at, v.capacity, v.cancelled_at,
  (select count(*) from volunteer_signups s where s.project_id = v.id)::int as signed_up,
  me.id is not null as my_signed, me.attended as my_attended, me.hours_tenths as my_hours`;
const projectFrom = (actor: Actor) => sql`volunteer_projects v join orgs o on o.id = v.org_id left join communities c on c.id = v.community_id
  left join volunteer_signups me on me.project_id = v.id and me.member_id = ${actor.memberId ?? null}`;

function toProject(r: ProjectRow, actor: Actor): VolunteerProject {
  const signedUp = Number(r.signed_up);
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, communityId: r.community_id, communityName: r.community_name, title: r.title, description: r.description,
    place: r.place, startsAt: iso(r.starts_at), endsAt: iso(r.ends_at), capacity: Number(r.capacity), signedUp, placesLeft: Math.max(0, Number(r.capacity) - signedUp),
    isCancelled: r.cancelled_at != null, mySignup: r.my_signed ? { attended: r.my_attended, hours: hoursOf(r.my_hours) } : null, canManage: canManageProject(actor, { orgPath: r.org_path }),
  };
}

export async function listProjects(db: Db, actor: Actor, query: VolunteerProjectListQuery): Promise<VolunteerProjectPage> {
  const conditions: SQL[] = [visibleProjects(actor)];
  if (query.orgId) conditions.push(sql`v.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.upcoming) conditions.push(sql`v.ends_at > now() and v.cancelled_at is null`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<ProjectRow>(sql`select ${projectColumns} from ${projectFrom(actor)} where ${where}
      order by v.starts_at desc, v.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from volunteer_projects v where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toProject(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisibleProject(q: Queryable, actor: Actor, id: string, lock = false): Promise<ProjectRow> {
  // Lock first, read after: a select that waited on the lock would still count the sign-ups
  // of its older snapshot (READ COMMITTED), and the last place could go twice.
  if (lock) await q.execute(sql`select 1 from volunteer_projects where id = ${id} for update`);
  const row = (await q.execute<ProjectRow>(sql`select ${projectColumns} from ${projectFrom(actor)} where v.id = ${id} and ${visibleProjects(actor)}`)).rows[0];
  if (!row) throw notFound('volunteering.not_found');
  return row;
}

async function findManagedProject(q: Queryable, actor: Actor, id: string): Promise<ProjectRow> {
  const row = await findVisibleProject(q, actor, id, true);
  if (!canManageProject(actor, { orgPath: row.org_path })) throw forbidden('volunteering.organizer_only');
  return row;
}

export async function getProject(db: Queryable, actor: Actor, id: string): Promise<VolunteerProject> {
  return toProject(await findVisibleProject(db, actor, id), actor);
}

export async function createProject(db: Db, actor: Actor, input: CreateVolunteerProject): Promise<VolunteerProject> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    if (input.communityId && !(await findCommunityInTree(tx, input.communityId, org.path.split('.')[0]!))) throw invalidField('communityId', 'community.not_found');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into volunteer_projects (org_id, org_path, community_id, title, description, place, starts_at, ends_at, capacity, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.communityId ?? null}, ${input.title}, ${input.description ?? null}, ${input.place}, ${input.startsAt},
              ${input.endsAt}, ${input.capacity}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'volunteering.create', targetType: 'volunteer_project', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getProject(db, actor, id);
}

export async function updateProject(db: Db, actor: Actor, id: string, input: UpdateVolunteerProject): Promise<VolunteerProject> {
  await db.transaction(async (tx) => {
    const row = await findManagedProject(tx, actor, id);
    const startsAt = input.startsAt ?? iso(row.starts_at), endsAt = input.endsAt ?? iso(row.ends_at);
    if (new Date(endsAt) <= new Date(startsAt)) throw invalidField('endsAt', 'volunteering.ends_before_start');
    const capacity = input.capacity ?? Number(row.capacity);
    if (capacity < Number(row.signed_up)) throw invalidField('capacity', 'volunteering.capacity_below_signups', { count: Number(row.signed_up) });
    const cancelled = input.cancelled ?? row.cancelled_at != null;
    await tx.execute(sql`update volunteer_projects set title = ${input.title ?? row.title},
      description = ${input.description === undefined ? row.description : input.description}, place = ${input.place ?? row.place},
      starts_at = ${startsAt}, ends_at = ${endsAt}, capacity = ${capacity},
      cancelled_at = ${cancelled ? (row.cancelled_at ? sql`cancelled_at` : sql`now()`) : null} where id = ${id}`);
    await audit(tx, actor, { action: 'volunteering.update', targetType: 'volunteer_project', targetId: id, orgPath: row.org_path, detail: { ...input } });
  });
  return getProject(db, actor, id);
}

/** Signing up locks the project row, so the last place goes to exactly one member. */
export async function signUp(db: Db, actor: Actor, id: string): Promise<VolunteerProject> {
  if (!actor.memberId) throw forbidden('volunteering.members_only');
  await db.transaction(async (tx) => {
    const row = await findVisibleProject(tx, actor, id, true);
    const isMemberOfTree = (await tx.execute<{ ok: boolean } & Row>(sql`select coalesce(${actorMemberPath(actor)} <@ subpath(${row.org_path}::ltree, 0, 1), false) as ok`)).rows[0]?.ok;
    if (!isMemberOfTree) throw notFound('volunteering.not_found');
    if (row.cancelled_at) throw conflict('volunteering.cancelled');
    if (new Date(row.starts_at) <= new Date()) throw conflict('volunteering.started');
    if (row.my_signed) throw conflict('volunteering.already_signed_up');
    if (Number(row.signed_up) >= Number(row.capacity)) throw conflict('volunteering.full');
    await tx.execute(sql`insert into volunteer_signups (project_id, member_id) values (${id}, ${actor.memberId})`);
    await audit(tx, actor, { action: 'volunteering.sign_up', targetType: 'volunteer_project', targetId: id, orgPath: row.org_path, detail: { memberId: actor.memberId } });
  });
  return getProject(db, actor, id);
}

export async function withdraw(db: Db, actor: Actor, id: string): Promise<VolunteerProject> {
  await db.transaction(async (tx) => {
    const row = await findVisibleProject(tx, actor, id, true);
    if (!row.my_signed) throw notFound('volunteering.signup_not_found');
    if (new Date(row.starts_at) <= new Date()) throw conflict('volunteering.started');
    await tx.execute(sql`delete from volunteer_signups where project_id = ${id} and member_id = ${actor.memberId}`);
    await audit(tx, actor, { action: 'volunteering.withdraw', targetType: 'volunteer_project', targetId: id, orgPath: row.org_path, detail: { memberId: actor.memberId } });
  });
  return getProject(db, actor, id);
}

type SignupRow = { member_id: string; member_name: string; org_name: string; signed_up_at: Date | string; attended: boolean | null; hours_tenths: number | null } & Row;

export async function listSignups(db: Db, actor: Actor, id: string): Promise<{ items: Signup[] }> {
  const row = await findVisibleProject(db, actor, id);
  if (!canManageProject(actor, { orgPath: row.org_path })) throw forbidden('volunteering.organizer_only');
  const rows = await db.execute<SignupRow>(sql`select s.member_id::text, m.name as member_name, o.name as org_name, s.signed_up_at, s.attended, s.hours_tenths
    from volunteer_signups s join members m on m.id = s.member_id join orgs o on o.id = m.org_id where s.project_id = ${id} order by s.id`);
  return { items: rows.rows.map((r) => ({ memberId: r.member_id, memberName: r.member_name, orgName: r.org_name, signedUpAt: iso(r.signed_up_at), attended: r.attended, hours: hoursOf(r.hours_tenths) })) };
}

/**
 * The organizer confirms who came and for how long; hours cannot exceed the project's own
 * length, and an absent member gets none.
 */
export async function confirmAttendance(db: Db, actor: Actor, id: string, input: ConfirmAttendance): Promise<{ items: Signup[] }> {
  await db.transaction(async (tx) => {
    const row = await findManagedProject(tx, actor, id);
    if (new Date(row.starts_at) > new Date()) throw conflict('volunteering.not_started');
    const maxTenths = Math.ceil((new Date(row.ends_at).getTime() - new Date(row.starts_at).getTime()) / 360_000);
    const signed = new Set((await tx.execute<{ member_id: string } & Row>(sql`select member_id::text from volunteer_signups where project_id = ${id}`)).rows.map((r) => r.member_id));
    const problems: Record<string, { key: string; params?: Record<string, string | number> }> = {};
    input.entries.forEach((e, i) => {
      if (!signed.has(e.memberId)) problems[`entries.${i}.memberId`] = { key: 'volunteering.not_signed_up' };
      const tenths = Math.round((e.hours ?? 0) * 10);
      if (e.attended && e.hours === undefined) problems[`entries.${i}.hours`] = { key: 'field.required' };
      if (tenths > maxTenths) problems[`entries.${i}.hours`] = { key: 'volunteering.hours_over_length', params: { max: maxTenths / 10 } };
    });
    if (Object.keys(problems).length) throw invalidFields(problems);
    for (const e of input.entries) {
      await tx.execute(sql`update volunteer_signups set attended = ${e.attended}, hours_tenths = ${e.attended ? Math.round((e.hours ?? 0) * 10) : 0},
        confirmed_by = ${actor.userId}, confirmed_at = now() where project_id = ${id} and member_id = ${e.memberId}`);
    }
    await audit(tx, actor, { action: 'volunteering.confirm_attendance', targetType: 'volunteer_project', targetId: id, orgPath: row.org_path, detail: { entries: input.entries } });
  });
  return listSignups(db, actor, id);
}

/** Total confirmed hours of each member of an org's subtree (members without hours included, at 0). */
export async function memberHours(db: Db, actor: Actor, query: HoursQuery): Promise<MemberHoursPage> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const where = sql`m.org_path <@ ${org.path}::ltree and m.left_at is null`;
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; name: string; org_name: string; projects: number; tenths: number } & Row>(sql`
      select m.id::text, m.name, o.name as org_name, count(s.id) filter (where s.attended)::int as projects, coalesce(sum(s.hours_tenths) filter (where s.attended), 0)::int as tenths
        from members m join orgs o on o.id = m.org_id left join volunteer_signups s on s.member_id = m.id
       where ${where} group by m.id, o.name order by tenths desc, m.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from members m where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ memberId: r.id, memberName: r.name, orgName: r.org_name, projects: Number(r.projects), hours: Number(r.tenths) / 10 })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

export async function hoursOfMember(db: Db, memberId: string): Promise<MyHours> {
  const rows = await db.execute<{ project_id: string; title: string; org_name: string; starts_at: Date | string; hours_tenths: number } & Row>(sql`
    select v.id::text as project_id, v.title, o.name as org_name, v.starts_at, s.hours_tenths
      from volunteer_signups s join volunteer_projects v on v.id = s.project_id join orgs o on o.id = v.org_id
     where s.member_id = ${memberId} and s.attended order by v.starts_at, v.id`);
  const records = rows.rows.map((r) => ({ projectId: r.project_id, title: r.title, orgName: r.org_name, startsAt: iso(r.starts_at), hours: Number(r.hours_tenths) / 10 }));
  return { hours: records.reduce((sum, r) => sum + Math.round(r.hours * 10), 0) / 10, records };
}

export async function myHours(db: Db, actor: Actor): Promise<MyHours> {
  if (!actor.memberId) return { hours: 0, records: [] };
  return hoursOfMember(db, actor.memberId);
}

/** The member behind a certificate: oneself, or a member of the admin's subtree. */
export async function certificateFor(db: Db, actor: Actor, memberId: string): Promise<{ memberName: string; orgName: string; treeName: string; hours: MyHours }> {
  const member = (await db.execute<{ name: string; org_path: string; org_name: string; tree_name: string } & Row>(sql`
    select m.name, m.org_path::text, o.name as org_name, t.name as tree_name from members m join orgs o on o.id = m.org_id
      join orgs t on t.id = subpath(m.org_path, 0, 1)::text::bigint where m.id = ${memberId}`)).rows[0];
  if (!member || !canSeeHoursOf(actor, { id: memberId, orgPath: member.org_path })) throw notFound('volunteering.member_not_found');
  return { memberName: member.name, orgName: member.org_name, treeName: member.tree_name, hours: await hoursOfMember(db, memberId) };
}
