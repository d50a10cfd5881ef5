import { sql, type SQL } from 'drizzle-orm';
import type {
  AcceptTransfer, CancelTransfer, IssueTransfer, ReturnTransfer, Transfer, TransferListQuery, TransferPage, TransferStatus,
  TransferTargetPage, TransferTargetQuery,
} from '../../../../contracts/transfers.js';
import type { OrgType } from '../../../../contracts/orgs.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { lockMemberPlacement, relocateMember } from '../members/relocate.js';
import { canCancel, canDecide, canIssueFor, canSearchTargets, visibleTransfers } from './policy.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { managedOrg } from '../../platform/org-scope.js';

/** Memberships are held by committees and branches; a work committee or a 党小组 holds none. */
const TYPES_WITHOUT_MEMBERS: readonly OrgType[] = ['work_committee', 'group'];

type TransferRow = {
  id: string; member_id: string; member_name: string; from_org_id: string; from_org_name: string; to_org_id: string; to_org_name: string;
  from_path: string; to_path: string; status: TransferStatus; reason: string; note: string | null;
  issued_at: Date | string; issued_by: string | null; issued_by_name: string | null;
  decided_at: Date | string | null; decided_by: string | null; decided_by_name: string | null; decision_note: string | null;
} & Record<string, unknown>;

const transferSelect = sql`
  select t.id::text, t.member_id::text, m.name as member_name,
         t.from_org_id::text, fo.name as from_org_name, t.to_org_id::text, tg.name as to_org_name,
         t.from_path::text, t.to_path::text, t.status, t.reason, t.note,
         t.issued_at, t.issued_by::text, iu.display_name as issued_by_name,
         t.decided_at, t.decided_by::text, du.display_name as decided_by_name, t.decision_note
    from transfers t
    join members m on m.id = t.member_id
    join orgs fo on fo.id = t.from_org_id
    join orgs tg on tg.id = t.to_org_id
    left join users iu on iu.id = t.issued_by
    left join users du on du.id = t.decided_by`;

const iso = (v: Date | string) => new Date(v).toISOString();

function toTransfer(row: TransferRow, actor: Actor): Transfer {
  const sides = { status: row.status, fromPath: row.from_path, toPath: row.to_path };
  return {
    id: row.id,
    memberId: row.member_id,
    memberName: row.member_name,
    fromOrgId: row.from_org_id,
    fromOrgName: row.from_org_name,
    toOrgId: row.to_org_id,
    toOrgName: row.to_org_name,
    status: row.status,
    reason: row.reason,
    note: row.note,
    issuedAt: iso(row.issued_at),
    issuedBy: row.issued_by,
    issuedByName: row.issued_by_name,
    decidedAt: row.decided_at == null ? null : iso(row.decided_at),
    decidedBy: row.decided_by,
    decidedByName: row.decided_by_name,
    decisionNote: row.decision_note,
    canAccept: canDecide(actor, sides),
    canReturn: canDecide(actor, sides),
    canCancel: canCancel(actor, sides),
  };
}

export async function listTransfers(db: Db, actor: Actor, query: TransferListQuery): Promise<TransferPage> {
  const conditions: SQL[] = [visibleTransfers(actor, query.box)];
  if (query.status) conditions.push(sql`t.status = ${query.status}`);
  if (query.memberId) conditions.push(sql`t.member_id = ${query.memberId}`);
  if (query.orgId) {
    const { path } = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
    const into = sql`t.to_path <@ ${path}::ltree`, outOf = sql`t.from_path <@ ${path}::ltree`;
    conditions.push(query.box === 'incoming' ? into : query.box === 'outgoing' ? outOf : sql`(${into} or ${outOf})`);
  }
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<TransferRow>(sql`${transferSelect} where ${where}
      order by t.issued_at desc, t.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from transfers t where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toTransfer(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getTransfer(db: Queryable, actor: Actor, id: string): Promise<Transfer> {
  const result = await db.execute<TransferRow>(sql`${transferSelect} where t.id = ${id} and ${visibleTransfers(actor, 'all')}`);
  const row = result.rows[0];
  if (!row) throw notFound('transfer.not_found');
  return toTransfer(row, actor);
}

/**
 * Receiving orgs anywhere in the tree — a secretary must be able to send a member to a branch of
 * another bureau — but only names: no counts, contacts or other data of orgs outside one's scope.
 */
export async function listTargets(db: Db, actor: Actor, query: TransferTargetQuery): Promise<TransferTargetPage> {
  if (!canSearchTargets(actor)) throw forbidden('transfer.targets_forbidden');
  const conditions: SQL[] = [
    sql`o.dissolved_at is null`,
    sql`o.type not in (${sql.join(TYPES_WITHOUT_MEMBERS.map((t) => sql`${t}`), sql`, `)})`,
  ];
  if (query.q) conditions.push(sql`o.search_text like ${likeContaining(simplify(query.q))}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<{ id: string; name: string; type: OrgType; path_names: string } & Record<string, unknown>>(sql`
      select o.id::text, o.name, o.type,
             (select string_agg(a.name, ' / ' order by nlevel(a.path)) from orgs a where a.path @> o.path) as path_names
        from orgs o where ${where}
       order by o.path ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from orgs o where ${where}`),
  ]);
  return {
    items: rows.rows.map((r) => ({ id: r.id, name: r.name, type: r.type, pathNames: r.path_names })),
    total: Number(total.rows[0]?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

type TargetOrg = { id: string; path: string; type: OrgType; dissolved: boolean };

async function findOrgForTransfer(tx: Tx, id: string): Promise<TargetOrg | null> {
  const result = await tx.execute<{ id: string; path: string; type: OrgType; dissolved: boolean } & Record<string, unknown>>(sql`
    select id::text, path::text, type, dissolved_at is not null as dissolved from orgs where id = ${id} for share`);
  return result.rows[0] ?? null;
}

export async function issueTransfer(db: Db, actor: Actor, input: IssueTransfer): Promise<Transfer> {
  const id = await db.transaction(async (tx) => {
    const member = await lockMemberPlacement(tx, input.memberId);
    if (!member || !canIssueFor(actor, member.orgPath)) throw invalidField('memberId', 'transfer.member_not_found');
    if (member.hasLeft) throw invalidField('memberId', 'transfer.member_left');
    const target = await findOrgForTransfer(tx, input.toOrgId);
    if (!target) throw invalidField('toOrgId', 'transfer.target_not_found');
    if (target.dissolved) throw invalidField('toOrgId', 'transfer.target_dissolved');
    if (TYPES_WITHOUT_MEMBERS.includes(target.type)) throw invalidField('toOrgId', 'transfer.target_cannot_hold_members', { type: `org_type.${target.type}` });
    if (target.id === member.orgId) throw invalidField('toOrgId', 'transfer.same_org');
    // the partial unique index allows one open transfer per member; a concurrent issue loses here
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into transfers (member_id, from_org_id, to_org_id, from_path, to_path, status, reason, note, issued_by)
      values (${member.id}, ${member.orgId}, ${target.id}, ${member.orgPath}::ltree, ${target.path}::ltree, 'issued', ${input.reason}, ${input.note ?? null}, ${actor.userId})
      on conflict (member_id) where status = 'issued' do nothing
      returning id::text`);
    const newId = inserted.rows[0]?.id;
    if (!newId) throw conflict('transfer.already_open');
    await audit(tx, actor, {
      action: 'transfer.issue', targetType: 'transfer', targetId: newId, orgPath: member.orgPath,
      detail: { memberId: member.id, memberName: member.name, fromOrgId: member.orgId, toOrgId: target.id, reason: input.reason },
    });
    return newId;
  });
  return getTransfer(db, actor, id);
}

type OpenTransfer = { id: string; memberId: string; fromOrgId: string; toOrgId: string; fromPath: string; toPath: string; status: TransferStatus };

/** The transfer, locked, if the actor sees it at all (404 otherwise, whatever they meant to do). */
async function lockVisibleTransfer(tx: Tx, actor: Actor, id: string): Promise<OpenTransfer> {
  const result = await tx.execute<{ id: string; member_id: string; from_org_id: string; to_org_id: string; from_path: string; to_path: string; status: TransferStatus } & Record<string, unknown>>(sql`
    select t.id::text, t.member_id::text, t.from_org_id::text, t.to_org_id::text, t.from_path::text, t.to_path::text, t.status
      from transfers t where t.id = ${id} and ${visibleTransfers(actor, 'all')} for update`);
  const row = result.rows[0];
  if (!row) throw notFound('transfer.not_found');
  return { id: row.id, memberId: row.member_id, fromOrgId: row.from_org_id, toOrgId: row.to_org_id, fromPath: row.from_path, toPath: row.to_path, status: row.status };
}

function assertReceiverMayDecide(actor: Actor, t: OpenTransfer): void {
  if (t.status !== 'issued') throw conflict('transfer.not_open');
  if (!canDecide(actor, t)) throw forbidden('transfer.not_receiver');
}

async function settle(tx: Tx, actor: Actor, id: string, status: TransferStatus, note: string | null): Promise<void> {
  await tx.execute(sql`update transfers set status = ${status}, decided_by = ${actor.userId}, decided_at = now(), decision_note = ${note} where id = ${id}`);
}

/** The receiving org takes the member in: membership, status and audit commit together. */
export async function acceptTransfer(db: Db, actor: Actor, id: string, input: AcceptTransfer): Promise<Transfer> {
  await db.transaction(async (tx) => {
    const t = await lockVisibleTransfer(tx, actor, id);
    assertReceiverMayDecide(actor, t);
    const member = await lockMemberPlacement(tx, t.memberId);
    if (!member || member.hasLeft) throw conflict('transfer.member_left');
    if (member.orgId !== t.fromOrgId) throw conflict('transfer.member_moved');
    const target = await findOrgForTransfer(tx, t.toOrgId);
    if (!target || target.dissolved) throw conflict('transfer.target_dissolved');
    await relocateMember(tx, member.id, target);
    await settle(tx, actor, id, 'accepted', input.note ?? null);
    await audit(tx, actor, {
      action: 'transfer.accept', targetType: 'transfer', targetId: id, orgPath: target.path,
      detail: { memberId: member.id, memberName: member.name, fromOrgId: t.fromOrgId, toOrgId: target.id, fromPath: member.orgPath, toPath: target.path },
    });
  });
  return getTransfer(db, actor, id);
}

export async function returnTransfer(db: Db, actor: Actor, id: string, input: ReturnTransfer): Promise<Transfer> {
  await db.transaction(async (tx) => {
    const t = await lockVisibleTransfer(tx, actor, id);
    assertReceiverMayDecide(actor, t);
    await settle(tx, actor, id, 'returned', input.reason);
    await audit(tx, actor, {
      action: 'transfer.return', targetType: 'transfer', targetId: id, orgPath: t.toPath,
      detail: { memberId: t.memberId, fromOrgId: t.fromOrgId, toOrgId: t.toOrgId, reason: input.reason },
    });
  });
  return getTransfer(db, actor, id);
}

export async function cancelTransfer(db: Db, actor: Actor, id: string, input: CancelTransfer): Promise<Transfer> {
  await db.transaction(async (tx) => {
    const t = await lockVisibleTransfer(tx, actor, id);
    if (t.status !== 'issued') throw conflict('transfer.not_open');
    if (!canCancel(actor, t)) throw forbidden('transfer.not_sender');
    await settle(tx, actor, id, 'cancelled', input.reason ?? null);
    await audit(tx, actor, {
      action: 'transfer.cancel', targetType: 'transfer', targetId: id, orgPath: t.fromPath,
      detail: { memberId: t.memberId, fromOrgId: t.fromOrgId, toOrgId: t.toOrgId, reason: input.reason ?? null },
    });
  });
  return getTransfer(db, actor, id);
}
