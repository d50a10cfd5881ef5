import { sql, type SQL } from 'drizzle-orm';

/**
 * The portal is public: no actor, no permission. What it may show is decided here, by condition:
 * published public news of the tree, public open lessons of the tree not yet over, and counts only —
 * never a registrant's or a participant's name. Every answer is built field by field in service.ts.
 */
export const publicNewsOf = (rootPath: string): SQL => sql`(n.status = 'published' and n.is_public and n.org_path <@ ${rootPath}::ltree)`;

/** Open lessons of the tree from today (China) on: published, public, not cancelled. */
export const publicLessonsOf = (rootPath: string): SQL => sql`(a.type = 'open_lesson' and a.is_public and a.status in ('published', 'closed')
  and a.org_path <@ ${rootPath}::ltree and a.ends_at >= (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'))`;

/** Visitors' registrations allowed per address per hour. */
export const REGISTRATIONS_PER_HOUR = 5;
