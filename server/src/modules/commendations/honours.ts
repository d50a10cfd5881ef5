import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type SQL } from 'drizzle-orm';
import {
  DISCIPLINE_LABELS, HONOUR_TITLES, type CreateDiscipline, type CreateMicroStar, type DisciplineListQuery, type DisciplineRecord, type Honour,
  type HonourKind, type HonourListQuery, type HonourPage, type MemberRecord,
} from '../../../../contracts/commendations.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { chinaDateOf } from '../../platform/china-time.js';
import { forbidden, invalidField, notFound } from '../../platform/errors.js';
import { pageLimit } from '../../platform/sql.js';
import { streamSheet } from '../../platform/xlsx-stream.js';
import { visibleMembers } from '../members/policy.js';
import { disciplineInScope, honoursInScope, membersInScope, orgsInScope, runsOrgAt } from './policy.js';
import './messages.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const today = chinaDateOf(sql`now()`);

// ---------- honours ----------

type HonourRow = {
  id: string; kind: HonourKind; title: string; member_id: string | null; org_id: string; org_path: string; recipient_name: string; recipient_org_name: string;
  awarded_by_org_name: string; year: number; month: string | null; reason: string | null; round_id: string | null; awarded_on: string;
} & Row;

const honourColumns = sql`h.id::text, h.kind, h.title, h.member_id::text, h.org_id::text, h.org_path::text, h.recipient_name, h.recipient_org_name,
  h.awarded_by_org_name, h.year, h.month, h.reason, h.round_id::text, h.awarded_on::text`;

const toHonour = (r: HonourRow): Honour => ({
  id: r.id, kind: r.kind, title: r.title, memberId: r.member_id, orgId: r.org_id, recipientName: r.recipient_name, recipientOrgName: r.recipient_org_name,
  awardedByOrgName: r.awarded_by_org_name, year: Number(r.year), month: r.month, reason: r.reason, roundId: r.round_id, awardedOn: r.awarded_on,
  hasCertificate: r.kind !== 'micro_star',
});

async function memberVisible(q: Queryable, actor: Actor, memberId: string): Promise<{ id: string; org_path: string; name: string }> {
  const m = (await q.execute<{ id: string; org_path: string; name: string } & Row>(sql`
    select m.id::text, m.org_path::text, m.name from members m where m.id = ${memberId} and ${visibleMembers(actor)}`)).rows[0];
  if (!m) throw notFound('commendation.member_not_found');
  return m;
}

async function honourConditions(q: Queryable, actor: Actor, query: Omit<HonourListQuery, 'page' | 'pageSize'>): Promise<SQL[]> {
  const conditions: SQL[] = [];
  if (query.memberId) {
    await memberVisible(q, actor, query.memberId);
    conditions.push(sql`h.member_id = ${query.memberId}`);
  } else {
    conditions.push(honoursInScope(actor));
  }
  if (query.orgId) {
    const org = (await q.execute<{ path: string } & Row>(sql`select path::text from orgs where id = ${query.orgId}`)).rows[0];
    if (!org || !runsOrgAt(actor, org.path)) throw notFound('org.not_found');
    conditions.push(sql`h.org_path <@ ${org.path}::ltree`);
  }
  if (query.year) conditions.push(sql`h.year = ${query.year}`);
  if (query.kind) conditions.push(sql`h.kind = ${query.kind}`);
  if (query.month) conditions.push(sql`h.month = ${query.month}`);
  if (query.roundId) conditions.push(sql`h.round_id = ${query.roundId}`);
  return conditions;
}

/** History: honours by year and kind; one member's (?memberId) or one org subtree's (?orgId), scoped. */
export async function listHonours(db: Db, actor: Actor, query: HonourListQuery): Promise<HonourPage> {
  const where = sql.join(await honourConditions(db, actor, query), sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<HonourRow>(sql`select ${honourColumns} from honours h where ${where} order by h.awarded_on desc, h.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from honours h where ${where}`),
  ]);
  return { items: rows.rows.map(toHonour), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function myHonours(db: Db, actor: Actor, query: { page: number; pageSize: number }): Promise<HonourPage> {
  if (!actor.memberId) return { items: [], total: 0, page: query.page, pageSize: query.pageSize };
  const [rows, total] = await Promise.all([
    db.execute<HonourRow>(sql`select ${honourColumns} from honours h where h.member_id = ${actor.memberId} order by h.awarded_on desc, h.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from honours h where h.member_id = ${actor.memberId}`),
  ]);
  return { items: rows.rows.map(toHonour), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** One honour for its certificate: the honoured member, or the admins who see it. */
export async function honourForCertificate(db: Db, actor: Actor, id: string): Promise<Honour> {
  const row = (await db.execute<HonourRow>(sql`select ${honourColumns} from honours h where h.id = ${id} and ${honoursInScope(actor)}`)).rows[0];
  if (!row || row.kind === 'micro_star') throw notFound('commendation.honour_not_found');
  return toHonour(row);
}

/** 表彰名单导出 (.xlsx, streamed in keyset batches; audited). */
export async function exportHonours(db: Db, actor: Actor, query: Omit<HonourListQuery, 'page' | 'pageSize' | 'memberId' | 'roundId'>, log: FastifyBaseLogger): Promise<{ stream: Readable; fileName: string }> {
  const conditions = await honourConditions(db, actor, query);
  await audit(db, actor, { action: 'commendation.export', targetType: 'honour', targetId: null, detail: { year: query.year ?? null, kind: query.kind ?? null } });
  const stream = streamSheet<HonourRow, 'year' | 'title' | 'name' | 'org' | 'by' | 'on'>({
    label: 'commendation.export', sheetName: '表彰名单',
    columns: [
      { header: '年度', key: 'year', width: 8 }, { header: '荣誉', key: 'title', width: 18 }, { header: '获得者', key: 'name', width: 20 },
      { header: '所在党组织', key: 'org', width: 30 }, { header: '表彰单位', key: 'by', width: 30 }, { header: '表彰日期', key: 'on', width: 12 },
    ],
    nextBatch: async (after, batchRows) => (await db.execute<HonourRow>(sql`select ${honourColumns} from honours h
      where ${sql.join([...conditions, after ? sql`h.id > ${after.id}` : sql`true`], sql` and `)} order by h.id limit ${batchRows}`)).rows,
    cellsOf: (r) => ({ year: Number(r.year), title: r.title, name: r.recipient_name, org: r.recipient_org_name, by: r.awarded_by_org_name, on: r.awarded_on }),
  }, log);
  return { stream, fileName: `表彰名单${query.year ? `-${query.year}` : ''}.xlsx` };
}

// ---------- 微星光 ----------

/** 微星光: an admin of a branch or above honours a member of their subtree for the month, with the reason; no 公示. */
export async function awardMicroStar(db: Db, actor: Actor, input: CreateMicroStar): Promise<Honour> {
  const id = await db.transaction(async (tx) => {
    const m = (await tx.execute<{ id: string; name: string; org_id: string; org_path: string; org_name: string } & Row>(sql`
      select m.id::text, m.name, m.org_id::text, m.org_path::text, o.name as org_name from members m join orgs o on o.id = m.org_id
       where m.id = ${input.memberId} and m.left_at is null and ${membersInScope(actor)} for share of m`)).rows[0];
    if (!m) throw invalidField('memberId', 'commendation.member_not_found');
    // the awarding org: the nearest org the actor administers above the member that is a branch or above (not a 党小组)
    const awarding = (await tx.execute<{ id: string; name: string } & Row>(sql`
      select o.id::text, o.name from orgs o where ${m.org_path}::ltree <@ o.path and o.type <> 'group' and o.dissolved_at is null
         and ${orgsInScope(actor)} order by nlevel(o.path) desc limit 1`)).rows[0];
    if (!awarding) throw forbidden('commendation.branch_or_above');
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into honours (kind, member_id, org_id, org_path, awarded_by_org_id, awarded_by_org_name, recipient_name, recipient_org_name, title, year, month, reason, awarded_on, awarded_by)
      values ('micro_star', ${m.id}, ${m.org_id}, ${m.org_path}::ltree, ${awarding.id}, ${awarding.name}, ${m.name}, ${m.org_name}, ${HONOUR_TITLES.micro_star},
              ${Number(input.month.slice(0, 4))}, ${input.month}, ${input.reason}, ${today}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'commendation.micro_star', targetType: 'honour', targetId: row.id, orgPath: m.org_path, detail: { name: m.name, month: input.month } });
    return row.id;
  });
  return toHonour((await db.execute<HonourRow>(sql`select ${honourColumns} from honours h where h.id = ${id}`)).rows[0]!);
}

// ---------- 党纪处分 ----------

type DisciplineRow = {
  id: string; member_id: string; member_name: string; kind: DisciplineRecord['kind']; decided_on: string; ends_on: string | null; note: string | null;
  in_force: boolean; recorded_by_name: string | null; created_at: Time;
} & Row;

const disciplineColumns = sql`d.id::text, d.member_id::text, m.name as member_name, d.kind, d.decided_on::text, d.ends_on::text, d.note,
  (d.decided_on <= ${today} and (d.ends_on is null or d.ends_on >= ${today})) as in_force, u.display_name as recorded_by_name, d.created_at`;
const disciplineFrom = sql`member_discipline_records d join members m on m.id = d.member_id left join users u on u.id = d.recorded_by`;
const toDiscipline = (r: DisciplineRow): DisciplineRecord => ({
  id: r.id, memberId: r.member_id, memberName: r.member_name, kind: r.kind, decidedOn: r.decided_on, endsOn: r.ends_on, note: r.note,
  inForce: r.in_force === true, recordedBy: r.recorded_by_name, createdAt: iso(r.created_at)!,
});

export async function listDiscipline(db: Db, actor: Actor, query: DisciplineListQuery) {
  const conditions: SQL[] = [disciplineInScope(actor)];
  if (query.memberId) conditions.push(sql`d.member_id = ${query.memberId}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<DisciplineRow>(sql`select ${disciplineColumns} from ${disciplineFrom} where ${where} order by d.decided_on desc, d.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from member_discipline_records d join members m on m.id = d.member_id where ${where}`),
  ]);
  return { items: rows.rows.map(toDiscipline), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Records a 党纪处分 of a member of the actor's subtree (personal: audited, never public). */
export async function recordDiscipline(db: Db, actor: Actor, input: CreateDiscipline): Promise<DisciplineRecord> {
  const id = await db.transaction(async (tx) => {
    const m = (await tx.execute<{ id: string; name: string; org_path: string } & Row>(sql`
      select m.id::text, m.name, m.org_path::text from members m where m.id = ${input.memberId} and ${membersInScope(actor)} for share`)).rows[0];
    if (!m) throw invalidField('memberId', 'commendation.member_not_found');
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into member_discipline_records (member_id, kind, decided_on, ends_on, note, recorded_by)
      values (${m.id}, ${input.kind}, ${input.decidedOn}, ${input.endsOn ?? null}, ${input.note ?? null}, ${actor.userId}) returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'commendation.record_discipline', targetType: 'member', targetId: m.id, orgPath: m.org_path,
      detail: { kind: DISCIPLINE_LABELS[input.kind], decidedOn: input.decidedOn, endsOn: input.endsOn ?? null } });
    return row.id;
  });
  return toDiscipline((await db.execute<DisciplineRow>(sql`select ${disciplineColumns} from ${disciplineFrom} where d.id = ${id}`)).rows[0]!);
}

/** 奖惩: the member's honours, and (to the admins of their org) their 党纪处分. */
export async function memberRecord(db: Db, actor: Actor, memberId: string): Promise<MemberRecord> {
  const m = await memberVisible(db, actor, memberId);
  const [honours, discipline] = await Promise.all([
    db.execute<HonourRow>(sql`select ${honourColumns} from honours h where h.member_id = ${m.id} order by h.awarded_on desc, h.id desc limit 200`),
    runsOrgAt(actor, m.org_path)
      ? db.execute<DisciplineRow>(sql`select ${disciplineColumns} from ${disciplineFrom} where d.member_id = ${m.id} order by d.decided_on desc, d.id desc limit 200`)
      : Promise.resolve({ rows: [] as DisciplineRow[] }),
  ]);
  return { honours: honours.rows.map(toHonour), discipline: discipline.rows.map(toDiscipline) };
}

