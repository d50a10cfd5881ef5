import type { Queryable } from './db.js';

/**
 * A computed indicator (考核指标) as the module that holds its facts offers it. The assessment module
 * keeps the library (weights, periods, schemes, scores); each source module answers from its own
 * tables through one of these, so no module reads another's tables. `values` and `records` are the
 * same query — grouped for the score, listed for its drill-down — so a score's numerator is always
 * the count of the records it opens.
 */
export interface IndicatorPeriod {
  /** Beijing dates, both inclusive (`YYYY-MM-DD`). */
  from: string;
  to: string;
}

export interface IndicatorOrg {
  id: string;
  /** ltree path as text; an org's value covers its whole subtree. */
  path: string;
}

/** One org's value: a rate (numerator / denominator) or an amount per unit (e.g. hours per member). */
export interface IndicatorValue {
  orgId: string;
  numerator: number;
  /** null for a plain amount; 0 when there was nothing to count (the score says "no data", not 0 %). */
  denominator: number | null;
}

/** One record behind a value: counted in the numerator (`counts`) or only in the denominator. */
export interface IndicatorRecord {
  kind: string;
  id: string;
  title: string;
  orgId: string;
  orgName: string;
  date: string | null;
  counts: boolean;
  /** The amount this record adds to the numerator (1 for a count; hours, fen…). */
  amount: number;
  /** The console page where the record is opened. */
  link: string;
}

export interface IndicatorSource {
  /** Stable code, `<module>.<what>` (e.g. `activities.three_meetings_completion`). */
  code: string;
  module: string;
  /** `rate` is numerator / denominator in [0, 1]; `per_member` an amount per member; `count` an amount. */
  unit: 'rate' | 'per_member' | 'count';
  name: { zh: string; zhHant: string; en: string };
  /** How the value is computed, in the words a party-affairs worker reads (zh). */
  formula: string;
  /** Each org's value over its subtree for the period, in one set-based query for all orgs. */
  values(q: Queryable, orgs: IndicatorOrg[], period: IndicatorPeriod): Promise<IndicatorValue[]>;
  /** The records behind one org's value, a page at a time, from the same query as `values`. */
  records(q: Queryable, org: IndicatorOrg, period: IndicatorPeriod, page: { offset: number; limit: number; onlyCounted?: boolean }): Promise<{ items: IndicatorRecord[]; total: number }>;
}
