import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'news.column_not_found': { zh: '专栏不存在或不在您的范围内', en: 'Column not found or outside your scope' },
  'news.column_archived': { zh: '该专栏已停用，不能再发稿', en: 'This column is archived' },
  'news.not_found': { zh: '资讯不存在或不在您的范围内', en: 'News item not found or outside your scope' },
  'news.not_editable': { zh: '只有草稿、退回或已撤回的稿件可以修改', en: 'Only drafts, returned or withdrawn items can be edited' },
  'news.not_submitted': { zh: '该稿件不在待审核状态', en: 'This item is not waiting for review' },
  'news.not_published': { zh: '该资讯未发布，不能撤回', en: 'This item is not published' },
  'news.own_item': { zh: '不能审核自己撰写的稿件，请由其他管理员审核', en: 'You cannot review your own item' },
  'news.not_reviewer': { zh: '只有专栏所属党组织及上级的管理员可以审核', en: 'Only admins of the column’s organization or above can review' },
  'news.body_empty': { zh: '请填写正文', en: 'Write the body' },
  'news.cover_photo': { zh: '封面须为 JPG、PNG 或 WebP 图片', en: 'The cover must be a JPG, PNG or WebP image' },
  'news.no_cover': { zh: '该资讯没有封面图', en: 'This item has no cover' },
  'portal.lesson_not_found': { zh: '开放式党课不存在或已结束', en: 'Open lesson not found or over' },
  'portal.too_many_registrations': { zh: '报名过于频繁，请稍后再试', en: 'Too many registrations, try again later' },
  'portal.already_registered': { zh: '您已报名该课程', en: 'You have already registered' },
});
