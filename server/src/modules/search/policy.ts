import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import type { Queryable } from '../../platform/db.js';

/**
 * The orgs a signed-in user reads from: the orgs they administer and the org of their own membership.
 * A text of visibility 'tree' is theirs to find when its org lies on the path from one of these up to
 * the root (a committee's news reaches every member below it) or inside one of them (an admin reads
 * their subtree; a member their own branch and its groups). Sibling branches' texts are not shown:
 * what another branch publishes for itself is its own. 'public' texts are shown across the whole tree
 * (they are on the tree's portal anyway). Notices are indexed as 'tree' texts of the publishing org:
 * search shows their titles to that audience, and the notice itself checks its recipients on open.
 */
export async function readerOrgPaths(q: Queryable, actor: Actor): Promise<string[]> {
  const paths = [...actor.adminPaths];
  if (actor.memberId) {
    const row = (await q.execute<{ path: string } & Record<string, unknown>>(sql`
      select org_path::text as path from members where id = ${actor.memberId} and left_at is null`)).rows[0];
    if (row) paths.push(row.path);
  }
  return [...new Set(paths)];
}

/**
 * The SQL condition, on a row `p` of search_postings (which carries its text's org_path and
 * visibility), for the texts a reader with these org paths may find.
 */
export function visibleTexts(actor: Actor, paths: string[]): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (paths.length === 0) return sql`false`;
  const roots = [...new Set(paths.map((p) => p.split('.')[0]!))];
  return sql`(${sql.join([
    ...paths.map((p) => sql`p.org_path <@ ${p}::ltree or p.org_path @> ${p}::ltree`),
    ...roots.map((r) => sql`(p.visibility = 'public' and p.org_path <@ ${r}::ltree)`),
  ], sql` or `)})`;
}

/** The portal of a tree: its public texts only (on a row `p` of search_postings). */
export const publicTextsOf = (rootPath: string): SQL => sql`(p.visibility = 'public' and p.org_path <@ ${rootPath}::ltree)`;
