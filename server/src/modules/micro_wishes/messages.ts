import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'micro_wish.not_found': { zh: '心愿不存在或不在您的范围内', en: 'Wish not found or outside your scope' },
  'micro_wish.contact_format': { zh: '请填写手机号或固定电话（区号-号码）', en: 'Enter a mobile number or a landline (area code-number)' },
  'micro_wish.code_format': { zh: '查询码格式不正确', en: 'Invalid tracking code' },
  'micro_wish.reason_required': { zh: '不予发布时请填写原因', en: 'Give a reason when rejecting' },
  'micro_wish.community_not_found': { zh: '社区不存在或不在本系统内', en: 'Community not found in this tree' },
  'micro_wish.already_moderated': { zh: '该心愿已审核', en: 'This wish has already been reviewed' },
  'micro_wish.members_only': { zh: '只有党员可以认领心愿', en: 'Only party members can claim a wish' },
  'micro_wish.other_tree': { zh: '只能认领本系统内的心愿', en: 'You can only claim wishes of your own tree' },
  'micro_wish.already_claimed': { zh: '该心愿已被其他党员认领', en: 'This wish has already been claimed' },
  'micro_wish.not_open': { zh: '该心愿尚未发布，不能认领', en: 'This wish is not open for claiming' },
  'micro_wish.claimant_only': { zh: '只有认领人可以进行此操作', en: 'Only the claimant can do this' },
  'micro_wish.not_claimed_state': { zh: '该心愿当前状态不允许此操作', en: 'Not possible in the wish’s current state' },
  'micro_wish.not_fulfilled': { zh: '心愿尚未完成，不能确认', en: 'The wish has not been fulfilled yet' },
  'micro_wish.confirm_by_community': { zh: '由发布心愿的社区或群众本人确认', en: 'The community or the poster confirms' },
  'micro_wish.contact_claimant_only': { zh: '联系方式仅对认领人可见', en: 'The contact is visible to the claimant only' },
});
