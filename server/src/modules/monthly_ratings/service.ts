import { sql, type SQL } from 'drizzle-orm';
import type {
  MemberStarPage, MonthlyRatingCampaign, MonthlyRatingCampaignInput, MonthlyRatingCampaignPage, MonthlyRatingCampaignUpdate, MonthlyRatingPhase,
  MonthlyRatingRound, MonthlyRatingRoundDetail, MonthlyRatingRoundInput, MonthlyRatingRoundPage, MonthlyRatingTieBreak, MonthlyRatingWindows,
  MyMonthlyRatings, MyNominee, Nomination, NominationInput, NominationListQuery, NominationPage, NominationReview, NominationStatus, PeerPage,
  PublishedList, PublishedListPage, StarredMember, TieOrderInput, VoteResult,
} from '../../../../contracts/monthly_ratings.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { chinaDayStartsAt } from '../../platform/china-time.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { pageLimit, partialUpdate, textArray, type PageRequest } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { handlesNomination, nominatesMembers, runsCampaign, seesCampaign, votesInCampaign } from './policy.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const num = (v: unknown) => Number(v);
const parsed = <T>(v: T | string): T => (typeof v === 'string' ? JSON.parse(v) as T : v);

// ---------- campaigns ----------

type CampaignRow = {
  id: string; org_id: string; org_path: string; org_name: string; name: string; places: number; votes_per_member: number; allow_recommendations: boolean;
  auto_rounds: boolean; tie_break: MonthlyRatingTieBreak; nomination_from_day: number; nomination_to_day: number; voting_from_day: number; voting_to_day: number;
  is_active: boolean; created_at: Time; can_manage: boolean;
} & Row;
const campaignColumns = (actor: Actor) => sql`c.id::text, c.org_id::text, c.org_path::text, o.name as org_name, c.name, c.places, c.votes_per_member,
  c.allow_recommendations, c.auto_rounds, c.tie_break, c.nomination_from_day, c.nomination_to_day, c.voting_from_day, c.voting_to_day, c.is_active, c.created_at,
  ${runsCampaign(actor)} as can_manage`;

const toCampaign = (r: CampaignRow): MonthlyRatingCampaign => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, places: num(r.places), votesPerMember: num(r.votes_per_member),
  allowRecommendations: r.allow_recommendations, autoRounds: r.auto_rounds, tieBreak: r.tie_break,
  nominationFromDay: num(r.nomination_from_day), nominationToDay: num(r.nomination_to_day), votingFromDay: num(r.voting_from_day), votingToDay: num(r.voting_to_day),
  isActive: r.is_active, createdAt: iso(r.created_at)!, canManage: !!r.can_manage,
});

async function findCampaign(q: Queryable, actor: Actor, id: string, manage: boolean): Promise<CampaignRow> {
  const row = (await q.execute<CampaignRow>(sql`select ${campaignColumns(actor)} from monthly_rating_campaigns c join orgs o on o.id = c.org_id
    where c.id = ${id} and ${manage ? runsCampaign(actor) : seesCampaign(actor)}`)).rows[0];
  if (!row) throw notFound('monthly_rating.not_found');
  return row;
}

export async function getCampaign(db: Queryable, actor: Actor, id: string): Promise<MonthlyRatingCampaign> {
  return toCampaign(await findCampaign(db, actor, id, false));
}

export async function listCampaigns(db: Db, actor: Actor, query: PageRequest): Promise<MonthlyRatingCampaignPage> {
  const [rows, total] = await Promise.all([
    db.execute<CampaignRow>(sql`select ${campaignColumns(actor)} from monthly_rating_campaigns c join orgs o on o.id = c.org_id
      where ${seesCampaign(actor)} order by c.created_at desc, c.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from monthly_rating_campaigns c where ${seesCampaign(actor)}`),
  ]);
  return { items: rows.rows.map(toCampaign), total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Inserts a campaign (the caller has checked the org); the demo seeds through it too. */
export async function insertCampaign(tx: Queryable, org: { id: string; path: string }, userId: string, input: Omit<MonthlyRatingCampaignInput, 'orgId'>): Promise<string> {
  return (await tx.execute<{ id: string } & Row>(sql`
    insert into monthly_rating_campaigns (org_id, org_path, name, places, votes_per_member, allow_recommendations, auto_rounds, tie_break,
      nomination_from_day, nomination_to_day, voting_from_day, voting_to_day, created_by)
    values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.places}, ${input.votesPerMember}, ${input.allowRecommendations}, ${input.autoRounds}, ${input.tieBreak},
      ${input.nominationFromDay}, ${input.nominationToDay}, ${input.votingFromDay}, ${input.votingToDay}, ${userId}) returning id::text`)).rows[0]!.id;
}

export async function createCampaign(db: Db, actor: Actor, input: MonthlyRatingCampaignInput): Promise<MonthlyRatingCampaign> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId', notFoundKey: 'monthly_rating.org_not_found' });
    const { orgId: _orgId, ...settings } = input;
    const campaignId = await insertCampaign(tx, org, actor.userId, settings);
    await audit(tx, actor, { action: 'monthly_rating.create_campaign', targetType: 'monthly_rating_campaign', targetId: campaignId, orgPath: org.path, detail: { name: input.name } });
    return campaignId;
  });
  return getCampaign(db, actor, id);
}

export async function updateCampaign(db: Db, actor: Actor, id: string, input: MonthlyRatingCampaignUpdate): Promise<MonthlyRatingCampaign> {
  await db.transaction(async (tx) => {
    const c = await findCampaign(tx, actor, id, true);
    const days = {
      nominationFromDay: input.nominationFromDay ?? num(c.nomination_from_day), nominationToDay: input.nominationToDay ?? num(c.nomination_to_day),
      votingFromDay: input.votingFromDay ?? num(c.voting_from_day), votingToDay: input.votingToDay ?? num(c.voting_to_day),
    };
    if (!(days.nominationFromDay <= days.nominationToDay && days.nominationToDay < days.votingFromDay && days.votingFromDay <= days.votingToDay)) {
      throw invalidField('votingFromDay', 'monthly_rating.days_order');
    }
    const set = partialUpdate();
    set.set('name', input.name);
    set.set('places', input.places);
    set.set('votes_per_member', input.votesPerMember);
    set.set('allow_recommendations', input.allowRecommendations);
    set.set('auto_rounds', input.autoRounds);
    set.set('tie_break', input.tieBreak);
    set.set('nomination_from_day', input.nominationFromDay);
    set.set('nomination_to_day', input.nominationToDay);
    set.set('voting_from_day', input.votingFromDay);
    set.set('voting_to_day', input.votingToDay);
    set.set('is_active', input.isActive);
    if (set.isEmpty) return;
    await tx.execute(sql`update monthly_rating_campaigns set ${set.toSql()} where id = ${id}`);
    await audit(tx, actor, { action: 'monthly_rating.update_campaign', targetType: 'monthly_rating_campaign', targetId: id, orgPath: c.org_path, detail: { changed: Object.keys(input) } });
  });
  return getCampaign(db, actor, id);
}

// ---------- rounds ----------

const phaseOf = sql`case when r.published_at is not null then 'published' when now() < r.nomination_opens_at then 'upcoming'
  when now() < r.nomination_closes_at then 'nominating' when now() < r.voting_opens_at then 'between'
  when now() < r.voting_closes_at then 'voting' else 'closed' end`;

type RoundRow = {
  id: string; campaign_id: string; month: string; phase: MonthlyRatingPhase; nomination_opens_at: Time; nomination_closes_at: Time; voting_opens_at: Time;
  voting_closes_at: Time; published_at: Time; nominees: number; pending: number;
} & Row;
const roundColumns = sql`r.id::text, r.campaign_id::text, r.month, ${phaseOf} as phase, r.nomination_opens_at, r.nomination_closes_at, r.voting_opens_at,
  r.voting_closes_at, r.published_at,
  (select count(*)::int from monthly_rating_nominations n where n.round_id = r.id and n.status = 'approved') as nominees,
  (select count(*)::int from monthly_rating_nominations n where n.round_id = r.id and n.status = 'pending') as pending`;
const toRound = (r: RoundRow): MonthlyRatingRound => ({
  id: r.id, campaignId: r.campaign_id, month: r.month, phase: r.phase, nominationOpensAt: iso(r.nomination_opens_at)!, nominationClosesAt: iso(r.nomination_closes_at)!,
  votingOpensAt: iso(r.voting_opens_at)!, votingClosesAt: iso(r.voting_closes_at)!, publishedAt: iso(r.published_at), nominees: num(r.nominees), pending: num(r.pending),
});

/** The round with its campaign, when the actor sees the campaign (`manage`: runs it); 404 otherwise. */
async function findRound(q: Queryable, actor: Actor, roundId: string, manage: boolean): Promise<{ round: RoundRow; campaign: CampaignRow }> {
  const row = (await q.execute<RoundRow & { campaign: CampaignRow | string }>(sql`
    select ${roundColumns}, (select row_to_json(x) from (select ${campaignColumns(actor)} from orgs o where o.id = c.org_id) x) as campaign
    from monthly_rating_rounds r join monthly_rating_campaigns c on c.id = r.campaign_id
    where r.id = ${roundId} and ${manage ? runsCampaign(actor) : seesCampaign(actor)}`)).rows[0];
  if (!row) throw notFound('monthly_rating.round_not_found');
  return { round: row, campaign: parsed(row.campaign) };
}

export async function listRounds(db: Db, actor: Actor, campaignId: string, query: PageRequest): Promise<MonthlyRatingRoundPage> {
  await findCampaign(db, actor, campaignId, false);
  const [rows, total] = await Promise.all([
    db.execute<RoundRow>(sql`select ${roundColumns} from monthly_rating_rounds r where r.campaign_id = ${campaignId} order by r.month desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from monthly_rating_rounds where campaign_id = ${campaignId}`),
  ]);
  return { items: rows.rows.map(toRound), total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/**
 * A round's four times from its campaign's days (Beijing days, inclusive): the SQL the admin's
 * "create from settings" and the monthly job share. `c` is the campaigns alias, `month` a text expression.
 */
const dayOf = (month: SQL, day: SQL) => sql`(${month} || '-' || lpad(${day}::text, 2, '0'))::date`;
const windowsFromSettings = (month: SQL) => sql`${chinaDayStartsAt(dayOf(month, sql`c.nomination_from_day`))},
  ${chinaDayStartsAt(sql`${dayOf(month, sql`c.nomination_to_day`)} + 1`)},
  ${chinaDayStartsAt(dayOf(month, sql`c.voting_from_day`))},
  ${chinaDayStartsAt(sql`${dayOf(month, sql`c.voting_to_day`)} + 1`)}`;

export async function createRound(db: Db, actor: Actor, campaignId: string, input: MonthlyRatingRoundInput): Promise<MonthlyRatingRoundDetail> {
  const roundId = await db.transaction(async (tx) => {
    const c = await findCampaign(tx, actor, campaignId, true);
    const windows = input.nominationOpensAt
      ? sql`${input.nominationOpensAt}::timestamptz, ${input.nominationClosesAt}::timestamptz, ${input.votingOpensAt}::timestamptz, ${input.votingClosesAt}::timestamptz`
      : windowsFromSettings(sql`${input.month}::text`);
    const inserted = (await tx.execute<{ id: string } & Row>(sql`
      insert into monthly_rating_rounds (campaign_id, month, nomination_opens_at, nomination_closes_at, voting_opens_at, voting_closes_at)
      select c.id, ${input.month}, ${windows} from monthly_rating_campaigns c where c.id = ${campaignId}
      on conflict (campaign_id, month) do nothing returning id::text`)).rows[0];
    if (!inserted) throw conflict('monthly_rating.round_exists');
    await audit(tx, actor, { action: 'monthly_rating.create_round', targetType: 'monthly_rating_round', targetId: inserted.id, orgPath: c.org_path, detail: { month: input.month } });
    return inserted.id;
  });
  return getRound(db, actor, roundId);
}

/** Opens this month's round of every active campaign that makes them from its settings (the hourly job; idempotent). */
export async function openMonthRounds(db: Queryable, now: Date): Promise<number> {
  const month = sql`to_char(${now.toISOString()}::timestamptz at time zone 'Asia/Shanghai', 'YYYY-MM')`;
  const made = await db.execute<{ n: number } & Row>(sql`with ins as (
      insert into monthly_rating_rounds (campaign_id, month, nomination_opens_at, nomination_closes_at, voting_opens_at, voting_closes_at)
      select c.id, ${month}, ${windowsFromSettings(month)} from monthly_rating_campaigns c where c.is_active and c.auto_rounds
      on conflict (campaign_id, month) do nothing returning 1)
    select count(*)::int as n from ins`);
  return num(made.rows[0]?.n ?? 0);
}

type Ranked = { id: string; votes: number; tie_order: number | null } & Row;

/** The approved nominees in ranking order: votes, then the declared tie-break (the admin's order, else the earlier nomination). */
const rankingOrder = sql`coalesce(t.votes, 0) desc, case when c.tie_break = 'admin_decision' then n.tie_order end asc nulls last, n.created_at, n.id`;
const tallies = (roundId: string) => sql`(select v.nomination_id, count(*)::int as votes from monthly_rating_votes v where v.round_id = ${roundId} group by v.nomination_id)`;

async function rankedNominees(q: Queryable, roundId: string): Promise<Ranked[]> {
  return (await q.execute<Ranked>(sql`select n.id::text, coalesce(t.votes, 0)::int as votes, n.tie_order
    from monthly_rating_nominations n join monthly_rating_rounds r on r.id = n.round_id join monthly_rating_campaigns c on c.id = r.campaign_id
    left join ${tallies(roundId)} t on t.nomination_id = n.id
    where n.round_id = ${roundId} and n.status = 'approved' order by ${rankingOrder}`)).rows;
}

/** Under 'admin_decision', a tie across the last place needs every tied nominee ordered by the admin (distinct orders). */
function isTieUndecided(ranked: Ranked[], places: number, tieBreak: MonthlyRatingTieBreak): boolean {
  if (tieBreak !== 'admin_decision' || ranked.length <= places) return false;
  const last = ranked[places - 1]!;
  const next = ranked[places]!;
  if (num(last.votes) !== num(next.votes)) return false;
  const tied = ranked.filter((r) => num(r.votes) === num(last.votes));
  const orders = tied.map((r) => r.tie_order);
  return orders.some((o) => o === null) || new Set(orders).size < orders.length;
}

export async function getRound(db: Queryable, actor: Actor, roundId: string): Promise<MonthlyRatingRoundDetail> {
  const { round, campaign } = await findRound(db, actor, roundId, false);
  const runs = !!campaign.can_manage;
  const ranked = runs ? await rankedNominees(db, roundId) : [];
  return {
    ...toRound(round), campaign: toCampaign(campaign),
    votesCast: runs ? ranked.reduce((sum, r) => sum + num(r.votes), 0) : null,
    tieUndecided: runs && round.phase === 'closed' && isTieUndecided(ranked, num(campaign.places), campaign.tie_break),
  };
}

export async function updateWindows(db: Db, actor: Actor, roundId: string, input: MonthlyRatingWindows): Promise<MonthlyRatingRoundDetail> {
  await db.transaction(async (tx) => {
    const { round, campaign } = await findRound(tx, actor, roundId, true);
    await tx.execute(sql`select id from monthly_rating_rounds where id = ${roundId} for update`);
    if (round.published_at) throw conflict('monthly_rating.published');
    await tx.execute(sql`update monthly_rating_rounds set nomination_opens_at = ${input.nominationOpensAt}, nomination_closes_at = ${input.nominationClosesAt},
      voting_opens_at = ${input.votingOpensAt}, voting_closes_at = ${input.votingClosesAt} where id = ${roundId}`);
    await audit(tx, actor, { action: 'monthly_rating.update_round', targetType: 'monthly_rating_round', targetId: roundId, orgPath: campaign.org_path, detail: { ...input } });
  });
  return getRound(db, actor, roundId);
}

// ---------- nominations ----------

type NominationRow = {
  id: string; round_id: string; member_id: string; name: string; org_id: string; org_name: string; reasons: string; has_photo: boolean;
  source: Nomination['source']; status: NominationStatus; created_at: Time; votes: number | null; tie_order: number | null; place: number | null; is_starred: boolean;
} & Row;
const nominationColumns = (showVotes: SQL) => sql`n.id::text, n.round_id::text, n.member_id::text, m.name, n.org_id::text, o.name as org_name, n.reasons,
  (n.photo_key is not null) as has_photo, n.source, n.status, n.created_at, case when ${showVotes} then coalesce(t.votes, 0) end as votes,
  n.tie_order, n.place, n.is_starred`;
const toNomination = (r: NominationRow): Nomination => ({
  id: r.id, roundId: r.round_id, memberId: r.member_id, name: r.name, orgId: r.org_id, orgName: r.org_name, reasons: r.reasons, hasPhoto: !!r.has_photo,
  source: r.source, status: r.status, createdAt: iso(r.created_at)!, votes: r.votes === null ? null : num(r.votes), tieOrder: r.tie_order === null ? null : num(r.tie_order),
  place: r.place === null ? null : num(r.place), isStarred: !!r.is_starred,
});
const nominationFrom = (roundId: SQL) => sql`monthly_rating_nominations n join members m on m.id = n.member_id join orgs o on o.id = n.org_id
  join monthly_rating_rounds r on r.id = n.round_id join monthly_rating_campaigns c on c.id = r.campaign_id
  left join (select v.nomination_id, count(*)::int as votes from monthly_rating_votes v where v.round_id = ${roundId} group by v.nomination_id) t on t.nomination_id = n.id`;
/** live counts for those who run the campaign; for everyone once published */
const showsVotes = (actor: Actor) => sql`(${runsCampaign(actor)} or r.published_at is not null)`;

/**
 * A round's nominations: all of them for those who run the campaign (in ranking order, with live
 * counts), those of their own subtree for an admin below (in nomination order, counts hidden until published).
 */
export async function listNominations(db: Db, actor: Actor, roundId: string, query: NominationListQuery): Promise<NominationPage> {
  const { campaign } = await findRound(db, actor, roundId, false);
  const conditions: SQL[] = [sql`n.round_id = ${roundId}`, handlesNomination(actor)];
  if (query.status) conditions.push(sql`n.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const order = campaign.can_manage ? sql`n.status = 'approved' desc, ${rankingOrder}` : sql`n.created_at, n.id`;
  const [rows, total] = await Promise.all([
    db.execute<NominationRow>(sql`select ${nominationColumns(showsVotes(actor))} from ${nominationFrom(sql`${roundId}`)} where ${where} order by ${order} ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from monthly_rating_nominations n join monthly_rating_rounds r on r.id = n.round_id
      join monthly_rating_campaigns c on c.id = r.campaign_id where ${where}`),
  ]);
  return { items: rows.rows.map(toNomination), total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getNomination(db: Queryable, actor: Actor, id: string): Promise<Nomination> {
  const row = (await db.execute<NominationRow>(sql`select ${nominationColumns(showsVotes(actor))}
    from ${nominationFrom(sql`(select round_id from monthly_rating_nominations where id = ${id})`)} where n.id = ${id} and ${handlesNomination(actor)}`)).rows[0];
  if (!row) throw notFound('monthly_rating.nomination_not_found');
  return toNomination(row);
}

/**
 * Files a nomination of a member of the campaign's tree, locking the member's org so that a move
 * or merge running at the same time carries it along. `who` is the admin scope the member must lie
 * in (an admin nominates their own members), or null for a member's recommendation.
 */
async function fileNomination(tx: Queryable, actor: Actor, round: RoundRow, campaign: CampaignRow, input: NominationInput, source: 'admin' | 'self' | 'peer'): Promise<string> {
  const scope = source === 'admin' ? nominatesMembers(actor) : sql`true`;
  const member = (await tx.execute<{ org_id: string; org_path: string } & Row>(sql`
    select o.id::text as org_id, o.path::text as org_path from members m join orgs o on o.id = m.org_id
    where m.id = ${input.memberId} and m.left_at is null and o.dissolved_at is null and m.org_path <@ ${campaign.org_path}::ltree and ${scope}
    for share of o`)).rows[0];
  if (!member) throw invalidField('memberId', 'monthly_rating.member_not_found');
  const inserted = (await tx.execute<{ id: string } & Row>(sql`
    insert into monthly_rating_nominations (round_id, member_id, org_id, org_path, reasons, source, status, nominated_by)
    values (${round.id}, ${input.memberId}, ${member.org_id}, ${member.org_path}::ltree, ${input.reasons}, ${source}, ${source === 'admin' ? 'approved' : 'pending'}, ${actor.userId})
    on conflict (round_id, member_id) do nothing returning id::text`)).rows[0];
  if (!inserted) throw conflict('monthly_rating.already_nominated');
  await audit(tx, actor, { action: 'monthly_rating.nominate', targetType: 'monthly_rating_nomination', targetId: inserted.id, orgPath: member.org_path,
    detail: { roundId: round.id, memberId: input.memberId, source } });
  return inserted.id;
}

/** An admin of an org in the tree nominates one of their members, until voting opens. */
export async function nominate(db: Db, actor: Actor, roundId: string, input: NominationInput): Promise<Nomination> {
  const id = await db.transaction(async (tx) => {
    const { round, campaign } = await findRound(tx, actor, roundId, false);
    if (round.published_at) throw conflict('monthly_rating.published');
    if (!['upcoming', 'nominating', 'between'].includes(round.phase)) throw conflict('monthly_rating.nominations_closed');
    return fileNomination(tx, actor, round, campaign, input, 'admin');
  });
  return getNomination(db, actor, id);
}

export async function reviewNomination(db: Db, actor: Actor, id: string, input: NominationReview): Promise<Nomination> {
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ status: NominationStatus; phase: MonthlyRatingPhase; org_path: string } & Row>(sql`
      select n.status, ${phaseOf} as phase, n.org_path::text from monthly_rating_nominations n join monthly_rating_rounds r on r.id = n.round_id
      join monthly_rating_campaigns c on c.id = r.campaign_id where n.id = ${id} and ${handlesNomination(actor)} for update of n`)).rows[0];
    if (!row) throw notFound('monthly_rating.nomination_not_found');
    if (row.status !== 'pending') throw conflict('monthly_rating.already_reviewed');
    if (!['upcoming', 'nominating', 'between'].includes(row.phase)) throw conflict('monthly_rating.nominations_closed');
    await tx.execute(sql`update monthly_rating_nominations set status = ${input.decision === 'approve' ? 'approved' : 'rejected'}, reviewed_by = ${actor.userId},
      reviewed_at = now(), review_note = ${input.note ?? null} where id = ${id}`);
    await audit(tx, actor, { action: 'monthly_rating.review', targetType: 'monthly_rating_nomination', targetId: id, orgPath: row.org_path, detail: { decision: input.decision } });
  });
  return getNomination(db, actor, id);
}

export async function setNominationPhoto(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<Nomination> {
  if (upload.kind !== 'photo') throw invalidField('file', 'monthly_rating.photo_only');
  await getNomination(db, actor, id);
  const key = await storeUpload(dataDir, `monthly-ratings/${id}`, upload);
  let old: string | null = null;
  try {
    await db.transaction(async (tx) => {
      const row = (await tx.execute<{ photo_key: string | null; org_path: string; published: boolean } & Row>(sql`
        select n.photo_key, n.org_path::text, r.published_at is not null as published from monthly_rating_nominations n
        join monthly_rating_rounds r on r.id = n.round_id join monthly_rating_campaigns c on c.id = r.campaign_id
        where n.id = ${id} and ${handlesNomination(actor)} for update of n`)).rows[0];
      if (!row) throw notFound('monthly_rating.nomination_not_found');
      if (row.published) throw conflict('monthly_rating.published');
      old = row.photo_key;
      await tx.execute(sql`update monthly_rating_nominations set photo_key = ${key}, photo_mime = ${upload.mimeType} where id = ${id}`);
      await audit(tx, actor, { action: 'monthly_rating.set_photo', targetType: 'monthly_rating_nomination', targetId: id, orgPath: row.org_path, detail: { sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  if (old) await removeUpload(dataDir, old);
  return getNomination(db, actor, id);
}

/** The nominee's photo: for those who handle the nomination, and for the tree (members and admins) once approved. */
export async function findNominationPhoto(db: Queryable, actor: Actor, id: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const row = (await db.execute<{ photo_key: string; photo_mime: string } & Row>(sql`
    select n.photo_key, n.photo_mime from monthly_rating_nominations n join monthly_rating_rounds r on r.id = n.round_id join monthly_rating_campaigns c on c.id = r.campaign_id
    where n.id = ${id} and n.photo_key is not null
      and (${handlesNomination(actor)} or (n.status = 'approved' and (${seesCampaign(actor)} or ${votesInCampaign(actor)})))`)).rows[0];
  if (!row) throw notFound('monthly_rating.nomination_not_found');
  return { fileName: `nominee-${id}.${row.photo_mime === 'image/png' ? 'png' : 'jpg'}`, mimeType: row.photo_mime, storageKey: row.photo_key };
}

/** Records the admin's order among nominees tied on votes (tie-break 'admin_decision'), once voting has closed. */
export async function setTieOrder(db: Db, actor: Actor, roundId: string, input: TieOrderInput): Promise<MonthlyRatingRoundDetail> {
  await db.transaction(async (tx) => {
    const { round, campaign } = await findRound(tx, actor, roundId, true);
    await tx.execute(sql`select id from monthly_rating_rounds where id = ${roundId} for update`);
    if (round.published_at) throw conflict('monthly_rating.published');
    if (campaign.tie_break !== 'admin_decision') throw conflict('monthly_rating.tie_break_not_admin');
    if (round.phase !== 'closed') throw conflict('monthly_rating.voting_not_closed');
    const ids = [...new Set(input.nominationIds)];
    const ranked = await rankedNominees(tx, roundId);
    const chosen = ranked.filter((r) => ids.includes(r.id));
    if (ids.length < 2 || chosen.length !== ids.length || new Set(chosen.map((r) => num(r.votes))).size !== 1) {
      throw invalidField('nominationIds', 'monthly_rating.tie_order_not_tied');
    }
    await tx.execute(sql`update monthly_rating_nominations n set tie_order = t.position
      from unnest(${textArray(ids)}::bigint[]) with ordinality t (id, position) where n.id = t.id and n.round_id = ${roundId}`);
    await audit(tx, actor, { action: 'monthly_rating.decide_tie', targetType: 'monthly_rating_round', targetId: roundId, orgPath: campaign.org_path, detail: { nominationIds: ids } });
  });
  return getRound(db, actor, roundId);
}

/** Keeps the month's places and stars (the top places with at least one vote) and marks the round published. */
export async function writeResults(tx: Queryable, roundId: string, userId: string | null): Promise<number> {
  const starred = await tx.execute<{ n: number } & Row>(sql`with ranked as (
      select n.id, coalesce(t.votes, 0) as votes, c.places, row_number() over (order by ${rankingOrder})::int as place
      from monthly_rating_nominations n join monthly_rating_rounds r on r.id = n.round_id join monthly_rating_campaigns c on c.id = r.campaign_id
      left join ${tallies(roundId)} t on t.nomination_id = n.id
      where n.round_id = ${roundId} and n.status = 'approved'),
    upd as (update monthly_rating_nominations n set final_votes = k.votes, place = k.place, is_starred = (k.place <= k.places and k.votes > 0)
      from ranked k where n.id = k.id returning n.is_starred)
    select count(*) filter (where is_starred)::int as n from upd`);
  await tx.execute(sql`update monthly_rating_rounds set published_at = now(), published_by = ${userId} where id = ${roundId}`);
  return num(starred.rows[0]?.n ?? 0);
}

/** 通报: after voting closes, the month's list is fixed and shown to the tree. */
export async function publishRound(db: Db, actor: Actor, roundId: string): Promise<MonthlyRatingRoundDetail> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select id from monthly_rating_rounds where id = ${roundId} for update`);
    const { round, campaign } = await findRound(tx, actor, roundId, true);
    if (round.published_at) throw conflict('monthly_rating.published');
    if (round.phase !== 'closed') throw conflict('monthly_rating.voting_not_closed');
    if (isTieUndecided(await rankedNominees(tx, roundId), num(campaign.places), campaign.tie_break)) throw conflict('monthly_rating.tie_undecided');
    const stars = await writeResults(tx, roundId, actor.userId);
    await audit(tx, actor, { action: 'monthly_rating.publish', targetType: 'monthly_rating_round', targetId: roundId, orgPath: campaign.org_path, detail: { month: round.month, stars } });
  });
  return getRound(db, actor, roundId);
}

// ---------- the published lists ----------

type ListRow = { round_id: string; month: string; campaign_name: string; org_name: string; published_at: Time; stars: StarredJson[] | string | null } & Row;
type StarredJson = { nominationId: string; place: number; name: string; orgName: string; reasons: string; votes: number; hasPhoto: boolean };
const starsOf = sql`(select json_agg(json_build_object('nominationId', n.id::text, 'place', n.place, 'name', m.name, 'orgName', o.name, 'reasons', n.reasons,
    'votes', n.final_votes, 'hasPhoto', n.photo_key is not null) order by n.place)
  from monthly_rating_nominations n join members m on m.id = n.member_id join orgs o on o.id = n.org_id where n.round_id = r.id and n.is_starred)`;
const listColumns = sql`r.id::text as round_id, r.month, c.name as campaign_name, co.name as org_name, r.published_at, ${starsOf} as stars`;
const toList = (r: ListRow): PublishedList => ({
  roundId: r.round_id, month: r.month, campaignName: r.campaign_name, orgName: r.org_name, publishedAt: iso(r.published_at)!,
  stars: (parsed(r.stars) ?? []).map((s): StarredMember => ({ ...s, place: num(s.place), votes: num(s.votes) })),
});

/** A published month's list: for the tree's admins and members (names, orgs and 事迹 only). */
export async function getPublishedList(db: Queryable, actor: Actor, roundId: string): Promise<PublishedList> {
  const row = (await db.execute<ListRow>(sql`select ${listColumns} from monthly_rating_rounds r join monthly_rating_campaigns c on c.id = r.campaign_id
    join orgs co on co.id = c.org_id where r.id = ${roundId} and r.published_at is not null and (${seesCampaign(actor)} or ${votesInCampaign(actor)})`)).rows[0];
  if (!row) throw notFound('monthly_rating.round_not_found');
  return toList(row);
}

/** The published lists of the campaigns whose tree holds the member, newest first. */
export async function listMyPublishedLists(db: Db, actor: Actor, query: PageRequest): Promise<PublishedListPage> {
  const where = sql`r.published_at is not null and ${votesInCampaign(actor)}`;
  const [rows, total] = await Promise.all([
    db.execute<ListRow>(sql`select ${listColumns} from monthly_rating_rounds r join monthly_rating_campaigns c on c.id = r.campaign_id join orgs co on co.id = c.org_id
      where ${where} order by r.month desc, r.published_at desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from monthly_rating_rounds r join monthly_rating_campaigns c on c.id = r.campaign_id where ${where}`),
  ]);
  return { items: rows.rows.map(toList), total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** The months a member was starred, for their record: their admins and the member themselves. */
export async function listMemberStars(db: Db, actor: Actor, memberId: string, query: PageRequest): Promise<MemberStarPage> {
  const member = (await db.execute<{ id: string } & Row>(sql`select m.id::text from members m
    where m.id = ${memberId} and (${nominatesMembers(actor)} or m.id = ${actor.memberId ?? '0'})`)).rows[0];
  if (!member) throw notFound('member.not_found');
  const where = sql`n.member_id = ${memberId} and n.is_starred`;
  const [rows, total] = await Promise.all([
    db.execute<{ round_id: string; month: string; campaign_name: string; place: number; reasons: string } & Row>(sql`
      select r.id::text as round_id, r.month, c.name as campaign_name, n.place, n.reasons from monthly_rating_nominations n
      join monthly_rating_rounds r on r.id = n.round_id join monthly_rating_campaigns c on c.id = r.campaign_id
      where ${where} order by r.month desc, r.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from monthly_rating_nominations n where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ roundId: r.round_id, month: r.month, campaignName: r.campaign_name, place: num(r.place), reasons: r.reasons })),
    total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize,
  };
}

// ---------- a member's phone ----------

/** How many of a round's rounds and nominees a phone shows: a member lies under a handful of campaigns. */
const MY_ROUNDS_MAX = 10;
const MY_NOMINEES_MAX = 200;

/**
 * The rounds the member takes part in now (nominating, voting, or closed within the last month and
 * not yet published), each with its approved nominees in nomination order — never by votes, which
 * stay hidden until the list is published — and the votes the member has left.
 */
export async function myRounds(db: Db, actor: Actor): Promise<MyMonthlyRatings> {
  if (!actor.memberId) return { rounds: [] };
  const rows = (await db.execute<{
    round_id: string; campaign_name: string; org_name: string; month: string; phase: MonthlyRatingPhase; nomination_closes_at: Time; voting_opens_at: Time;
    voting_closes_at: Time; votes_per_member: number; used: number; allow_recommendations: boolean; nominees: (Omit<MyNominee, 'hasPhoto'> & { hasPhoto: boolean })[] | string | null;
  } & Row>(sql`
    select r.id::text as round_id, c.name as campaign_name, co.name as org_name, r.month, ${phaseOf} as phase, r.nomination_closes_at, r.voting_opens_at,
      r.voting_closes_at, c.votes_per_member, c.allow_recommendations,
      (select count(*)::int from monthly_rating_votes v where v.round_id = r.id and v.voter_member_id = ${actor.memberId}) as used,
      (select json_agg(x order by x.created_at, x.nid) from (
         select n.id::text as id, n.id as nid, n.created_at, m.name, o.name as "orgName", n.reasons, n.photo_key is not null as "hasPhoto",
           exists (select 1 from monthly_rating_votes v where v.nomination_id = n.id and v.voter_member_id = ${actor.memberId}) as "votedByMe"
         from monthly_rating_nominations n join members m on m.id = n.member_id join orgs o on o.id = n.org_id
         where n.round_id = r.id and n.status = 'approved' order by n.created_at, n.id limit ${MY_NOMINEES_MAX}) x) as nominees
    from monthly_rating_rounds r join monthly_rating_campaigns c on c.id = r.campaign_id join orgs co on co.id = c.org_id
    where ${votesInCampaign(actor)} and r.published_at is null and r.nomination_opens_at <= now() and r.voting_closes_at > now() - interval '30 days'
    order by r.voting_closes_at, r.id limit ${MY_ROUNDS_MAX}`)).rows;
  return {
    rounds: rows.map((r) => ({
      roundId: r.round_id, campaignName: r.campaign_name, orgName: r.org_name, month: r.month, phase: r.phase,
      nominationClosesAt: iso(r.nomination_closes_at)!, votingOpensAt: iso(r.voting_opens_at)!, votingClosesAt: iso(r.voting_closes_at)!,
      votesPerMember: num(r.votes_per_member), remainingVotes: Math.max(0, num(r.votes_per_member) - num(r.used)),
      canRecommend: r.allow_recommendations && r.phase === 'nominating',
      nominees: (parsed(r.nominees) ?? []).map((n) => ({ id: n.id, name: n.name, orgName: n.orgName, reasons: n.reasons, hasPhoto: !!n.hasPhoto, votedByMe: !!n.votedByMe })),
    })),
  };
}

type VotingRound = { id: string; phase: MonthlyRatingPhase; votes_per_member: number; org_path: string } & Row;

/** The round when the actor is a member of its campaign's tree; 404 otherwise. */
async function findMyRound(q: Queryable, actor: Actor, roundId: string): Promise<VotingRound & { allow_recommendations: boolean; campaign_path: string }> {
  const row = (await q.execute<VotingRound & { allow_recommendations: boolean; campaign_path: string }>(sql`
    select r.id::text, ${phaseOf} as phase, c.votes_per_member, c.allow_recommendations, c.org_path::text as campaign_path
    from monthly_rating_rounds r join monthly_rating_campaigns c on c.id = r.campaign_id where r.id = ${roundId} and ${votesInCampaign(actor)}`)).rows[0];
  if (!row) throw notFound('monthly_rating.round_not_found');
  return row;
}

/**
 * One vote for one nominee. The vote takes the voter's next numbered slot of the round, written with
 * the table's keys as the guard: (round, voter, slot) so that two votes sent at once cannot both take
 * the last slot, and (nomination, voter) so that a nominee gets one vote from each member. A vote that
 * lost a slot to a concurrent one tries the next slot, while any remain.
 */
export async function castVote(db: Db, actor: Actor, roundId: string, nominationId: string): Promise<VoteResult> {
  return db.transaction(async (tx) => {
    const round = await findMyRound(tx, actor, roundId);
    if (round.phase !== 'voting') throw conflict('monthly_rating.not_voting');
    const nominee = (await tx.execute<{ id: string } & Row>(sql`select id::text from monthly_rating_nominations
      where id = ${nominationId} and round_id = ${roundId} and status = 'approved'`)).rows[0];
    if (!nominee) throw invalidField('nominationId', 'monthly_rating.nominee_not_found');
    const limit = num(round.votes_per_member);
    for (let attempt = 0; attempt <= limit; attempt++) {
      const state = (await tx.execute<{ used: number; voted: boolean; slot: number | null } & Row>(sql`
        with mine as (select count(*)::int as used from monthly_rating_votes where round_id = ${roundId} and voter_member_id = ${actor.memberId}),
        ins as (insert into monthly_rating_votes (round_id, voter_member_id, slot, nomination_id)
                select ${roundId}, ${actor.memberId}, mine.used + 1, ${nominationId} from mine
                where mine.used < ${limit}
                  and not exists (select 1 from monthly_rating_votes where nomination_id = ${nominationId} and voter_member_id = ${actor.memberId})
                on conflict do nothing returning slot)
        select mine.used, exists (select 1 from monthly_rating_votes where nomination_id = ${nominationId} and voter_member_id = ${actor.memberId}) as voted,
               (select slot from ins) as slot
        from mine`)).rows[0]!;
      if (state.slot !== null) return { nominationId, remainingVotes: limit - num(state.slot) };
      if (state.voted) throw conflict('monthly_rating.already_voted');
      if (num(state.used) >= limit) throw conflict('monthly_rating.vote_limit', { max: limit });
      // a concurrent vote took the slot (or this nominee) first: look again with what it wrote
    }
    throw conflict('monthly_rating.vote_limit', { max: limit });
  });
}

/** A member recommends themselves or a peer of the tree while nominations are open; an admin approves it. */
export async function recommend(db: Db, actor: Actor, roundId: string, input: NominationInput): Promise<{ id: string; status: NominationStatus }> {
  return db.transaction(async (tx) => {
    const mine = await findMyRound(tx, actor, roundId);
    if (!mine.allow_recommendations) throw conflict('monthly_rating.recommendations_off');
    if (mine.phase !== 'nominating') throw conflict('monthly_rating.not_nominating');
    const round = { id: roundId } as RoundRow;
    const campaign = { org_path: mine.campaign_path } as CampaignRow;
    const id = await fileNomination(tx, actor, round, campaign, input, input.memberId === actor.memberId ? 'self' : 'peer');
    return { id, status: 'pending' as const };
  });
}

/** The members of the recommender's own org (names only), to recommend a peer. */
export async function listPeers(db: Db, actor: Actor, roundId: string, query: PageRequest): Promise<PeerPage> {
  await findMyRound(db, actor, roundId);
  const where = sql`m.org_id = (select org_id from members where id = ${actor.memberId}) and m.left_at is null`;
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; name: string } & Row>(sql`select m.id::text, m.name from members m where ${where} order by m.name, m.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from members m where ${where}`),
  ]);
  return { items: rows.rows.map((r) => ({ memberId: r.id, name: r.name })), total: num(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}
