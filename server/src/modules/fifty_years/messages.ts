import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'fifty_years.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'fifty_years.not_due': { zh: '该党员在颁发日期所在年度尚未满50年党龄', en: 'The member does not reach 50 years of membership in the year of issue' },
  'fifty_years.member_left': { zh: '该党员已不在党员名册中', en: 'The member is no longer on the roll' },
  'fifty_years.org_not_above': { zh: '颁发单位须是该党员所在党组织或其上级', en: 'The issuing organization must be the member’s organization or one above it' },
  'fifty_years.issued_in_future': { zh: '颁发日期不能晚于今天', en: 'The date of issue cannot be in the future' },
  'fifty_years.already_issued': { zh: '该党员的纪念章已登记颁发，不能重复登记', en: 'The medal has already been recorded as issued to this member' },
  'fifty_years.medal_not_found': { zh: '颁发记录不存在或不在您的管理范围内', en: 'Medal record not found or outside your scope' },
  'fifty_years.already_revoked': { zh: '该颁发记录已撤销', en: 'This record has already been revoked' },
});
