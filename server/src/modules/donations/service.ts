import { sql, type SQL } from 'drizzle-orm';
import type {
  Campaign, CampaignListQuery, CampaignPage, CampaignTotals, CreateCampaign, Donation, DonationPage, OrgTotals, OrgTotalsQuery, RecordDonation,
} from '../../../../contracts/donations.js';
import type { PageQuerySchema } from '../../../../contracts/common.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { canManageCampaign, visibleCampaigns } from './policy.js';
import type { z } from 'zod';
import { pageLimit } from '../../platform/sql.js';

type Row = Record<string, unknown>;
type PageQuery = z.infer<typeof PageQuerySchema>;
type CampaignRow = {
  id: string; org_id: string; org_path: string; org_name: string; title: string; description: string | null; starts_on: string; ends_on: string | null;
  goal_fen: string | number | null; total_fen: string | number; donation_count: number;
} & Row;

const campaignColumns = sql`k.id::text, k.org_id::text, k.org_path::text, o.name as org_name, k.title, k.description, k.starts_on::text, k.ends_on::text, k.goal_fen,
  coalesce((select sum(d.amount_fen) from donations d where d.campaign_id = k.id), 0)::bigint as total_fen,
  (select count(*) from donations d where d.campaign_id = k.id)::int as donation_count`;

function toCampaign(r: CampaignRow, actor: Actor): Campaign {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, description: r.description, startsOn: r.starts_on, endsOn: r.ends_on,
    goalFen: r.goal_fen == null ? null : Number(r.goal_fen), totalFen: Number(r.total_fen), donationCount: Number(r.donation_count), canManage: canManageCampaign(actor, { orgPath: r.org_path }),
  };
}

export async function listCampaigns(db: Db, actor: Actor, query: CampaignListQuery): Promise<CampaignPage> {
  const conditions: SQL[] = [visibleCampaigns(actor)];
  if (query.orgId) conditions.push(sql`k.org_path <@ (select path from orgs where id = ${query.orgId})`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<CampaignRow>(sql`select ${campaignColumns} from donation_campaigns k join orgs o on o.id = k.org_id where ${where}
      order by k.starts_on desc, k.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from donation_campaigns k where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toCampaign(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisibleCampaign(q: Queryable, actor: Actor, id: string, lock = false): Promise<CampaignRow> {
  const row = (await q.execute<CampaignRow>(sql`select ${campaignColumns} from donation_campaigns k join orgs o on o.id = k.org_id
    where k.id = ${id} and ${visibleCampaigns(actor)} ${lock ? sql`for update of k` : sql``}`)).rows[0];
  if (!row) throw notFound('donation.campaign_not_found');
  return row;
}

export async function getCampaign(db: Queryable, actor: Actor, id: string): Promise<Campaign> {
  return toCampaign(await findVisibleCampaign(db, actor, id), actor);
}

export async function createCampaign(db: Db, actor: Actor, input: CreateCampaign): Promise<Campaign> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into donation_campaigns (org_id, org_path, title, description, starts_on, ends_on, goal_fen)
      values (${org.id}, ${org.path}::ltree, ${input.title}, ${input.description ?? null}, ${input.startsOn}, ${input.endsOn ?? null}, ${input.goalFen ?? null})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'donation.create_campaign', targetType: 'donation_campaign', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getCampaign(db, actor, id);
}

type DonationRow = {
  id: string; campaign_id: string; donor_type: Donation['donorType']; donor_name: string | null; credited_org_name: string | null; amount_fen: string | number;
  donated_on: string; receipt_no: string; note: string | null;
} & Row;
const donationColumns = sql`d.id::text, d.campaign_id::text, d.donor_type, coalesce(dorg.name, dm.name) as donor_name, co.name as credited_org_name,
  d.amount_fen, d.donated_on::text, d.receipt_no, d.note`;
const donationFrom = sql`donations d left join orgs dorg on dorg.id = d.donor_org_id left join members dm on dm.id = d.donor_member_id
  left join orgs co on co.id = d.credited_org_id`;
const toDonation = (r: DonationRow): Donation => ({
  id: r.id, campaignId: r.campaign_id, donorType: r.donor_type, donorName: r.donor_type === 'anonymous' ? '匿名' : (r.donor_name ?? ''),
  creditedOrgName: r.credited_org_name, amountFen: Number(r.amount_fen), donatedOn: r.donated_on, receiptNo: r.receipt_no, note: r.note,
});

/** The ledger lines with donors' names are for the campaign's admins. */
export async function listDonations(db: Db, actor: Actor, campaignId: string, query: PageQuery): Promise<DonationPage> {
  const campaign = await findVisibleCampaign(db, actor, campaignId);
  if (!canManageCampaign(actor, { orgPath: campaign.org_path })) throw forbidden('donation.admins_only');
  const [rows, total] = await Promise.all([
    db.execute<DonationRow>(sql`select ${donationColumns} from ${donationFrom} where d.campaign_id = ${campaignId}
      order by d.donated_on desc, d.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from donations d where d.campaign_id = ${campaignId}`),
  ]);
  return { items: rows.rows.map(toDonation), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A donor org or member must belong to the campaign's tree; a member's gift is credited to the member's org. */
export async function recordDonation(db: Db, actor: Actor, campaignId: string, input: RecordDonation): Promise<Donation> {
  const id = await db.transaction(async (tx) => {
    const campaign = await findVisibleCampaign(tx, actor, campaignId, true);
    if (!canManageCampaign(actor, { orgPath: campaign.org_path })) throw forbidden('donation.admins_only');
    const tree = campaign.org_path.split('.')[0]!;
    let credited: { id: string; path: string } | null = null;
    if (input.donorType === 'org') {
      const org = (await tx.execute<{ id: string; path: string } & Row>(sql`select id::text, path::text from orgs where id = ${input.donorOrgId!} and path <@ ${tree}::ltree`)).rows[0];
      if (!org) throw invalidField('donorOrgId', 'org.not_found');
      credited = org;
    } else if (input.donorType === 'member') {
      const member = (await tx.execute<{ id: string; path: string } & Row>(sql`select org_id::text as id, org_path::text as path from members where id = ${input.donorMemberId!} and org_path <@ ${tree}::ltree`)).rows[0];
      if (!member) throw invalidField('donorMemberId', 'donation.member_not_found');
      credited = member;
    }
    const taken = await tx.execute(sql`select 1 from donations where campaign_id = ${campaignId} and receipt_no = ${input.receiptNo}`);
    if (taken.rows.length) throw invalidField('receiptNo', 'donation.receipt_taken');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into donations (campaign_id, donor_type, donor_org_id, donor_member_id, credited_org_id, credited_org_path, amount_fen, donated_on, receipt_no, note, recorded_by)
      values (${campaignId}, ${input.donorType}, ${input.donorOrgId ?? null}, ${input.donorMemberId ?? null}, ${credited?.id ?? null}, ${credited?.path ?? null}::ltree,
              ${input.amountFen}, ${input.donatedOn}, ${input.receiptNo}, ${input.note ?? null}, ${actor.userId})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'donation.record', targetType: 'donation_campaign', targetId: campaignId, orgPath: campaign.org_path, detail: { donationId: newId, ...input } });
    return newId;
  });
  return toDonation((await db.execute<DonationRow>(sql`select ${donationColumns} from ${donationFrom} where d.id = ${id}`)).rows[0]!);
}

export async function campaignTotals(db: Db, actor: Actor, campaignId: string): Promise<CampaignTotals> {
  await findVisibleCampaign(db, actor, campaignId);
  const rows = await db.execute<{ org_id: string | null; org_name: string | null; total: string | number; n: number; is_total: number } & Row>(sql`
    select d.credited_org_id::text as org_id, o.name as org_name, sum(d.amount_fen)::bigint as total, count(*)::int as n, grouping(d.credited_org_id, o.name)::int as is_total
      from donations d left join orgs o on o.id = d.credited_org_id
     where d.campaign_id = ${campaignId}
     group by grouping sets ((d.credited_org_id, o.name), ())`);
  const all = rows.rows.find((r) => Number(r.is_total) !== 0);
  const groups = rows.rows.filter((r) => Number(r.is_total) === 0);
  const anonymous = groups.find((r) => r.org_id == null);
  return {
    campaignId,
    totalFen: Number(all?.total ?? 0),
    count: Number(all?.n ?? 0),
    anonymousFen: Number(anonymous?.total ?? 0),
    byOrg: groups.filter((r) => r.org_id != null).map((r) => ({ orgId: r.org_id!, orgName: r.org_name ?? '', totalFen: Number(r.total), count: Number(r.n) }))
      .sort((a, b) => b.totalFen - a.totalFen || Number(a.orgId) - Number(b.orgId)),
  };
}

/** Across campaigns: what an org's subtree gave, in all and per direct child. */
export async function orgTotals(db: Db, actor: Actor, query: OrgTotalsQuery): Promise<OrgTotals> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const period = sql`${query.from ? sql`and d.donated_on >= ${query.from}` : sql``} ${query.to ? sql`and d.donated_on <= ${query.to}` : sql``}`;
  const [total, byChild] = await Promise.all([
    db.execute<{ total: string | number; n: number } & Row>(sql`select coalesce(sum(d.amount_fen), 0)::bigint as total, count(*)::int as n
      from donations d where d.credited_org_path <@ ${org.path}::ltree ${period}`),
    db.execute<{ id: string; name: string; total: string | number; n: number } & Row>(sql`
      select c.id::text, c.name, coalesce(sum(d.amount_fen), 0)::bigint as total, count(d.id)::int as n
        from orgs c left join donations d on d.credited_org_path <@ c.path ${period}
       where c.parent_id = ${org.id} and c.dissolved_at is null group by c.id order by c.sort_order, c.id`),
  ]);
  return {
    orgId: org.id,
    totalFen: Number(total.rows[0]?.total ?? 0),
    count: Number(total.rows[0]?.n ?? 0),
    byChildOrg: byChild.rows.map((r) => ({ orgId: r.id, orgName: r.name, totalFen: Number(r.total), count: Number(r.n) })),
  };
}
