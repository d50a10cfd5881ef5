import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'home.admins_only': { zh: '工作台仅供党组织管理员使用', en: 'The workbench is for organization administrators' },
  'home.members_only': { zh: '首页仅供党员使用（您的账号未关联党员信息）', en: 'The home page is for party members (your account has no member record)' },
  'home.org_not_found': { zh: '党组织不存在或不在您的管理范围内', en: 'Organization not found or outside your scope' },
  'home.no_org': { zh: '尚未创建党组织', en: 'No organization has been created yet' },
});
