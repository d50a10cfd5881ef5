import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  AdjustLevelSchema, ApplicationFileParamsSchema, ApplicationListQuerySchema, ApplicationPageSchema, ApplicationSchema, ApplySchema, BrandListQuerySchema,
  BrandPageSchema, BrandPhotoParamsSchema, BrandSchema, CreateBrandSchema, CreateRoundSchema, GalleryPageSchema, GalleryQuerySchema, OpenNoticeSchema,
  PublicGalleryParamsSchema, PublicGalleryQuerySchema, PublicPhotoParamsSchema, ReturnApplicationSchema, ReviewRoundPageSchema, ReviewRoundSchema,
  RoundListQuerySchema, UpdateBrandSchema, UpdateRoundSchema,
} from '../../../../contracts/brands.js';
import { actorOf } from '../../platform/actor.js';
import { receiveUpload, sendUpload, uploadPath } from '../../platform/uploads.js';
import * as brands from './service.js';
import * as rounds from './rounds.js';
import './messages.js';

const tags = ['brands'];
const user = { auth: 'user' } as const;
const anyone = { auth: 'public' } as const;

/** 党建品牌 and 星级评审: the registry, the galleries, the review rounds and their applications. */
export const brandRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const dataDir = app.config.dataDir;

  // ---------- registry ----------

  app.get('/brands', { config: user, schema: { tags, summary: '党建品牌库（管理范围内；按名称搜索）', querystring: BrandListQuerySchema, response: { 200: BrandPageSchema } } },
    async (request) => brands.listBrands(db, actorOf(request), request.query));

  app.post('/brands', { config: user, schema: { tags, summary: '登记党建品牌', body: CreateBrandSchema, response: { 201: BrandSchema } } },
    async (request, reply) => reply.status(201).send(await brands.createBrand(db, actorOf(request), request.body)));

  app.get('/brands/gallery', { config: user, schema: { tags, summary: '品牌展示（本系统内已启用的品牌，星级高者在前）', querystring: GalleryQuerySchema, response: { 200: GalleryPageSchema } } },
    async (request) => brands.gallery(db, actorOf(request), request.query));

  app.get('/brands/:id', { config: user, schema: { tags, summary: '党建品牌详情（照片、历次评定）', params: IdParamsSchema, response: { 200: BrandSchema } } },
    async (request) => brands.getBrand(db, actorOf(request), request.params.id));

  app.patch('/brands/:id', { config: user, schema: { tags, summary: '修改党建品牌', params: IdParamsSchema, body: UpdateBrandSchema, response: { 200: BrandSchema } } },
    async (request) => brands.updateBrand(db, actorOf(request), request.params.id, request.body));

  app.post('/brands/:id/photos', { config: user, schema: { tags, summary: '上传品牌照片（multipart，字段 file；仅图片）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 201: BrandSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await brands.addBrandPhoto(db, actor, dataDir, request.params.id, upload));
    });

  app.get('/brands/:id/photos/:photoId', { config: user, schema: { tags, summary: '品牌照片', params: BrandPhotoParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await brands.findBrandPhoto(db, actorOf(request), request.params.id, request.params.photoId)));

  app.delete('/brands/:id/photos/:photoId', { config: user, schema: { tags, summary: '删除品牌照片', params: BrandPhotoParamsSchema, response: { 200: BrandSchema } } },
    async (request) => brands.removeBrandPhoto(db, actorOf(request), dataDir, request.params.id, request.params.photoId));

  // ---------- the public gallery ----------

  app.get('/public/brands/trees/:rootId', { config: anyone, schema: { tags: ['public'], summary: '公开：党建品牌展示（名称、口号、照片、所属组织）', params: PublicGalleryParamsSchema, querystring: PublicGalleryQuerySchema, response: { 200: GalleryPageSchema } } },
    async (request) => brands.publicGallery(db, request.params.rootId, request.query));

  app.get('/public/brands/trees/:rootId/photos/:photoId', { config: anyone, schema: { tags: ['public'], summary: '公开：品牌照片', params: PublicPhotoParamsSchema } },
    async (request, reply) => {
      const photo = await brands.publicPhoto(db, request.params.rootId, request.params.photoId);
      return reply.type(photo.mimeType).header('x-content-type-options', 'nosniff').header('cache-control', 'public, max-age=300')
        .send(fs.createReadStream(uploadPath(dataDir, photo.storageKey)));
    });

  // ---------- review rounds ----------

  app.get('/brands/rounds', { config: user, schema: { tags, summary: '星级评审（manage：本级及下级开展的；apply：上级开展、可申报的）', querystring: RoundListQuerySchema, response: { 200: ReviewRoundPageSchema } } },
    async (request) => rounds.listRounds(db, actorOf(request), request.query));

  app.post('/brands/rounds', { config: user, schema: { tags, summary: '开展星级评审（等次及分数线、申报时间、评分细则、评委）', body: CreateRoundSchema, response: { 201: ReviewRoundSchema } } },
    async (request, reply) => reply.status(201).send(await rounds.createRound(db, actorOf(request), request.body)));

  app.get('/brands/rounds/:id', { config: user, schema: { tags, summary: '星级评审详情', params: IdParamsSchema, response: { 200: ReviewRoundSchema } } },
    async (request) => rounds.getRound(db, actorOf(request), request.params.id));

  app.patch('/brands/rounds/:id', { config: user, schema: { tags, summary: '修改星级评审（评分开始前）', params: IdParamsSchema, body: UpdateRoundSchema, response: { 200: ReviewRoundSchema } } },
    async (request) => rounds.updateRound(db, actorOf(request), request.params.id, request.body));

  app.get('/brands/rounds/:id/applications', { config: user, schema: { tags, summary: '申报列表（评审组织看全部，申报单位看本单位的；含得分与等次）', params: IdParamsSchema, querystring: ApplicationListQuerySchema, response: { 200: ApplicationPageSchema } } },
    async (request) => rounds.listApplications(db, actorOf(request), request.params.id, request.query));

  app.post('/brands/rounds/:id/applications', { config: user, schema: { tags, summary: '以本单位品牌申报（申报时间内）', params: IdParamsSchema, body: ApplySchema, response: { 201: ApplicationSchema } } },
    async (request, reply) => reply.status(201).send(await rounds.apply(db, actorOf(request), request.params.id, request.body)));

  app.post('/brands/rounds/:id/judging', { config: user, schema: { tags, summary: '开始评分（已受理的申报交评委评分）', params: IdParamsSchema, response: { 200: ReviewRoundSchema } } },
    async (request) => rounds.startJudging(db, actorOf(request), request.params.id));

  app.post('/brands/rounds/:id/close-judging', { config: user, schema: { tags, summary: '结束评分（按分数线拟定等次）', params: IdParamsSchema, response: { 200: ReviewRoundSchema } } },
    async (request) => rounds.closeJudging(db, actorOf(request), request.params.id));

  app.post('/brands/rounds/:id/notice', { config: user, schema: { tags, summary: '评审结果公示', params: IdParamsSchema, body: OpenNoticeSchema, response: { 200: ReviewRoundSchema } } },
    async (request) => rounds.openNotice(db, actorOf(request), request.params.id, request.body));

  app.post('/brands/rounds/:id/finalize', { config: user, schema: { tags, summary: '确认评审结果（公示期满且无待处理异议）', params: IdParamsSchema, response: { 200: ReviewRoundSchema } } },
    async (request) => rounds.finalizeRound(db, actorOf(request), request.params.id));

  // ---------- applications ----------

  app.get('/brands/applications/:id', { config: user, schema: { tags, summary: '申报详情', params: IdParamsSchema, response: { 200: ApplicationSchema } } },
    async (request) => rounds.getApplication(db, actorOf(request), request.params.id));

  app.post('/brands/applications/:id/files', { config: user, schema: { tags, summary: '上传申报材料（multipart，字段 file）', params: IdParamsSchema, consumes: ['multipart/form-data'], response: { 201: ApplicationSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      const upload = await receiveUpload(request);
      return reply.status(201).send(await rounds.addApplicationFile(db, actor, dataDir, request.params.id, upload));
    });

  app.get('/brands/applications/:id/files/:fileId', { config: user, schema: { tags, summary: '下载申报材料', params: ApplicationFileParamsSchema } },
    async (request, reply) => sendUpload(reply, dataDir, await rounds.findApplicationFile(db, actorOf(request), request.params.id, request.params.fileId), { privateCopy: true }));

  app.post('/brands/applications/:id/accept', { config: user, schema: { tags, summary: '受理申报', params: IdParamsSchema, response: { 200: ApplicationSchema } } },
    async (request) => rounds.checkApplication(db, actorOf(request), request.params.id, { accept: true }));

  app.post('/brands/applications/:id/return', { config: user, schema: { tags, summary: '退回申报（说明理由）', params: IdParamsSchema, body: ReturnApplicationSchema, response: { 200: ApplicationSchema } } },
    async (request) => rounds.checkApplication(db, actorOf(request), request.params.id, { accept: false, reason: request.body.reason }));

  app.post('/brands/applications/:id/level', { config: user, schema: { tags, summary: '调整拟定等次（记录理由）', params: IdParamsSchema, body: AdjustLevelSchema, response: { 200: ApplicationSchema } } },
    async (request) => rounds.adjustLevel(db, actorOf(request), request.params.id, request.body));
};
