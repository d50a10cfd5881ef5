import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'inbox.not_found': { zh: '消息不存在', en: 'Message not found' },
});
