import type { Queryable } from '../../platform/db.js';
import { badRequest } from '../../platform/errors.js';
import type { IndicatorOrg, IndicatorPeriod, IndicatorValue } from '../../platform/indicators.js';
import { findIndicatorSource, INDICATOR_SOURCES } from './indicator-registry.js';

/*
 * The computed indicators as other modules use them (赛马 rankings, the scheme's 计算): one set-based pass
 * of the source for all the orgs. The caller has already decided that the actor may see these orgs.
 */

export interface IndicatorSourceInfo { code: string; name: string; unit: 'rate' | 'per_member' | 'count'; formula: string; module: string }

export function listIndicatorSources(): IndicatorSourceInfo[] {
  return INDICATOR_SOURCES.map((s) => ({ code: s.code, name: s.name.zh, unit: s.unit, formula: s.formula, module: s.module }));
}

/** A rate's value in [0, 1] (4 dp), an amount per member (2 dp) or a count; null when there was nothing to count. */
export function indicatorValueOf(unit: 'rate' | 'per_member' | 'count', v: Pick<IndicatorValue, 'numerator' | 'denominator'>): number | null {
  if (v.denominator === null) return unit === 'count' ? v.numerator : Math.round(v.numerator * 100) / 100;
  if (v.denominator === 0) return null;
  const scale = unit === 'rate' ? 10_000 : 100;
  return Math.round((v.numerator / v.denominator) * scale) / scale;
}

/**
 * Each org's value of the indicator over its subtree for the period, in the order of `orgs`; an org the
 * source did not answer for has no data (numerator 0, denominator 0, value null).
 */
export async function computeIndicatorValues(q: Queryable, code: string, orgs: IndicatorOrg[], period: IndicatorPeriod): Promise<Array<IndicatorValue & { value: number | null }>> {
  const source = findIndicatorSource(code);
  if (!source) throw badRequest('assessment.unknown_source');
  if (orgs.length === 0) return [];
  const found = new Map((await source.values(q, orgs, period)).map((v) => [v.orgId, v]));
  return orgs.map((o) => {
    const v = found.get(o.id) ?? { orgId: o.id, numerator: 0, denominator: source.unit === 'rate' ? 0 : null };
    return { orgId: o.id, numerator: Number(v.numerator), denominator: v.denominator === null ? null : Number(v.denominator), value: indicatorValueOf(source.unit, v) };
  });
}
