import { sql, type SQL } from 'drizzle-orm';
import type {
  Community, CommunityListQuery, CommunityMembers, CommunityPage, CommunityReport, CreateCommunity, ReportStats, ReportToCommunity, UpdateCommunity,
} from '../../../../contracts/communities.js';
import type { PageQuerySchema } from '../../../../contracts/common.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { managedOrg } from '../../platform/org-scope.js';
import { canManageCommunity, canReportFor, reportedMembersInScope, visibleCommunities } from './policy.js';
import type { z } from 'zod';
import { likeContaining, pageLimit } from '../../platform/sql.js';

type Row = Record<string, unknown>;
type PageQuery = z.infer<typeof PageQuerySchema>;

type CommunityRow = {
  id: string; org_id: string; org_path: string; org_name: string; name: string; street: string; contact_name: string | null; contact_phone: string | null;
  address: string | null; archived_at: Date | string | null; reported_count: number;
} & Row;

const communityColumns = sql`c.id::text, c.org_id::text, c.org_path::text, o.name as org_name, c.name, c.street, c.contact_name, c.contact_phone, c.address,
  c.archived_at, (select count(*) from community_reports r where r.community_id = c.id)::int as reported_count`;

function toCommunity(r: CommunityRow, actor: Actor): Community {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, street: r.street, contactName: r.contact_name, contactPhone: r.contact_phone,
    address: r.address, archived: r.archived_at != null, reportedCount: Number(r.reported_count), canManage: canManageCommunity(actor, { orgPath: r.org_path }),
  };
}

export async function listCommunities(db: Db, actor: Actor, query: CommunityListQuery): Promise<CommunityPage> {
  const conditions: SQL[] = [visibleCommunities(actor)];
  if (!query.includeArchived) conditions.push(sql`c.archived_at is null`);
  if (query.street) conditions.push(sql`c.street = ${query.street}`);
  if (query.q) conditions.push(sql`c.search_text like ${likeContaining(simplify(query.q))}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<CommunityRow>(sql`select ${communityColumns} from communities c join orgs o on o.id = c.org_id where ${where}
      order by c.street, c.name, c.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from communities c where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toCommunity(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisibleCommunity(q: Queryable, actor: Actor, id: string, lock = false): Promise<CommunityRow> {
  const row = (await q.execute<CommunityRow>(sql`select ${communityColumns} from communities c join orgs o on o.id = c.org_id
    where c.id = ${id} and ${visibleCommunities(actor)} ${lock ? sql`for update of c` : sql``}`)).rows[0];
  if (!row) throw notFound('community.not_found');
  return row;
}

export async function getCommunity(db: Queryable, actor: Actor, id: string): Promise<Community> {
  return toCommunity(await findVisibleCommunity(db, actor, id), actor);
}

export async function createCommunity(db: Db, actor: Actor, input: CreateCommunity): Promise<Community> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    await assertNameFree(tx, org.path, input.street, input.name, null);
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into communities (org_id, org_path, name, street, contact_name, contact_phone, address, search_text)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.street}, ${input.contactName ?? null}, ${input.contactPhone ?? null}, ${input.address ?? null},
              ${simplify(`${input.street} ${input.name}`)})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'community.create', targetType: 'community', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getCommunity(db, actor, id);
}

async function assertNameFree(q: Queryable, orgPath: string, street: string, name: string, exceptId: string | null): Promise<void> {
  const clash = await q.execute(sql`select 1 from communities where subpath(org_path, 0, 1) = subpath(${orgPath}::ltree, 0, 1)
    and street = ${street} and name = ${name} and archived_at is null ${exceptId ? sql`and id <> ${exceptId}` : sql``}`);
  if (clash.rows.length) throw invalidField('name', 'community.name_taken');
}

export async function updateCommunity(db: Db, actor: Actor, id: string, input: UpdateCommunity): Promise<Community> {
  await db.transaction(async (tx) => {
    const row = await findVisibleCommunity(tx, actor, id, true);
    if (!canManageCommunity(actor, { orgPath: row.org_path })) throw forbidden('community.not_manager');
    const name = input.name ?? row.name, street = input.street ?? row.street;
    const archived = input.archived ?? row.archived_at != null;
    if (!archived) await assertNameFree(tx, row.org_path, street, name, id);
    await tx.execute(sql`update communities set name = ${name}, street = ${street},
      contact_name = ${input.contactName === undefined ? row.contact_name : input.contactName},
      contact_phone = ${input.contactPhone === undefined ? row.contact_phone : input.contactPhone},
      address = ${input.address === undefined ? row.address : input.address},
      archived_at = ${archived ? (row.archived_at ? sql`archived_at` : sql`now()`) : null}, search_text = ${simplify(`${street} ${name}`)}, updated_at = now()
      where id = ${id}`);
    await audit(tx, actor, { action: 'community.update', targetType: 'community', targetId: id, orgPath: row.org_path, detail: { ...input } });
  });
  return getCommunity(db, actor, id);
}

// ---------- 双报到 ----------

type ReportRow = { member_id: string; member_name: string; org_name: string; community_id: string; community_name: string; reported_on: string } & Row;
const reportColumns = sql`r.member_id::text, m.name as member_name, o.name as org_name, r.community_id::text, c.name as community_name, r.reported_on::text`;
const reportFrom = sql`community_reports r join members m on m.id = r.member_id join orgs o on o.id = m.org_id join communities c on c.id = r.community_id`;
const toReport = (r: ReportRow): CommunityReport => ({
  memberId: r.member_id, memberName: r.member_name, orgName: r.org_name, communityId: r.community_id, communityName: r.community_name, reportedOn: r.reported_on,
});

/** The member reporting: themself, or (for an admin) a member of their subtree in the same tree as the community. */
async function reportingMember(q: Queryable, actor: Actor, memberId: string | undefined, community: CommunityRow): Promise<{ id: string; orgPath: string }> {
  const id = memberId ?? actor.memberId;
  if (!id) throw invalidField('memberId', 'community.member_required');
  const member = (await q.execute<{ org_path: string } & Row>(sql`select org_path::text from members where id = ${id} and left_at is null`)).rows[0];
  const allowed = member && (memberId === undefined || canReportFor(actor, { id, orgPath: member.org_path }));
  if (!member || !allowed) throw invalidField('memberId', 'community.member_not_found');
  if (member.org_path.split('.')[0] !== community.org_path.split('.')[0]) throw invalidField('memberId', 'community.other_tree');
  return { id, orgPath: member.org_path };
}

/** 双报到: one community per member; reporting again moves the member to the new community. */
export async function reportToCommunity(db: Db, actor: Actor, communityId: string, input: ReportToCommunity): Promise<CommunityReport> {
  const memberId = await db.transaction(async (tx) => {
    const community = await findVisibleCommunity(tx, actor, communityId);
    if (community.archived_at) throw conflict('community.archived');
    const member = await reportingMember(tx, actor, input.memberId, community);
    const before = (await tx.execute<{ community_id: string } & Row>(sql`select community_id::text from community_reports where member_id = ${member.id}`)).rows[0];
    await tx.execute(sql`insert into community_reports (member_id, community_id, reported_on, recorded_by)
      values (${member.id}, ${communityId}, ${input.reportedOn ?? sql`current_date`}, ${actor.userId})
      on conflict (member_id) do update set community_id = excluded.community_id, reported_on = excluded.reported_on, recorded_by = excluded.recorded_by`);
    await audit(tx, actor, { action: 'community.report', targetType: 'member', targetId: member.id, orgPath: member.orgPath, detail: { communityId, from: before?.community_id ?? null } });
    return member.id;
  });
  const row = (await db.execute<ReportRow>(sql`select ${reportColumns} from ${reportFrom} where r.member_id = ${memberId}`)).rows[0]!;
  return toReport(row);
}

export async function withdrawReport(db: Db, actor: Actor, memberId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ org_path: string; community_id: string } & Row>(sql`
      select m.org_path::text, r.community_id::text from community_reports r join members m on m.id = r.member_id where r.member_id = ${memberId} for update of r`)).rows[0];
    if (!row || !canReportFor(actor, { id: memberId, orgPath: row.org_path })) throw notFound('community.report_not_found');
    await tx.execute(sql`delete from community_reports where member_id = ${memberId}`);
    await audit(tx, actor, { action: 'community.withdraw_report', targetType: 'member', targetId: memberId, orgPath: row.org_path, detail: { communityId: row.community_id } });
  });
}

export async function myReport(db: Db, actor: Actor): Promise<{ report: CommunityReport | null }> {
  if (!actor.memberId) return { report: null };
  const row = (await db.execute<ReportRow>(sql`select ${reportColumns} from ${reportFrom} where r.member_id = ${actor.memberId}`)).rows[0];
  return { report: row ? toReport(row) : null };
}

/** The community's reported members: all of them for its keepers, those of the own subtree for other admins. */
export async function listCommunityMembers(db: Db, actor: Actor, communityId: string, query: PageQuery): Promise<CommunityMembers> {
  const community = await findVisibleCommunity(db, actor, communityId);
  const scope = reportedMembersInScope(actor, { orgPath: community.org_path });
  const where = sql`r.community_id = ${communityId} and ${scope}`;
  const [rows, total] = await Promise.all([
    db.execute<ReportRow>(sql`select ${reportColumns} from ${reportFrom} where ${where} order by m.org_path, m.id
      ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from community_reports r join members m on m.id = r.member_id where ${where}`),
  ]);
  return { items: rows.rows.map(toReport), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Counts for an org's subtree: members and reported members per child org, and reported members per community. */
export async function reportStats(db: Db, actor: Actor, orgId: string): Promise<ReportStats> {
  const org = await managedOrg(db, actor, orgId, { allowDissolved: true });
  const partyMember = sql`m.left_at is null and m.stage in ('probationary', 'full')`;
  const [total, byChild, byCommunity] = await Promise.all([
    db.execute<{ members: number; reported: number } & Row>(sql`
      select count(*)::int as members, count(r.id)::int as reported
        from members m left join community_reports r on r.member_id = m.id
       where m.org_path <@ ${org.path}::ltree and ${partyMember}`),
    db.execute<{ id: string; name: string; members: number; reported: number } & Row>(sql`
      select c.id::text, c.name, count(m.id)::int as members, count(r.id)::int as reported
        from orgs c left join members m on m.org_path <@ c.path and ${partyMember} left join community_reports r on r.member_id = m.id
       where c.parent_id = ${org.id} and c.dissolved_at is null
       group by c.id order by c.sort_order, c.id`),
    db.execute<{ id: string; name: string; street: string; reported: number } & Row>(sql`
      select cm.id::text, cm.name, cm.street, count(*)::int as reported
        from community_reports r join members m on m.id = r.member_id join communities cm on cm.id = r.community_id
       where m.org_path <@ ${org.path}::ltree and ${partyMember}
       group by cm.id order by count(*) desc, cm.id`),
  ]);
  return {
    orgId: org.id,
    members: Number(total.rows[0]?.members ?? 0),
    reported: Number(total.rows[0]?.reported ?? 0),
    byChildOrg: byChild.rows.map((r) => ({ orgId: r.id, orgName: r.name, members: Number(r.members), reported: Number(r.reported) })),
    byCommunity: byCommunity.rows.map((r) => ({ communityId: r.id, communityName: r.name, street: r.street, reported: Number(r.reported) })),
  };
}
