import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'liaison.not_found': { zh: '联系安排不存在或不在您的管理范围内', en: 'Liaison assignment not found or outside your scope' },
  'liaison.user_not_found': { zh: '账号不存在或已停用', en: 'Account not found or disabled' },
  'liaison.not_above': { zh: '只有上级党组织的管理员可以安排委员联系本支部', en: 'Only administrators of an organization above the branch assign its liaisons' },
  'liaison.exists': { zh: '该委员已在联系这个支部', en: 'This person already liaises with the branch' },
  'liaison.until_before_from': { zh: '结束日期不能早于开始日期', en: 'The last day cannot be before the first day' },
  'liaison.already_ended': { zh: '该联系安排已结束', en: 'This assignment has already ended' },
  'liaison.activity_not_found': { zh: '活动不存在，或不属于您联系的支部', en: 'Activity not found, or not of a branch you liaise with' },
  'liaison.activity_not_held': { zh: '该活动尚未发布或已取消，不能记录旁听', en: 'The activity is not published or was cancelled; no sitting in to record' },
  'liaison.sit_in_exists': { zh: '您已记录过该活动的旁听', en: 'You have already recorded sitting in on this activity' },
});
