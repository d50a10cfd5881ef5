import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  BookingListQuerySchema, BookingPageSchema, BookingSchema, CreateBookingSchema, CreateHallSchema, CreateStationSchema, CreateVenueSchema,
  DecideBookingSchema, DeclineBookingSchema, HallParamsSchema, RecordVisitSchema, StationListQuerySchema, StationPageSchema, StationSchema,
  StatisticsQuerySchema, VenueActivitiesQuerySchema, VenueActivityPageSchema, UpdateHallSchema, UpdateStationSchema, UpdateVenueSchema, VenueSchema, VenueStatisticsSchema,
} from '../../../../contracts/venues.js';
import { actorOf } from '../../platform/actor.js';
import * as venues from './service.js';
import * as statistics from './statistics.js';
import * as stations from './stations.js';
import './messages.js';

const tags = ['venues'];
const user = { auth: 'user' } as const;
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const attachment = (filename: string) => `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`;

export const venueRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/venues', { config: user, schema: { tags, summary: '阵地列表（党性锤炼中心、党群服务中心等）', response: { 200: z.object({ items: z.array(VenueSchema) }) } } },
    async (request) => ({ items: await venues.listVenues(db, actorOf(request)) }));

  app.post('/venues', { config: user, schema: { tags, summary: '新建阵地', body: CreateVenueSchema, response: { 201: VenueSchema } } },
    async (request, reply) => reply.status(201).send(await venues.createVenue(db, actorOf(request), request.body)));

  app.get('/venues/statistics', { config: user, schema: { tags, summary: '阵地接待统计（单位数、批次、人次、按用途、按展厅）', querystring: StatisticsQuerySchema, response: { 200: VenueStatisticsSchema } } },
    async (request) => statistics.venueStatistics(db, actorOf(request), request.query));

  app.get('/venues/statistics/activities', { config: user, schema: { tags, summary: '在阵地开展的活动（统计数字所计的活动清单）', querystring: VenueActivitiesQuerySchema, response: { 200: VenueActivityPageSchema } } },
    async (request) => statistics.listVenueActivities(db, actorOf(request), request.query));

  app.get('/venues/statistics.xlsx', { config: user, schema: { tags, summary: '导出阵地接待统计（.xlsx）', querystring: StatisticsQuerySchema } },
    async (request, reply) => {
      const { stream, filename } = await statistics.exportVenueStatistics(db, actorOf(request), request.query);
      return reply.header('content-type', xlsx).header('content-disposition', attachment(filename)).send(stream);
    });

  app.get('/venues/:id', { config: user, schema: { tags, summary: '阵地详情（含展厅/功能区）', params: IdParamsSchema, response: { 200: VenueSchema } } },
    async (request) => venues.getVenue(db, actorOf(request), request.params.id));

  app.patch('/venues/:id', { config: user, schema: { tags, summary: '修改阵地', params: IdParamsSchema, body: UpdateVenueSchema, response: { 200: VenueSchema } } },
    async (request) => venues.updateVenue(db, actorOf(request), request.params.id, request.body));

  app.post('/venues/:id/halls', { config: user, schema: { tags, summary: '新增展厅/功能区', params: IdParamsSchema, body: CreateHallSchema, response: { 201: VenueSchema } } },
    async (request, reply) => reply.status(201).send(await venues.createHall(db, actorOf(request), request.params.id, request.body)));

  app.patch('/venues/:id/halls/:hallId', { config: user, schema: { tags, summary: '修改展厅/功能区', params: HallParamsSchema, body: UpdateHallSchema, response: { 200: VenueSchema } } },
    async (request) => venues.updateHall(db, actorOf(request), request.params.id, request.params.hallId, request.body));

  app.get('/venue-bookings', { config: user, schema: { tags, summary: '预约列表（阵地管理员：本阵地全部；其他人：本人提交的）', querystring: BookingListQuerySchema, response: { 200: BookingPageSchema } } },
    async (request) => venues.listBookings(db, actorOf(request), request.query));

  app.post('/venue-bookings', { config: user, schema: { tags, summary: '预约参观批次（时段冲突或超出容量时拒绝并说明原因）', body: CreateBookingSchema, response: { 201: BookingSchema } } },
    async (request, reply) => reply.status(201).send(await venues.createBooking(db, actorOf(request), request.body)));

  app.get('/venue-bookings/:id', { config: user, schema: { tags, summary: '预约详情', params: IdParamsSchema, response: { 200: BookingSchema } } },
    async (request) => venues.getBooking(db, actorOf(request), request.params.id));

  app.post('/venue-bookings/:id/confirm', { config: user, schema: { tags, summary: '确认预约（阵地）', params: IdParamsSchema, body: DecideBookingSchema, response: { 200: BookingSchema } } },
    async (request) => venues.decideBooking(db, actorOf(request), request.params.id, 'confirm', request.body));

  app.post('/venue-bookings/:id/decline', { config: user, schema: { tags, summary: '谢绝预约（阵地，须说明原因）', params: IdParamsSchema, body: DeclineBookingSchema, response: { 200: BookingSchema } } },
    async (request) => venues.decideBooking(db, actorOf(request), request.params.id, 'decline', request.body));

  app.post('/venue-bookings/:id/cancel', { config: user, schema: { tags, summary: '取消预约（申请人）', params: IdParamsSchema, response: { 200: BookingSchema } } },
    async (request) => venues.decideBooking(db, actorOf(request), request.params.id, 'cancel', {}));

  app.post('/venue-bookings/:id/visit', { config: user, schema: { tags, summary: '登记实到人数（阵地）', params: IdParamsSchema, body: RecordVisitSchema, response: { 200: BookingSchema } } },
    async (request) => venues.decideBooking(db, actorOf(request), request.params.id, 'visit', request.body));

  app.get('/service-stations', { config: user, schema: { tags, summary: '服务站点名录', querystring: StationListQuerySchema, response: { 200: StationPageSchema } } },
    async (request) => stations.listStations(db, actorOf(request), request.query));

  app.post('/service-stations', { config: user, schema: { tags, summary: '新增服务站点', body: CreateStationSchema, response: { 201: StationSchema } } },
    async (request, reply) => reply.status(201).send(await stations.createStation(db, actorOf(request), request.body)));

  app.get('/service-stations/:id', { config: user, schema: { tags, summary: '服务站点详情', params: IdParamsSchema, response: { 200: StationSchema } } },
    async (request) => stations.getStation(db, actorOf(request), request.params.id));

  app.patch('/service-stations/:id', { config: user, schema: { tags, summary: '修改服务站点', params: IdParamsSchema, body: UpdateStationSchema, response: { 200: StationSchema } } },
    async (request) => stations.updateStation(db, actorOf(request), request.params.id, request.body));
};
