import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'public_notices.not_found': { zh: '公示不存在或不在您的范围内', en: 'Public notice not found or outside your scope' },
  'public_notices.title_required': { zh: '请填写公示标题（不超过 200 字）', en: 'A title of at most 200 characters is required' },
  'public_notices.ends_before_starts': { zh: '公示结束日期不能早于开始日期', en: 'The notice cannot end before it starts' },
  'public_notices.too_short': { zh: '公示期不少于 {min} 天', en: 'A public notice lasts at least {min} days' },
  'public_notices.items_required': { zh: '请至少公示一项', en: 'A public notice needs at least one item' },
  'public_notices.item_duplicate': { zh: '公示对象重复', en: 'Duplicate item' },
  'public_notices.objection_not_found': { zh: '异议不存在或不在您的范围内', en: 'Objection not found or outside your scope' },
  'public_notices.already_answered': { zh: '该异议已答复，不能再次处理', en: 'This objection has already been answered' },
  'public_notices.answer_required': { zh: '请填写答复意见（不超过 1000 字）', en: 'An answer of at most 1000 characters is required' },
  'public_notices.content_required': { zh: '请填写异议内容（不超过 1000 字）', en: 'Objection text of at most 1000 characters is required' },
  'public_notices.contact_format': { zh: '联系方式应为手机号或固定电话', en: 'Contact must be a mobile or landline number' },
  'public_notices.item_not_found': { zh: '公示中没有这一项', en: 'No such item in this notice' },
  'public_notices.item_withdrawn': { zh: '该项已撤销，不再接受异议', en: 'This item has been withdrawn; no more objections' },
  'public_notices.not_started': { zh: '公示尚未开始，暂不受理异议', en: 'The notice has not started; objections are not yet accepted' },
  'public_notices.ended': { zh: '公示期已结束，不再受理异议', en: 'The notice period has ended; objections are no longer accepted' },
  'public_notices.no_handler': { zh: '该类公示的来源模块未接入撤销处理，请联系系统管理员', en: 'The source module of this notice cannot withdraw items; contact the administrator' },
  'public_notices.not_ended': { zh: '公示期尚未结束，不能定案', en: 'The public notice has not ended; results cannot be finalized yet' },
  'public_notices.pending_objections': { zh: '公示中还有 {count} 条异议未答复，不能定案', en: '{count} objections are still unanswered; results cannot be finalized yet' },
});
