import { defineMessages } from '../../platform/i18n.js';

defineMessages({
  'member.not_found': { zh: '党员不存在或不在您的管理范围内', en: 'Member not found or outside your scope' },
  'member.no_profile': { zh: '您的账号未关联党员信息，请联系所在党组织', en: 'Your account is not linked to a member record; please contact your organization' },
  'member.export_reason_required': { zh: '导出完整身份证号须填写理由（reason）', en: 'Give a reason (reason) to export full ID numbers' },
  'member.export_full_id_forbidden': { zh: '只有该党组织（或上级党组织）的管理员可以导出完整身份证号', en: "Only administrators of the organization (or above) may export full ID numbers" },
  'member.not_manageable': { zh: '只有所在党组织的管理员可以办理此事项', en: "Only an administrator of the member's organization may do this" },

  // personal data
  'member.id_number_format': { zh: '身份证号应为 18 位，前 17 位为数字，末位为数字或 X', en: 'An ID number has 18 characters: 17 digits and a final digit or X' },
  'member.id_number_checksum': { zh: '身份证号校验位不正确，请核对号码', en: 'The ID number check digit is wrong; please check the number' },
  'member.id_number_birth_date': { zh: '身份证号中的出生日期无效', en: 'The birth date in the ID number is not valid' },
  'member.id_number_taken': { zh: '该身份证号已登记在其他党组织，如需调入请办理组织关系转接', en: 'This ID number is already on the roll of another organization; transfer the member instead' },
  'member.id_number_taken_by': { zh: '该身份证号已登记为“{name}”（{org}）', en: 'This ID number already belongs to {name} ({org})' },
  'member.id_number_repeated': { zh: '与本批中另一条记录的身份证号重复', en: 'Another record in this batch has the same ID number' },
  'member.phone_invalid': { zh: '手机号应为 11 位大陆手机号码', en: 'Not a valid mainland mobile number (11 digits)' },
  'member.birth_date_mismatch': { zh: '出生日期与身份证号不一致', en: 'The birth date does not match the ID number' },

  // org
  'member.org_type_not_allowed': { zh: '“{type}”不直接管理党员，请选择党支部或党委', en: 'A {type} keeps no member roll; choose a branch or a committee' },

  // pipeline dates on a record
  'member.stage_date_required': { zh: '当前发展阶段须填写此日期', en: 'Required at the current stage' },
  'member.date_beyond_stage': { zh: '尚未到达该发展阶段，不能填写此日期', en: 'This stage has not been reached yet' },
  'member.date_before_previous_step': { zh: '不能早于上一发展阶段的日期', en: 'Must not be earlier than the previous step' },
  'member.candidate_too_early': { zh: '入党积极分子须经一年以上培养考察方可列为发展对象', en: 'An activist becomes a candidate only after at least a year' },
  'member.conversion_too_early': { zh: '预备期为一年，期满方可转正', en: 'Conversion comes only after a full year of probation' },
  'member.date_in_future': { zh: '不能晚于今天', en: 'Must not be in the future' },
  'member.under_18': { zh: '年满十八周岁方可申请入党', en: 'One may apply to join only at 18 or older' },

  // advancing one step
  'member.stage_same': { zh: '已处于“{stage}”阶段', en: 'Already at the stage {stage}' },
  'member.stage_backwards': { zh: '不能从“{from}”退回到“{to}”', en: 'Cannot go back from {from} to {to}' },
  'member.stage_skipped': { zh: '不能跳过“{next}”阶段，请先办理该步骤', en: 'The stage {next} cannot be skipped; record it first' },
  'member.stage_date_before': { zh: '不能早于上一步“{stage}”的日期 {previous}', en: 'Must not be earlier than the previous step, {stage} on {previous}' },
  'member.candidate_too_early_since': { zh: '入党积极分子须经一年以上培养考察，最早可于 {date} 列为发展对象', en: 'After a year as activist: a candidate from {date} at the earliest' },
  'member.conversion_too_early_since': { zh: '预备期未满一年，最早可于 {date} 转正', en: 'Probation lasts a year: conversion from {date} at the earliest' },
  'member.under_18_on': { zh: '年满十八周岁方可申请入党（{date} 满十八周岁）', en: 'One may apply only at 18 or older (from {date})' },

  // leaving the roll
  'member.has_left': { zh: '该人员已不在党员名册中，不能办理此事项', en: 'This person has left the party roll' },
  'member.cannot_leave_self': { zh: '不能将本人移出党员名册，请由其他管理员办理', en: 'You cannot take yourself off the party roll; another administrator must do it' },
  'member.already_left': { zh: '该人员已不在党员名册中', en: 'This person has already left the party roll' },
  'member.left_before_record': { zh: '不能早于出生日期或入党（申请）日期', en: 'Must not be before the birth date or the first step of the record' },
  'member.transfer_open': { zh: '该党员有正在办理的组织关系转接，请先办结或撤回', en: 'A transfer of this member is in progress; finish or cancel it first' },

  // list
  'member.cursor_invalid': { zh: '翻页标记无效或与当前排序不符，请从第一页重新翻阅', en: 'The page cursor is invalid or belongs to another order; start again from the first page' },
  'member.page_too_deep': { zh: '最多可翻阅前 10000 条，请用筛选条件缩小范围或导出', en: 'Only the first 10,000 rows can be paged; narrow the filters or export' },
  'member.range_reversed': { zh: '范围的结束值不能小于开始值', en: 'The end of the range is before its start' },
  'member.stage_list_invalid': { zh: '发展阶段应为 applicant / activist / candidate / probationary / full，多个用逗号分隔', en: 'Stages are applicant / activist / candidate / probationary / full, comma-separated' },

  'member_stage.applicant': { zh: '入党申请人', en: 'applicant' },
  'member_stage.activist': { zh: '入党积极分子', en: 'activist' },
  'member_stage.candidate': { zh: '发展对象', en: 'candidate' },
  'member_stage.probationary': { zh: '预备党员', en: 'probationary member' },
  'member_stage.full': { zh: '正式党员', en: 'full member' },
  'leave_reason.deceased': { zh: '死亡', en: 'deceased' },
  'leave_reason.expelled': { zh: '出党（开除党籍）', en: 'expelled' },
  'leave_reason.withdrawn': { zh: '退党', en: 'withdrew' },
  'leave_reason.removed': { zh: '除名', en: 'removed from the roll' },
  'leave_reason.membership_stopped': { zh: '停止党籍', en: 'membership suspended' },
  'leave_reason.probation_revoked': { zh: '取消预备党员资格', en: 'probationary membership revoked' },
  'leave_reason.other': { zh: '其他', en: 'other' },
});
