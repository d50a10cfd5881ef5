import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  CancelProcedureSchema, DueListQuerySchema, DueOrgPageSchema, DueSummaryQuerySchema, DueSummarySchema, ElectionProcedurePageSchema, ElectionProcedureSchema,
  OrgTermPageSchema, OrgTermSchema, ProcedureListQuerySchema, RecordCongressSchema, RecordStepSchema, RecordTermSchema, StartProcedureSchema, StepFileDownloadParamsSchema, StepFileParamsSchema, TermListQuerySchema,
} from '../../../../contracts/elections.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, sendUpload } from '../../platform/uploads.js';
import * as elections from './service.js';
import './messages.js';

const tags = ['elections'];
const user = { auth: 'user' } as const;

export const electionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  app.get('/elections/terms', { config: user, schema: { tags, summary: '党组织的届次记录（最新在前）', querystring: TermListQuerySchema, response: { 200: OrgTermPageSchema } } },
    async (request) => elections.listTerms(db, actorOf(request), request.query));

  app.post('/elections/terms', { config: user, schema: { tags, summary: '补录以往届次（最新一届同步为组织的任期）', body: RecordTermSchema, response: { 201: OrgTermSchema } } },
    async (request, reply) => reply.status(201).send(await elections.recordTerm(db, actorOf(request), request.body)));

  app.get('/elections/terms/:id', { config: user, schema: { tags, summary: '届次详情（委员会组成与得票）', params: IdParamsSchema, response: { 200: OrgTermSchema } } },
    async (request) => elections.getTerm(db, actorOf(request), request.params.id));

  app.get('/elections/due', { config: user, schema: { tags, summary: '换届到期名单（90/60/30 天内到期或已逾期，含下级）', querystring: DueListQuerySchema, response: { 200: DueOrgPageSchema } } },
    async (request) => elections.listDue(db, actorOf(request), request.query));

  app.get('/elections/due/summary', { config: user, schema: { tags, summary: '换届到期统计（各数字即对应名单的总数）', querystring: DueSummaryQuerySchema, response: { 200: DueSummarySchema } } },
    async (request) => elections.dueSummary(db, actorOf(request), request.query.orgId));

  app.get('/elections/procedures', { config: user, schema: { tags, summary: '换届程序列表（管理范围内）', querystring: ProcedureListQuerySchema, response: { 200: ElectionProcedurePageSchema } } },
    async (request) => elections.listProcedures(db, actorOf(request), request.query));

  app.post('/elections/procedures', { config: user, schema: { tags, summary: '启动换届程序', body: StartProcedureSchema, response: { 201: ElectionProcedureSchema } } },
    async (request, reply) => reply.status(201).send(await elections.startProcedure(db, actorOf(request), request.body)));

  app.get('/elections/procedures/:id', { config: user, schema: { tags, summary: '换届程序详情（各步骤日期与文件）', params: IdParamsSchema, response: { 200: ElectionProcedureSchema } } },
    async (request) => elections.getProcedure(db, actorOf(request), request.params.id));

  app.post('/elections/procedures/:id/request', { config: user, schema: { tags, summary: '登记换届请示（本组织）', params: IdParamsSchema, body: RecordStepSchema, response: { 200: ElectionProcedureSchema } } },
    async (request) => elections.recordStep(db, actorOf(request), request.params.id, 'request', request.body));

  app.post('/elections/procedures/:id/approval', { config: user, schema: { tags, summary: '登记上级批复（上级党组织）', params: IdParamsSchema, body: RecordStepSchema, response: { 200: ElectionProcedureSchema } } },
    async (request) => elections.recordStep(db, actorOf(request), request.params.id, 'approval', request.body));

  app.post('/elections/procedures/:id/congress', { config: user, schema: { tags, summary: '登记选举大会及选举结果（本组织）', params: IdParamsSchema, body: RecordCongressSchema, response: { 200: ElectionProcedureSchema } } },
    async (request) => elections.recordStep(db, actorOf(request), request.params.id, 'congress', request.body));

  app.post('/elections/procedures/:id/filing', { config: user, schema: { tags, summary: '登记报备（上级党组织受理；组织任期随之更新）', params: IdParamsSchema, body: RecordStepSchema, response: { 200: ElectionProcedureSchema } } },
    async (request) => elections.recordStep(db, actorOf(request), request.params.id, 'filing', request.body));

  app.post('/elections/procedures/:id/steps/:step/files', { config: user, schema: { tags, summary: '上传步骤文件（请示、批复、会议材料、报备表；multipart，字段 file）', params: StepFileParamsSchema, consumes: ['multipart/form-data'], response: { 201: ElectionProcedureSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await elections.addStepFile(db, actor, dataDir, request.params.id, request.params.step, upload));
    });

  app.get('/elections/procedures/:id/files/:fileId', { config: user, schema: { tags, summary: '下载步骤文件', params: StepFileDownloadParamsSchema } },
    async (request, reply) =>
      sendUpload(reply, dataDir, await elections.findStepFile(db, actorOf(request), request.params.id, request.params.fileId)));

  app.post('/elections/procedures/:id/cancel', { config: user, schema: { tags, summary: '取消换届程序（选举大会前）', params: IdParamsSchema, body: CancelProcedureSchema, response: { 200: ElectionProcedureSchema } } },
    async (request) => elections.cancelProcedure(db, actorOf(request), request.params.id, request.body.reason));
};
