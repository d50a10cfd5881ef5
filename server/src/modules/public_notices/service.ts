import { sql, type SQL } from 'drizzle-orm';
import {
  MIN_PUBLIC_NOTICE_DAYS, PUBLIC_NOTICE_KINDS, RECENTLY_ENDED_DAYS,
  type AnswerObjection, type MemberNotice, type MemberNoticeItem, type MemberNoticePage, type ObjectInput, type Objection, type ObjectionReceipt,
  type ObjectionStatus, type PublicNoticeCard, type PublicNoticeCardPage, type PublicNoticeDetail, type PublicNoticeItem, type PublicNoticeKind as Kind,
  type PublicNoticeListQuery, type PublicNoticePage, type PublicNoticeStatus, type PublicNoticeSummary, type PublicNoticeView, type RevealedContact,
} from '../../../../contracts/public_notices.js';
import type { PageRequest } from '../../platform/sql.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { chinaDateOf } from '../../platform/china-time.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { maskPhone, type PersonalDataCipher } from '../../platform/personal-data.js';
import { pageLimit, textArray } from '../../platform/sql.js';
import { findTree, maskPersonalPatterns } from '../service_projects/public.js';
import { throttlePublicSubmission } from '../service_projects/throttle.js';
import { canAnswerObjections, canRevealContact, inMemberTree, readsOnly, visibleNotices } from './policy.js';
import './messages.js';

export type PublicNoticeKind = Kind;

export interface PublicNoticeItemInput {
  /** the owner's record id */
  ref: string;
  /** person or org name, shown publicly */
  name: string;
  orgName: string;
  /** e.g. '优秀共产党员' or '五星级党建品牌' */
  title: string;
  /** deeds, no personal data */
  summary?: string | null;
}
export interface OpenPublicNoticeInput {
  kind: PublicNoticeKind;
  /** the owner's round id */
  sourceId: string;
  /** publishing org */
  orgId: string;
  title: string;
  /** YYYY-MM-DD, China date */
  startsOn: string;
  endsOn: string;
  items: PublicNoticeItemInput[];
}
/** Called in the same transaction that upholds an objection against one item: the source module withdraws that record. */
export interface PublicNoticeHandler {
  onItemWithdrawn(tx: Tx, item: { kind: PublicNoticeKind; sourceId: string; ref: string; reason: string }): Promise<void>;
}
/** What the source module checks before it finalizes (awards / publishes results). */
export interface PublicNoticeState {
  id: string;
  status: 'scheduled' | 'open' | 'ended';
  startsOn: string;
  endsOn: string;
  pendingObjections: number;
  withdrawnRefs: string[];
}

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const ID = /^[1-9]\d{0,17}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_ITEMS = 1000;

const handlers = new Map<PublicNoticeKind, PublicNoticeHandler>();

/** A source module registers its handler at the top level of its service.ts. */
export function registerPublicNoticeHandler(kind: PublicNoticeKind, handler: PublicNoticeHandler): void {
  handlers.set(kind, handler);
}
export function publicNoticeHandler(kind: PublicNoticeKind): PublicNoticeHandler | undefined {
  return handlers.get(kind);
}

/** today in China, in SQL (the connection's zone is set to it too; written out so the query reads the same anywhere) */
export const chinaToday = chinaDateOf(sql`now()`);
/** the status of a notice aliased `n` */
export const noticeStatus = sql`case when ${chinaToday} < n.starts_on then 'scheduled' when ${chinaToday} > n.ends_on then 'ended' else 'open' end`;

function isRealDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function checkText(field: string, value: unknown, max: number, key: string): string {
  const text = typeof value === 'string' ? value.trim() : '';
  if (!text) throw invalidField(field, key);
  if (text.length > max) throw invalidField(field, 'field.too_long', { max });
  return text;
}

/** Opens a 公示 in the caller's transaction; the actor must administer orgId. Returns its id. */
export async function openPublicNotice(tx: Tx, actor: Actor, input: OpenPublicNoticeInput): Promise<{ publicNoticeId: string }> {
  if (!PUBLIC_NOTICE_KINDS.includes(input.kind)) throw invalidField('kind', 'field.one_of', { values: PUBLIC_NOTICE_KINDS.join(', ') });
  const sourceId = String(input.sourceId ?? '');
  if (!sourceId || sourceId.length > 100) throw invalidField('sourceId', 'field.required');
  const title = checkText('title', input.title, 200, 'public_notices.title_required');
  if (!isRealDate(input.startsOn ?? '')) throw invalidField('startsOn', 'field.date');
  if (!isRealDate(input.endsOn ?? '')) throw invalidField('endsOn', 'field.date');
  if (input.endsOn < input.startsOn) throw invalidField('endsOn', 'public_notices.ends_before_starts');
  if (daysBetween(input.startsOn, input.endsOn) + 1 < MIN_PUBLIC_NOTICE_DAYS) throw invalidField('endsOn', 'public_notices.too_short', { min: MIN_PUBLIC_NOTICE_DAYS });
  const items = Array.isArray(input.items) ? input.items : [];
  if (!items.length) throw invalidField('items', 'public_notices.items_required');
  if (items.length > MAX_ITEMS) throw invalidField('items', 'field.too_many', { max: MAX_ITEMS });
  const refs = new Set<string>();
  const clean = items.map((item, i) => {
    const ref = String(item.ref ?? '');
    if (!ref || ref.length > 100 || refs.has(ref)) throw invalidField(`items.${i}.ref`, 'public_notices.item_duplicate');
    refs.add(ref);
    const summary = typeof item.summary === 'string' && item.summary.trim() ? item.summary.trim() : null;
    if (summary && summary.length > 2000) throw invalidField(`items.${i}.summary`, 'field.too_long', { max: 2000 });
    return {
      ref,
      name: checkText(`items.${i}.name`, item.name, 100, 'field.required'),
      orgName: checkText(`items.${i}.orgName`, item.orgName, 200, 'field.required'),
      title: checkText(`items.${i}.title`, item.title, 200, 'field.required'),
      summary,
    };
  });
  if (!ID.test(String(input.orgId ?? ''))) throw invalidField('orgId', 'org.not_found');
  const org = await managedOrg(tx, actor, input.orgId, { lock: 'share', field: 'orgId' });
  const notice = (await tx.execute<{ id: string } & Row>(sql`
    insert into public_notices (kind, source_id, org_id, org_path, title, starts_on, ends_on, created_by)
    values (${input.kind}, ${sourceId}, ${input.orgId}, ${org.path}::ltree, ${title}, ${input.startsOn}::date, ${input.endsOn}::date, ${actor.userId})
    returning id::text`)).rows[0]!;
  await tx.execute(sql`
    insert into public_notice_items (notice_id, ref, name, org_name, title, summary)
    select ${notice.id}, x.ref, x.name, x.org_name, x.title, x.summary
      from jsonb_to_recordset(${JSON.stringify(clean.map((c) => ({ ref: c.ref, name: c.name, org_name: c.orgName, title: c.title, summary: c.summary })))}::jsonb)
        as x (ref text, name text, org_name text, title text, summary text)`);
  await audit(tx, actor, {
    action: 'public_notice.open', targetType: 'public_notice', targetId: notice.id, orgPath: org.path,
    detail: { kind: input.kind, sourceId, title, startsOn: input.startsOn, endsOn: input.endsOn, items: clean.length },
  });
  return { publicNoticeId: notice.id };
}

/** What the source module checks before it finalizes: allowed only when ended without a pending objection. */
export async function publicNoticeState(q: Queryable, publicNoticeId: string): Promise<PublicNoticeState> {
  if (!ID.test(String(publicNoticeId ?? ''))) throw notFound('public_notices.not_found');
  const row = (await q.execute<{ id: string; status: PublicNoticeState['status']; starts_on: string; ends_on: string; pending: number | string; withdrawn: string[] | null } & Row>(sql`
    select n.id::text, ${noticeStatus} as status, n.starts_on::text, n.ends_on::text,
           (select count(*) from public_notice_objections o where o.notice_id = n.id and o.status = 'pending')::int as pending,
           (select coalesce(array_agg(i.ref order by i.id), '{}') from public_notice_items i where i.notice_id = n.id and i.withdrawn_at is not null) as withdrawn
      from public_notices n where n.id = ${publicNoticeId}`)).rows[0];
  if (!row) throw notFound('public_notices.not_found');
  return {
    id: row.id, status: row.status, startsOn: row.starts_on, endsOn: row.ends_on,
    pendingObjections: Number(row.pending), withdrawnRefs: textArrayOf(row.withdrawn),
  };
}

/** node-postgres answers text[] as an array; PGlite may answer its literal */
function textArrayOf(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean).map((v) => v.replace(/^"|"$/g, ''));
  return [];
}

// ---------- administrators ----------

interface NoticeRow extends Row {
  id: string; kind: PublicNoticeKind; source_id: string; org_id: string; org_path: string; org_name: string; title: string;
  starts_on: string; ends_on: string; status: PublicNoticeStatus; created_at: Time;
  item_count: number; withdrawn_count: number; pending: number; upheld: number; dismissed: number;
}

const noticeColumns = sql`n.id::text, n.kind, n.source_id, n.org_id::text, n.org_path::text, o.name as org_name, n.title,
  n.starts_on::text, n.ends_on::text, ${noticeStatus} as status, n.created_at,
  coalesce(i.item_count, 0)::int as item_count, coalesce(i.withdrawn_count, 0)::int as withdrawn_count,
  coalesce(c.pending, 0)::int as pending, coalesce(c.upheld, 0)::int as upheld, coalesce(c.dismissed, 0)::int as dismissed`;
const noticeFrom = sql`public_notices n join orgs o on o.id = n.org_id
  left join lateral (select count(*) as item_count, count(*) filter (where x.withdrawn_at is not null) as withdrawn_count
                       from public_notice_items x where x.notice_id = n.id) i on true
  left join lateral (select count(*) filter (where y.status = 'pending') as pending, count(*) filter (where y.status = 'upheld') as upheld,
                            count(*) filter (where y.status = 'dismissed') as dismissed
                       from public_notice_objections y where y.notice_id = n.id) c on true`;

function toSummary(r: NoticeRow): PublicNoticeSummary {
  return {
    id: r.id, kind: r.kind, sourceId: r.source_id, orgId: r.org_id, orgName: r.org_name, title: r.title, startsOn: r.starts_on, endsOn: r.ends_on,
    status: r.status, itemCount: Number(r.item_count), withdrawnCount: Number(r.withdrawn_count),
    objectionCounts: { pending: Number(r.pending), upheld: Number(r.upheld), dismissed: Number(r.dismissed) }, createdAt: iso(r.created_at)!,
  };
}

export async function listPublicNotices(db: Db, actor: Actor, query: PublicNoticeListQuery): Promise<PublicNoticePage> {
  const where = sql`${visibleNotices(actor)}
    ${query.status ? sql`and ${noticeStatus} = ${query.status}` : sql``}
    ${query.kind ? sql`and n.kind = ${query.kind}` : sql``}`;
  const [rows, total] = await Promise.all([
    db.execute<NoticeRow>(sql`select ${noticeColumns} from ${noticeFrom} where ${where} order by n.starts_on desc, n.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from public_notices n where ${where}`),
  ]);
  return { items: rows.rows.map(toSummary), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function visibleNotice(q: Queryable, actor: Actor, id: string): Promise<NoticeRow> {
  const row = ID.test(id) ? (await q.execute<NoticeRow>(sql`select ${noticeColumns} from ${noticeFrom} where n.id = ${id} and ${visibleNotices(actor)}`)).rows[0] : undefined;
  if (!row) throw notFound('public_notices.not_found');
  return row;
}

interface ItemRow extends Row { id: string; ref: string; name: string; org_name: string; title: string; summary: string | null; withdrawn_at: Time; withdrawn_reason: string | null }
const itemColumns = sql`x.id::text, x.ref, x.name, x.org_name, x.title, x.summary, x.withdrawn_at, x.withdrawn_reason`;
const toItem = (r: ItemRow): PublicNoticeItem => ({
  id: r.id, ref: r.ref, name: r.name, orgName: r.org_name, title: r.title, summary: r.summary, withdrawnAt: iso(r.withdrawn_at), withdrawnReason: r.withdrawn_reason,
});

interface ObjectionRow extends Row {
  id: string; item_id: string; item_name: string; content: string; contact_masked: string | null; submitted_by: string | null; submitter_name: string | null;
  status: ObjectionStatus; answer: string | null; answerer_name: string | null; answered_at: Time; created_at: Time;
}
const objectionColumns = sql`y.id::text, y.item_id::text, x.name as item_name, y.content, y.contact_masked, y.submitted_by::text,
  su.display_name as submitter_name, y.status, y.answer, au.display_name as answerer_name, y.answered_at, y.created_at`;
const objectionFrom = sql`public_notice_objections y join public_notice_items x on x.id = y.item_id
  left join users su on su.id = y.submitted_by left join users au on au.id = y.answered_by`;
const toObjection = (r: ObjectionRow): Objection => ({
  id: r.id, itemId: r.item_id, itemName: r.item_name, content: r.content, contactMasked: r.contact_masked,
  submittedBy: r.submitted_by ? { userId: r.submitted_by, name: r.submitter_name ?? '' } : null,
  status: r.status, answer: r.answer, answeredBy: r.answerer_name, answeredAt: iso(r.answered_at), createdAt: iso(r.created_at)!,
});

export async function getPublicNotice(db: Db, actor: Actor, id: string): Promise<PublicNoticeDetail> {
  const notice = await visibleNotice(db, actor, id);
  const [items, objections] = await Promise.all([
    db.execute<ItemRow>(sql`select ${itemColumns} from public_notice_items x where x.notice_id = ${id} order by x.id`),
    // pending first (they hold up the source module), then in the order they came
    db.execute<ObjectionRow>(sql`select ${objectionColumns} from ${objectionFrom} where y.notice_id = ${id}
      order by (y.status = 'pending') desc, y.created_at, y.id`),
  ]);
  return {
    ...toSummary(notice), items: items.rows.map(toItem), objections: objections.rows.map(toObjection),
    canAnswer: canAnswerObjections(actor, { orgPath: notice.org_path }) && !readsOnly(actor, { orgPath: notice.org_path }),
  };
}

interface LockedObjection extends Row { id: string; item_id: string; notice_id: string; status: ObjectionStatus; contact_sealed: string | null; org_path: string;
  kind: PublicNoticeKind; source_id: string; ref: string; item_withdrawn: boolean }

/** The objection with its notice, for an administrator of the notice's org; 404 outside the actor's subtree, 403 to a reader. */
async function answerableObjection(tx: Tx, actor: Actor, objectionId: string): Promise<LockedObjection> {
  const row = ID.test(objectionId) ? (await tx.execute<LockedObjection>(sql`
    select y.id::text, y.item_id::text, y.notice_id::text, y.status, y.contact_sealed, n.org_path::text, n.kind, n.source_id, x.ref,
           x.withdrawn_at is not null as item_withdrawn
      from public_notice_objections y join public_notice_items x on x.id = y.item_id join public_notices n on n.id = y.notice_id
     where y.id = ${objectionId} for update of y, x`)).rows[0] : undefined;
  if (!row) throw notFound('public_notices.objection_not_found');
  if (!canAnswerObjections(actor, { orgPath: row.org_path })) {
    if (readsOnly(actor, { orgPath: row.org_path })) throw forbidden('auth.read_only');
    throw notFound('public_notices.objection_not_found');
  }
  return row;
}

async function objectionById(q: Queryable, id: string): Promise<Objection> {
  return toObjection((await q.execute<ObjectionRow>(sql`select ${objectionColumns} from ${objectionFrom} where y.id = ${id}`)).rows[0]!);
}

/**
 * 异议成立: the item is withdrawn (once) and its source module withdraws its record in the same
 * transaction, so the notice and the honour never disagree.
 */
export async function upholdObjection(db: Db, actor: Actor, objectionId: string, input: AnswerObjection): Promise<Objection> {
  return db.transaction(async (tx) => {
    const row = await answerableObjection(tx, actor, objectionId);
    if (row.status !== 'pending') throw conflict('public_notices.already_answered');
    const answer = checkText('answer', input.answer, 1000, 'public_notices.answer_required');
    if (!row.item_withdrawn) {
      const handler = handlers.get(row.kind);
      if (!handler) throw conflict('public_notices.no_handler');
      await tx.execute(sql`update public_notice_items set withdrawn_at = now(), withdrawn_reason = ${answer} where id = ${row.item_id}`);
      await handler.onItemWithdrawn(tx, { kind: row.kind, sourceId: row.source_id, ref: row.ref, reason: answer });
    }
    await tx.execute(sql`update public_notice_objections set status = 'upheld', answer = ${answer}, answered_by = ${actor.userId}, answered_at = now()
      where id = ${objectionId}`);
    await audit(tx, actor, {
      action: 'public_notice.uphold', targetType: 'public_notice_objection', targetId: objectionId, orgPath: row.org_path,
      detail: { noticeId: row.notice_id, itemId: row.item_id, ref: row.ref, withdrawn: !row.item_withdrawn },
    });
    return objectionById(tx, objectionId);
  });
}

/** 异议不成立: answered, the item stays. */
export async function dismissObjection(db: Db, actor: Actor, objectionId: string, input: AnswerObjection): Promise<Objection> {
  return db.transaction(async (tx) => {
    const row = await answerableObjection(tx, actor, objectionId);
    if (row.status !== 'pending') throw conflict('public_notices.already_answered');
    const answer = checkText('answer', input.answer, 1000, 'public_notices.answer_required');
    await tx.execute(sql`update public_notice_objections set status = 'dismissed', answer = ${answer}, answered_by = ${actor.userId}, answered_at = now()
      where id = ${objectionId}`);
    await audit(tx, actor, {
      action: 'public_notice.dismiss', targetType: 'public_notice_objection', targetId: objectionId, orgPath: row.org_path,
      detail: { noticeId: row.notice_id, itemId: row.item_id, ref: row.ref },
    });
    return objectionById(tx, objectionId);
  });
}

/** The objector's full contact, for those who answer; every reading is audited. */
export async function revealObjectionContact(db: Db, actor: Actor, cipher: PersonalDataCipher, objectionId: string): Promise<RevealedContact> {
  return db.transaction(async (tx) => {
    const row = await answerableObjection(tx, actor, objectionId);
    if (!canRevealContact(actor, { orgPath: row.org_path })) throw notFound('public_notices.objection_not_found');
    await audit(tx, actor, { action: 'public_notice.reveal_contact', targetType: 'public_notice_objection', targetId: objectionId, orgPath: row.org_path, detail: { noticeId: row.notice_id } });
    return { contact: row.contact_sealed ? cipher.decrypt(row.contact_sealed) : null };
  });
}

// ---------- objecting ----------

const maskContact = (contact: string) => (/^1\d{10}$/.test(contact) ? maskPhone(contact) : contact.slice(0, 4) + '****' + contact.slice(-2));

interface TargetNotice { id: string; org_path: string; status: PublicNoticeStatus }

/** One objection against one item of an open notice; `submittedBy` null for the public page's anonymous form. */
async function insertObjection(tx: Tx, cipher: PersonalDataCipher, notice: TargetNotice, input: ObjectInput, who: { actor: Actor | null; ip: string }): Promise<ObjectionReceipt> {
  if (notice.status !== 'open') throw conflict(notice.status === 'ended' ? 'public_notices.ended' : 'public_notices.not_started');
  const item = ID.test(input.itemId) ? (await tx.execute<{ withdrawn: boolean } & Row>(sql`
    select withdrawn_at is not null as withdrawn from public_notice_items where id = ${input.itemId} and notice_id = ${notice.id}`)).rows[0] : undefined;
  if (!item) throw invalidField('itemId', 'public_notices.item_not_found');
  if (item.withdrawn) throw conflict('public_notices.item_withdrawn');
  const content = checkText('content', input.content, 1000, 'public_notices.content_required');
  const contact = input.contact ? input.contact.trim() : null;
  if (!who.actor) await throttlePublicSubmission(tx, who.ip, 'public_notice.objection');
  const inserted = (await tx.execute<{ id: string } & Row>(sql`
    insert into public_notice_objections (item_id, notice_id, content, contact_sealed, contact_masked, submitted_by, ip)
    values (${input.itemId}, ${notice.id}, ${content}, ${contact ? cipher.encrypt(contact) : null}, ${contact ? maskContact(contact) : null},
            ${who.actor?.userId ?? null}, ${who.ip})
    returning id::text`)).rows[0]!;
  await audit(tx, who.actor, {
    action: 'public_notice.object', targetType: 'public_notice_objection', targetId: inserted.id, orgPath: notice.org_path,
    detail: { noticeId: notice.id, itemId: input.itemId, anonymous: !who.actor },
  }, who.ip);
  return { id: inserted.id, status: 'pending' };
}

async function lockNotice(tx: Tx, id: string, scope: SQL): Promise<TargetNotice | undefined> {
  if (!ID.test(id)) return undefined;
  return (await tx.execute<TargetNotice & Row>(sql`select n.id::text, n.org_path::text, ${noticeStatus} as status from public_notices n
    where n.id = ${id} and ${scope} for share of n`)).rows[0];
}

// ---------- members (我的) ----------

export async function listMyPublicNotices(db: Db, actor: Actor, query: PageRequest): Promise<MemberNoticePage> {
  const where = sql`${inMemberTree(actor)} and ${noticeStatus} = 'open'`;
  const [rows, total] = await Promise.all([
    db.execute<NoticeRow>(sql`select n.id::text, n.kind, o.name as org_name, n.title, n.starts_on::text, n.ends_on::text, ${noticeStatus} as status
      from public_notices n join orgs o on o.id = n.org_id where ${where} order by n.ends_on, n.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from public_notices n where ${where}`),
  ]);
  const ids = rows.rows.map((r) => r.id);
  const [items, mine] = ids.length ? await Promise.all([
    db.execute<ItemRow & { notice_id: string }>(sql`select x.notice_id::text, ${itemColumns} from public_notice_items x
      where x.notice_id = any(${textArray(ids)}::bigint[]) order by x.id`),
    db.execute<{ notice_id: string; id: string; item_id: string; content: string; status: ObjectionStatus; answer: string | null; created_at: Time } & Row>(sql`
      select y.notice_id::text, y.id::text, y.item_id::text, y.content, y.status, y.answer, y.created_at from public_notice_objections y
       where y.notice_id = any(${textArray(ids)}::bigint[]) and y.submitted_by = ${actor.userId} order by y.id`),
  ]) : [{ rows: [] }, { rows: [] }];
  const notices: MemberNotice[] = rows.rows.map((r) => ({
    id: r.id, kind: r.kind, orgName: r.org_name, title: r.title, startsOn: r.starts_on, endsOn: r.ends_on, status: r.status,
    items: items.rows.filter((i) => i.notice_id === r.id).map(toPublicItem),
    myObjections: mine.rows.filter((m) => m.notice_id === r.id)
      .map((m) => ({ id: m.id, itemId: m.item_id, content: m.content, status: m.status, answer: m.answer, createdAt: iso(m.created_at)! })),
  }));
  return { items: notices, total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A member objects by name to a notice of their tree. */
export async function objectAsMember(db: Db, actor: Actor, cipher: PersonalDataCipher, noticeId: string, input: ObjectInput): Promise<ObjectionReceipt> {
  return db.transaction(async (tx) => {
    const notice = await lockNotice(tx, noticeId, inMemberTree(actor));
    if (!notice) throw notFound('public_notices.not_found');
    return insertObjection(tx, cipher, notice, input, { actor, ip: actor.ip });
  });
}

// ---------- public (no login): names, org names, honours, summaries; never personal data ----------

/** Free text typed by staff may hold a phone or ID number: masked on every public answer. */
const toPublicItem = (r: ItemRow): MemberNoticeItem => ({
  id: r.id, name: r.name, orgName: r.org_name, title: r.title, summary: maskPersonalPatterns(r.summary), withdrawn: r.withdrawn_at != null,
});

const publicCardColumns = sql`n.id::text, n.kind, o.name as org_name, n.title, n.starts_on::text, n.ends_on::text, ${noticeStatus} as status,
  (select count(*)::int from public_notice_items x where x.notice_id = n.id) as item_count`;
const toCard = (r: NoticeRow): PublicNoticeCard => ({
  id: r.id, kind: r.kind, orgName: r.org_name, title: r.title, startsOn: r.starts_on, endsOn: r.ends_on, status: r.status, itemCount: Number(r.item_count),
});
/** Shown publicly: started notices (a scheduled one is not public yet). */
const isPublic = sql`n.starts_on <= ${chinaToday}`;

/** The open and recently ended notices of a tree, open first. */
export async function listTreePublicNotices(db: Db, rootId: string, query: PageRequest): Promise<PublicNoticeCardPage> {
  const tree = await findTree(db, rootId);
  const where = sql`n.org_path <@ ${tree.path}::ltree and ${isPublic} and n.ends_on >= ${chinaToday} - ${RECENTLY_ENDED_DAYS}::int`;
  const [rows, total] = await Promise.all([
    db.execute<NoticeRow>(sql`select ${publicCardColumns} from public_notices n join orgs o on o.id = n.org_id where ${where}
      order by (n.ends_on >= ${chinaToday}) desc, n.ends_on desc, n.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from public_notices n where ${where}`),
  ]);
  return { items: rows.rows.map(toCard), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getPublicView(db: Db, id: string): Promise<PublicNoticeView> {
  const row = ID.test(id) ? (await db.execute<NoticeRow>(sql`select ${publicCardColumns} from public_notices n join orgs o on o.id = n.org_id
    where n.id = ${id} and ${isPublic}`)).rows[0] : undefined;
  if (!row) throw notFound('public_notices.not_found');
  const items = await db.execute<ItemRow>(sql`select ${itemColumns} from public_notice_items x where x.notice_id = ${id} order by x.id`);
  return { ...toCard(row), items: items.rows.map(toPublicItem) };
}

/** Anyone may object, anonymously, while the notice is open; limited per address. */
export async function objectPublicly(db: Db, cipher: PersonalDataCipher, noticeId: string, input: ObjectInput, ip: string): Promise<ObjectionReceipt> {
  return db.transaction(async (tx) => {
    const notice = await lockNotice(tx, noticeId, isPublic);
    if (!notice) throw notFound('public_notices.not_found');
    return insertObjection(tx, cipher, notice, input, { actor: null, ip });
  });
}

/**
 * For the source modules: finalizing (awarding, publishing results) is allowed only once the notice
 * ended with every objection answered; answers 409 otherwise. Returns the state (its withdrawnRefs).
 */
export async function assertPublicNoticeFinal(q: Queryable, publicNoticeId: string): Promise<PublicNoticeState> {
  const state = await publicNoticeState(q, publicNoticeId);
  if (state.status !== 'ended') throw conflict('public_notices.not_ended');
  if (state.pendingObjections > 0) throw conflict('public_notices.pending_objections', { count: state.pendingObjections });
  return state;
}
