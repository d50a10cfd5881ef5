import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  CheckNominationSchema, CheckResultSchema, CreateDisciplineSchema, CreateMicroStarSchema, CreateNominationSchema, CreateRoundSchema, DisciplineListQuerySchema,
  DisciplinePageSchema, DisciplineRecordSchema, ExtraQuotasSchema, HonourExportQuerySchema, HonourListQuerySchema, HonourPageSchema, HonourSchema,
  MemberRecordSchema, NominationListQuerySchema, NominationPageSchema, NominationSchema, OpenRoundNoticeSchema, PublicNoticeStatusSchema,
  ReturnNominationSchema, RoundListQuerySchema, RoundPageSchema, RoundSchema, SetQuotasSchema,
} from '../../../../contracts/commendations.js';
import { actorOf } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { renderHonourCertificate } from './certificate.js';
import * as honours from './honours.js';
import * as rounds from './service.js';
import './messages.js';

const tags = ['commendations'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();
const fileHeader = (disposition: 'inline' | 'attachment', fileName: string, ascii: string) =>
  `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

export const commendationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // ---------- rounds (两优一先) ----------

  app.get('/commendations/rounds', { config: user, schema: { tags, summary: '评选表彰（本组织及持有名额的）', querystring: RoundListQuerySchema, response: { 200: RoundPageSchema } } },
    async (request) => rounds.listRounds(db, actorOf(request), request.query));

  app.post('/commendations/rounds', { config: user, schema: { tags, summary: '发起评选表彰', body: CreateRoundSchema, response: { 201: RoundSchema } } },
    async (request, reply) => reply.status(201).send(await rounds.createRound(db, actorOf(request), request.body)));

  app.get('/commendations/rounds/:id', { config: user, schema: { tags, summary: '评选表彰详情（名额、进度）', params: IdParamsSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.getRound(db, actorOf(request), request.params.id));

  app.put('/commendations/rounds/:id/quotas', { config: user, schema: { tags, summary: '分配名额（下级党组织，按类别）', params: IdParamsSchema, body: SetQuotasSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.setQuotas(db, actorOf(request), request.params.id, request.body));

  app.post('/commendations/rounds/:id/extra-quotas', { config: user, schema: { tags, summary: '按冻结的考核排名增加名额', params: IdParamsSchema, body: ExtraQuotasSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.addExtraQuotas(db, actorOf(request), request.params.id, request.body));

  app.get('/commendations/rounds/:id/nominations', { config: user, schema: { tags, summary: '推荐对象（含资格审查结果）', params: IdParamsSchema, querystring: NominationListQuerySchema, response: { 200: NominationPageSchema } } },
    async (request) => rounds.listNominations(db, actorOf(request), request.params.id, request.query));

  app.post('/commendations/rounds/:id/nominations/check', { config: user, schema: { tags, summary: '资格审查（推荐前预检）', params: IdParamsSchema, body: CheckNominationSchema, response: { 200: CheckResultSchema } } },
    async (request) => rounds.checkCandidate(db, actorOf(request), request.params.id, request.body));

  app.post('/commendations/rounds/:id/nominations', { config: user, schema: { tags, summary: '推荐（名额内，附事迹）', params: IdParamsSchema, body: CreateNominationSchema, response: { 201: NominationSchema } } },
    async (request, reply) => reply.status(201).send(await rounds.createNomination(db, actorOf(request), request.params.id, request.body)));

  app.post('/commendations/nominations/:id/approve', { config: user, schema: { tags, summary: '审核通过', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: NominationSchema } } },
    async (request) => rounds.approveNomination(db, actorOf(request), request.params.id));

  app.post('/commendations/nominations/:id/return', { config: user, schema: { tags, summary: '退回（附理由，名额释放）', params: IdParamsSchema, body: ReturnNominationSchema, response: { 200: NominationSchema } } },
    async (request) => rounds.returnNomination(db, actorOf(request), request.params.id, request.body.reason));

  app.post('/commendations/rounds/:id/public-notice', { config: user, schema: { tags, summary: '公示审核通过的拟表彰对象', params: IdParamsSchema, body: OpenRoundNoticeSchema, response: { 200: RoundSchema } } },
    async (request) => rounds.openRoundNotice(db, actorOf(request), request.params.id, request.body));

  app.get('/commendations/rounds/:id/public-notice', { config: user, schema: { tags, summary: '公示状态（异议、撤销）', params: IdParamsSchema, response: { 200: PublicNoticeStatusSchema.nullable() } } },
    async (request) => rounds.roundNoticeState(db, actorOf(request), request.params.id));

  app.post('/commendations/rounds/:id/award', { config: user, schema: { tags, summary: '表彰（公示期满且无待处理异议）', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: RoundSchema } } },
    async (request) => rounds.awardRound(db, actorOf(request), request.params.id));

  // ---------- honours ----------

  app.get('/commendations/honours', { config: user, schema: { tags, summary: '荣誉（按年度、类别；党员或党组织的）', querystring: HonourListQuerySchema, response: { 200: HonourPageSchema } } },
    async (request) => honours.listHonours(db, actorOf(request), request.query));

  app.get('/commendations/honours/export', { config: user, schema: { tags, summary: '导出表彰名单（.xlsx；记入审计日志）', querystring: HonourExportQuerySchema } },
    async (request, reply) => {
      const { stream, fileName } = await honours.exportHonours(db, actorOf(request), request.query, request.log);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', fileHeader('attachment', fileName, 'honours.xlsx')).send(stream);
    });

  app.get('/commendations/honours/:id/certificate', { config: user, schema: { tags, summary: '荣誉证书（PDF）', params: IdParamsSchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      const honour = await honours.honourForCertificate(db, actor, request.params.id);
      await audit(db, actor, { action: 'commendation.certificate', targetType: 'honour', targetId: honour.id, detail: { name: honour.recipientName, title: honour.title } });
      return reply.type('application/pdf').header('cache-control', 'private, no-store')
        .header('content-disposition', fileHeader('inline', `荣誉证书-${honour.recipientName}.pdf`, 'certificate.pdf')).send(renderHonourCertificate(honour));
    });

  app.post('/commendations/micro-stars', { config: user, schema: { tags, summary: '授予微星光（党支部及以上管理员）', body: CreateMicroStarSchema, response: { 201: HonourSchema } } },
    async (request, reply) => reply.status(201).send(await honours.awardMicroStar(db, actorOf(request), request.body)));

  app.get('/commendations/micro-stars', { config: user, schema: { tags, summary: '微星光（按党组织、月份）', querystring: HonourListQuerySchema.omit({ kind: true }), response: { 200: HonourPageSchema } } },
    async (request) => honours.listHonours(db, actorOf(request), { ...request.query, kind: 'micro_star' }));

  // ---------- 党纪处分 and the member's 奖惩 ----------

  app.get('/commendations/discipline', { config: user, schema: { tags, summary: '党纪处分记录（管理范围内的党员）', querystring: DisciplineListQuerySchema, response: { 200: DisciplinePageSchema } } },
    async (request) => honours.listDiscipline(db, actorOf(request), request.query));

  app.post('/commendations/discipline', { config: user, schema: { tags, summary: '登记党纪处分（记入审计日志）', body: CreateDisciplineSchema, response: { 201: DisciplineRecordSchema } } },
    async (request, reply) => reply.status(201).send(await honours.recordDiscipline(db, actorOf(request), request.body)));

  app.get('/commendations/members/:memberId/record', { config: user, schema: { tags, summary: '党员奖惩记录', params: z.object({ memberId: IdSchema }), response: { 200: MemberRecordSchema } } },
    async (request) => honours.memberRecord(db, actorOf(request), request.params.memberId));

  app.get('/me/honours', { config: user, schema: { tags, summary: '我的荣誉', querystring: PageQuerySchema, response: { 200: HonourPageSchema } } },
    async (request) => honours.myHonours(db, actorOf(request), request.query));
};
