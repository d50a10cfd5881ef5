import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'community.not_found': { zh: '社区不存在或不在本系统内', en: 'Community not found in this tree' },
  'community.name_taken': { zh: '同一街道下已有同名社区', en: 'A community of this name already exists in the street' },
  'community.not_manager': { zh: '只有登记该社区的组织的管理员可以修改', en: 'Only admins of the keeping org may edit it' },
  'community.archived': { zh: '该社区已停用', en: 'This community is archived' },
  'community.member_required': { zh: '请选择报到的党员', en: 'Choose the member who reports' },
  'community.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'community.other_tree': { zh: '党员与社区不属于同一系统', en: 'The member and the community belong to different trees' },
  'community.report_not_found': { zh: '没有该党员的报到记录', en: 'No report of this member' },
  'co_building.not_found': { zh: '共建协议不存在或不在您的管理范围内', en: 'Agreement not found or outside your scope' },
  'co_building.project_not_found': { zh: '共建项目不存在或不在您的管理范围内', en: 'Joint project not found or outside your scope' },
  'co_building.not_manager': { zh: '只有签约组织及其上级的管理员可以修改', en: 'Only admins of the signing org or above may edit it' },
  'co_building.ends_before_start': { zh: '结束日期不能早于开始日期', en: 'The agreement must end after it starts' },
});
