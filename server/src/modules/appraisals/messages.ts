import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'appraisal.not_found': { zh: '民主评议不存在或不在您的范围内', en: 'Appraisal round not found or outside your scope' },
  'appraisal.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'appraisal.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'appraisal.nothing_to_open': { zh: '没有可开展民主评议的支部：该年度已开展，或支部没有党员', en: 'No branch to open: the year is already open, or the branches have no members' },
  'appraisal.wrong_phase': { zh: '当前阶段（{phase}）不能进行此操作', en: 'Not possible in the current phase ({phase})' },
  'appraisal.not_participant': { zh: '所选党员不是本次评议的参评党员', en: 'The member does not take part in this appraisal' },
  'appraisal.duplicate_member': { zh: '同一党员不能出现两次', en: 'A member appears twice' },
  'appraisal.reason_required': { zh: '评定为不合格须写明理由', en: 'A reason is required for 不合格 (unqualified)' },
  'appraisal.excellent_share_exceeded': {
    zh: '优秀等次不得超过参评党员的{percent}%：本支部{participants}名参评党员，最多评定{max}名优秀，现为{count}名',
    en: 'At most {percent}% may be excellent: {participants} participants allow {max}, not {count}',
  },
  'appraisal.grades_incomplete': { zh: '还有{missing}名党员未确定评议等次', en: '{missing} members have no final grade yet' },
  'appraisal.ballot_incomplete': { zh: '须对其他每一名参评党员评定一个等次（不含本人）', en: 'Rate every other participant once (not yourself)' },
  'appraisal.already_voted': { zh: '您已提交民主测评票，不能重复提交', en: 'You have already cast your ballot' },
  'appraisal.ends_before_starts': { zh: '公示结束日期不能早于开始日期', en: 'The notice cannot end before it starts' },
  'appraisal.notice_not_ended': { zh: '公示期尚未结束或仍有异议待处理，暂不能公布结果', en: 'The public notice has not ended or has pending objections' },
  'appraisal.share_locked': { zh: '已进入公示，不能再修改优秀比例', en: 'The share cannot change once the notice is open' },
});
