import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema, OkSchema } from '../../../../contracts/common.js';
import {
  ActivityListQuerySchema, ActivityPageSchema, ActivitySchema, AddParticipantsSchema, BirthdayMemberSchema, BirthdayQuerySchema, BringSchema,
  CalendarFeedSchema, CalendarFeedStatusSchema, CalendarQuerySchema, CalendarSchema, CancelActivitySchema, CheckInCodeSchema, CheckInResultSchema, CheckInSchema,
  CompleteMakeUpSchema, ComplianceQuerySchema, ComplianceReportSchema, ComplianceRulesSchema, ContributionSchema, CreateActivitySchema,
  CreateBirthdayActivitySchema, InboxSchema, LeaveRequestSchema, MakeUpTaskListQuerySchema, MakeUpTaskPageSchema, MarkAttendanceSchema,
  ParticipantSchema, PublicOpenLessonSchema, RecordActivitySchema, SetComplianceRulesSchema, TakeAwaySchema, UpdateActivitySchema, AttendanceStateSchema,
  AttendanceExportQuerySchema, CriticismParamsSchema, CriticismSchema, OrgLifeDuePageSchema, OrgLifeDueQuerySchema, SaveCriticismSchema,
} from '../../../../contracts/activities.js';
import { actorOf } from '../../platform/actor.js';
import { readDb } from '../../platform/replica.js';
import { notFound } from '../../platform/errors.js';
import { attachmentHeader, receiveUpload, uploadPath } from '../../platform/uploads.js';
import * as activities from './service.js';
import * as checkIns from './check-in.js';
import * as participation from './participation.js';
import * as compliance from './compliance.js';
import * as calendars from './calendar.js';
import * as files from './files.js';
import { exportAttendance } from './attendance-export.js';
import * as orgLife from './org-life.js';
import './messages.js';

const tags = ['activities'];
const user = { auth: 'user' } as const;
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const FileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });
const attachment = (filename: string) => `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export const activityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const { cipher } = app;
  const { dataDir } = app.config;

  // ---------- plan, notify, record, close ----------
  app.get('/activities', { config: user, schema: { tags, summary: '活动列表（管理范围内；党员：受邀的及本系统的开放式党课）', querystring: ActivityListQuerySchema, response: { 200: ActivityPageSchema } } },
    async (request) => activities.listActivities(db, actorOf(request), request.query));

  app.post('/activities', { config: user, schema: { tags, summary: '计划活动（可选参加人员；直播课可按周重复）', body: CreateActivitySchema, response: { 201: ActivitySchema } } },
    async (request, reply) => reply.status(201).send(await activities.createActivity(db, actorOf(request), request.body)));

  app.get('/activities/inbox', { config: user, schema: { tags, summary: '我的活动通知', response: { 200: InboxSchema } } },
    async (request) => participation.inbox(db, actorOf(request)));

  app.get('/activities/attendance/export', { config: user, schema: { tags, summary: '导出组织（含下级）一年的活动出勤记录（.xlsx，流式；记入审计日志）', querystring: AttendanceExportQuerySchema } },
    async (request, reply) => {
      const { stream, fileName } = await exportAttendance(db, actorOf(request), request.query, request.log);
      return reply.header('content-type', xlsx).header('content-disposition', attachment(fileName)).send(stream);
    });

  app.get('/activities/compliance', { config: user, schema: { tags, summary: '三会一课落实情况（按支部/党小组，含逾期与即将到期）', querystring: ComplianceQuerySchema, response: { 200: ComplianceReportSchema } } },
    async (request) => compliance.computeCompliance(await readDb(request), actorOf(request), request.query));

  app.get('/activities/org-life-due', { config: user, schema: { tags, summary: '本年度尚未召开组织生活会的党支部（含下级）', querystring: OrgLifeDueQuerySchema, response: { 200: OrgLifeDuePageSchema } } },
    async (request) => orgLife.orgLifeDue(db, actorOf(request), request.query));

  app.get('/activities/compliance-rules/:id', { config: user, schema: { tags, summary: '三会一课频次规则（本组织生效的）', params: IdParamsSchema, response: { 200: ComplianceRulesSchema } } },
    async (request) => compliance.getComplianceRules(db, actorOf(request), request.params.id));

  app.post('/activities/compliance-rules/:id', { config: user, schema: { tags, summary: '设置三会一课频次规则（对下级生效；null 恢复继承）', params: IdParamsSchema, body: SetComplianceRulesSchema, response: { 200: ComplianceRulesSchema } } },
    async (request) => compliance.setComplianceRules(db, actorOf(request), request.params.id, request.body));

  app.get('/activities/party-birthdays', { config: user, schema: { tags, summary: '本月过政治生日的党员', querystring: BirthdayQuerySchema, response: { 200: z.object({ items: z.array(BirthdayMemberSchema) }) } } },
    async (request) => ({ items: await compliance.listPartyBirthdays(db, actorOf(request), request.query.orgId, request.query.month) }));

  app.post('/activities/party-birthdays', { config: user, schema: { tags, summary: '一键为当月政治生日党员创建活动', body: CreateBirthdayActivitySchema, response: { 201: ActivitySchema } } },
    async (request, reply) => reply.status(201).send(await compliance.createPartyBirthdayActivity(db, actorOf(request), request.body)));

  app.get('/activities/:id', { config: user, schema: { tags, summary: '活动详情（含四落实）', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (request) => activities.getActivity(db, actorOf(request), request.params.id));

  app.patch('/activities/:id', { config: user, schema: { tags, summary: '修改活动计划', params: IdParamsSchema, body: UpdateActivitySchema, response: { 200: ActivitySchema } } },
    async (request) => activities.updateActivity(db, actorOf(request), request.params.id, request.body));

  app.post('/activities/:id/publish', { config: user, schema: { tags, summary: '发布通知（每位参加人员收到站内通知）', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (request) => activities.publishActivity(db, actorOf(request), request.params.id));

  app.post('/activities/:id/cancel', { config: user, schema: { tags, summary: '取消活动', params: IdParamsSchema, body: CancelActivitySchema, response: { 200: ActivitySchema } } },
    async (request) => activities.cancelActivity(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/activities/:id/record', { config: user, schema: { tags, summary: '活动记录（会议记录、决议、小结、照片、附件、录像）', params: IdParamsSchema, body: RecordActivitySchema, response: { 200: ActivitySchema } } },
    async (request) => activities.recordActivity(db, actorOf(request), request.params.id, request.body));

  app.post('/activities/:id/attachments', { config: user, schema: { tags, summary: '上传活动照片或附件（multipart，字段 file，10 MB 内；图片、PDF、Word、Excel）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 201: ActivitySchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await files.assertMayUpload(db, actor, request.params.id);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await files.addActivityFile(db, actor, dataDir, request.params.id, upload));
    });

  app.get('/activities/:id/attachments/:fileId', { config: user, schema: { tags, summary: '下载活动照片或附件（活动的管理者与参加人员）', params: FileParamsSchema } },
    async (request, reply) => {
      const file = await files.findActivityFile(db, actorOf(request), request.params.id, request.params.fileId);
      return reply.type(file.mimeType).header('x-content-type-options', 'nosniff').header('cache-control', 'private, no-store')
        .header('content-disposition', attachmentHeader(file.fileName, file.mimeType.startsWith('image/') || file.mimeType === 'application/pdf'))
        .send(fs.createReadStream(uploadPath(dataDir, file.storageKey)));
    });

  app.delete('/activities/:id/attachments/:fileId', { config: user, schema: { tags, summary: '删除活动照片或附件（活动结束前）', params: FileParamsSchema, response: { 200: ActivitySchema } } },
    async (request) => files.removeActivityFile(db, actorOf(request), dataDir, request.params.id, request.params.fileId));

  app.post('/activities/:id/close', { config: user, schema: { tags, summary: '结束活动（未签到者记缺席并生成补学任务）', params: IdParamsSchema, response: { 200: ActivitySchema } } },
    async (request) => activities.closeActivity(db, actorOf(request), request.params.id));

  app.get('/activities/:id/participants', { config: user, schema: { tags, summary: '参加人员及签到情况', params: IdParamsSchema, response: { 200: z.object({ items: z.array(ParticipantSchema) }) } } },
    async (request) => ({ items: await activities.listParticipants(db, actorOf(request), request.params.id) }));

  app.post('/activities/:id/participants', { config: user, schema: { tags, summary: '追加参加人员（按组织、身份或个人）', params: IdParamsSchema, body: AddParticipantsSchema, response: { 200: z.object({ added: z.number().int() }) } } },
    async (request) => activities.addParticipants(db, actorOf(request), request.params.id, request.body));

  app.get('/activities/:id/criticisms', { config: user, schema: { tags, summary: '批评与自我批评记录（组织生活会、民主生活会）', params: IdParamsSchema, response: { 200: z.object({ items: z.array(CriticismSchema) }) } } },
    async (request) => ({ items: await orgLife.listCriticisms(db, actorOf(request), request.params.id) }));

  app.put('/activities/:id/criticisms/:memberId', { config: user, schema: { tags, summary: '登记某参会党员的批评与自我批评（自我批评、相互批评意见、整改承诺）', params: CriticismParamsSchema, body: SaveCriticismSchema, response: { 200: CriticismSchema } } },
    async (request) => orgLife.saveCriticism(db, actorOf(request), request.params.id, request.params.memberId, request.body));

  app.delete('/activities/:id/criticisms/:memberId', { config: user, schema: { tags, summary: '删除某参会党员的批评与自我批评记录', params: CriticismParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await orgLife.deleteCriticism(db, actorOf(request), request.params.id, request.params.memberId);
      return { ok: true as const };
    });

  app.get('/public/open-lessons', { config: { auth: 'public' }, schema: { tags, summary: '面向社会公开的开放式党课（无需登录）', response: { 200: z.object({ items: z.array(PublicOpenLessonSchema) }) } } },
    async () => ({ items: await activities.listPublicOpenLessons(db) }));

  // ---------- the member's side ----------
  app.post('/activities/:id/read', { config: user, schema: { tags, summary: '通知已读', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => participation.markRead(db, actorOf(request), request.params.id));

  app.post('/activities/:id/register', { config: user, schema: { tags, summary: '报名', params: IdParamsSchema, response: { 200: z.object({ state: AttendanceStateSchema }) } } },
    async (request) => participation.register(db, actorOf(request), request.params.id));

  app.post('/activities/:id/leave', { config: user, schema: { tags, summary: '请假', params: IdParamsSchema, body: LeaveRequestSchema, response: { 200: z.object({ state: AttendanceStateSchema }) } } },
    async (request) => participation.requestLeave(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/activities/:id/bring', { config: user, schema: { tags, summary: '三带来（会前：金点子、意见建议、志愿服务项目）', params: IdParamsSchema, body: BringSchema, response: { 200: OkSchema } } },
    async (request) => participation.bring(db, actorOf(request), request.params.id, request.body));

  app.post('/activities/:id/take-away', { config: user, schema: { tags, summary: '三带走（会后收获）', params: IdParamsSchema, body: TakeAwaySchema, response: { 200: OkSchema } } },
    async (request) => participation.takeAway(db, actorOf(request), request.params.id, request.body.takeaway));

  app.get('/activities/:id/contributions', { config: user, schema: { tags, summary: '三带来三带走清单', params: IdParamsSchema, response: { 200: z.object({ items: z.array(ContributionSchema) }) } } },
    async (request) => ({ items: await participation.listContributions(db, actorOf(request), request.params.id) }));

  app.get('/activities/:id/contributions.xlsx', { config: user, schema: { tags, summary: '导出三带来三带走（.xlsx）', params: IdParamsSchema } },
    async (request, reply) => {
      const { stream, filename } = await participation.exportContributions(db, actorOf(request), request.params.id);
      return reply.header('content-type', xlsx).header('content-disposition', attachment(filename)).send(stream);
    });

  // ---------- sign-in ----------
  app.get('/activities/:id/check-in-code', { config: user, schema: { tags, summary: '签到二维码（每 30 秒更换）与签到码（组织者屏幕）', params: IdParamsSchema, response: { 200: CheckInCodeSchema } } },
    async (request) => checkIns.issueCheckInCode(db, cipher, actorOf(request), request.params.id));

  app.post('/activities/:id/check-in-code/reset', { config: user, schema: { tags, summary: '重置 6 位签到码', params: IdParamsSchema, response: { 200: CheckInCodeSchema } } },
    async (request) => checkIns.resetCheckInCode(db, cipher, actorOf(request), request.params.id));

  app.post('/activities/:id/check-in', { config: user, schema: { tags, summary: '签到（扫码令牌或 6 位签到码；离线时做的签到带 madeAt 联网后补交）', params: IdParamsSchema, body: CheckInSchema, response: { 200: CheckInResultSchema } } },
    async (request) => checkIns.checkIn(db, cipher, actorOf(request), request.params.id, request.body));

  app.post('/activities/:id/attendance', { config: user, schema: { tags, summary: '组织者标记出勤（出席/迟到/请假/缺席）', params: IdParamsSchema, body: MarkAttendanceSchema,
    response: { 200: z.object({ state: AttendanceStateSchema, checkedInAt: z.string().nullable() }) } } },
  async (request) => checkIns.markAttendance(db, actorOf(request), request.params.id, request.body));

  // ---------- make-up study ----------
  app.get('/make-up-tasks', { config: user, schema: { tags, summary: '补学任务（本人的；或按组织查看下级）', querystring: MakeUpTaskListQuerySchema, response: { 200: MakeUpTaskPageSchema } } },
    async (request) => participation.listMakeUpTasks(db, actorOf(request), request.query));

  app.post('/make-up-tasks/:id/complete', { config: user, schema: { tags, summary: '确认完成补学', params: IdParamsSchema, body: CompleteMakeUpSchema, response: { 200: OkSchema } } },
    async (request) => participation.completeMakeUp(db, actorOf(request), request.params.id, request.body.note));

  // ---------- calendar ----------
  app.get('/calendar', { config: user, schema: { tags, summary: '日历（活动与阵地预约，月/周）', querystring: CalendarQuerySchema, response: { 200: CalendarSchema } } },
    async (request) => calendars.calendar(db, actorOf(request), request.query.from, request.query.to));

  app.get('/calendar/feed', { config: user, schema: { tags, summary: '是否已有个人 iCalendar 订阅地址（地址本身只在生成时显示一次）', response: { 200: CalendarFeedStatusSchema } } },
    async (request) => calendars.calendarFeedStatus(db, actorOf(request)));

  app.post('/calendar/feed', { config: user, schema: { tags, summary: '生成个人 iCalendar 订阅地址（旧地址失效）', response: { 200: CalendarFeedSchema } } },
    async (request) => calendars.issueCalendarFeed(db, actorOf(request)));

  app.get('/calendar/feed/:file', { config: { auth: 'public' }, schema: { tags, summary: '个人 iCalendar 订阅（text/calendar）', params: z.object({ file: z.string().regex(/^[A-Za-z0-9_-]{20,64}\.ics$/) }) } },
    async (request, reply) => {
      const body = await calendars.calendarFeed(db, request.params.file.replace(/\.ics$/, ''));
      if (body === null) throw notFound();
      return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(body);
    });
};
