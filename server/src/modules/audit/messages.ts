import { AUDIT_ACTION_LABELS } from '../../../../contracts/audit.js';
import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'audit.to_before_from': { zh: '结束日期不能早于开始日期', en: 'The end date must not be before the start date' },
  ...Object.fromEntries(Object.entries(AUDIT_ACTION_LABELS).map(([action, label]) => [actionLabelKey(action), label])),
});

export function actionLabelKey(action: string): string {
  return `audit.action.${action}`;
}
