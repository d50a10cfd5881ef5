import { sql, type SQL } from 'drizzle-orm';

/**
 * The one definition of an overdue project (alias `p` by default): not done and past its planned completion
 * (a Beijing day: the connection counts days in Asia/Shanghai). Lists, figures and the public page
 * all use it, so a count and the list it opens agree. A project completed late is done, not overdue.
 */
export function isOverdueProject(alias = 'p'): SQL {
  const a = sql.raw(alias);
  return sql`(${a}.status <> 'done' and ${a}.planned_completion < current_date)`;
}
