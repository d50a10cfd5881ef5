import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'transfer.not_found': { zh: '转接记录不存在或不在您的管理范围内', en: 'Transfer not found or outside your scope' },
  'transfer.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'transfer.member_left': { zh: '该党员已减少（出党、去世等），不能转接', en: 'This member has left; no transfer is possible' },
  'transfer.target_not_found': { zh: '接收党组织不存在', en: 'The receiving organization does not exist' },
  'transfer.same_org': { zh: '接收党组织与所在党组织相同', en: 'The receiving organization is the member’s current one' },
  'transfer.target_dissolved': { zh: '接收党组织已撤销', en: 'The receiving organization has been dissolved' },
  'transfer.target_cannot_hold_members': { zh: '“{type}”不直接管理党员组织关系，请选择党支部或党委', en: 'A {type} does not hold memberships; choose a branch or committee' },
  'transfer.already_open': { zh: '该党员已有一条正在办理的转接，请先处理或撤回', en: 'This member already has an open transfer; settle or cancel it first' },
  'transfer.not_open': { zh: '该转接已办结，不能再操作', en: 'This transfer is already settled' },
  'transfer.not_receiver': { zh: '只有接收党组织可以接收或退回', en: 'Only the receiving organization may accept or return it' },
  'transfer.not_sender': { zh: '只有转出党组织可以撤回', en: 'Only the sending organization may cancel it' },
  'transfer.member_moved': { zh: '该党员已不在转出党组织，转接无法办理', en: 'The member is no longer in the sending organization' },
  'transfer.targets_forbidden': { zh: '只有党组织管理员可以办理组织关系转接', en: 'Only organization administrators handle transfers' },
});
