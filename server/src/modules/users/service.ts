import { sql, type SQL } from 'drizzle-orm';
import type { CreateUser, ResetPassword, RoleGrant, UpdateUser, UserAccount, UserListQuery, UserPage } from '../../../../contracts/users.js';
import type { Actor, Role } from '../../platform/actor.js';
import type { Db, Queryable, Tx } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { AppError, conflict, forbidden, invalidField, invalidFields, notFound, type FieldProblem } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { assertStrongPassword, hashPassword } from '../../platform/passwords.js';
import { deleteUserSessions } from '../../platform/session.js';
import { lockMemberPlacement } from '../members/relocate.js';
import { canGrantRole, canLinkMember, canListUsers, canManageUser, visibleUsers, type AccountReach } from './policy.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';

type RoleJson = { role: Role; orgId: string | null; orgName: string | null; orgPath: string | null };
type UserRow = {
  id: string; username: string; display_name: string; member_id: string | null; member_name: string | null; member_org_name: string | null;
  member_org_path: string | null; disabled_at: Date | string | null; created_at: Date | string; password_changed_at: Date | string;
  last_seen_at: Date | string | null; roles: RoleJson[] | string;
} & Record<string, unknown>;

const userSelect = sql`
  select u.id::text, u.username, u.display_name, u.member_id::text, m.name as member_name, mo.name as member_org_name, m.org_path::text as member_org_path,
         u.disabled_at, u.created_at, u.password_changed_at,
         (select max(s.last_seen_at) from sessions s where s.user_id = u.id and s.expires_at > now()) as last_seen_at,
         coalesce((select json_agg(json_build_object('role', r.role, 'orgId', r.org_id::text, 'orgName', o.name, 'orgPath', o.path::text) order by r.id)
                     from user_roles r left join orgs o on o.id = r.org_id where r.user_id = u.id), '[]') as roles
    from users u
    left join members m on m.id = u.member_id
    left join orgs mo on mo.id = m.org_id`;

const iso = (v: Date | string) => new Date(v).toISOString();
const rolesOf = (row: UserRow): RoleJson[] => (typeof row.roles === 'string' ? (JSON.parse(row.roles) as RoleJson[]) : row.roles);
const reachOf = (row: UserRow): AccountReach => ({ id: row.id, memberOrgPath: row.member_org_path, roles: rolesOf(row).map((r) => ({ role: r.role, orgPath: r.orgPath })) });

function toAccount(row: UserRow, actor: Actor): UserAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    memberId: row.member_id,
    memberName: row.member_name,
    memberOrgName: row.member_org_name,
    roles: rolesOf(row).map((r) => ({ role: r.role, orgId: r.orgId, orgName: r.orgName })),
    disabled: row.disabled_at !== null,
    disabledAt: row.disabled_at === null ? null : iso(row.disabled_at),
    createdAt: iso(row.created_at),
    passwordChangedAt: iso(row.password_changed_at),
    lastSeenAt: row.last_seen_at === null ? null : iso(row.last_seen_at),
    canManage: canManageUser(actor, reachOf(row)),
  };
}

export async function listUsers(db: Db, actor: Actor, query: UserListQuery): Promise<UserPage> {
  if (!canListUsers(actor)) throw forbidden();
  const conditions: SQL[] = [visibleUsers(actor)];
  if (query.q) {
    const like = likeContaining(query.q);
    conditions.push(sql`(u.username ilike ${like} or u.display_name ilike ${like} or u.display_name ilike ${likeContaining(simplify(query.q))})`);
  }
  if (query.role) conditions.push(sql`exists (select 1 from user_roles r where r.user_id = u.id and r.role = ${query.role})`);
  if (query.orgId) conditions.push(sql`(exists (select 1 from user_roles r where r.user_id = u.id and r.org_id = ${query.orgId}) or m.org_id = ${query.orgId})`);
  if (query.disabled === '1' || query.disabled === 'true') conditions.push(sql`u.disabled_at is not null`);
  if (query.disabled === '0' || query.disabled === 'false') conditions.push(sql`u.disabled_at is null`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<UserRow>(sql`${userSelect} where ${where} order by lower(u.username), u.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from users u left join members m on m.id = u.member_id where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toAccount(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getUser(db: Queryable, actor: Actor, id: string): Promise<UserAccount> {
  const row = (await db.execute<UserRow>(sql`${userSelect} where u.id = ${id} and ${visibleUsers(actor)}`)).rows[0];
  if (!row) throw notFound('user.not_found');
  return toAccount(row, actor);
}

/** The account, locked, if the actor sees it (404 otherwise) and may manage it (403 otherwise). */
async function lockManagedAccount(tx: Tx, actor: Actor, id: string): Promise<{ row: UserRow; reach: AccountReach }> {
  const row = (await tx.execute<UserRow>(sql`${userSelect} where u.id = ${id} and ${visibleUsers(actor)} for update of u`)).rows[0];
  if (!row) throw notFound('user.not_found');
  const reach = reachOf(row);
  if (!canManageUser(actor, reach)) throw forbidden('user.not_manageable');
  return { row, reach };
}

function usernameTaken(): AppError {
  return new AppError(409, 'user.username_taken', {}, { username: { key: 'user.username_taken' } });
}

function memberAlreadyLinked(): AppError {
  return new AppError(409, 'user.member_already_linked', {}, { memberId: { key: 'user.member_already_linked' } });
}

/** The member an account is to be linked to: in the actor's subtree, still a member, not linked elsewhere. */
async function checkMemberLink(tx: Tx, actor: Actor, memberId: string, exceptUserId: string | null): Promise<{ orgPath: string }> {
  const member = await lockMemberPlacement(tx, memberId);
  if (!member || !canLinkMember(actor, member)) {
    throw invalidField('memberId', 'user.member_not_found');
  }
  if (member.hasLeft) throw invalidField('memberId', 'user.member_left');
  const linked = await tx.execute(sql`select 1 from users where member_id = ${memberId} and id <> ${exceptUserId ?? '0'}`);
  if (linked.rows.length > 0) throw memberAlreadyLinked();
  return { orgPath: member.orgPath };
}

type CheckedRole = { role: Role; orgId: string | null; orgPath: string | null };

/** Every grant checked at once, so that a form shows every problem: `roles.<i>.orgId` and so on. */
async function checkGrants(tx: Tx, actor: Actor, grants: RoleGrant[], memberOrgPath: string | null): Promise<CheckedRole[]> {
  const orgIds = [...new Set(grants.map((g) => g.orgId).filter((v): v is string => !!v))];
  const orgs = new Map<string, { path: string; dissolved: boolean }>();
  if (orgIds.length) {
    const rows = await tx.execute<{ id: string; path: string; dissolved: boolean } & Record<string, unknown>>(sql`
      select id::text, path::text, dissolved_at is not null as dissolved from orgs where id in (${sql.join(orgIds.map((id) => sql`${id}`), sql`, `)})`);
    for (const r of rows.rows) orgs.set(r.id, { path: r.path, dissolved: r.dissolved });
  }
  const problems: Record<string, FieldProblem> = {};
  const checked: CheckedRole[] = [];
  const seen = new Set<string>();
  grants.forEach((grant, i) => {
    const orgId = grant.orgId ?? null;
    const key = `${grant.role}:${orgId ?? ''}`;
    if (seen.has(key)) { problems[`roles.${i}`] = { key: 'user.role_duplicate' }; return; }
    seen.add(key);
    if (grant.role === 'platform_admin' && !actor.isPlatformAdmin) { problems[`roles.${i}.role`] = { key: 'user.role_not_grantable' }; return; }
    if (grant.role === 'platform_admin' && orgId) { problems[`roles.${i}.orgId`] = { key: 'user.role_takes_no_org' }; return; }
    if ((grant.role === 'org_admin' || grant.role === 'inspector') && !orgId) { problems[`roles.${i}.orgId`] = { key: 'user.role_needs_org' }; return; }
    const org = orgId ? orgs.get(orgId) : undefined;
    if (orgId && (!org || !canGrantRole(actor, grant.role, org.path, memberOrgPath))) { problems[`roles.${i}.orgId`] = { key: 'org.not_found' }; return; }
    if (org?.dissolved) { problems[`roles.${i}.orgId`] = { key: 'org.dissolved' }; return; }
    if (!orgId && !canGrantRole(actor, grant.role, null, memberOrgPath)) { problems[`roles.${i}.orgId`] = { key: 'user.role_needs_org' }; return; }
    checked.push({ role: grant.role, orgId, orgPath: org?.path ?? null });
  });
  if (Object.keys(problems).length) throw invalidFields(problems);
  return checked;
}

async function insertRoles(tx: Tx, userId: string, roles: CheckedRole[]): Promise<void> {
  await tx.execute(sql`insert into user_roles (user_id, role, org_id)
    values ${sql.join(roles.map((r) => sql`(${userId}, ${r.role}, ${r.orgId})`), sql`, `)}`);
}

/** The org an account's audit entries belong to, so the admins of that org find them. */
const accountOrgPath = (roles: { orgPath: string | null }[], memberOrgPath: string | null) => roles.find((r) => r.orgPath)?.orgPath ?? memberOrgPath;

const rolesForAudit = (roles: CheckedRole[]) => roles.map((r) => ({ role: r.role, orgId: r.orgId }));

export async function createUser(db: Db, actor: Actor, input: CreateUser): Promise<UserAccount> {
  await assertStrongPassword(input.password, 'password', [input.username, input.displayName]);
  const passwordHash = await hashPassword(input.password);
  const id = await db.transaction(async (tx) => {
    const member = input.memberId ? await checkMemberLink(tx, actor, input.memberId, null) : null;
    const roles = await checkGrants(tx, actor, input.roles, member?.orgPath ?? null);
    const taken = await tx.execute(sql`select 1 from users where lower(username) = lower(${input.username})`);
    if (taken.rows.length > 0) throw usernameTaken();
    const inserted = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into users (username, display_name, password_hash, member_id)
      values (${input.username}, ${input.displayName}, ${passwordHash}, ${input.memberId ?? null})
      on conflict do nothing returning id::text`);
    const newId = inserted.rows[0]?.id;
    // lost a race with a concurrent create of the same name or member link
    if (!newId) throw input.memberId ? conflict('user.username_or_member_taken') : usernameTaken();
    await insertRoles(tx, newId, roles);
    await audit(tx, actor, {
      action: 'user.create', targetType: 'user', targetId: newId, orgPath: accountOrgPath(roles, member?.orgPath ?? null),
      detail: { username: input.username, displayName: input.displayName, memberId: input.memberId ?? null, roles: rolesForAudit(roles) },
    });
    return newId;
  });
  return getUser(db, actor, id);
}

export async function updateUser(db: Db, actor: Actor, id: string, input: UpdateUser): Promise<UserAccount> {
  await db.transaction(async (tx) => {
    const { row, reach } = await lockManagedAccount(tx, actor, id);
    const isSelf = id === actor.userId;
    if (input.disabled === true && isSelf) throw invalidField('disabled', 'user.cannot_disable_self');
    if (input.roles && isSelf && actor.isPlatformAdmin && !input.roles.some((r) => r.role === 'platform_admin')) {
      throw invalidField('roles', 'user.cannot_drop_own_platform_admin');
    }
    let memberOrgPath = reach.memberOrgPath;
    if (input.memberId !== undefined && input.memberId !== row.member_id) {
      memberOrgPath = input.memberId === null ? null : (await checkMemberLink(tx, actor, input.memberId, id)).orgPath;
    }
    const roles = input.roles ? await checkGrants(tx, actor, input.roles, memberOrgPath) : null;
    const changes: Record<string, unknown> = {};
    if (input.displayName !== undefined && input.displayName !== row.display_name) {
      await tx.execute(sql`update users set display_name = ${input.displayName} where id = ${id}`);
      changes.displayName = { from: row.display_name, to: input.displayName };
    }
    if (input.memberId !== undefined && input.memberId !== row.member_id) {
      await tx.execute(sql`update users set member_id = ${input.memberId} where id = ${id}`);
      changes.memberId = { from: row.member_id, to: input.memberId };
    }
    if (roles) {
      await tx.execute(sql`delete from user_roles where user_id = ${id}`);
      await insertRoles(tx, id, roles);
      changes.roles = { from: rolesOf(row).map((r) => ({ role: r.role, orgId: r.orgId })), to: rolesForAudit(roles) };
    }
    const orgPath = accountOrgPath(roles ?? reach.roles, memberOrgPath);
    if (Object.keys(changes).length) await audit(tx, actor, { action: 'user.update', targetType: 'user', targetId: id, orgPath, detail: changes });
    const isDisabled = row.disabled_at !== null;
    if (input.disabled === true && !isDisabled) {
      await tx.execute(sql`update users set disabled_at = now() where id = ${id}`);
      const ended = await deleteUserSessions(tx, id);
      await audit(tx, actor, { action: 'user.disable', targetType: 'user', targetId: id, orgPath, detail: { username: row.username, endedSessions: ended } });
    }
    if (input.disabled === false && isDisabled) {
      await tx.execute(sql`update users set disabled_at = null where id = ${id}`);
      await audit(tx, actor, { action: 'user.enable', targetType: 'user', targetId: id, orgPath, detail: { username: row.username } });
    }
  });
  return getUser(db, actor, id);
}

/** An admin sets a new password: every session of the account ends and its login lock lifts. */
export async function resetPassword(db: Db, actor: Actor, id: string, input: ResetPassword): Promise<number> {
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    const { row, reach } = await lockManagedAccount(tx, actor, id);
    // an admin reset needs no current password, so one's own goes through the ordinary change
    if (id === actor.userId) throw forbidden('user.reset_own_password');
    await assertStrongPassword(input.newPassword, 'newPassword', [row.username]);
    await tx.execute(sql`update users set password_hash = ${passwordHash}, password_changed_at = now(), must_change_password = true where id = ${id}`);
    const ended = await deleteUserSessions(tx, id);
    await tx.execute(sql`delete from login_failures where username = ${row.username.toLowerCase()}`);
    await audit(tx, actor, {
      action: 'user.reset_password', targetType: 'user', targetId: id, orgPath: accountOrgPath(reach.roles, reach.memberOrgPath),
      detail: { username: row.username, endedSessions: ended },
    });
    return ended;
  });
}

/**
 * A member who leaves the party roll (died, expelled, withdrew …) loses self-service at once:
 * the accounts linked to the record are disabled and their sessions end, within the caller's
 * transaction. The link stays, for history. Done whatever roles the account holds: leaving the
 * roll is the member's org's decision, and an expelled secretary keeps no admin role either.
 * Audited where the member was (`orgPath`), naming the reason.
 */
export async function disableAccountsOfMember(tx: Tx, actor: Actor, memberId: string, orgPath: string): Promise<string[]> {
  const disabled = await tx.execute<{ id: string; username: string } & Record<string, unknown>>(sql`
    update users set disabled_at = now() where member_id = ${memberId} and disabled_at is null returning id::text, username`);
  for (const account of disabled.rows) {
    const ended = await deleteUserSessions(tx, account.id);
    await audit(tx, actor, {
      action: 'user.disable', targetType: 'user', targetId: account.id, orgPath,
      detail: { username: account.username, endedSessions: ended, reason: 'member.leave', memberId },
    });
  }
  return disabled.rows.map((a) => a.id);
}
