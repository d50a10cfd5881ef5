import type { SQL } from 'drizzle-orm';
import { administers, inAdminScope, type Actor } from '../../platform/actor.js';

/** An org's terms and elections are kept by the admins of the org and of every level above it. */
export const canManageElectionsOf = (actor: Actor, orgPath: string) => administers(actor, orgPath);

/**
 * 批复 and 报备 are the level above's: an admin of the org's parent (or higher). A top org has no
 * level above in the tree; the platform's administrator answers for it.
 */
export function isLevelAbove(actor: Actor, orgPath: string): boolean {
  const parent = orgPath.includes('.') ? orgPath.slice(0, orgPath.lastIndexOf('.')) : null;
  return parent ? administers(actor, parent) : actor.isPlatformAdmin;
}

/** Terms, elections and due orgs listed: those in the actor's admin subtree (`path` is the list's path column). */
export const electionsInScope = (actor: Actor, path: SQL): SQL => inAdminScope(actor, path);
