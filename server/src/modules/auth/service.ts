import { sql } from 'drizzle-orm';
import type { ChangePassword, Login, Me } from '../../../../contracts/auth.js';
import type { Actor } from '../../platform/actor.js';
import type { Database, Db } from '../../platform/db.js';
import { audit, auditInsert } from '../../platform/audit.js';
import type { FastifyBaseLogger } from 'fastify';
import { invalidField, tooManyRequests, unauthorized } from '../../platform/errors.js';
import { assertStrongPassword, dummyPasswordHash, hashPassword, verifyPassword } from '../../platform/passwords.js';
import { deleteUserSessions, startSession, type LoadedSession, type UserRole } from '../../platform/session.js';
import type { SessionCache } from '../../platform/session-cache.js';

/**
 * Failed sign-ins are throttled so that a guesser gets few tries and nobody can lock a user out from
 * afar (等保 level 3 asks that failed sign-ins be limited; it does not ask that anyone may lock anyone):
 * - an account from one address: 5 failures in 15 minutes, then that pair waits — the right password
 *   from another address still works;
 * - an address: failures on 10 different accounts in 15 minutes (password spraying), then the address
 *   waits — colleagues behind one office NAT mistyping their own passwords do not add up;
 * - an account from everywhere: 10 failures from 3 or more addresses in 15 minutes (a distributed
 *   guess), then the account waits from every address and the administrators are told (audit entry
 *   `auth.account_locked`, a warning in the server log).
 * Every attempt is counted before its password is checked, under a lock per account and per address,
 * so parallel guesses cannot all pass the count; a success removes its own attempt and the pair's
 * failures. Attempts still being checked count against the account; against an address they make
 * the next attempt wait its turn (a hall of members signing in at once behind one NAT is queued for
 * a moment, not refused), while settled failures refuse it.
 */
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
export const MAX_FAILED_ACCOUNTS_PER_ADDRESS = 10;
export const ACCOUNT_LOCK_FAILURES = 10;
export const ACCOUNT_LOCK_ADDRESSES = 3;

const WINDOW = `${LOGIN_WINDOW_MINUTES} minutes`;

type Attempts = {
  pair: number; accounts_from_ip: number; failed_accounts_from_ip: number; account_total: number; account_addresses: number;
  pair_retry: number | null; ip_retry: number | null; account_retry: number | null;
};

/** The failed sign-ins of an account, of an address and of the pair within the window: always one row. */
const attemptsOf = (username: string, ip: string) => sql`
    with recent as (select username, ip, at, settled or at < now() - interval '30 seconds' as settled from login_failures
                     where (username = ${username} or ip = ${ip}) and at > now() - ${WINDOW}::interval)
    select count(*) filter (where username = ${username} and ip = ${ip})::int as pair,
           count(distinct username) filter (where ip = ${ip})::int as accounts_from_ip,
           count(distinct username) filter (where ip = ${ip} and settled)::int as failed_accounts_from_ip,
           count(*) filter (where username = ${username})::int as account_total,
           count(distinct ip) filter (where username = ${username})::int as account_addresses,
           -- each wait ends when the oldest failure that still counts ages out of the window
           extract(epoch from (select at from recent where username = ${username} and ip = ${ip} order by at desc offset ${MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1} limit 1)
                   + ${WINDOW}::interval - now())::int as pair_retry,
           extract(epoch from (select min(at) from recent where ip = ${ip}) + ${WINDOW}::interval - now())::int as ip_retry,
           extract(epoch from (select min(at) from recent where username = ${username}) + ${WINDOW}::interval - now())::int as account_retry
      from recent`;

const isAccountLocked = (row: Attempts) => row.account_total >= ACCOUNT_LOCK_FAILURES && row.account_addresses >= ACCOUNT_LOCK_ADDRESSES;

/**
 * Seconds to wait before the next attempt, 'queue' when only attempts still being checked from the
 * same address stand in the way, or null when this account may try from this address.
 */
function retryAfter(row: Attempts | undefined): number | 'queue' | null {
  if (!row) return null;
  const waits: number[] = [];
  if (row.pair >= MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS && row.pair_retry != null) waits.push(Number(row.pair_retry));
  if (row.failed_accounts_from_ip >= MAX_FAILED_ACCOUNTS_PER_ADDRESS && row.ip_retry != null) waits.push(Number(row.ip_retry));
  if (isAccountLocked(row) && row.account_retry != null) waits.push(Number(row.account_retry));
  if (waits.length) return Math.max(1, ...waits);
  return row.accounts_from_ip >= MAX_FAILED_ACCOUNTS_PER_ADDRESS ? 'queue' : null;
}

/** How long an attempt waits its turn behind attempts in flight from its address before it is refused. */
const QUEUE_MS = 15_000;

/**
 * Counts an attempt before its password is checked: under the account's and the address's locks
 * (taken in that order by every attempt, so two attempts cannot wait on each other), reads the
 * window and, when the pair may try, records the attempt as a failure that a success removes.
 * Answers the attempt's id and the account, or throws 429 with the seconds to wait.
 */
async function countAttempt(db: Db, username: string, ip: string): Promise<{ attemptId: string; user: { id: string; username: string; passwordHash: string } | null }> {
  const deadline = Date.now() + QUEUE_MS;
  for (;;) {
    const counted = await tryCountAttempt(db, username, ip);
    if (counted !== 'queue') return counted;
    if (Date.now() > deadline) throw tooManyRequests(1);
    await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 60));
  }
}

async function tryCountAttempt(db: Db, username: string, ip: string): Promise<'queue' | { attemptId: string; user: { id: string; username: string; passwordHash: string } | null }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(1, hashtext(${username})), pg_advisory_xact_lock(2, hashtext(${ip}))`);
    const row = (await tx.execute<Attempts & { user_id: string | null; password_hash: string | null; username: string | null } & Record<string, unknown>>(sql`
      select a.*, u.id::text as user_id, u.password_hash, u.username
        from (${attemptsOf(username, ip)}) a
        left join users u on lower(u.username) = ${username} and u.disabled_at is null`)).rows[0];
    const wait = retryAfter(row);
    if (wait === 'queue') return 'queue';
    if (wait) throw tooManyRequests(wait);
    const attempt = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into login_failures (username, ip) values (${username}, ${ip}) returning id::text`)).rows[0]!;
    return { attemptId: attempt.id, user: row?.user_id ? { id: row.user_id, username: row.username!, passwordHash: row.password_hash! } : null };
  });
}

/**
 * After a failed attempt (already counted): when it completes a distributed guess on an existing
 * account, the lock is recorded once for the administrators (audited where the account's member is).
 */
async function reportAccountLock(tx: Db, username: string, userId: string | null, ip: string, log?: FastifyBaseLogger): Promise<void> {
  if (!userId) return;
  const row = (await tx.execute<Attempts & Record<string, unknown>>(attemptsOf(username, ip))).rows[0];
  if (!row || !isAccountLocked(row)) return;
  const already = await tx.execute(sql`select 1 from audit_log where action = 'auth.account_locked' and target_type = 'user' and target_id = ${userId}
                                          and at > now() - ${WINDOW}::interval limit 1`);
  if (already.rows.length) return;
  const orgPath = (await tx.execute<{ org_path: string | null } & Record<string, unknown>>(sql`
    select m.org_path::text from users u join members m on m.id = u.member_id where u.id = ${userId}`)).rows[0]?.org_path ?? null;
  await audit(tx, null, {
    action: 'auth.account_locked', targetType: 'user', targetId: userId, orgPath,
    detail: { username, failures: row.account_total, addresses: row.account_addresses, minutes: LOGIN_WINDOW_MINUTES },
  }, ip);
  log?.warn({ userId, failures: row.account_total, addresses: row.account_addresses }, 'account locked after failed sign-ins from several addresses');
}

/**
 * Sign-in: the attempt is counted first (countAttempt), then the password hash is checked; on success
 * one statement removes the pair's failures, writes the audit row, ends the browser's previous
 * session and stores the new one (startSession).
 */
export async function login(
  database: Database, input: Login, ip: string, userAgent: string | undefined,
  options: { cache?: SessionCache<LoadedSession>; previousSessionId?: string; log?: FastifyBaseLogger } = {},
): Promise<{ token: string; me: Me }> {
  const { db } = database;
  const username = input.username.toLowerCase();
  const { attemptId, user } = await countAttempt(db, username, ip);
  const ok = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !ok) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`update login_failures set settled = true where id = ${attemptId}`);
      await audit(tx, null, { action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? null, detail: { username } }, ip);
      await reportAccountLock(tx, username, user?.id ?? null, ip, options.log);
    });
    throw unauthorized('auth.bad_credentials');
  }
  const { token, session, roles } = await startSession(database, user.id, ip, userAgent, [
    sql`delete from login_failures where username = ${username} and ip = ${ip}`,
    ...(options.previousSessionId ? [sql`delete from sessions where id = ${options.previousSessionId}`] : []),
    auditInsert({ userId: user.id, username: user.username, ip }, { action: 'auth.login', targetType: 'user', targetId: user.id }),
  ], options.cache);
  return { token, me: meOf(session.actor, session.csrfToken, roles, session.mustChangePassword) };
}

export async function me(db: Db, actor: Actor, csrfToken: string, mustChangePassword: boolean): Promise<Me> {
  const roles = await db.execute<UserRole & Record<string, unknown>>(sql`
    select r.role, r.org_id::text as "orgId", o.name as "orgName" from user_roles r left join orgs o on o.id = r.org_id
     where r.user_id = ${actor.userId} order by r.id`);
  return meOf(actor, csrfToken, roles.rows, mustChangePassword);
}

function meOf(actor: Omit<Actor, 'ip'>, csrfToken: string, roles: UserRole[], mustChangePassword: boolean): Me {
  return {
    user: {
      id: actor.userId,
      username: actor.username,
      displayName: actor.displayName,
      memberId: actor.memberId,
      roles: roles.map((r) => ({ role: r.role as Me['user']['roles'][number]['role'], orgId: r.orgId, orgName: r.orgName })),
      mustChangePassword,
    },
    csrfToken,
    abilities: {
      isAdmin: actor.isPlatformAdmin || actor.adminPaths.length > 0 || !!actor.readPaths?.length, isPlatformAdmin: actor.isPlatformAdmin, isJudge: actor.isJudge,
      isInspector: roles.some((r) => r.role === 'inspector'), readOnlyPaths: actor.readPaths ?? [],
    },
  };
}

/** Changing one's password ends every other session of the account. */
export async function changePassword(db: Db, actor: Actor, sessionId: string, input: ChangePassword): Promise<void> {
  // a wrong current password counts as a failed sign-in: a borrowed session must not become a
  // way to guess the password without limit
  const username = actor.username.toLowerCase();
  const { attemptId } = await countAttempt(db, username, actor.ip);
  const row = (await db.execute<{ password_hash: string } & Record<string, unknown>>(sql`select password_hash from users where id = ${actor.userId}`)).rows[0];
  if (!row || !(await verifyPassword(row.password_hash, input.currentPassword))) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`update login_failures set settled = true where id = ${attemptId}`);
      await audit(tx, actor, { action: 'auth.password_change_failed', targetType: 'user', targetId: actor.userId });
      await reportAccountLock(tx, username, actor.userId, actor.ip);
    });
    throw invalidField('currentPassword', 'auth.current_password_wrong');
  }
  await db.execute(sql`delete from login_failures where id = ${attemptId}`);
  if (input.newPassword === input.currentPassword) throw invalidField('newPassword', 'auth.password_unchanged');
  await assertStrongPassword(input.newPassword, 'newPassword', [actor.username, actor.displayName]);
  const hashed = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.execute(sql`update users set password_hash = ${hashed}, password_changed_at = now(), must_change_password = false where id = ${actor.userId}`);
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
