import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'notice.not_found': { zh: '通知不存在或不在您的范围内', en: 'Notice not found or outside your scope' },
  'notice.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'notice.targets_required': { zh: '请选择接收通知的党组织', en: 'Choose the organizations to notify' },
  'notice.target_outside': { zh: '接收组织须在发布组织的下级范围内', en: 'Recipients must be within the publishing organization' },
  'notice.audience_required': { zh: '请至少选择一类接收人（党员或组织管理员）', en: 'Choose at least one kind of recipient (members or org admins)' },
  'notice.deadline_required': { zh: '必读通知须设定阅读截止时间', en: 'A must-read notice needs a deadline' },
  'notice.deadline_before_publish': { zh: '阅读截止时间须晚于发布时间', en: 'The deadline must be after publication' },
  'notice.body_required': { zh: '请填写通知正文', en: 'Write the notice’s text' },
  'notice.not_editable': { zh: '通知已发布或已撤回，不能修改', en: 'A published or withdrawn notice cannot be edited' },
  'notice.not_publishable': { zh: '只有草稿或待发布的通知可以发布', en: 'Only a draft or scheduled notice can be published' },
  'notice.not_withdrawable': { zh: '只有已发布或待发布的通知可以撤回', en: 'Only a published or scheduled notice can be withdrawn' },
  'notice.not_published': { zh: '通知尚未发布', en: 'The notice is not published' },
  'notice.draft_only': { zh: '只能删除草稿', en: 'Only a draft can be deleted' },
  'notice.file_not_found': { zh: '附件不存在', en: 'Attachment not found' },
  'notice.no_recipients': { zh: '按所选范围没有可接收通知的人', en: 'Nobody is reached by the chosen recipients' },
});
