import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  FiftyYearMedalSchema, FiftyYearsExportQuerySchema, FiftyYearsPageSchema, FiftyYearsQuerySchema, IssueMedalSchema, RevokeMedalSchema,
} from '../../../../contracts/fifty_years.js';
import { actorOf } from '../../platform/actor.js';
import * as fiftyYears from './service.js';
import './messages.js';

const tags = ['fifty_years'];
const user = { auth: 'user' } as const;
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (filename: string) => `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`;

/** 光荣在党50年: the year's list per subtree and the 纪念章 issued. */
export const fiftyYearsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/fifty-years', { config: user, schema: { tags, summary: '光荣在党50年名单（某年度满50年党龄的党员，含下级；各组织人数）', querystring: FiftyYearsQuerySchema, response: { 200: FiftyYearsPageSchema } } },
    async (request) => fiftyYears.listFiftyYears(db, actorOf(request), request.query));

  app.get('/fifty-years/export', { config: user, schema: { tags, summary: '导出光荣在党50年名单（.xlsx，流式；掩码；记入审计日志）', querystring: FiftyYearsExportQuerySchema } },
    async (request, reply) => {
      const { stream, fileName } = await fiftyYears.exportFiftyYears(db, actorOf(request), request.query, request.log);
      return reply.header('content-type', xlsx).header('content-disposition', attachment(fileName)).send(stream);
    });

  app.post('/fifty-years/medals', { config: user, schema: { tags, summary: '登记颁发“光荣在党50年”纪念章', body: IssueMedalSchema, response: { 201: FiftyYearMedalSchema } } },
    async (request, reply) => reply.status(201).send(await fiftyYears.issueMedal(db, actorOf(request), request.body)));

  app.post('/fifty-years/medals/:id/revoke', { config: user, schema: { tags, summary: '撤销误登记的颁发记录', params: IdParamsSchema, body: RevokeMedalSchema, response: { 200: FiftyYearMedalSchema } } },
    async (request) => fiftyYears.revokeMedal(db, actorOf(request), request.params.id, request.body));
};
