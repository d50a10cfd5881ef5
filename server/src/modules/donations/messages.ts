import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'donation.campaign_not_found': { zh: '募捐活动不存在或不在您的范围内', en: 'Campaign not found or outside your scope' },
  'donation.ends_before_start': { zh: '结束日期不能早于开始日期', en: 'The campaign must end after it starts' },
  'donation.donor_mismatch': { zh: '与捐款人类型不符', en: 'Does not match the donor type' },
  'donation.member_not_found': { zh: '党员不存在或不在本系统内', en: 'Member not found in this tree' },
  'donation.receipt_taken': { zh: '该收据编号已登记', en: 'This receipt number is already recorded' },
  'donation.admins_only': { zh: '只有发起组织的管理员可以查看和登记明细', en: 'Only admins of the campaign’s org can see and record gifts' },
});
