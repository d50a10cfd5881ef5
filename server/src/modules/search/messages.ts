import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'search.query_too_short': { zh: '请输入至少两个字的关键词', en: 'Enter at least two characters' },
  'search.cursor_invalid': { zh: '翻页参数不正确', en: 'Invalid page cursor' },
});
