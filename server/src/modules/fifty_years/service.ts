import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type SQL } from 'drizzle-orm';
import type {
  FiftyYearMedal, FiftyYearsExportQuery, FiftyYearsMember, FiftyYearsPage, FiftyYearsQuery, IssueMedal, RevokeMedal,
} from '../../../../contracts/fifty_years.js';
import { isWithin, type Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { chinaDateOf } from '../../platform/china-time.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit } from '../../platform/sql.js';
import { streamSheet } from '../../platform/xlsx-stream.js';
import { canIssueMedal, medalsInScope, membersInScope } from './policy.js';
import './messages.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const today = chinaDateOf(sql`now()`);

/**
 * The members whose 50th anniversary (入党日期 + 50 years) falls in `year`: joined in year − 50 (a
 * 29 February joiner's anniversary is the 28th, the same year), party members (预备/正式), on the
 * roll — or off it since, with a medal issued. The join-date range uses the roll's joined_on index.
 */
function reachingFifty(year: number): SQL {
  return sql`m.joined_on >= make_date(${year - 50}::int, 1, 1) and m.joined_on < make_date(${year - 49}::int, 1, 1)
    and m.stage in ('probationary', 'full') and (m.left_at is null or f.id is not null)`;
}
const medalJoin = sql`left join fifty_year_medals f on f.member_id = m.id and f.revoked_at is null`;
const issuedFilter = (issued: FiftyYearsQuery['issued']): SQL =>
  (issued === 'issued' ? sql`f.id is not null` : issued === 'not_issued' ? sql`f.id is null` : sql`true`);

/** The subtree asked for: an org the actor administers (404 otherwise), or their whole scope. */
async function listedRoot(q: Queryable, actor: Actor, orgId: string | undefined): Promise<{ id: string; path: string; name: string } | null> {
  // an administrator of one org lists it by default (its counts per org below it)
  const asked = orgId ?? (!actor.isPlatformAdmin && actor.adminPaths.length === 1
    ? (await q.execute<{ id: string } & Row>(sql`select id::text from orgs where path = ${actor.adminPaths[0]!}::ltree`)).rows[0]?.id : undefined);
  if (!asked) return null;
  const org = await managedOrg(q, actor, asked, { allowDissolved: true });
  return { id: org.id, path: org.path, name: org.name };
}

const listWhere = (actor: Actor, year: number, rootPath: string | null): SQL =>
  sql.join([membersInScope(actor), reachingFifty(year), rootPath ? sql`m.org_path <@ ${rootPath}::ltree` : sql`true`], sql` and `);

type MemberRow = {
  member_id: string; name: string; gender: 'male' | 'female'; org_id: string; org_name: string; joined_on: string; anniversary_on: string;
  id_number_masked: string | null; phone_masked: string | null; on_roll: boolean;
  medal_id: string | null; anniversary_year: number | null; issued_on: string | null; medal_org_id: string | null; medal_org_name: string | null;
  note: string | null; issued_by_name: string | null; medal_created_at: Time;
} & Row;

const memberColumns = sql`m.id::text as member_id, m.name, m.gender, m.org_id::text, o.name as org_name, m.joined_on::text,
  (m.joined_on + interval '50 years')::date::text as anniversary_on, m.id_number_masked, m.phone_masked, m.left_at is null as on_roll,
  f.id::text as medal_id, f.anniversary_year, f.issued_on::text, f.org_id::text as medal_org_id, fo.name as medal_org_name, f.note,
  fu.display_name as issued_by_name, f.created_at as medal_created_at`;
const memberFrom = sql`members m join orgs o on o.id = m.org_id ${medalJoin}
  left join orgs fo on fo.id = f.org_id left join users fu on fu.id = f.issued_by`;

const toMember = (r: MemberRow): FiftyYearsMember => ({
  memberId: r.member_id, name: r.name, gender: r.gender, orgId: r.org_id, orgName: r.org_name, joinedOn: r.joined_on, anniversaryOn: r.anniversary_on,
  idNumberMasked: r.id_number_masked, phoneMasked: r.phone_masked, onRoll: r.on_roll === true,
  medal: r.medal_id ? {
    id: r.medal_id, memberId: r.member_id, anniversaryYear: Number(r.anniversary_year), issuedOn: r.issued_on!, orgId: r.medal_org_id!, orgName: r.medal_org_name!,
    note: r.note, issuedByName: r.issued_by_name, createdAt: iso(r.medal_created_at)!, revokedAt: null, revokeReason: null,
  } : null,
});

export async function listFiftyYears(db: Db, actor: Actor, query: FiftyYearsQuery): Promise<FiftyYearsPage> {
  const root = await listedRoot(db, actor, query.orgId);
  const where = listWhere(actor, query.year, root?.path ?? null);
  const filtered = sql`${where} and ${issuedFilter(query.issued)}`;
  // each member counted under the org one level below the listed one that holds them (the listed org's own members under it)
  const groupPath = root ? sql`case when nlevel(m.org_path) > nlevel(${root.path}::ltree) then subpath(m.org_path, 0, nlevel(${root.path}::ltree) + 1) else m.org_path end`
    : sql`subpath(m.org_path, 0, 1)`;
  const [rows, total, byOrg] = await Promise.all([
    db.execute<MemberRow>(sql`select ${memberColumns} from ${memberFrom} where ${filtered} order by m.joined_on, m.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from members m ${medalJoin} where ${filtered}`),
    db.execute<{ org_id: string; org_name: string; total: number; issued: number } & Row>(sql`
      select g.id::text as org_id, g.name as org_name, c.total, c.issued
        from (select ${groupPath} as path, count(*)::int as total, count(f.id)::int as issued from members m ${medalJoin} where ${where} group by 1) c
        join orgs g on g.path = c.path
       order by g.path`),
  ]);
  const counts = byOrg.rows.reduce((acc, r) => ({ total: acc.total + Number(r.total), issued: acc.issued + Number(r.issued) }), { total: 0, issued: 0 });
  return {
    items: rows.rows.map(toMember), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize, year: query.year,
    counts: { ...counts, notIssued: counts.total - counts.issued },
    byOrg: byOrg.rows.map((r) => ({ orgId: r.org_id, orgName: r.org_name, total: Number(r.total), issued: Number(r.issued) })),
  };
}

type MedalRow = {
  id: string; member_id: string; anniversary_year: number; issued_on: string; org_id: string; org_name: string; org_path: string; note: string | null;
  issued_by_name: string | null; created_at: Time; revoked_at: Time; revoke_reason: string | null; member_name: string;
} & Row;

async function findMedal(q: Queryable, actor: Actor, id: string, lock = false): Promise<MedalRow> {
  const row = (await q.execute<MedalRow>(sql`
    select f.id::text, f.member_id::text, f.anniversary_year, f.issued_on::text, f.org_id::text, o.name as org_name, f.org_path::text, f.note,
           u.display_name as issued_by_name, f.created_at, f.revoked_at, f.revoke_reason, m.name as member_name
      from fifty_year_medals f join orgs o on o.id = f.org_id join members m on m.id = f.member_id left join users u on u.id = f.issued_by
     where f.id = ${id} and ${medalsInScope(actor)} ${lock ? sql`for update of f` : sql``}`)).rows[0];
  if (!row) throw notFound('fifty_years.medal_not_found');
  return row;
}

const toMedal = (r: MedalRow): FiftyYearMedal => ({
  id: r.id, memberId: r.member_id, anniversaryYear: Number(r.anniversary_year), issuedOn: r.issued_on, orgId: r.org_id, orgName: r.org_name, note: r.note,
  issuedByName: r.issued_by_name, createdAt: iso(r.created_at)!, revokedAt: iso(r.revoked_at), revokeReason: r.revoke_reason,
});

/** Records that the 纪念章 was issued to a member reaching 50 years in the year of issue (or before); once. */
export async function issueMedal(db: Db, actor: Actor, input: IssueMedal): Promise<FiftyYearMedal> {
  const id = await db.transaction(async (tx) => {
    const member = (await tx.execute<{ id: string; name: string; org_path: string; left: boolean; due: boolean; anniversary_year: number | null } & Row>(sql`
      select m.id::text, m.name, m.org_path::text, m.left_at is not null as left,
             m.joined_on is not null and m.stage in ('probationary', 'full')
               and (m.joined_on + interval '50 years')::date <= make_date(extract(year from ${input.issuedOn}::date)::int, 12, 31) as due,
             extract(year from m.joined_on + interval '50 years')::int as anniversary_year
        from members m where m.id = ${input.memberId} and ${membersInScope(actor)} for share of m`)).rows[0];
    if (!member) throw invalidField('memberId', 'fifty_years.member_not_found');
    if (member.left) throw invalidField('memberId', 'fifty_years.member_left');
    if (!member.due) throw invalidField('memberId', 'fifty_years.not_due');
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId' });
    if (!canIssueMedal(actor, org) || !isWithin(member.org_path, org.path)) throw invalidField('orgId', 'fifty_years.org_not_above');
    const future = (await tx.execute<{ future: boolean } & Row>(sql`select ${input.issuedOn}::date > ${today} as future`)).rows[0]!.future;
    if (future) throw invalidField('issuedOn', 'fifty_years.issued_in_future');
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into fifty_year_medals (member_id, anniversary_year, issued_on, org_id, org_path, note, issued_by)
      values (${member.id}, ${member.anniversary_year}, ${input.issuedOn}, ${org.id}, ${org.path}::ltree, ${input.note ?? null}, ${actor.userId})
      on conflict (member_id) where revoked_at is null do nothing
      returning id::text`)).rows[0];
    if (!row) throw conflict('fifty_years.already_issued');
    await audit(tx, actor, {
      action: 'fifty_years.issue_medal', targetType: 'fifty_year_medal', targetId: row.id, orgPath: org.path,
      detail: { name: member.name, memberId: member.id, issuedOn: input.issuedOn, anniversaryYear: member.anniversary_year },
    });
    return row.id;
  });
  return toMedal(await findMedal(db, actor, id));
}

/** A mistaken record is revoked (kept, with the reason); the member may then be recorded again. */
export async function revokeMedal(db: Db, actor: Actor, id: string, input: RevokeMedal): Promise<FiftyYearMedal> {
  await db.transaction(async (tx) => {
    const medal = await findMedal(tx, actor, id, true);
    if (medal.revoked_at != null) throw conflict('fifty_years.already_revoked');
    await tx.execute(sql`update fifty_year_medals set revoked_at = now(), revoked_by = ${actor.userId}, revoke_reason = ${input.reason} where id = ${id}`);
    await audit(tx, actor, { action: 'fifty_years.revoke_medal', targetType: 'fifty_year_medal', targetId: id, orgPath: medal.org_path,
      detail: { name: medal.member_name, memberId: medal.member_id, reason: input.reason } });
  });
  return toMedal(await findMedal(db, actor, id));
}

type ExportRow = MemberRow & { joined_key: string };
const COLUMNS = [
  { header: '姓名', key: 'name', width: 12 }, { header: '性别', key: 'gender', width: 6 }, { header: '所在党组织', key: 'org', width: 28 },
  { header: '入党日期', key: 'joinedOn', width: 12 }, { header: '满50年日期', key: 'anniversaryOn', width: 12 },
  { header: '身份证号', key: 'idNumber', width: 22 }, { header: '手机号', key: 'phone', width: 14 }, { header: '纪念章', key: 'medal', width: 8 },
  { header: '颁发日期', key: 'issuedOn', width: 12 }, { header: '颁发单位', key: 'issuedBy', width: 24 }, { header: '备注', key: 'note', width: 30 },
] as const;

/** The year's list as a streamed .xlsx (masked numbers only), audited with its row count before any row leaves. */
export async function exportFiftyYears(db: Db, actor: Actor, query: FiftyYearsExportQuery, log: FastifyBaseLogger): Promise<{ stream: Readable; fileName: string }> {
  const root = await listedRoot(db, actor, query.orgId);
  const filtered = sql`${listWhere(actor, query.year, root?.path ?? null)} and ${issuedFilter(query.issued)}`;
  const count = await db.execute<{ n: number } & Row>(sql`select count(*)::int as n from members m ${medalJoin} where ${filtered}`);
  await audit(db, actor, {
    action: 'fifty_years.export', targetType: 'org', targetId: root?.id ?? null, orgPath: root?.path ?? null,
    detail: { year: query.year, issued: query.issued, rowCount: Number(count.rows[0]?.n ?? 0) },
  });
  const stream = streamSheet<ExportRow, (typeof COLUMNS)[number]['key']>({
    label: 'fifty_years.export',
    sheetName: `${query.year}年光荣在党50年`,
    columns: COLUMNS,
    nextBatch: async (after, batchRows) => (await db.execute<ExportRow>(sql`
      select ${memberColumns}, m.joined_on::text as joined_key from ${memberFrom}
       where ${filtered} and ${after ? sql`(m.joined_on, m.id) > (${after.joined_key}::date, ${after.member_id}::bigint)` : sql`true`}
       order by m.joined_on, m.id limit ${batchRows}`)).rows,
    cellsOf: (r) => ({
      name: r.name, gender: r.gender === 'male' ? '男' : '女', org: r.org_name, joinedOn: r.joined_on, anniversaryOn: r.anniversary_on,
      idNumber: r.id_number_masked, phone: r.phone_masked, medal: r.medal_id ? '已颁发' : '未颁发', issuedOn: r.issued_on, issuedBy: r.medal_org_name, note: r.note,
    }),
  }, log);
  return { stream, fileName: `光荣在党50年-${root?.name ?? '全部'}-${query.year}.xlsx` };
}
