/**
 * The embedded default under load (issue #20 item 6): the data directory `npm start` would make on its
 * first start — PGlite, the migrations and the demo (DEMO default) — prepared here before the server
 * starts (a data directory is opened by one process at a time), with what the load needs added: an
 * account and a session for every demo member, and activities of the root open for sign-in with every
 * member invited, so each (activity, member) pair signs in once.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { openDatabase } from '../server/src/platform/db.js';
import { migrate } from '../server/src/platform/migrate.js';
import { createCipher } from '../server/src/platform/personal-data.js';
import { seedDemo } from '../server/src/demo/seed-demo.js';

export const EMBEDDED_CHECK_IN_CODE = '135790';
/** Sign-in activities: each member signs in once to each, so the pairs outlast a run's requests. */
const CHECK_IN_ACTIVITIES = 40;

export interface EmbeddedSession { cookie: string; csrf: string }
export interface EmbeddedData {
  rootId: string;
  bureauOrgId: string;
  counts: { orgs: number; members: number };
  /** The demo's platform administrator and a bureau's administrator. */
  admin: EmbeddedSession;
  bureau: EmbeddedSession;
  members: EmbeddedSession[];
  activityIds: string[];
}

/** Sessions written straight into the table (same id as session.ts: sha-256 of the cookie's token). */
function newSession(): { id: string; token: string; csrf: string } {
  const token = crypto.randomBytes(32).toString('base64url');
  return { id: crypto.createHash('sha256').update(token).digest('base64url'), token, csrf: crypto.randomBytes(24).toString('base64url') };
}

export async function prepareEmbeddedDataDir(dataDir: string, dataKey: string): Promise<EmbeddedData> {
  fs.rmSync(dataDir, { recursive: true, force: true });
  const database = await openDatabase({ dataDir });
  try {
    await migrate(database);
    await seedDemo(database.db, createCipher(Buffer.from(dataKey, 'base64')));
    const db = database.db;
    const one = async <T extends Record<string, unknown>>(q: ReturnType<typeof sql>) => (await db.execute<T>(q)).rows[0]!;
    const rootId = (await one<{ id: string }>(sql`select id::text from orgs where parent_id is null order by id limit 1`)).id;
    const bureauOrgId = (await one<{ id: string }>(sql`select r.org_id::text as id from user_roles r join users u on u.id = r.user_id
      where u.username = 'bureau' and r.org_id is not null limit 1`)).id;
    await db.execute(sql`insert into users (username, display_name, password_hash, member_id)
      select 'bench-m-' || m.id, m.name, (select password_hash from users where username = 'member'), m.id
        from members m where m.left_at is null and not exists (select 1 from users u where u.member_id = m.id)`);
    await db.execute(sql`insert into user_roles (user_id, role, org_id) select u.id, 'member', null from users u
      where u.username like 'bench-m-%' and not exists (select 1 from user_roles r where r.user_id = u.id)`);
    const users = (await db.execute<{ userId: string; username: string }>(sql`select u.id::text as "userId", u.username from users u
      where u.username in ('admin', 'bureau') or (u.member_id is not null and exists (select 1 from members m where m.id = u.member_id and m.left_at is null))
      order by u.id`)).rows;
    const sessions = users.map((u) => ({ ...u, ...newSession() }));
    const rows = sessions.map((s) => ({ id: s.id, user_id: s.userId, csrf: s.csrf }));
    await db.execute(sql`insert into sessions (id, user_id, csrf_token, ip, user_agent, expires_at)
      select x.id, x.user_id, x.csrf, '127.0.0.1', 'bench', now() + interval '1 day'
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x (id text, user_id bigint, csrf text)`);
    // the sign-in activities: published, open now for three hours, every member invited
    const activityIds = (await db.execute<{ id: string }>(sql`insert into activities (org_id, org_path, type, title, starts_at, ends_at, place, status,
        check_in_opens_at, check_in_closes_at, check_in_code, published_at, search_text)
      select o.id, o.path, 'party_lesson', '机关党员集中轮训（签到压测）第' || i || '场', now() + interval '1 hour', now() + interval '3 hours', '市委党校大礼堂', 'published',
             now() - interval '10 minutes', now() + interval '3 hours', ${EMBEDDED_CHECK_IN_CODE}, now(), '机关党员集中轮训'
        from orgs o cross join generate_series(1, ${CHECK_IN_ACTIVITIES}) i where o.id = ${rootId} returning id::text`)).rows.map((r) => r.id);
    await db.execute(sql`insert into activity_participants (activity_id, member_id)
      select a.id, u.member_id from activities a cross join users u
       where a.id = any(${`{${activityIds.join(',')}}`}::bigint[]) and u.username like 'bench-m-%'`);
    const counts = await one<{ orgs: number; members: number }>(sql`select (select count(*) from orgs)::int as orgs, (select count(*) from members where left_at is null)::int as members`);
    const cookie = (s: { token: string; csrf: string }): EmbeddedSession => ({ cookie: `dj_sid=${s.token}`, csrf: s.csrf });
    return {
      rootId, bureauOrgId, counts, activityIds,
      admin: cookie(sessions.find((s) => s.username === 'admin')!),
      bureau: cookie(sessions.find((s) => s.username === 'bureau')!),
      members: sessions.filter((s) => s.username.startsWith('bench-m-')).map(cookie),
    };
  } finally {
    await database.close();
  }
}
