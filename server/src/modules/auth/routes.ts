import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ChangePasswordSchema, LoginSchema, MeSchema } from '../../../../contracts/auth.js';
import { OkSchema } from '../../../../contracts/common.js';
import { actorOf } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { defineMessages } from '../../platform/i18n.js';
import { forbidden } from '../../platform/errors.js';
import { CSRF_HEADER, SESSION_COOKIE, deleteSession } from '../../platform/session.js';
import * as auth from './service.js';

defineMessages({
  'auth.required': { zh: '请先登录', en: 'Please sign in' },
  'auth.csrf': { zh: '页面已过期，请刷新后重试', en: 'The page has expired; reload and try again' },
  'auth.bad_credentials': { zh: '用户名或密码错误', en: 'Wrong username or password' },
  'auth.too_many_attempts': { zh: '登录失败次数过多，请 {seconds} 秒后再试', en: 'Too many failed sign-ins; try again in {seconds} seconds' },
  'auth.current_password_wrong': { zh: '当前密码不正确', en: 'The current password is wrong' },
  'auth.password_unchanged': { zh: '新密码不能与当前密码相同', en: 'The new password must differ from the current one' },
  'auth.password_weak': { zh: '密码至少 10 位，且须同时包含字母和数字', en: 'At least 10 characters with both letters and digits' },
  'auth.password_change_required': { zh: '管理员已重置您的密码，请先设置新密码', en: 'An administrator reset your password; choose a new one first' },
});

const tags = ['auth'];
/** Routes a session whose password was reset may still call. */
const signedIn = { auth: 'user', beforePasswordChange: true } as const;

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;

  app.post('/auth/login', { config: { auth: 'public' }, schema: { tags, summary: '登录', body: LoginSchema, response: { 200: MeSchema } } },
    async (request, reply) => {
      // signing in again in this browser ends the session it held (the cookie is replaced anyway)
      const { token, me } = await auth.login(app.database, request.body, request.ip, request.headers['user-agent'],
        { cache: app.sessions, previousSessionId: request.session?.sessionId, log: request.log });
      void reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies, maxAge: 7 * 24 * 3600 });
      return me;
    });

  app.post('/auth/logout', { config: { auth: 'public' }, schema: { tags, summary: '退出登录', response: { 200: OkSchema } } },
    async (request, reply) => {
      if (request.session) {
        // a forged cross-site sign-out is refused like any other write (the token comes with the session)
        if (request.headers[CSRF_HEADER] !== request.session.csrfToken) throw forbidden('auth.csrf');
        const { actor, sessionId } = request.session;
        await db.transaction(async (tx) => {
          await deleteSession(tx, sessionId);
          await audit(tx, actor, { action: 'auth.logout', targetType: 'user', targetId: actor.userId });
        });
      }
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    });

  app.get('/auth/me', { config: signedIn, schema: { tags, summary: '当前用户', response: { 200: MeSchema } } },
    async (request) => auth.me(db, actorOf(request), request.session!.csrfToken, request.session!.mustChangePassword));

  app.post('/auth/password', { config: signedIn, schema: { tags, summary: '修改密码（其他会话随之退出）', body: ChangePasswordSchema, response: { 200: OkSchema } } },
    async (request) => {
      await auth.changePassword(db, actorOf(request), request.session!.sessionId, request.body);
      return { ok: true as const };
    });

  app.post('/auth/logout-everywhere', { config: signedIn, schema: { tags, summary: '在所有设备上退出', response: { 200: z.object({ endedSessions: z.number().int() }) } } },
    async (request, reply) => {
      const endedSessions = await auth.logoutEverywhere(db, actorOf(request));
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { endedSessions };
    });
};
