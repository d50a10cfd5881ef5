import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, pageOf } from './common.js';

/**
 * Readable names of the actions the server records, for the console's audit browser.
 * An action missing here is shown by its code (`<module>.<verb>`).
 */
export const AUDIT_ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  'auth.login': { zh: '登录', en: 'Signed in' },
  'auth.login_failed': { zh: '登录失败', en: 'Failed sign-in' },
  'auth.logout': { zh: '退出登录', en: 'Signed out' },
  'auth.logout_everywhere': { zh: '在所有设备上退出', en: 'Signed out everywhere' },
  'auth.password_change': { zh: '修改密码', en: 'Changed password' },
  'auth.password_change_failed': { zh: '修改密码失败（当前密码错误）', en: 'Failed password change (wrong current password)' },
  'org.create': { zh: '新建党组织', en: 'Created an organization' },
  'org.update': { zh: '修改党组织', en: 'Edited an organization' },
  'org.move': { zh: '移动党组织', en: 'Moved an organization' },
  'org.dissolve': { zh: '撤销党组织', en: 'Dissolved an organization' },
  'member.create': { zh: '新增党员', en: 'Added a member' },
  'member.update': { zh: '修改党员信息', en: 'Edited a member' },
  'member.update_self': { zh: '党员修改本人信息', en: 'A member edited their own record' },
  'member.advance_stage': { zh: '发展阶段推进', en: 'Advanced a member’s stage' },
  'member.leave': { zh: '党员减少（出党/去世等）', en: 'Recorded a member leaving' },
  'member.reveal_id_number': { zh: '查看身份证号', en: 'Viewed an ID number' },
  'member.reveal_phone': { zh: '查看手机号', en: 'Viewed a phone number' },
  'member.export': { zh: '导出党员名册', en: 'Exported members' },
  'member.import': { zh: '导入党员', en: 'Imported members' },
  'transfer.issue': { zh: '开具组织关系转接', en: 'Issued a membership transfer' },
  'transfer.accept': { zh: '接收组织关系', en: 'Accepted a membership transfer' },
  'transfer.return': { zh: '退回组织关系转接', en: 'Returned a membership transfer' },
  'transfer.cancel': { zh: '撤回组织关系转接', en: 'Cancelled a membership transfer' },
  'user.create': { zh: '新建账号', en: 'Created an account' },
  'user.update': { zh: '修改账号', en: 'Edited an account' },
  'user.disable': { zh: '停用账号', en: 'Disabled an account' },
  'user.enable': { zh: '启用账号', en: 'Enabled an account' },
  'user.reset_password': { zh: '重置密码', en: 'Reset a password' },
  'activity.create': { zh: '新建活动', en: 'Created an activity' },
  'activity.update': { zh: '修改活动', en: 'Edited an activity' },
  'activity.publish': { zh: '发布活动', en: 'Published an activity' },
  'activity.cancel': { zh: '取消活动', en: 'Cancelled an activity' },
  'activity.close': { zh: '结束活动', en: 'Closed an activity' },
  'activity.record': { zh: '填写活动记录', en: 'Recorded an activity' },
  'activity.invite': { zh: '邀请参加活动', en: 'Invited to an activity' },
  'activity.register': { zh: '报名活动', en: 'Registered for an activity' },
  'activity.request_leave': { zh: '活动请假', en: 'Requested leave from an activity' },
  'activity.check_in': { zh: '活动签到', en: 'Checked in to an activity' },
  'activity.mark_attendance': { zh: '登记出勤', en: 'Marked attendance' },
  'activity.reset_check_in_code': { zh: '重置签到码', en: 'Reset the check-in code' },
  'activity.complete_make_up': { zh: '完成补学', en: 'Completed make-up study' },
  'activity.bring': { zh: '三带来', en: 'Brought ideas to an activity' },
  'activity.take_away': { zh: '三带走', en: 'Recorded take-aways of an activity' },
  'activity.export_contributions': { zh: '导出三带来三带走', en: 'Exported bring-and-take records' },
  'activity.set_compliance_rules': { zh: '设置组织生活规则', en: 'Set the meeting rules' },
  'calendar.issue_feed': { zh: '生成日历订阅', en: 'Issued a calendar feed' },
  'venue.create': { zh: '新建阵地', en: 'Created a venue' },
  'venue.update': { zh: '修改阵地', en: 'Edited a venue' },
  'venue.create_hall': { zh: '新建展厅/功能区', en: 'Created a hall' },
  'venue.update_hall': { zh: '修改展厅/功能区', en: 'Edited a hall' },
  'venue.export_statistics': { zh: '导出阵地统计', en: 'Exported venue statistics' },
  'station.create': { zh: '新建服务站点', en: 'Created a station' },
  'station.update': { zh: '修改服务站点', en: 'Edited a station' },
  'booking.create': { zh: '预约参观', en: 'Booked a visit' },
  'booking.confirm': { zh: '确认预约', en: 'Confirmed a booking' },
  'booking.decline': { zh: '拒绝预约', en: 'Declined a booking' },
  'booking.cancel': { zh: '取消预约', en: 'Cancelled a booking' },
  'booking.visit': { zh: '登记参观', en: 'Recorded a visit' },
  'exam.create': { zh: '新建考试', en: 'Created an exam' },
  'exam.issue_make_up': { zh: '安排补考', en: 'Issued a make-up exam' },
  'exam.export_results': { zh: '导出考试成绩', en: 'Exported exam results' },
  'paper.create': { zh: '新建试卷', en: 'Created a paper' },
  'question.create': { zh: '新增试题', en: 'Added a question' },
  'question.update': { zh: '修改试题', en: 'Edited a question' },
  'question.archive': { zh: '归档试题', en: 'Archived a question' },
  'daily_quiz.settings_update': { zh: '修改每日答题设置', en: 'Changed daily quiz settings' },
  'points.rule_update': { zh: '修改积分规则', en: 'Changed a points rule' },
  'points.reverse': { zh: '冲销积分', en: 'Reversed points' },
  'community.create': { zh: '新建社区', en: 'Created a community' },
  'community.update': { zh: '修改社区', en: 'Edited a community' },
  'community.report': { zh: '到社区报到', en: 'Reported to a community' },
  'community.withdraw_report': { zh: '撤销社区报到', en: 'Withdrew a community report' },
  'co_building.create': { zh: '签订共驻共建协议', en: 'Created a co-building agreement' },
  'co_building.update': { zh: '修改共驻共建协议', en: 'Edited a co-building agreement' },
  'co_building.add_project': { zh: '新增共建项目', en: 'Added a co-building project' },
  'co_building.update_project': { zh: '修改共建项目', en: 'Edited a co-building project' },
  'micro_wish.post': { zh: '发布微心愿', en: 'Posted a micro wish' },
  'micro_wish.create': { zh: '登记微心愿', en: 'Recorded a micro wish' },
  'micro_wish.approve': { zh: '审核通过微心愿', en: 'Approved a micro wish' },
  'micro_wish.reject': { zh: '驳回微心愿', en: 'Rejected a micro wish' },
  'micro_wish.claim': { zh: '认领微心愿', en: 'Claimed a micro wish' },
  'micro_wish.release': { zh: '放弃认领微心愿', en: 'Released a micro wish' },
  'micro_wish.fulfil': { zh: '完成微心愿', en: 'Fulfilled a micro wish' },
  'micro_wish.confirm': { zh: '确认微心愿完成', en: 'Confirmed a micro wish' },
  'micro_wish.add_evidence': { zh: '上传微心愿佐证', en: 'Added micro wish evidence' },
  'micro_wish.reveal_contact': { zh: '查看心愿人联系方式', en: 'Viewed a wisher’s contact' },
  'service_project.create': { zh: '新建实事项目', en: 'Created a service project' },
  'service_project.update': { zh: '修改实事项目', en: 'Edited a service project' },
  'service_project.set_categories': { zh: '设置项目类别', en: 'Set project categories' },
  'service_project.add_evidence': { zh: '上传项目佐证', en: 'Added project evidence' },
  'service_project.remove_evidence': { zh: '删除项目佐证', en: 'Removed project evidence' },
  'service_project.review': { zh: '点评实事项目', en: 'Reviewed a service project' },
  'service_project.return': { zh: '退回实事项目', en: 'Returned a service project' },
  'service_project.resubmit': { zh: '重新提交实事项目', en: 'Resubmitted a service project' },
  'service_project.feedback_submit': { zh: '群众评价', en: 'Submitted public feedback' },
  'service_project.feedback_approve': { zh: '评价审核通过', en: 'Approved feedback' },
  'service_project.feedback_reject': { zh: '评价审核不通过', en: 'Rejected feedback' },
  'service_project.export': { zh: '导出实事项目', en: 'Exported service projects' },
};

export const AuditQuerySchema = PageQuerySchema.extend({
  /** A prefix: 'member.' finds every member action, 'member.reveal' both reveals. */
  action: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(50).optional(),
  targetId: z.string().trim().max(100).optional(),
  /** Part of the acting user's username, any case. */
  username: z.string().trim().max(50).optional(),
  ip: z.string().trim().max(64).optional(),
  /** Calendar days in Asia/Shanghai, both inclusive. */
  from: DateSchema.optional(),
  to: DateSchema.optional(),
}).refine((q) => !q.from || !q.to || q.to >= q.from, { message: 'audit.to_before_from', path: ['to'] });
export type AuditQuery = z.infer<typeof AuditQuerySchema>;

export const AuditEntrySchema = z.object({
  id: IdSchema,
  at: z.string(),
  userId: IdSchema.nullable(),
  username: z.string().nullable(),
  action: z.string(),
  /** The action in the request's language (from AUDIT_ACTION_LABELS), or its code when unknown. */
  actionLabel: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  orgPath: z.string().nullable(),
  /** The org the entry belongs to, by its current name. */
  orgName: z.string().nullable(),
  ip: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/** Counting stops here: the log grows with every sign-in, and "10,000+" is all a browser needs. */
export const AUDIT_COUNT_CAP = 10_000;

export const AuditPageSchema = pageOf(AuditEntrySchema).extend({
  /** True when more entries match than were counted: show the total as "10,000+". */
  isTotalCapped: z.boolean(),
});
export type AuditPage = z.infer<typeof AuditPageSchema>;
