import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'user.not_found': { zh: '账号不存在或不在您的管理范围内', en: 'Account not found or outside your scope' },
  'user.username_format': { zh: '只能包含字母、数字和 . _ - @，且以字母或数字开头', en: 'Letters, digits and . _ - @ only, starting with a letter or digit' },
  'user.username_taken': { zh: '用户名已被使用（不区分大小写）', en: 'This username is taken (case does not matter)' },
  'user.member_not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'user.member_left': { zh: '该党员已减少，不能关联账号', en: 'This member has left; an account cannot be linked' },
  'user.member_already_linked': { zh: '该党员已有账号', en: 'This member already has an account' },
  'user.username_or_member_taken': { zh: '用户名已被使用，或该党员已有账号', en: 'The username is taken or the member already has an account' },
  'user.role_not_grantable': { zh: '您不能授予此角色', en: 'You cannot grant this role' },
  'user.role_needs_org': { zh: '请选择该角色所属的党组织', en: 'Choose the organization for this role' },
  'user.role_takes_no_org': { zh: '平台管理员角色不属于任何党组织', en: 'The platform administrator role has no organization' },
  'user.role_duplicate': { zh: '角色重复', en: 'Duplicate role' },
  'user.not_manageable': { zh: '该账号拥有超出您管理范围的角色，不能由您修改', en: 'This account holds roles outside your scope; you cannot change it' },
  'user.cannot_disable_self': { zh: '不能停用自己的账号', en: 'You cannot disable your own account' },
  'user.cannot_drop_own_platform_admin': { zh: '不能取消自己的平台管理员角色', en: 'You cannot remove your own platform administrator role' },
  'user.reset_own_password': { zh: '请在“修改密码”中修改自己的密码', en: 'Change your own password under “Change password”' },
});
