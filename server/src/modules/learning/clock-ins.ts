// Daily clock-ins (学习打卡): one a day per member, with points.
import { sql, type SQL } from 'drizzle-orm';
import type { ClockInListQuery } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import type { Db } from '../../platform/db.js';
import { conflict } from '../../platform/errors.js';
import { requireMember } from '../points/member-context.js';
import { awardPoints } from '../points/service.js';
import { pageLimit } from '../../platform/sql.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { iso, type N, type Time } from './content.js';

type ClockInRow = { id: string; member_id: string; member_name: string; day: string; note: string; created_at: Time; points: N; total?: N } & Record<string, unknown>;
const clockInSelect = sql`select c.id::text, c.member_id::text, m.name as member_name, c.day::text, c.note, c.created_at,
  coalesce((select sum(l.points) from points_ledger l where l.rule = 'clock_in' and l.source_type = 'clock_in' and l.source_id = c.id::text), 0)::int as points,
  count(*) over () as total from clock_ins c join members m on m.id = c.member_id`;
const toClockIn = (r: ClockInRow) => ({ id: r.id, memberId: r.member_id, memberName: r.member_name, day: r.day, note: r.note, createdAt: iso(r.created_at)!, points: Number(r.points) });

export async function clockIn(db: Db, actor: Actor, note: string) {
  const me = await requireMember(db, actor);
  const day = todayInChina();
  const id = await db.transaction(async (tx) => {
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into clock_ins (member_id, org_path, day, note)
      values (${me.id}, ${me.orgPath}::ltree, ${day}::date, ${note}) on conflict (member_id, day) do nothing returning id::text`);
    if (!r.rows[0]) throw conflict('learning.already_clocked_in');
    await awardPoints(tx, { memberId: me.id, rule: 'clock_in', sourceType: 'clock_in', sourceId: r.rows[0].id, occurredOn: day });
    return r.rows[0].id;
  });
  return toClockIn((await db.execute<ClockInRow>(sql`${clockInSelect} where c.id = ${id}`)).rows[0]!);
}

/** Without orgId: the viewer's own clock-ins. With it: an admin's view of that org's subtree. */
export async function listClockIns(db: Db, actor: Actor, query: ClockInListQuery) {
  const conditions: SQL[] = [];
  if (query.orgId) {
    const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'learning.org_not_found' });
    conditions.push(sql`c.org_path <@ ${org.path}::ltree`);
  } else {
    const me = await requireMember(db, actor);
    conditions.push(sql`c.member_id = ${me.id}`);
  }
  if (query.date) conditions.push(sql`c.day = ${query.date}::date`);
  const r = await db.execute<ClockInRow>(sql`${clockInSelect} where ${sql.join(conditions, sql` and `)}
    order by c.day desc, c.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toClockIn), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}
