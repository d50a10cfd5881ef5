import { sql, type SQL } from 'drizzle-orm';

/**
 * Party members (正式 and 预备, not left) of the subtree at `path`, as a subquery of
 * (member_id, org_id, org_path): for modules that issue something to every member in one statement
 * (责任清单 of level 党员).
 */
export function partyMembersUnder(path: string): SQL {
  return sql`select m.id as member_id, m.org_id, m.org_path from members m
    where m.org_path <@ ${path}::ltree and m.left_at is null and m.stage in ('probationary', 'full')`;
}

/** A member's name by id (an expression), for lists that name the member a record belongs to. */
export function memberNameOf(memberId: SQL): SQL {
  return sql`(select mn.name from members mn where mn.id = ${memberId})`;
}
