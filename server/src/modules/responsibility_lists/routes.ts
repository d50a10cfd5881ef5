import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema, OkSchema } from '../../../../contracts/common.js';
import {
  CloseItemSchema, CreateDutyRoundSchema, CreateTemplateSchema, DutyReportPageSchema, DutyReportQuerySchema, DutyReportSchema, DutyResultsSchema,
  DutyRoundPageSchema, DutyRoundQuerySchema, DutyRoundSchema, IssueResultSchema, IssueTemplateSchema, ItemDetailSchema, ItemPageSchema, ItemQuerySchema,
  ListDetailSchema, ListPageSchema, ListQuerySchema, MyListsSchema, RecordInspectionSchema, ReportCreatedSchema, ReportProgressSchema,
  StartDutyReviewSchema, SubmitDutyReportSchema, TemplatePageSchema, TemplateQuerySchema, TemplateSchema, UpdateTemplateSchema,
} from '../../../../contracts/responsibility_lists.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, sendUpload } from '../../platform/uploads.js';
import * as duty from './duty.js';
import * as lists from './service.js';
import './messages.js';

const tags = ['responsibility_lists'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({});
const ItemFileParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });
const ItemReportParamsSchema = z.object({ id: IdSchema, reportId: IdSchema });

export const responsibilityRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  // ---------- templates and issuing (admins of the issuing org) ----------

  app.get('/responsibility/templates', { config: user, schema: { tags, summary: '责任清单模板（本人管理范围内）', querystring: TemplateQuerySchema, response: { 200: TemplatePageSchema } } },
    async (request) => lists.listTemplates(db, actorOf(request), request.query));

  app.post('/responsibility/templates', { config: user, schema: { tags, summary: '新建责任清单模板（层级、年度、事项）', body: CreateTemplateSchema, response: { 201: TemplateSchema } } },
    async (request, reply) => reply.status(201).send(await lists.createTemplate(db, actorOf(request), request.body)));

  app.get('/responsibility/templates/:id', { config: user, schema: { tags, summary: '责任清单模板详情', params: IdParamsSchema, response: { 200: TemplateSchema } } },
    async (request) => lists.getTemplate(db, actorOf(request), request.params.id));

  app.patch('/responsibility/templates/:id', { config: user, schema: { tags, summary: '修改责任清单模板（下发前）', params: IdParamsSchema, body: UpdateTemplateSchema, response: { 200: TemplateSchema } } },
    async (request) => lists.updateTemplate(db, actorOf(request), request.params.id, request.body));

  app.delete('/responsibility/templates/:id', { config: user, schema: { tags, summary: '删除责任清单模板（下发前）', params: IdParamsSchema, response: { 200: OkSchema } } },
    async (request) => {
      await lists.deleteTemplate(db, actorOf(request), request.params.id);
      return { ok: true as const };
    });

  app.post('/responsibility/templates/:id/issue', { config: user, schema: { tags, summary: '下发责任清单（子树内某类组织，或党员层级下发给党员）', params: IdParamsSchema, body: IssueTemplateSchema, response: { 200: IssueResultSchema } } },
    async (request) => lists.issueTemplate(db, actorOf(request), request.params.id, request.body));

  // ---------- lists and items ----------

  app.get('/responsibility/lists', { config: user, schema: { tags, summary: '责任清单及进度（每个责任主体一份；逾期事项数）', querystring: ListQuerySchema, response: { 200: ListPageSchema } } },
    async (request) => lists.listLists(db, actorOf(request), request.query));

  app.get('/responsibility/lists/:id', { config: user, schema: { tags, summary: '责任清单及其事项', params: IdParamsSchema, response: { 200: ListDetailSchema } } },
    async (request) => lists.getList(db, actorOf(request), request.params.id));

  app.get('/responsibility/items', { config: user, schema: { tags, summary: '责任事项（可筛选逾期）', querystring: ItemQuerySchema, response: { 200: ItemPageSchema } } },
    async (request) => lists.listItems(db, actorOf(request), request.query));

  app.get('/responsibility/items/:id', { config: user, schema: { tags, summary: '责任事项：进展报告、检查记录、销号', params: IdParamsSchema, response: { 200: ItemDetailSchema } } },
    async (request) => lists.getItem(db, actorOf(request), request.params.id));

  app.post('/responsibility/items/:id/reports', { config: user, schema: { tags, summary: '报告进展（责任主体）', params: IdParamsSchema, body: ReportProgressSchema, response: { 201: ReportCreatedSchema } } },
    async (request, reply) => reply.status(201).send(await lists.reportProgress(db, actorOf(request), request.params.id, request.body, 'admin')));

  app.post('/responsibility/items/:id/reports/:reportId/files', { config: user, schema: { tags, summary: '上传佐证材料（multipart，字段 file，10 MB 内）', params: ItemReportParamsSchema, consumes: ['multipart/form-data'], response: { 201: ItemDetailSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await lists.addEvidence(db, actor, dataDir, request.params.id, request.params.reportId, upload, 'admin'));
    });

  app.get('/responsibility/items/:id/files/:fileId', { config: user, schema: { tags, summary: '下载佐证材料', params: ItemFileParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await lists.findEvidence(db, actorOf(request), request.params.id, request.params.fileId, 'admin')));

  app.post('/responsibility/items/:id/inspections', { config: user, schema: { tags, summary: '检查记录（上级：日期、检查人、发现问题、是否整改及期限）', params: IdParamsSchema, body: RecordInspectionSchema, response: { 201: ItemDetailSchema } } },
    async (request, reply) => reply.status(201).send(await lists.recordInspection(db, actorOf(request), request.params.id, request.body)));

  app.post('/responsibility/items/:id/close', { config: user, schema: { tags, summary: '销号（上级）', params: IdParamsSchema, body: CloseItemSchema, response: { 200: ItemDetailSchema } } },
    async (request) => lists.closeItem(db, actorOf(request), request.params.id, request.body));

  // ---------- a member's own list (党员 level) ----------

  app.get('/me/responsibility', { config: user, schema: { tags, summary: '我的责任清单（党员）', response: { 200: MyListsSchema } } },
    async (request) => lists.myLists(db, actorOf(request)));

  app.get('/me/responsibility/items/:id', { config: user, schema: { tags, summary: '我的责任事项', params: IdParamsSchema, response: { 200: ItemDetailSchema } } },
    async (request) => lists.getItem(db, actorOf(request), request.params.id, 'own'));

  app.post('/me/responsibility/items/:id/reports', { config: user, schema: { tags, summary: '报告我的事项进展', params: IdParamsSchema, body: ReportProgressSchema, response: { 201: ReportCreatedSchema } } },
    async (request, reply) => reply.status(201).send(await lists.reportProgress(db, actorOf(request), request.params.id, request.body, 'own')));

  app.post('/me/responsibility/items/:id/reports/:reportId/files', { config: user, schema: { tags, summary: '上传我的佐证材料（multipart，字段 file）', params: ItemReportParamsSchema, consumes: ['multipart/form-data'], response: { 201: ItemDetailSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await lists.addEvidence(db, actor, dataDir, request.params.id, request.params.reportId, upload, 'own'));
    });

  app.get('/me/responsibility/items/:id/files/:fileId', { config: user, schema: { tags, summary: '下载我的佐证材料', params: ItemFileParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await lists.findEvidence(db, actorOf(request), request.params.id, request.params.fileId, 'own')));

  // ---------- 述职评议考核 ----------

  app.get('/duty-reviews', { config: user, schema: { tags, summary: '述职评议（评议机关的管理员）', querystring: DutyRoundQuerySchema, response: { 200: DutyRoundPageSchema } } },
    async (request) => duty.listRounds(db, actorOf(request), request.query));

  app.post('/duty-reviews', { config: user, schema: { tags, summary: '开展年度述职评议（为下级组织建立述职报告）', body: CreateDutyRoundSchema, response: { 201: DutyRoundSchema } } },
    async (request, reply) => reply.status(201).send(await duty.createRound(db, actorOf(request), request.body)));

  app.get('/duty-reviews/:id', { config: user, schema: { tags, summary: '述职评议详情', params: IdParamsSchema, response: { 200: DutyRoundSchema } } },
    async (request) => duty.getRound(db, actorOf(request), request.params.id));

  app.post('/duty-reviews/:id/review', { config: user, schema: { tags, summary: '开始评议（评委组评分：评审引擎）', params: IdParamsSchema, body: StartDutyReviewSchema, response: { 200: DutyRoundSchema } } },
    async (request) => duty.startReview(db, actorOf(request), request.params.id, request.body));

  app.get('/duty-reviews/:id/results', { config: user, schema: { tags, summary: '评议结果：各组织得分、名次、等次', params: IdParamsSchema, response: { 200: DutyResultsSchema } } },
    async (request) => duty.roundResults(db, actorOf(request), request.params.id));

  app.post('/duty-reviews/:id/close', { config: user, schema: { tags, summary: '结束评议（结果确定）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: DutyRoundSchema } } },
    async (request) => duty.closeRound(db, actorOf(request), request.params.id));

  app.get('/duty-reports', { config: user, schema: { tags, summary: '述职报告（本组织的，或评议范围内的）', querystring: DutyReportQuerySchema, response: { 200: DutyReportPageSchema } } },
    async (request) => duty.listDutyReports(db, actorOf(request), request.query));

  app.get('/duty-reports/:id', { config: user, schema: { tags, summary: '述职报告', params: IdParamsSchema, response: { 200: DutyReportSchema } } },
    async (request) => duty.getDutyReport(db, actorOf(request), request.params.id));

  app.put('/duty-reports/:id', { config: user, schema: { tags, summary: '提交述职报告（书记）', params: IdParamsSchema, body: SubmitDutyReportSchema, response: { 200: DutyReportSchema } } },
    async (request) => duty.submitDutyReport(db, actorOf(request), request.params.id, request.body));

  app.post('/duty-reports/:id/file', { config: user, schema: { tags, summary: '上传述职报告附件（multipart，字段 file）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 200: DutyReportSchema } } },
    async (request) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return duty.attachDutyReportFile(db, actor, dataDir, request.params.id, upload);
    });

  app.get('/duty-reports/:id/file', { config: user, schema: { tags, summary: '下载述职报告附件', params: IdParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await duty.findDutyReportFile(db, actorOf(request), request.params.id)));
};
