import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'idea.not_found': { zh: '金点子不存在或不在您的管理范围内', en: 'Idea not found or outside your scope' },
  'idea.not_member': { zh: '只有党员本人可以提交金点子', en: 'Only party members submit ideas' },
  'idea.org_not_allowed': { zh: '只能向本人所在党组织或其上级党组织提交', en: 'An idea goes to your own organization or one above it' },
  'idea.category_invalid': { zh: '请选择金点子类别', en: 'Choose a category' },
  'idea.decision_invalid': { zh: '请选择采纳或不采纳', en: 'Choose adopt or decline' },
  'idea.progress_status_invalid': { zh: '状态只能是实施中、已实施或搁置', en: 'The status is implementing, implemented or shelved' },
  'idea.period_reversed': { zh: '结束日期不能早于开始日期', en: 'The last day cannot be before the first day' },
  'idea.already_reviewed': { zh: '该金点子已答复，不能再次采纳或不采纳', en: 'This idea has already been answered' },
  'idea.not_adopted': { zh: '只有已采纳、尚未办结的金点子可以记录实施进展', en: 'Only adopted ideas still open take progress' },
  'idea.before_adoption': { zh: '日期不能早于采纳日期', en: 'The date cannot be before the adoption' },
});
