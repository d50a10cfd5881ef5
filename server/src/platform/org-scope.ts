import { sql } from 'drizzle-orm';
import type { OrgType } from '../../../contracts/orgs.js';
import { administers, onlyReads, type Actor } from './actor.js';
import { executePrepared, type Db, type Queryable } from './db.js';
import { conflict, forbidden, invalidField, notFound } from './errors.js';
import { defineMessages } from './i18n.js';

defineMessages({
  'org.not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'org.dissolved': { zh: '该党组织已撤销', en: 'This organization has been dissolved' },
  'org.already_dissolved': { zh: '该党组织已撤销', en: 'This organization is already dissolved' },
  'auth.read_only': { zh: '只读：您可以查看该党组织，不能修改', en: 'Read-only: you may view this organization but not change it' },
});

export interface ManagedOrg {
  id: string;
  path: string;
  type: OrgType;
  name: string;
  dissolvedAt: string | null;
}

export interface ManagedOrgOptions {
  /**
   * Lock the org row until the transaction ends. `update`: the caller changes the org itself.
   * `share`: the caller files records under it, so a concurrent move or merge waits until they are
   * in and its carry trigger takes them along (readers of one org do not wait for each other).
   */
  lock?: 'update' | 'share';
  /** Accept a dissolved org (its records stay readable, and the orgs module itself acts on them). */
  allowDissolved?: boolean;
  /** The request body field the id came from: refusals answer 400 naming it instead of 404. */
  field?: string;
  /** The message key of a missing or out-of-scope org (a module's own wording); `org.not_found` by default. */
  notFoundKey?: string;
  /**
   * The message key of a dissolved org; by default `org.dissolved` on the field, else 409
   * `org.already_dissolved`. Modules that never told the two apart pass their not-found key.
   */
  dissolvedKey?: string;
}

/**
 * The one answer to "an org the actor manages": the org `id` when it lies in the actor's subtree.
 * Missing and out of scope answer alike (404, or 400 on `field`), so existence never leaks; a
 * dissolved org is refused after the scope check unless `allowDissolved`.
 */
export async function managedOrg(q: Queryable, actor: Actor, id: string, options: ManagedOrgOptions = {}): Promise<ManagedOrg> {
  return managedOf(await orgRow(q, id, options.lock), actor, options);
}

type OrgRow = { id: string; path: string; type: OrgType; name: string; dissolved_at: string | null };

/** The org's row, prepared on the pool (every request of every module passes here); as usual in a transaction. */
const orgRow = async (q: Queryable, id: string, lock?: ManagedOrgOptions['lock']): Promise<OrgRow | undefined> => (await executePrepared<OrgRow>(q, sql`
    select id::text, path::text, type, name, dissolved_at::text from orgs where id = ${id}${lock ? sql.raw(` for ${lock}`) : sql``}`))[0];

function managedOf(row: OrgRow | undefined, actor: Actor, options: ManagedOrgOptions): ManagedOrg {
  const { allowDissolved = false, field, notFoundKey = 'org.not_found', dissolvedKey } = options;
  if (!row || !administers(actor, row.path)) {
    // an inspector or a liaison reads this org (so its existence is no secret to them) but may not change it
    if (row && onlyReads(actor, row.path)) throw forbidden('auth.read_only');
    throw field ? invalidField(field, notFoundKey) : notFound(notFoundKey);
  }
  if (row.dissolved_at !== null && !allowDissolved) {
    if (field) throw invalidField(field, dissolvedKey ?? 'org.dissolved');
    throw dissolvedKey ? conflict(dissolvedKey) : conflict('org.already_dissolved');
  }
  return { id: row.id, path: row.path, type: row.type, name: row.name, dissolvedAt: row.dissolved_at };
}

const keptOrgs = new WeakMap<Db, Map<string, { epoch: bigint; row: OrgRow | undefined }>>();
const ORGS_KEPT = 5_000;

/**
 * managedOrg for a read answered from memory (platform/epochs.ts): the org's row is kept in this process under
 * the orgs epoch the caller read before (a move, rename or dissolution makes it larger, and the row is read
 * again); whether the actor manages it is decided on every call, as managedOrg does. Never locks.
 */
export async function managedOrgAt(db: Db, actor: Actor, id: string, orgsEpoch: bigint, options: Omit<ManagedOrgOptions, 'lock'> = {}): Promise<ManagedOrg> {
  let kept = keptOrgs.get(db);
  if (!kept) keptOrgs.set(db, kept = new Map());
  let hit = kept.get(id);
  if (!hit || hit.epoch < orgsEpoch) {
    const row = await orgRow(db, id);
    if (!kept.has(id) && kept.size >= ORGS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(id, hit = { epoch: orgsEpoch, row });
  }
  return managedOf(hit.row, actor, options);
}
