import { POINT_RULE_CODES, type PointRuleCode } from '../../../../contracts/points.js';
import type { Translate } from '../../platform/locale.js';

const isRuleCode = (code: string): code is PointRuleCode => (POINT_RULE_CODES as readonly string[]).includes(code);

/** A ledger line's rule in the reader's language (the rules table holds the admin's Chinese names). */
export function ruleName(code: string, t: Translate): string {
  return isRuleCode(code) ? t(`points.rule.${code}`) : code;
}
