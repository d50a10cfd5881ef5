import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'judging.panel_not_found': { zh: '评审不存在或不在您的范围内', en: 'Judging panel not found or outside your scope' },
  'judging.entry_not_found': { zh: '参评对象不存在或不由您评审', en: 'Entry not found or not yours to judge' },
  'judging.panel_closed': { zh: '评审已结束，不能再评分', en: 'Judging has closed; no more scores' },
  'judging.not_open': { zh: '评审尚未开始', en: 'Judging has not opened yet' },
  'judging.already_submitted': { zh: '您已提交对该对象的评分，提交后不能修改', en: 'You have submitted your scores for this entry; they cannot be changed' },
  'judging.unknown_criterion': { zh: '评分细则中没有这一项', en: 'No such criterion in the rubric' },
  'judging.score_too_high': { zh: '不能超过该项满分 {max} 分', en: 'At most {max}, the criterion’s full score' },
  'judging.score_required': { zh: '提交前请为每一项打分', en: 'Score every criterion before submitting' },
  'judging.score_precision': { zh: '分数最多保留两位小数', en: 'At most two decimals' },
  'judging.criterion_key': { zh: '评分项代码须为小写字母开头的字母、数字或下划线', en: 'A criterion key is lower-case letters, digits or underscores, starting with a letter' },
  'judging.criterion_invalid': { zh: '评分项不完整（名称、权重、满分须填写且为正数）', en: 'Incomplete criterion (name, positive weight and full score required)' },
  'judging.criterion_duplicate': { zh: '评分项代码重复', en: 'Duplicate criterion key' },
  'judging.criteria_required': { zh: '请至少设置一项评分细则', en: 'Add at least one criterion' },
  'judging.title_required': { zh: '请填写标题（不超过 200 字）', en: 'A title of at most 200 characters is required' },
  'judging.closes_before_opens': { zh: '截止时间须晚于开始时间', en: 'The closing time must be after the opening time' },
  'judging.judge_not_found': { zh: '评委账号不存在或已停用', en: 'A judge’s account does not exist or is disabled' },
  'judging.judge_has_scores': { zh: '已提交评分的评委不能移出评审', en: 'A judge who has submitted scores cannot be removed' },
  'judging.entry_duplicate': { zh: '参评对象重复', en: 'Duplicate entry' },
  'judging.entry_org_outside': { zh: '参评组织须在评审组织的下级范围内', en: 'An entry’s organization must be within the panel’s organization' },
});
