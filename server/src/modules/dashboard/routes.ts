import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  DashboardParamsSchema, DashboardQuerySchema, FiguresSchema, FreezeReportSchema, MeasureParamsSchema, RecordPageSchema, RecordsQuerySchema,
  ReportListQuerySchema, ReportPageSchema, ReportSchema,
} from '../../../../contracts/dashboard.js';
import { actorOf } from '../../platform/actor.js';
import { readDb } from '../../platform/replica.js';
import { exportReportPdf, exportReportXlsx, freezeReport, getReport, listReports } from './reports.js';
import type { JobDefinition } from '../../platform/scheduler.js';
import { foldEpochs, getFigures, listRecords, pruneSharedFigures } from './service.js';
import './messages.js';

const tags = ['dashboard'];
const user = { auth: 'user' } as const;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const disposition = (filename: string, fallback: string) => `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export const dashboardRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  // The figures are answered as the same object while nothing they count has changed (service.ts), so their JSON
  // is written once per change instead of once per request (a hall's screen and many leaders poll them); the
  // object is typed by the contract it is documented with, and the tests parse it with that contract.
  const written = new WeakMap<object, string>();
  const figuresJson = () => (data: unknown) => {
    const key = data as object;
    let json = written.get(key);
    if (json === undefined) written.set(key, json = JSON.stringify(FiguresSchema.parse(data)));
    return json;
  };

  app.get('/dashboard/:orgId/figures', { config: user, serializerCompiler: figuresJson, schema: { tags, summary: '驾驶舱：本组织及下级的各项指标（周期：YYYY / YYYY-Qn / YYYY-MM）', params: DashboardParamsSchema, querystring: DashboardQuerySchema, response: { 200: FiguresSchema } } },
    async (request) => getFigures(await readDb(request), actorOf(request), request.params.orgId, request.query.period, db));

  app.get('/dashboard/:orgId/measures/:measure/records', { config: user, schema: { tags, summary: '驾驶舱：一项指标（或其中一类）所统计的记录，与指标同一查询', params: MeasureParamsSchema, querystring: RecordsQuerySchema, response: { 200: RecordPageSchema } } },
    async (request) => listRecords(await readDb(request), actorOf(request), request.params.orgId, request.params.measure, request.query));

  app.post('/dashboard/:orgId/reports', { config: user, schema: { tags, summary: '冻结本期指标为报表（之后数据变化不影响报表）', params: DashboardParamsSchema, body: FreezeReportSchema, response: { 201: ReportSchema } } },
    async (request, reply) => reply.status(201).send(await freezeReport(db, actorOf(request), request.params.orgId, request.body)));

  app.get('/dashboard/:orgId/reports', { config: user, schema: { tags, summary: '本组织已冻结的报表', params: DashboardParamsSchema, querystring: ReportListQuerySchema, response: { 200: ReportPageSchema } } },
    async (request) => listReports(db, actorOf(request), request.params.orgId, request.query));

  app.get('/dashboard/reports/:id', { config: user, schema: { tags, summary: '打开冻结的报表', params: IdParamsSchema, response: { 200: ReportSchema } } },
    async (request) => getReport(db, actorOf(request), request.params.id));

  app.get('/dashboard/reports/:id/export.xlsx', { config: user, schema: { tags, summary: '导出冻结的报表（.xlsx）', params: IdParamsSchema } },
    async (request, reply) => {
      const { stream, filename } = await exportReportXlsx(db, actorOf(request), request.params.id);
      return reply.header('content-type', XLSX).header('content-disposition', disposition(filename, 'dashboard-report.xlsx')).send(stream);
    });

  app.get('/dashboard/reports/:id/export.pdf', { config: user, schema: { tags, summary: '导出冻结的报表（可打印 PDF）', params: IdParamsSchema } },
    async (request, reply) => {
      const { body, filename } = await exportReportPdf(db, actorOf(request), request.params.id);
      return reply.type('application/pdf').header('content-disposition', disposition(filename, 'dashboard-report.pdf')).send(body);
    });
};

/** Hourly, the epoch rows of ended database connections are folded into one per source, and shared figures not written for two days are pruned (service.ts). */
export const DASHBOARD_FOLD_JOB = 'dashboard.fold_epochs';
export const dashboardJobs: JobDefinition[] = [
  {
    kind: DASHBOARD_FOLD_JOB,
    everySeconds: 3600,
    async run({ db }) {
      await foldEpochs(db);
      await pruneSharedFigures(db);
    },
  },
];
