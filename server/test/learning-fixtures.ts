import { sql } from 'drizzle-orm';
import type { Database } from '../src/platform/db.js';
import { login, makeUser, type Client, type OrgFixture, type TestContext } from './harness.js';

/** Factories for the learning, points, exam, quiz and contest tests (members inserted directly). */
let counter = 0;

export interface MemberFixture { id: string; name: string; org: OrgFixture }

export async function makeMember(db: Database['db'], org: OrgFixture, name = `党员${++counter}`): Promise<MemberFixture> {
  const r = await db.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into members (org_id, org_path, name, gender, stage, search_text)
    values (${org.id}, ${org.path}::ltree, ${name}, 'male', 'full', ${name}) returning id::text`);
  return { id: r.rows[0]!.id, name, org };
}

export interface SignedInMember extends MemberFixture { client: Client }

/** A member with an account, signed in. */
export async function signedInMember(ctx: TestContext, org: OrgFixture, name?: string): Promise<SignedInMember> {
  const member = await makeMember(ctx.database.db, org, name);
  const user = await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: member.id });
  return { ...member, client: await login(ctx.app, user) };
}

export async function pointsOf(db: Database['db'], memberId: string): Promise<number> {
  const r = await db.execute<{ n: number } & Record<string, unknown>>(sql`select coalesce(sum(points), 0)::int as n from points_ledger where member_id = ${memberId}`);
  return Number(r.rows[0]!.n);
}
