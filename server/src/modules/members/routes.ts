import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IdParamsSchema } from '../../../../contracts/common.js';
import {
  AdvanceStageSchema, CreateMemberSchema, LeaveMemberSchema, MemberDetailSchema, MemberListQuerySchema, MemberPageSchema,
  RevealSchema, RevealedSchema, UpdateMemberSchema, UpdateOwnProfileSchema,
} from '../../../../contracts/members.js';
import { actorOf } from '../../platform/actor.js';
import { readDb } from '../../platform/replica.js';
import { getMember, revealPersonalData } from './detail.js';
import { leaveMember } from './leaving.js';
import { listMembers } from './list.js';
import { getOwnProfile, updateOwnProfile } from './self-service.js';
import { createMember, updateMember } from './service.js';
import { advanceStage } from './stages.js';
import './messages.js';

const tags = ['members'];
const user = { auth: 'user' } as const;

export const memberRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const { cipher } = app;

  app.get('/members', {
    config: user,
    schema: {
      tags, summary: '党员列表（管理范围内；普通党员仅本人）',
      description: '按姓名（简繁均可）、拼音首字母或全拼、身份证号或手机号后 4 位（或完整号码）搜索；身份证号和手机号只显示脱敏形式。',
      querystring: MemberListQuerySchema, response: { 200: MemberPageSchema },
    },
  }, async (request) => listMembers(await readDb(request), actorOf(request), request.query, cipher));

  // static before parametric: /members/me is matched ahead of /members/:id
  app.get('/members/me', { config: user, schema: { tags, summary: '我的党员信息', response: { 200: MemberDetailSchema } } },
    async (request) => getOwnProfile(db, actorOf(request)));

  app.patch('/members/me', { config: user, schema: { tags, summary: '修改我的联系方式与工作信息', body: UpdateOwnProfileSchema, response: { 200: MemberDetailSchema } } },
    async (request) => updateOwnProfile(db, actorOf(request), cipher, request.body));

  app.get('/members/:id', { config: user, schema: { tags, summary: '党员详情（含发展历程）', params: IdParamsSchema, response: { 200: MemberDetailSchema } } },
    async (request) => getMember(db, actorOf(request), request.params.id));

  app.post('/members', { config: user, schema: { tags, summary: '新增党员（或发展对象等）', body: CreateMemberSchema, response: { 201: MemberDetailSchema } } },
    async (request, reply) => reply.status(201).send(await createMember(db, actorOf(request), cipher, request.body)));

  app.patch('/members/:id', {
    config: user,
    schema: { tags, summary: '修改党员信息（调整所在组织请办理组织关系转接）', params: IdParamsSchema, body: UpdateMemberSchema, response: { 200: MemberDetailSchema } },
  }, async (request) => updateMember(db, actorOf(request), cipher, request.params.id, request.body));

  app.post('/members/:id/reveal', {
    config: user,
    schema: { tags, summary: '查看完整身份证号或手机号（记入审计日志）', params: IdParamsSchema, body: RevealSchema, response: { 200: RevealedSchema } },
  }, async (request) => revealPersonalData(db, actorOf(request), cipher, request.params.id, request.body));

  app.post('/members/:id/stages', {
    config: user,
    schema: { tags, summary: '登记发展党员的下一步（逐级推进）', params: IdParamsSchema, body: AdvanceStageSchema, response: { 200: MemberDetailSchema } },
  }, async (request) => advanceStage(db, actorOf(request), request.params.id, request.body));

  app.post('/members/:id/leave', {
    config: user,
    schema: { tags, summary: '出党、退党、死亡等（移出党员名册，保留记录）', params: IdParamsSchema, body: LeaveMemberSchema, response: { 200: MemberDetailSchema } },
  }, async (request) => leaveMember(db, actorOf(request), request.params.id, request.body));
};
