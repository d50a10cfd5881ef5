import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'points.rule_not_found': { zh: '积分规则不存在', en: 'No such points rule' },
  'points.entry_not_found': { zh: '积分记录不存在或不在您的管理范围内', en: 'Points entry not found or outside your scope' },
  'points.already_reversed': { zh: '该积分记录已被冲正', en: 'This entry has already been reversed' },
  'points.cannot_reverse_adjustment': { zh: '冲正记录不能再次冲正', en: 'A reversal cannot itself be reversed' },
  'points.not_a_member': { zh: '当前账号未关联党员信息', en: 'This account is not linked to a party member' },
  'points.org_not_found': { zh: '党组织不存在或不在您的查看范围内', en: 'Organization not found or outside your scope' },
  'points.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'points.to_before_from': { zh: '结束日期不能早于开始日期', en: 'The end date must not be before the start date' },
});
