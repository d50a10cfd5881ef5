import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'assessment.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'assessment.scheme_not_found': { zh: '考核方案不存在或不在您的范围内', en: 'Assessment scheme not found or outside your scope' },
  'assessment.score_not_found': { zh: '评分记录不存在或不在您的范围内', en: 'Score not found or outside your scope' },
  'assessment.unknown_source': { zh: '没有这个计算指标', en: 'No such computed indicator' },
  'assessment.source_required': { zh: '计算指标须选择数据来源', en: 'Choose the data a computed indicator comes from' },
  'assessment.code_invalid': { zh: '指标代码须以小写字母开头，只含小写字母、数字、下划线和点（2–64 位）', en: 'The code starts with a lowercase letter and holds lowercase letters, digits, _ and . (2–64)' },
  'assessment.code_taken': { zh: '本组织已有相同代码的指标', en: 'This organization already has an indicator with this code' },
  'assessment.period_order': { zh: '结束日期不能早于开始日期', en: 'The end cannot be before the start' },
  'assessment.indicator_twice': { zh: '同一指标不能重复加入方案', en: 'An indicator can be in the scheme only once' },
  'assessment.indicator_not_found': { zh: '指标不存在或不能用于该组织的方案', en: 'Indicator not found or not available to this organization' },
  'assessment.target_required': { zh: '该指标须设定满分目标值', en: 'Set the value that earns the full score' },
  'assessment.org_outside': { zh: '参评党组织须在方案所属组织的范围内且未撤销', en: 'Assessed organizations must be active and within the scheme’s organization' },
  'assessment.frozen': { zh: '结果已冻结，不能再计算或修改', en: 'The results are frozen and cannot change' },
  'assessment.not_computed': { zh: '请先计算结果再冻结', en: 'Compute the results before freezing them' },
  'assessment.not_frozen': { zh: '请先冻结结果再发布', en: 'Freeze the results before publishing them' },
  'assessment.indicator_not_manual': { zh: '该指标不是本方案的人工评分指标', en: 'Not a manual indicator of this scheme' },
  'assessment.org_not_assessed': { zh: '该党组织不在本方案的参评范围内或不在您的管理范围内', en: 'This organization is not assessed by the scheme or is outside your scope' },
  'assessment.already_reviewed': { zh: '该评分已审核', en: 'This score has already been reviewed' },
  'assessment.own_entry': { zh: '不能审核本人填报的评分', en: 'You cannot review a score you entered' },
  'assessment.note_required': { zh: '退回时请说明原因', en: 'Say why the score is rejected' },
});
