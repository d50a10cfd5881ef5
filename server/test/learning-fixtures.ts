import { sql } from 'drizzle-orm';
import type { Database } from '../src/platform/db.js';
import { login, makeMember, makeUser, type Client, type MemberFixture, type OrgFixture, type TestContext } from './harness.js';

/** Factories for the learning, points, exam, quiz and contest tests. */
export interface SignedInMember extends MemberFixture { client: Client }

/** A member with an account, signed in. */
export async function signedInMember(ctx: TestContext, org: OrgFixture, name?: string): Promise<SignedInMember> {
  const member = await makeMember(ctx.database.db, org, { name });
  const user = await makeUser(ctx.database.db, [{ role: 'member' }], { memberId: member.id });
  return { ...member, client: await login(ctx.app, user) };
}

export async function pointsOf(db: Database['db'], memberId: string): Promise<number> {
  const r = await db.execute<{ n: number } & Record<string, unknown>>(sql`select coalesce(sum(points), 0)::int as n from points_ledger where member_id = ${memberId}`);
  return Number(r.rows[0]!.n);
}
