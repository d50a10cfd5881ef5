import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  AcceptTransferSchema, CancelTransferSchema, IssueTransferSchema, ReturnTransferSchema, TransferListQuerySchema, TransferPageSchema,
  TransferSchema, TransferTargetPageSchema, TransferTargetQuerySchema,
} from '../../../../contracts/transfers.js';
import { actorOf } from '../../platform/actor.js';
import * as transfers from './service.js';
import './messages.js';
import '../orgs/messages.js';

const tags = ['transfers'];
const user = { auth: 'user' } as const;

export const transferRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/transfers', { config: user, schema: { tags, summary: '组织关系转接列表（转入/转出）', querystring: TransferListQuerySchema, response: { 200: TransferPageSchema } } },
    async (request) => transfers.listTransfers(db, actorOf(request), request.query));

  app.get('/transfers/targets', { config: user, schema: { tags, summary: '可接收党员的党组织（全树，仅名称）', querystring: TransferTargetQuerySchema, response: { 200: TransferTargetPageSchema } } },
    async (request) => transfers.listTargets(db, actorOf(request), request.query));

  app.get('/transfers/:id', { config: user, schema: { tags, summary: '转接详情', params: IdParamsSchema, response: { 200: TransferSchema } } },
    async (request) => transfers.getTransfer(db, actorOf(request), request.params.id));

  app.post('/transfers', { config: user, schema: { tags, summary: '开具组织关系转接（转出党组织）', body: IssueTransferSchema, response: { 201: TransferSchema } } },
    async (request, reply) => reply.status(201).send(await transfers.issueTransfer(db, actorOf(request), request.body)));

  app.post('/transfers/:id/accept', { config: user, schema: { tags, summary: '接收（党员随即转入）', params: IdParamsSchema, body: AcceptTransferSchema, response: { 200: TransferSchema } } },
    async (request) => transfers.acceptTransfer(db, actorOf(request), request.params.id, request.body));

  app.post('/transfers/:id/return', { config: user, schema: { tags, summary: '退回（接收党组织）', params: IdParamsSchema, body: ReturnTransferSchema, response: { 200: TransferSchema } } },
    async (request) => transfers.returnTransfer(db, actorOf(request), request.params.id, request.body));

  app.post('/transfers/:id/cancel', { config: user, schema: { tags, summary: '撤回（转出党组织，接收前）', params: IdParamsSchema, body: CancelTransferSchema, response: { 200: TransferSchema } } },
    async (request) => transfers.cancelTransfer(db, actorOf(request), request.params.id, request.body));
};
