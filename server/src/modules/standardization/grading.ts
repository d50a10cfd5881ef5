import type { Grade } from '../../../../contracts/standardization.js';
import type { Queryable } from '../../platform/db.js';
import type { IndicatorPeriod } from '../../platform/indicators.js';
import { computeIndicatorValues, listIndicatorSources } from '../assessment/indicators-service.js';

/** The scheme's year as an indicator period (Beijing dates, both inclusive). */
export const periodOfYear = (year: number): IndicatorPeriod => ({ from: `${year}-01-01`, to: `${year}-12-31` });

export const indicatorInfo = (code: string | null) => (code ? listIndicatorSources().find((s) => s.code === code) ?? null : null);

/** The assessment module's drill-down page of the records behind a value. */
export const recordsLink = (code: string, orgId: string, period: IndicatorPeriod) =>
  `/assessment/indicators/${encodeURIComponent(code)}/records?orgId=${orgId}&from=${period.from}&to=${period.to}`;

export interface ComputedValue { value: number | null; numerator: number; denominator: number | null }

/**
 * The values of a branch's computed criteria over the period, one indicator query per distinct code
 * (a scheme names a few). A code the platform no longer offers has no value.
 */
export async function computedValues(q: Queryable, criteria: { id: string; indicatorCode: string | null }[], org: { id: string; path: string }, period: IndicatorPeriod): Promise<Map<string, ComputedValue>> {
  const byCode = new Map<string, ComputedValue>();
  for (const code of new Set(criteria.map((c) => c.indicatorCode).filter((c): c is string => !!c && !!indicatorInfo(c)))) {
    const [v] = await computeIndicatorValues(q, code, [org], period);
    if (v) byCode.set(code, { value: v.value, numerator: v.numerator, denominator: v.denominator });
  }
  const values = new Map<string, ComputedValue>();
  for (const c of criteria) {
    const v = c.indicatorCode ? byCode.get(c.indicatorCode) : undefined;
    if (v) values.set(c.id, v);
  }
  return values;
}

/** Met when there is a value and it reaches the threshold ("no data" is not met). */
export const meetsThreshold = (value: number | null, threshold: number | null) => value !== null && threshold !== null && value >= threshold;

/**
 * The best grade the verdicts support: every criterion required for that grade (or a lower one) met,
 * and the met criteria's points reaching the grade's minimum; the lowest grade otherwise.
 */
export function suggestLevel(grades: Grade[], checks: { requiredForLevel: number | null; points: number; met: boolean | null }[]): number | null {
  if (grades.length === 0 || checks.every((c) => c.met === null)) return null;
  const points = checks.reduce((sum, c) => sum + (c.met ? c.points : 0), 0);
  for (const grade of grades) {
    const required = checks.filter((c) => c.requiredForLevel !== null && c.requiredForLevel >= grade.level);
    if (required.every((c) => c.met === true) && (grade.minPoints === null || points >= grade.minPoints)) return grade.level;
  }
  return grades[grades.length - 1]!.level;
}
