import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema, PageQuerySchema } from '../../../../contracts/common.js';
import {
  CampaignListQuerySchema, CampaignPageSchema, CampaignSchema, CampaignTotalsSchema, CreateCampaignSchema, DonationPageSchema, DonationSchema,
  OrgTotalsQuerySchema, OrgTotalsSchema, RecordDonationSchema,
} from '../../../../contracts/donations.js';
import { actorOf } from '../../platform/actor.js';
import * as donations from './service.js';
import './messages.js';

const tags = ['donations'];
const user = { auth: 'user' } as const;

export const donationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/donations/campaigns', { config: user, schema: { tags, summary: '募捐活动', querystring: CampaignListQuerySchema, response: { 200: CampaignPageSchema } } },
    async (request) => donations.listCampaigns(db, actorOf(request), request.query));

  app.post('/donations/campaigns', { config: user, schema: { tags, summary: '发起募捐活动', body: CreateCampaignSchema, response: { 201: CampaignSchema } } },
    async (request, reply) => reply.status(201).send(await donations.createCampaign(db, actorOf(request), request.body)));

  app.get('/donations/org-totals', { config: user, schema: { tags, summary: '各组织捐款合计（跨活动）', querystring: OrgTotalsQuerySchema, response: { 200: OrgTotalsSchema } } },
    async (request) => donations.orgTotals(db, actorOf(request), request.query));

  app.get('/donations/campaigns/:id', { config: user, schema: { tags, summary: '募捐活动详情', params: IdParamsSchema, response: { 200: CampaignSchema } } },
    async (request) => donations.getCampaign(db, actorOf(request), request.params.id));

  app.get('/donations/campaigns/:id/donations', { config: user, schema: { tags, summary: '捐款明细（台账）', params: IdParamsSchema, querystring: PageQuerySchema, response: { 200: DonationPageSchema } } },
    async (request) => donations.listDonations(db, actorOf(request), request.params.id, request.query));

  app.post('/donations/campaigns/:id/donations', { config: user, schema: { tags, summary: '登记捐款（金额单位：分）', params: IdParamsSchema, body: RecordDonationSchema, response: { 201: DonationSchema } } },
    async (request, reply) => reply.status(201).send(await donations.recordDonation(db, actorOf(request), request.params.id, request.body)));

  app.get('/donations/campaigns/:id/totals', { config: user, schema: { tags, summary: '活动合计（按组织）', params: IdParamsSchema, response: { 200: CampaignTotalsSchema } } },
    async (request) => donations.campaignTotals(db, actorOf(request), request.params.id));
};
