import { sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';

/**
 * An inbox is its user's alone: no administrator reads another user's items, whatever their scope.
 * Another user's item answers "not found", so ids do not reveal that it exists.
 */
export const ownItems = (actor: Actor, alias = 'i'): SQL => sql`${sql.identifier(alias)}.user_id = ${actor.userId}`;
