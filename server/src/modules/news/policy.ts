import { sql, type SQL } from 'drizzle-orm';
import { administers, inAdminScope, isWithin, type Actor } from '../../platform/actor.js';

/**
 * Who does what with news:
 * - a column is created, renamed and archived by the admins of its org (or above);
 * - items are written by those admins and by the admins of the orgs under it (a branch secretary writes
 *   for the bureau's column), and reviewed by the admins of the column's org or above — never by their
 *   author, so every published item was read by a second person;
 * - published items are read like search results (search/policy.ts): by users whose orgs lie on the
 *   column's org's path or under it, public ones across the whole tree and on its portal.
 */
export const canManageColumn = (actor: Actor, column: { orgPath: string }) => administers(actor, column.orgPath);

export const canWriteInColumn = (actor: Actor, column: { orgPath: string }) =>
  administers(actor, column.orgPath) || actor.adminPaths.some((p) => isWithin(p, column.orgPath));

export const canEditItem = (actor: Actor, item: { orgPath: string; authorUserId: string; status: string }) =>
  ['draft', 'returned', 'withdrawn'].includes(item.status) && (item.authorUserId === actor.userId || administers(actor, item.orgPath));

export const canReviewItem = (actor: Actor, item: { orgPath: string; authorUserId: string; status: string }) =>
  item.status === 'submitted' && administers(actor, item.orgPath) && item.authorUserId !== actor.userId;

/** Reviewers may refuse their own item: the message says why, instead of "not found". */
export const isOwnItem = (actor: Actor, item: { authorUserId: string }) => item.authorUserId === actor.userId;

export const canWithdrawItem = (actor: Actor, item: { orgPath: string; authorUserId: string; status: string }) =>
  item.status === 'published' && (administers(actor, item.orgPath) || item.authorUserId === actor.userId);

/** Columns the viewer may see: on the path of one of their orgs or under it. */
export function visibleColumns(actor: Actor, readerPaths: string[], alias: string): SQL {
  if (actor.isPlatformAdmin) return sql`true`;
  if (readerPaths.length === 0) return sql`false`;
  const path = sql.raw(`${alias}.org_path`);
  return sql`(${sql.join(readerPaths.map((p) => sql`${path} <@ ${p}::ltree or ${path} @> ${p}::ltree`), sql` or `)})`;
}

/**
 * Items the viewer may open: published ones they may read (as columns, plus public ones of the tree),
 * every item of the subtrees they administer, and their own.
 */
export function visibleItems(actor: Actor, readerPaths: string[]): SQL {
  const roots = [...new Set(readerPaths.map((p) => p.split('.')[0]!))];
  const published = sql`(n.status = 'published' and (${visibleColumns(actor, readerPaths, 'n')}${roots.length ? sql` or ${sql.join(roots.map((r) => sql`(n.is_public and n.org_path <@ ${r}::ltree)`), sql` or `)}` : sql``}))`;
  return sql`(${published} or ${inAdminScope(actor, sql`n.org_path`)} or n.author_user_id = ${actor.userId})`;
}

/** Items waiting for this viewer's review: submitted in the subtrees they administer, not their own. */
export const awaitingReviewBy = (actor: Actor): SQL =>
  sql`(n.status = 'submitted' and ${inAdminScope(actor, sql`n.org_path`)} and n.author_user_id <> ${actor.userId})`;

/** Items the viewer administers (every status), for the column's management list. */
export const managedItems = (actor: Actor): SQL => inAdminScope(actor, sql`n.org_path`);

/** News (alias `n`) a visitor of the tree's public portal may read: published and public, of the tree. */
export const publicNewsOf = (rootPath: string): SQL => sql`(n.status = 'published' and n.is_public and n.org_path <@ ${rootPath}::ltree)`;
