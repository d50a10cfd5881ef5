import { sql } from 'drizzle-orm';
import type { ChangePassword, Login, Me } from '../../../../contracts/auth.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Database, type Db } from '../../platform/db.js';
import { audit, auditInsert } from '../../platform/audit.js';
import { invalidField, tooManyRequests, unauthorized } from '../../platform/errors.js';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../platform/passwords.js';
import { deleteUserSessions, startSession, type LoadedSession, type UserRole } from '../../platform/session.js';
import type { SessionCache } from '../../platform/session-cache.js';

/** Failed logins: 5 per account or 30 per address in 15 minutes, then wait until the window frees. */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_IP = 30;

type Attempts = { by_user: number; by_ip: number; user_retry: number | null; ip_retry: number | null };

/** The failed sign-ins of an account and of an address within the window: always one row. */
const attemptsOf = (username: string, ip: string) => sql`
    with recent as (select username, ip, at from login_failures
                     where (username = ${username} or ip = ${ip}) and at > now() - ${`${LOGIN_WINDOW_MINUTES} minutes`}::interval)
    select count(*) filter (where username = ${username})::int as by_user,
           count(*) filter (where ip = ${ip})::int as by_ip,
           -- the window frees when the oldest failure that still counts ages out
           extract(epoch from (select at from recent where username = ${username} order by at desc offset ${MAX_FAILURES_PER_ACCOUNT - 1} limit 1)
                   + ${`${LOGIN_WINDOW_MINUTES} minutes`}::interval - now())::int as user_retry,
           extract(epoch from (select at from recent where ip = ${ip} order by at desc offset ${MAX_FAILURES_PER_IP - 1} limit 1)
                   + ${`${LOGIN_WINDOW_MINUTES} minutes`}::interval - now())::int as ip_retry
      from recent`;

/** Seconds to wait before the next attempt, or null when the account and the address may try. */
function retryAfter(row: Attempts | undefined): number | null {
  if (!row) return null;
  const waits: number[] = [];
  if (row.by_user >= MAX_FAILURES_PER_ACCOUNT && row.user_retry != null) waits.push(Number(row.user_retry));
  if (row.by_ip >= MAX_FAILURES_PER_IP && row.ip_retry != null) waits.push(Number(row.ip_retry));
  return waits.length ? Math.max(1, ...waits) : null;
}

async function retryAfterSeconds(db: Db, username: string, ip: string): Promise<number | null> {
  return retryAfter((await db.execute<Attempts & Record<string, unknown>>(attemptsOf(username, ip))).rows[0]);
}

/**
 * Sign-in. Two statements besides the hash (a sign-in is CPU-bound: the hash, then each statement's
 * round trip): the address's and account's failures read with the account; on success one statement
 * that clears the account's failures, writes the audit row and stores the session (startSession),
 * answering the session for this process to remember and the roles for the answer.
 */
export async function login(
  database: Database, input: Login, ip: string, userAgent: string | undefined, cache?: SessionCache<LoadedSession>,
): Promise<{ token: string; me: Me }> {
  const { db } = database;
  const username = input.username.toLowerCase();
  const row = (await executePrepared<Attempts & { user_id: string | null; password_hash: string | null; username: string | null }>(db, sql`
    select a.by_user, a.by_ip, a.user_retry, a.ip_retry, u.id::text as user_id, u.password_hash, u.username
      from (${attemptsOf(username, ip)}) a
      left join users u on lower(u.username) = ${username} and u.disabled_at is null`))[0];
  const wait = retryAfter(row);
  if (wait) throw tooManyRequests(wait);
  const user = row?.user_id ? { id: row.user_id, username: row.username!, passwordHash: row.password_hash! } : null;
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into login_failures (username, ip) values (${username}, ${ip})`);
      await audit(tx, null, { action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? null, detail: { username } }, ip);
    });
    throw unauthorized('auth.bad_credentials');
  }
  const { token, session, roles } = await startSession(database, user.id, ip, userAgent, [
    sql`delete from login_failures where username = ${username}`,
    auditInsert({ userId: user.id, username: user.username, ip }, { action: 'auth.login', targetType: 'user', targetId: user.id }),
  ], cache);
  return { token, me: meOf(session.actor, session.csrfToken, roles) };
}

export async function me(db: Db, actor: Actor, csrfToken: string): Promise<Me> {
  const roles = await db.execute<UserRole & Record<string, unknown>>(sql`
    select r.role, r.org_id::text as "orgId", o.name as "orgName" from user_roles r left join orgs o on o.id = r.org_id
     where r.user_id = ${actor.userId} order by r.id`);
  return meOf(actor, csrfToken, roles.rows);
}

function meOf(actor: Omit<Actor, 'ip'>, csrfToken: string, roles: UserRole[]): Me {
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      memberId: actor.memberId,
      roles: roles.map((r) => ({ role: r.role as Me['user']['roles'][number]['role'], orgId: r.orgId, orgName: r.orgName })),
    },
    csrfToken,
    abilities: { isAdmin: actor.isPlatformAdmin || actor.adminPaths.length > 0, isPlatformAdmin: actor.isPlatformAdmin, isJudge: actor.isJudge },
  };
}

/** Changing one's password ends every other session of the account. */
export async function changePassword(db: Db, actor: Actor, sessionId: string, input: ChangePassword): Promise<void> {
  // a wrong current password counts as a failed sign-in: a borrowed session must not become a
  // way to guess the password without limit
  const username = actor.username.toLowerCase();
  const wait = await retryAfterSeconds(db, username, actor.ip);
  if (wait) throw tooManyRequests(wait);
  const row = (await db.execute<{ password_hash: string } & Record<string, unknown>>(sql`select password_hash from users where id = ${actor.userId}`)).rows[0];
  if (!row || !(await verifyPassword(row.password_hash, input.currentPassword))) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`insert into login_failures (username, ip) values (${username}, ${actor.ip})`);
      await audit(tx, actor, { action: 'auth.password_change_failed', targetType: 'user', targetId: actor.userId });
    });
    throw invalidField('currentPassword', 'auth.current_password_wrong');
  }
  if (input.newPassword === input.currentPassword) throw invalidField('newPassword', 'auth.password_unchanged');
  const hashed = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.execute(sql`update users set password_hash = ${hashed}, password_changed_at = now() where id = ${actor.userId}`);
    const ended = await deleteUserSessions(tx, actor.userId, sessionId);
    await audit(tx, actor, { action: 'auth.password_change', targetType: 'user', targetId: actor.userId, detail: { endedSessions: ended } });
  });
}

export async function logoutEverywhere(db: Db, actor: Actor): Promise<number> {
  return db.transaction(async (tx) => {
    const ended = await deleteUserSessions(tx, actor.userId);
    await audit(tx, actor, { action: 'auth.logout_everywhere', targetType: 'user', targetId: actor.userId, detail: { endedSessions: ended } });
    return ended;
  });
}
