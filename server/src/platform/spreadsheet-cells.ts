/**
 * Text that a spreadsheet program could take for a formula (=, +, -, @, or a tab / carriage return
 * before one) is written with a leading apostrophe, as OWASP advises against CSV/formula injection:
 * a member's name or a project's title typed as `=HYPERLINK(…)` reaches a secretary's Excel as the
 * text it is. Numbers, dates and booleans pass unchanged. Every export writes its cells through this.
 */
export function safeCell<T>(value: T): T | string {
  return typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A row of cells (an array or an object keyed by column), each through safeCell. */
export function safeRow<T extends unknown[] | Record<string, unknown>>(row: T): T {
  if (Array.isArray(row)) return row.map(safeCell) as T;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, safeCell(v)])) as T;
}
