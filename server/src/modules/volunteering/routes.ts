import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema } from '../../../../contracts/common.js';
import {
  ConfirmAttendanceSchema, CreateVolunteerProjectSchema, HoursQuerySchema, MemberHoursPageSchema, MyHoursSchema, SignupListSchema, UpdateVolunteerProjectSchema,
  VolunteerProjectListQuerySchema, VolunteerProjectPageSchema, VolunteerProjectSchema,
} from '../../../../contracts/volunteering.js';
import { actorOf } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { renderCertificateHtml, renderCertificatePdf } from './certificate.js';
import * as volunteering from './service.js';
import './messages.js';
import { chinaDate } from '../../../../contracts/china-time.js';

const tags = ['volunteering'];
const user = { auth: 'user' } as const;
const EmptyBodySchema = z.strictObject({}).optional();
const CertificateQuerySchema = z.object({ format: z.enum(['pdf', 'html']).default('pdf') });
/** RFC 6266/5987: an ASCII fallback for old clients, the real (Chinese) name percent-encoded in UTF-8. */
const inlineFile = (fileName: string, asciiFallback: string) =>
  `inline; filename="${asciiFallback}"; filename*=UTF-8''${encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

export const volunteeringRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.get('/volunteering/projects', { config: user, schema: { tags, summary: '志愿服务项目', querystring: VolunteerProjectListQuerySchema, response: { 200: VolunteerProjectPageSchema } } },
    async (request) => volunteering.listProjects(db, actorOf(request), request.query));

  app.post('/volunteering/projects', { config: user, schema: { tags, summary: '发布志愿服务项目', body: CreateVolunteerProjectSchema, response: { 201: VolunteerProjectSchema } } },
    async (request, reply) => reply.status(201).send(await volunteering.createProject(db, actorOf(request), request.body)));

  app.get('/volunteering/hours', { config: user, schema: { tags, summary: '党员志愿服务时长汇总（子树）', querystring: HoursQuerySchema, response: { 200: MemberHoursPageSchema } } },
    async (request) => volunteering.memberHours(db, actorOf(request), request.query));

  app.get('/volunteering/hours/me', { config: user, schema: { tags, summary: '本人志愿服务时长', response: { 200: MyHoursSchema } } },
    async (request) => volunteering.myHours(db, actorOf(request)));

  app.get('/volunteering/members/:memberId/certificate', {
    config: user,
    schema: { tags, summary: '志愿服务时长证明（PDF；?format=html 为可打印网页）', params: z.object({ memberId: IdSchema }), querystring: CertificateQuerySchema },
  }, async (request, reply) => {
    const actor = actorOf(request);
    const data = await volunteering.certificateFor(db, actor, request.params.memberId);
    await audit(db, actor, { action: 'volunteering.certificate', targetType: 'member', targetId: request.params.memberId, detail: { hours: data.hours.hours, format: request.query.format } });
    const now = new Date();
    const input = { ...data, issuedOn: chinaDate(now) };
    void reply.header('cache-control', 'private, no-store');
    if (request.query.format === 'html') {
      return reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
        .send(renderCertificateHtml(input));
    }
    return reply.type('application/pdf').header('content-disposition', inlineFile(`志愿服务时长证明-${data.memberName}.pdf`, 'volunteer-hours-certificate.pdf'))
      .send(renderCertificatePdf(input, now));
  });

  app.get('/volunteering/projects/:id', { config: user, schema: { tags, summary: '项目详情', params: IdParamsSchema, response: { 200: VolunteerProjectSchema } } },
    async (request) => volunteering.getProject(db, actorOf(request), request.params.id));

  app.patch('/volunteering/projects/:id', { config: user, schema: { tags, summary: '修改或取消项目', params: IdParamsSchema, body: UpdateVolunteerProjectSchema, response: { 200: VolunteerProjectSchema } } },
    async (request) => volunteering.updateProject(db, actorOf(request), request.params.id, request.body));

  app.post('/volunteering/projects/:id/signups', { config: user, schema: { tags, summary: '报名', params: IdParamsSchema, body: EmptyBodySchema, response: { 200: VolunteerProjectSchema } } },
    async (request) => volunteering.signUp(db, actorOf(request), request.params.id));

  app.delete('/volunteering/projects/:id/signups/me', { config: user, schema: { tags, summary: '取消报名', params: IdParamsSchema, response: { 200: VolunteerProjectSchema } } },
    async (request) => volunteering.withdraw(db, actorOf(request), request.params.id));

  app.get('/volunteering/projects/:id/signups', { config: user, schema: { tags, summary: '报名名单（组织方）', params: IdParamsSchema, response: { 200: SignupListSchema } } },
    async (request) => volunteering.listSignups(db, actorOf(request), request.params.id));

  app.post('/volunteering/projects/:id/attendance', { config: user, schema: { tags, summary: '确认出勤与时长（组织方）', params: IdParamsSchema, body: ConfirmAttendanceSchema, response: { 200: SignupListSchema } } },
    async (request) => volunteering.confirmAttendance(db, actorOf(request), request.params.id, request.body));
};
