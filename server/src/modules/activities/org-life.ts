import { sql } from 'drizzle-orm';
import { CRITICISM_TYPES, type Criticism, type OrgLifeDuePage, type OrgLifeDueQuery, type SaveCriticism } from '../../../../contracts/activities.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit } from '../../platform/sql.js';
import { reportableUnits } from './policy.js';
import { findManagedActivity, isoOf } from './service.js';

/*
 * 组织生活会 and 民主生活会 record 批评与自我批评: per participant, their self-criticism, the criticisms
 * they received and what they commit to put right. A branch holds a 组织生活会 every year.
 */

type CriticismRow = {
  member_id: string; name: string; self_criticism: string; criticisms_received: string | null; rectification: string | null; updated_at: Date | string;
} & Record<string, unknown>;

const toCriticism = (r: CriticismRow): Criticism => ({
  memberId: r.member_id, name: r.name, selfCriticism: r.self_criticism, criticismsReceived: r.criticisms_received, rectification: r.rectification,
  updatedAt: isoOf(r.updated_at),
});

const recordsCriticism = (type: string) => (CRITICISM_TYPES as readonly string[]).includes(type);

/** The records of one meeting, in the participants' order (the meeting's managers only). */
export async function listCriticisms(db: Db, actor: Actor, activityId: string): Promise<Criticism[]> {
  const activity = await findManagedActivity(db, actor, activityId, false);
  if (!recordsCriticism(activity.type)) throw conflict('activity.criticism_not_applicable');
  const rows = await db.execute<CriticismRow>(sql`select c.member_id::text, m.name, c.self_criticism, c.criticisms_received, c.rectification, c.updated_at
    from activity_criticisms c join members m on m.id = c.member_id join orgs o on o.id = m.org_id
    where c.activity_id = ${activityId} order by o.path, m.id`);
  return rows.rows.map(toCriticism);
}

/** Writes (or rewrites) a participant's record. */
export async function saveCriticism(db: Db, actor: Actor, activityId: string, memberId: string, input: SaveCriticism): Promise<Criticism> {
  return db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, activityId);
    if (!recordsCriticism(activity.type)) throw conflict('activity.criticism_not_applicable');
    if (activity.status === 'cancelled') throw conflict('activity.not_editable');
    const participant = await tx.execute(sql`select 1 from activity_participants where activity_id = ${activityId} and member_id = ${memberId}`);
    if (participant.rows.length === 0) throw invalidField('memberId', 'activity.not_participant');
    await tx.execute(sql`insert into activity_criticisms (activity_id, member_id, self_criticism, criticisms_received, rectification, recorded_by)
      values (${activityId}, ${memberId}, ${input.selfCriticism}, ${input.criticismsReceived ?? null}, ${input.rectification ?? null}, ${actor.userId})
      on conflict (activity_id, member_id) do update set self_criticism = excluded.self_criticism, criticisms_received = excluded.criticisms_received,
        rectification = excluded.rectification, recorded_by = excluded.recorded_by, updated_at = now()`);
    await audit(tx, actor, { action: 'activity.criticism_save', targetType: 'activity', targetId: activityId, orgPath: activity.orgPath, detail: { memberId } });
    return (await readCriticism(tx, activityId, memberId))!;
  });
}

async function readCriticism(q: Queryable, activityId: string, memberId: string): Promise<Criticism | null> {
  const row = (await q.execute<CriticismRow>(sql`select c.member_id::text, m.name, c.self_criticism, c.criticisms_received, c.rectification, c.updated_at
    from activity_criticisms c join members m on m.id = c.member_id where c.activity_id = ${activityId} and c.member_id = ${memberId}`)).rows[0];
  return row ? toCriticism(row) : null;
}

export async function deleteCriticism(db: Db, actor: Actor, activityId: string, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const activity = await findManagedActivity(tx, actor, activityId);
    if (!recordsCriticism(activity.type)) throw conflict('activity.criticism_not_applicable');
    const deleted = await tx.execute(sql`delete from activity_criticisms where activity_id = ${activityId} and member_id = ${memberId} returning member_id`);
    if (deleted.rows.length === 0) throw notFound('activity.criticism_not_found');
    await audit(tx, actor, { action: 'activity.criticism_delete', targetType: 'activity', targetId: activityId, orgPath: activity.orgPath, detail: { memberId } });
  });
}

/**
 * The branches (and temporary branches) of the subtree that have held no 组织生活会 in the year (China
 * time; announced or closed, not cancelled), with the last one they held before. Branches founded
 * during the year are listed too: the year's meeting is still theirs to hold.
 */
export async function orgLifeDue(db: Db, actor: Actor, query: OrgLifeDueQuery): Promise<OrgLifeDuePage> {
  const year = query.year ?? Number(todayInChina().slice(0, 4));
  const root = query.orgId ? (await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'activity.org_not_found' })).path : null;
  const from = `${year}-01-01T00:00:00+08:00`;
  const to = `${year + 1}-01-01T00:00:00+08:00`;
  const where = sql`u.dissolved_at is null and u.type in ('branch', 'temporary_branch') and ${reportableUnits(actor)}
    ${root ? sql` and u.path <@ ${root}::ltree` : sql``}
    and not exists (select 1 from activities a where a.org_id = u.id and a.type = 'org_life_meeting' and a.status in ('published', 'closed')
                     and a.starts_at >= ${from}::timestamptz and a.starts_at < ${to}::timestamptz)`;
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; name: string; type: string; last_held_at: Date | string | null } & Record<string, unknown>>(sql`
      select u.id::text, u.name, u.type,
             (select max(a.starts_at) from activities a where a.org_id = u.id and a.type = 'org_life_meeting' and a.status in ('published', 'closed')
                 and a.starts_at < ${from}::timestamptz) as last_held_at
        from orgs u where ${where} order by u.path ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from orgs u where ${where}`),
  ]);
  return {
    year,
    items: rows.rows.map((r) => ({ orgId: r.id, orgName: r.name, orgType: r.type, lastHeldAt: r.last_held_at == null ? null : isoOf(r.last_held_at) })),
    total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}
