import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'daily_quiz.already_submitted': { zh: '今天已经答过题了，明天再来', en: 'You have already answered today; come back tomorrow' },
  'daily_quiz.no_questions': { zh: '每日答题题库暂无试题', en: 'The daily quiz bank has no questions yet' },
  'daily_quiz.question_not_in_set': { zh: '该题不是您今天的题目', en: 'This question is not in your set for today' },
  'daily_quiz.duplicate_answer': { zh: '同一道题只能作答一次', en: 'Each question may be answered once' },
  'daily_quiz.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'daily_quiz.to_before_from': { zh: '结束日期不能早于开始日期', en: 'The end date must not be before the start date' },
  'daily_quiz.period_too_long': { zh: '导出期间不能超过一年', en: 'The period may be a year at most' },
});
