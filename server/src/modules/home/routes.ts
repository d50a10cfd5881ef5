import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { MemberHomeSchema, WorkbenchQuerySchema, WorkbenchSchema } from '../../../../contracts/home.js';
import { actorOf } from '../../platform/actor.js';
import { memberHome } from './member-home.js';
import { getWorkbench } from './workbench.js';
import './messages.js';

const tags = ['home'];
const user = { auth: 'user' } as const;

export const homeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/home/workbench', { config: user, schema: { tags, summary: '工作台：本组织及下级的待办（按紧急程度，每项链接到办理处）', querystring: WorkbenchQuerySchema, response: { 200: WorkbenchSchema } } },
    async (request) => getWorkbench(db, actorOf(request), request.query));

  app.get('/home/member', { config: user, schema: { tags, summary: '党员首页：今日答题、待参加活动、补学、学习计划、考试、未读消息、积分与排名', response: { 200: MemberHomeSchema } } },
    async (request) => memberHome(db, actorOf(request)));
};
