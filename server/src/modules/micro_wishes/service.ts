import crypto from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import {
  WISH_STALE_DAYS, type CreateWish, type FulfilWish, type ModerateWish, type PostWishReceipt, type PublicPostWish, type PublicWish, type PublicWishPage,
  type PublicWishQuery, type TrackedWish, type Wish, type WishListQuery, type WishPage, type WishStatus,
} from '../../../../contracts/micro_wishes.js';
import type { Actor } from '../../platform/actor.js';
import { canManageWish, canPostForCommunity, memberPath, visibleWishes } from './policy.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { maskPhone } from '../../platform/personal-data.js';
import { findCommunityInTree } from '../communities/lookup.js';
import { findTree, maskPersonalPatterns } from '../service_projects/public.js';
import { throttlePublicSubmission } from '../service_projects/throttle.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { pageLimit } from '../../platform/sql.js';
import { managedOrg } from '../../platform/org-scope.js';

type Row = Record<string, unknown>;
type WishRow = {
  id: string; org_id: string; org_path: string; source: Wish['source']; community_id: string | null; community_name: string | null; title: string;
  content: string; poster_name: string; poster_contact_masked: string; status: WishStatus; rejection_reason: string | null;
  published_at: Date | string | null; age_days: number | null; claimed_by_member_id: string | null; claimant_name: string | null;
  claimant_org_name: string | null; claimed_at: Date | string | null; fulfilment_note: string | null; fulfilled_at: Date | string | null;
  confirmed_at: Date | string | null; confirmed_by: Wish['confirmedBy']; created_at: Date | string; member_in_tree: boolean;
} & Row;

const iso = (v: Date | string | null) => (v == null ? null : new Date(v).toISOString());
const hashCode = (code: string) => crypto.createHash('sha256').update(code).digest('base64url');
const maskContact = (contact: string) => (/^1\d{10}$/.test(contact) ? maskPhone(contact) : contact.slice(0, 4) + '****' + contact.slice(-2));

const wishColumns = (actor: Actor) => sql`w.id::text, w.org_id::text, w.org_path::text, w.source, w.community_id::text, c.name as community_name, w.title, w.content,
  w.poster_name, w.poster_contact_masked, w.status, w.rejection_reason, w.published_at,
  case when w.status = 'open' then floor(extract(epoch from now() - w.published_at) / 86400)::int end as age_days,
  w.claimed_by_member_id::text, m.name as claimant_name, mo.name as claimant_org_name, w.claimed_at, w.fulfilment_note, w.fulfilled_at,
  w.confirmed_at, w.confirmed_by, w.created_at, coalesce(${memberPath(actor)} <@ subpath(w.org_path, 0, 1), false) as member_in_tree`;
const wishFrom = sql`micro_wishes w left join communities c on c.id = w.community_id
  left join members m on m.id = w.claimed_by_member_id left join orgs mo on mo.id = m.org_id`;

function toWish(row: WishRow, actor: Actor, evidence: Wish['evidence'] = []): Wish {
  const isAdmin = canManageWish(actor, { orgPath: row.org_path });
  const isMine = !!actor.memberId && row.claimed_by_member_id === actor.memberId;
  return {
    id: row.id, orgId: row.org_id, source: row.source, communityId: row.community_id, communityName: row.community_name, title: row.title, content: row.content,
    // a resident's name is for those who serve the wish; other members see a surname
    posterName: isAdmin || isMine ? row.poster_name : `${row.poster_name.slice(0, 1)}*`,
    posterContactMasked: row.poster_contact_masked, status: row.status, rejectionReason: row.rejection_reason, publishedAt: iso(row.published_at),
    ageDays: row.age_days == null ? null : Number(row.age_days), isStale: row.age_days != null && Number(row.age_days) >= WISH_STALE_DAYS,
    claimant: row.claimed_by_member_id ? { memberId: row.claimed_by_member_id, name: row.claimant_name ?? '', orgName: row.claimant_org_name ?? '' } : null,
    claimedAt: iso(row.claimed_at), fulfilmentNote: row.fulfilment_note, fulfilledAt: iso(row.fulfilled_at), confirmedAt: iso(row.confirmed_at),
    confirmedBy: row.confirmed_by, evidence, isMine, canModerate: isAdmin && row.status === 'pending_review',
    canClaim: !!actor.memberId && row.status === 'open' && row.member_in_tree, canConfirm: isAdmin && row.status === 'fulfilled', createdAt: iso(row.created_at)!,
  };
}

/**
 * The order of the wish lists, the console's and the public page's: the open wishes first, the longest
 * waiting at the top; then the others newest first (one still under review, not yet published, before
 * them), as a worker looking at what was claimed, fulfilled or confirmed looks for the latest first.
 */
const WISH_ORDER = sql`(w.status = 'open') desc, case when w.status = 'open' then w.published_at end, w.published_at desc nulls first, w.id desc`;

export async function listWishes(db: Db, actor: Actor, query: WishListQuery): Promise<WishPage> {
  const conditions: SQL[] = [visibleWishes(actor)];
  if (query.status) conditions.push(sql`w.status = ${query.status}`);
  if (query.mine) conditions.push(sql`w.claimed_by_member_id = ${actor.memberId ?? null}`);
  if (query.orgId) conditions.push(sql`w.org_path <@ ${(await managedOrg(db, actor, query.orgId, { allowDissolved: true })).path}::ltree`);
  if (query.stale) conditions.push(sql`w.status = 'open' and w.published_at < now() - ${`${WISH_STALE_DAYS} days`}::interval`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<WishRow>(sql`select ${wishColumns(actor)} from ${wishFrom} where ${where} order by ${WISH_ORDER} ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from micro_wishes w where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toWish(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisibleWish(q: Queryable, actor: Actor, id: string, lock = false): Promise<WishRow> {
  const row = (await q.execute<WishRow>(sql`select ${wishColumns(actor)} from ${wishFrom} where w.id = ${id} and ${visibleWishes(actor)} ${lock ? sql`for update of w` : sql``}`)).rows[0];
  if (!row) throw notFound('micro_wish.not_found');
  return row;
}

export async function getWish(db: Queryable, actor: Actor, id: string): Promise<Wish> {
  const row = await findVisibleWish(db, actor, id);
  const evidence = await db.execute<{ id: string; kind: 'photo' | 'document'; file_name: string; mime_type: string; size_bytes: number } & Row>(sql`
    select id::text, kind, file_name, mime_type, size_bytes from micro_wish_evidence where wish_id = ${id} order by id`);
  return toWish(row, actor, evidence.rows.map((e) => ({ id: e.id, kind: e.kind, fileName: e.file_name, mimeType: e.mime_type, sizeBytes: Number(e.size_bytes), url: `/api/micro-wishes/${id}/evidence/${e.id}` })));
}

/** A community posts a resident's wish: published at once (the community has already vetted it). */
export async function createWish(db: Db, actor: Actor, cipher: PersonalDataCipher, input: CreateWish): Promise<Wish> {
  const id = await db.transaction(async (tx) => {
    const community = await findCommunityInTree(tx, input.communityId, null);
    if (!community || !canPostForCommunity(actor, community)) throw invalidField('communityId', 'micro_wish.community_not_found');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into micro_wishes (org_id, org_path, community_id, source, title, content, poster_name, poster_contact_enc, poster_contact_masked, status, published_at)
      values (${community.orgId}, ${community.orgPath}::ltree, ${community.id}, 'community', ${input.title}, ${input.content}, ${input.posterName},
              ${cipher.encrypt(input.posterContact)}, ${maskContact(input.posterContact)}, 'open', now())
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'micro_wish.create', targetType: 'micro_wish', targetId: newId, orgPath: community.orgPath, detail: { title: input.title, communityId: community.id } });
    return newId;
  });
  return getWish(db, actor, id);
}

export async function moderateWish(db: Db, actor: Actor, id: string, input: ModerateWish): Promise<Wish> {
  await db.transaction(async (tx) => {
    const row = await findVisibleWish(tx, actor, id, true);
    if (!canManageWish(actor, { orgPath: row.org_path })) throw notFound('micro_wish.not_found');
    if (row.status !== 'pending_review') throw conflict('micro_wish.already_moderated');
    if (input.decision === 'approve') {
      await tx.execute(sql`update micro_wishes set status = 'open', published_at = now(), updated_at = now() where id = ${id}`);
    } else {
      await tx.execute(sql`update micro_wishes set status = 'rejected', rejection_reason = ${input.reason ?? null}, updated_at = now() where id = ${id}`);
    }
    await audit(tx, actor, { action: `micro_wish.${input.decision}`, targetType: 'micro_wish', targetId: id, orgPath: row.org_path, detail: { reason: input.reason ?? null } });
  });
  return getWish(db, actor, id);
}

/**
 * One claimant per wish: a single conditional UPDATE, so of two members clicking at once exactly
 * one wins and the other gets 409.
 */
export async function claimWish(db: Db, actor: Actor, id: string): Promise<Wish> {
  if (!actor.memberId) throw forbidden('micro_wish.members_only');
  await db.transaction(async (tx) => {
    const claimed = await tx.execute<{ org_path: string } & Row>(sql`
      update micro_wishes set status = 'claimed', claimed_by_member_id = ${actor.memberId}, claimed_by_user_id = ${actor.userId}, claimed_at = now(), updated_at = now()
       where id = ${id} and status = 'open' and claimed_by_member_id is null and ${memberPath(actor)} <@ subpath(org_path, 0, 1)
      returning org_path::text`);
    const row = claimed.rows[0];
    if (!row) {
      const wish = await findVisibleWish(tx, actor, id);
      if (wish.status === 'open' && !wish.member_in_tree) throw forbidden('micro_wish.other_tree');
      throw conflict(wish.status === 'open' ? 'micro_wish.not_open' : 'micro_wish.already_claimed');
    }
    await audit(tx, actor, { action: 'micro_wish.claim', targetType: 'micro_wish', targetId: id, orgPath: row.org_path, detail: { memberId: actor.memberId } });
  });
  return getWish(db, actor, id);
}

/** The claimant gives the wish back: it is open again for others. */
export async function releaseWish(db: Db, actor: Actor, id: string): Promise<Wish> {
  await db.transaction(async (tx) => {
    const row = await findVisibleWish(tx, actor, id, true);
    assertClaimant(actor, row);
    if (row.status !== 'claimed') throw conflict('micro_wish.not_claimed_state');
    await tx.execute(sql`update micro_wishes set status = 'open', claimed_by_member_id = null, claimed_by_user_id = null, claimed_at = null, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'micro_wish.release', targetType: 'micro_wish', targetId: id, orgPath: row.org_path });
  });
  return getWish(db, actor, id);
}

function assertClaimant(actor: Actor, row: WishRow): void {
  if (!actor.memberId || row.claimed_by_member_id !== actor.memberId) throw forbidden('micro_wish.claimant_only');
}

export async function fulfilWish(db: Db, actor: Actor, id: string, input: FulfilWish): Promise<Wish> {
  await db.transaction(async (tx) => {
    const row = await findVisibleWish(tx, actor, id, true);
    assertClaimant(actor, row);
    if (row.status !== 'claimed') throw conflict('micro_wish.not_claimed_state');
    await tx.execute(sql`update micro_wishes set status = 'fulfilled', fulfilment_note = ${input.note}, fulfilled_at = now(), updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'micro_wish.fulfil', targetType: 'micro_wish', targetId: id, orgPath: row.org_path, detail: { note: input.note } });
  });
  return getWish(db, actor, id);
}

/** The community (an admin of the wish's org) confirms on the poster's behalf. */
export async function confirmWish(db: Db, actor: Actor, id: string): Promise<Wish> {
  await db.transaction(async (tx) => {
    const row = await findVisibleWish(tx, actor, id, true);
    if (!canManageWish(actor, { orgPath: row.org_path })) throw forbidden('micro_wish.confirm_by_community');
    if (row.status !== 'fulfilled') throw conflict('micro_wish.not_fulfilled');
    await tx.execute(sql`update micro_wishes set status = 'confirmed', confirmed_at = now(), confirmed_by = 'community', updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'micro_wish.confirm', targetType: 'micro_wish', targetId: id, orgPath: row.org_path, detail: { by: 'community' } });
  });
  return getWish(db, actor, id);
}

/** The poster's contact, decrypted for the claimant (while serving the wish) or an admin; always audited. */
export async function revealContact(db: Db, actor: Actor, cipher: PersonalDataCipher, id: string): Promise<{ posterName: string; posterContact: string }> {
  return db.transaction(async (tx) => {
    const row = await findVisibleWish(tx, actor, id);
    const isClaimant = !!actor.memberId && row.claimed_by_member_id === actor.memberId && (row.status === 'claimed' || row.status === 'fulfilled');
    if (!isClaimant && !canManageWish(actor, { orgPath: row.org_path })) throw forbidden('micro_wish.contact_claimant_only');
    const sealed = (await tx.execute<{ poster_contact_enc: string } & Row>(sql`select poster_contact_enc from micro_wishes where id = ${id}`)).rows[0]!;
    await audit(tx, actor, { action: 'micro_wish.reveal_contact', targetType: 'micro_wish', targetId: id, orgPath: row.org_path, detail: { as: isClaimant ? 'claimant' : 'admin' } });
    return { posterName: row.poster_name, posterContact: cipher.decrypt(sealed.poster_contact_enc) };
  });
}

export async function addWishEvidence(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<Wish> {
  const check = (row: WishRow) => {
    assertClaimant(actor, row);
    if (row.status !== 'claimed' && row.status !== 'fulfilled') throw conflict('micro_wish.not_claimed_state');
  };
  check(await findVisibleWish(db, actor, id));
  const key = await storeUpload(dataDir, `micro-wishes/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const row = await findVisibleWish(tx, actor, id, true);
      check(row);
      await tx.execute(sql`insert into micro_wish_evidence (wish_id, kind, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${upload.kind}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId})`);
      await audit(tx, actor, { action: 'micro_wish.add_evidence', targetType: 'micro_wish', targetId: id, orgPath: row.org_path, detail: { fileName: upload.fileName } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getWish(db, actor, id);
}

export async function findWishEvidence(db: Db, actor: Actor, id: string, evidenceId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  await findVisibleWish(db, actor, id);
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select file_name, mime_type, storage_key from micro_wish_evidence where id = ${evidenceId} and wish_id = ${id}`)).rows[0];
  if (!row) throw notFound('service_project.evidence_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

// ---------- public: the resident's side ----------

export async function postPublicWish(db: Db, cipher: PersonalDataCipher, rootId: string, input: PublicPostWish, ip: string): Promise<PostWishReceipt> {
  return db.transaction(async (tx) => {
    const tree = await findTree(tx, rootId);
    let org = { id: tree.id, path: tree.path };
    if (input.communityId) {
      const community = await findCommunityInTree(tx, input.communityId, tree.path);
      if (!community) throw invalidField('communityId', 'micro_wish.community_not_found');
      org = { id: community.orgId, path: community.orgPath };
    }
    await throttlePublicSubmission(tx, ip, 'micro_wish.post');
    const trackingCode = crypto.randomBytes(12).toString('base64url');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into micro_wishes (org_id, org_path, community_id, source, title, content, poster_name, poster_contact_enc, poster_contact_masked,
                                tracking_code_hash, status, ip)
      values (${org.id}, ${org.path}::ltree, ${input.communityId ?? null}, 'resident', ${input.title}, ${input.content}, ${input.posterName},
              ${cipher.encrypt(input.posterContact)}, ${maskContact(input.posterContact)}, ${hashCode(trackingCode)}, 'pending_review', ${ip})
      returning id::text`);
    const id = inserted.rows[0]!.id;
    await audit(tx, null, { action: 'micro_wish.post', targetType: 'micro_wish', targetId: id, orgPath: org.path, detail: { title: input.title } }, ip);
    return { id, trackingCode, status: 'pending_review' as const };
  });
}

type PublicWishRow = {
  id: string; title: string; content: string; community_name: string | null; status: WishStatus; published_at: Date | string | null; age_days: number | null;
  claimant_org_name: string | null; fulfilled_at: Date | string | null; confirmed_at: Date | string | null; rejection_reason: string | null; fulfilment_note: string | null;
} & Row;
const publicColumns = sql`w.id::text, w.title, w.content, c.name as community_name, w.status, w.published_at,
  case when w.status = 'open' then floor(extract(epoch from now() - w.published_at) / 86400)::int end as age_days,
  mo.name as claimant_org_name, w.fulfilled_at, w.confirmed_at, w.rejection_reason, w.fulfilment_note`;

function toPublicWish(r: PublicWishRow): PublicWish {
  return {
    id: r.id, title: maskPersonalPatterns(r.title), content: maskPersonalPatterns(r.content), communityName: r.community_name, status: r.status,
    publishedAt: iso(r.published_at), ageDays: r.age_days == null ? null : Number(r.age_days), isStale: r.age_days != null && Number(r.age_days) >= WISH_STALE_DAYS,
    claimantOrgName: r.claimant_org_name, fulfilledAt: iso(r.fulfilled_at), confirmedAt: iso(r.confirmed_at),
  };
}

export async function listPublicWishes(db: Db, rootId: string, query: PublicWishQuery): Promise<PublicWishPage> {
  const tree = await findTree(db, rootId);
  const where = sql`w.org_path <@ ${tree.path}::ltree and ${query.status ? sql`w.status = ${query.status}` : sql`w.status in ('open', 'claimed', 'fulfilled', 'confirmed')`}`;
  const [rows, total] = await Promise.all([
    db.execute<PublicWishRow>(sql`select ${publicColumns} from ${wishFrom} where ${where}
      order by ${WISH_ORDER} ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from micro_wishes w where ${where}`),
  ]);
  return { items: rows.rows.map(toPublicWish), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findTracked(q: Queryable, code: string, lock = false): Promise<PublicWishRow & { org_path: string }> {
  const row = (await q.execute<PublicWishRow & { org_path: string }>(sql`select ${publicColumns}, w.org_path::text from ${wishFrom}
    where w.tracking_code_hash = ${hashCode(code)} ${lock ? sql`for update of w` : sql``}`)).rows[0];
  if (!row) throw notFound('micro_wish.not_found');
  return row;
}

export async function trackWish(db: Db, code: string): Promise<TrackedWish> {
  const row = await findTracked(db, code);
  return { ...toPublicWish(row), rejectionReason: row.rejection_reason, fulfilmentNote: maskPersonalPatterns(row.fulfilment_note) };
}

/** The poster confirms with the code they kept. */
export async function confirmByPoster(db: Db, code: string, ip: string): Promise<TrackedWish> {
  await db.transaction(async (tx) => {
    const row = await findTracked(tx, code, true);
    if (row.status !== 'fulfilled') throw conflict('micro_wish.not_fulfilled');
    await tx.execute(sql`update micro_wishes set status = 'confirmed', confirmed_at = now(), confirmed_by = 'poster', updated_at = now() where id = ${row.id}`);
    await audit(tx, null, { action: 'micro_wish.confirm', targetType: 'micro_wish', targetId: row.id, orgPath: row.org_path, detail: { by: 'poster' } }, ip);
  });
  return trackWish(db, code);
}
