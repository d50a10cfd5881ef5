import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyError } from 'fastify';
import crypto from 'node:crypto';
import cookie from '@fastify/cookie';
import helmet from 'helmet';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { serializerCompiler, jsonSchemaTransform, type FastifyPluginAsyncZod, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './db.js';
import type { Config } from './config.js';
import { AppError, unauthorized, forbidden } from './errors.js';
import { hasMessage, languageOf, translate, type Lang } from './i18n.js';
import { zodValidatorCompiler } from './validation.js';
import { CSRF_HEADER, LastSeenWriter, SESSION_COOKIE, loadSession, newSessionCache, type LoadedSession, type SessionActor } from './session.js';
import type { SessionCache } from './session-cache.js';
import { actorForMethod } from './actor.js';
import type { PersonalDataCipher } from './personal-data.js';
import { RequestLogController, redactedError } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { rememberWrites } from './replica.js';
import type { JobDefinition } from './scheduler.js';

/** What every route may declare: who may call it. A route that declares nothing fails at start. */
export type RouteAuth = 'public' | 'user';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    /** A route a session may call while its password must be changed (sign-out, me, the change). */
    beforePasswordChange?: boolean;
  }
  interface FastifyRequest {
    lang: Lang;
    session: SessionActor | null;
  }
  interface FastifyInstance {
    /** Every API route with who may call it, for the permission snapshot test. */
    routeAuth: { method: string; url: string; auth: RouteAuth }[];
    database: Database;
    /** Sessions this process served recently (session-cache.ts). */
    sessions: SessionCache<LoadedSession>;
    /** Last-seen times of sessions, written a second at a time (session.ts). */
    lastSeen: LastSeenWriter;
    cipher: PersonalDataCipher;
    config: Config;
    /** Prometheus figures of this process (metrics.ts). */
    metrics: Metrics;
  }
}

export type App = FastifyInstance<import('node:http').Server, import('node:http').IncomingMessage, import('node:http').ServerResponse, import('fastify').FastifyBaseLogger, ZodTypeProvider>;

export const BODY_LIMIT = 10 * 1024 * 1024;

/**
 * Writes under these prefixes can end sessions or change what they grant (sign-out, passwords,
 * accounts and roles, orgs moved or dissolved, members leaving, liaison assignments): their answer waits until this
 * process's session cache has heard of the change, so the caller's next request sees it.
 */
const SESSION_CHANGING_PREFIXES = ['/api/auth/', '/api/users', '/api/orgs', '/api/members', '/api/liaisons'];

/** One module of the registry (server/src/modules/index.ts): its routes, mounted under /api. */
export interface AppModule {
  name: string;
  routes: FastifyPluginAsyncZod;
  /** The module's scheduled jobs (platform/scheduler.ts), run by main.ts's scheduler. */
  jobs?: JobDefinition[];
}

export interface AppOptions {
  /** The modules to mount, in order; the platform knows none of them by name. */
  modules: readonly AppModule[];
  database: Database;
  config: Config;
  cipher: PersonalDataCipher;
  logger?: boolean | object;
}

export async function buildApp(options: AppOptions): Promise<App> {
  const trustProxy = process.env.TRUST_PROXY === '1';
  const logger = options.logger ?? false;
  const app = Fastify({
    // errors are logged without SQL parameter values or row details (they carry usernames and phones)
    logger: logger === false ? false : { ...(logger === true ? {} : logger), serializers: { err: redactedError } },
    // one line per request instead of Fastify's two, and none at info for the console's files and health checks
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT,
    trustProxy,
    // a request id names a request in the logs: ours, unless a proxy we trust assigned one
    requestIdHeader: trustProxy ? 'x-request-id' : false,
    genReqId: () => crypto.randomUUID(),
    // a URL, header or body Node or the router refuses is answered in the platform's error shape
    clientErrorHandler: answerClientError,
    frameworkErrors: (error, request, reply) => {
      const status = error.statusCode ?? 400;
      void (reply as unknown as import('fastify').FastifyReply).code(status).type('application/json; charset=utf-8')
        .send(JSON.stringify(errorBody(status === 414 ? 'uri_too_long' : 'bad_request', languageOf(request.headers['accept-language']))));
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('database', options.database);
  const sessions = newSessionCache();
  await sessions.start(options.database, options.config.databaseListenUrl ?? options.database.url);
  app.decorate('sessions', sessions);
  app.addHook('onClose', () => sessions.close());
  const lastSeen = new LastSeenWriter(options.database);
  app.decorate('lastSeen', lastSeen);
  app.addHook('onClose', () => lastSeen.close());
  app.decorate('cipher', options.cipher);
  app.decorate('config', options.config);
  const metrics = createMetrics(options.database, options.config.metricsToken);
  app.decorate('metrics', metrics);
  // nothing on the request path of a site that does not read its figures
  if (metrics.enabled) {
    app.addHook('onResponse', async (request, reply) => {
      metrics.observe(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime);
    });
  }
  app.decorateRequest('lang', 'zh-Hans');
  app.decorateRequest('session', null);
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  // Every API route must say who may call it (twenty's rule): a forgotten guard fails at start.
  app.decorate('routeAuth', []);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    const auth = route.config?.auth;
    if (!auth) throw new Error(`route ${route.method} ${route.url} declares no auth (config.auth = 'public' | 'user')`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') app.routeAuth.push({ method, url: route.url, auth });
  });

  // helmet's middleware built once: @fastify/helmet built it again for every request (its CSP parsed each time)
  const applySecurityHeaders = helmet(securityHeaders(options.config.secureCookies));
  app.addHook('onRequest', (request, reply, done) => {
    applySecurityHeaders(request.raw, reply.raw, (error?: unknown) => done(error instanceof Error ? error : undefined));
  });
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });
  // behind a proxy without TRUST_PROXY=1 every request has the proxy's address: sign-in throttling
  // and the audit log would see one address for everyone
  let proxyWarned = trustProxy;
  app.addHook('onRequest', async (request) => {
    if (proxyWarned || !request.headers['x-forwarded-for']) return;
    proxyWarned = true;
    request.log.warn('requests arrive through a proxy (X-Forwarded-For) but TRUST_PROXY is not set: every client has the proxy\'s address; set TRUST_PROXY=1');
  });
  await app.register(cookie);
  // a browser that has just written reads its writes, from the primary until the replica has them (replica.ts)
  rememberWrites(app, options.database, options.config.secureCookies);
  app.addHook('onRequest', async (request) => {
    request.lang = languageOf(request.headers['accept-language']);
    const auth = request.routeOptions.config?.auth;
    if (!auth) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token) request.session = await loadSession(options.database, token, request.ip, sessions, lastSeen);
    // read-only access (inspectors, liaisons) is decided here and nowhere else: see actorForMethod
    if (request.session?.actor.readPaths) request.session.actor = actorForMethod(request.session.actor, request.method);
    if (auth === 'public') return;
    if (!request.session) throw unauthorized();
    if (request.session.mustChangePassword && !request.routeOptions.config?.beforePasswordChange) throw forbidden('auth.password_change_required');
    const method = request.method;
    if (method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS' && request.headers[CSRF_HEADER] !== request.session.csrfToken) {
      throw forbidden('auth.csrf');
    }
  });

  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' || reply.statusCode >= 400) return;
    const url = request.routeOptions.url ?? '';
    if (SESSION_CHANGING_PREFIXES.some((prefix) => url.startsWith(prefix))) await sessions.sync(options.database);
  });

  await app.register(multipart, { limits: { fileSize: BODY_LIMIT, files: 1 } });
  await app.register(swagger, {
    openapi: {
      info: { title: '党建云 API', version: '0.1.0', description: 'Dangjian Cloud API. Errors: {"error":{"code","message","fields"?}}' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const lang = request.lang ?? languageOf(request.headers['accept-language']);
    let appError: AppError;
    if (error instanceof AppError) appError = error;
    else if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) appError = new AppError(413, 'body_too_large');
    else if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') appError = new AppError(415, 'unsupported_media_type');
    else if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_CONTENT_LENGTH') appError = new AppError(400, 'bad_json');
    else if (error.validation) appError = new AppError(400, 'validation_failed');
    else if (error.statusCode === 414) appError = new AppError(414, 'uri_too_long');
    else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) appError = new AppError(error.statusCode, error.statusCode === 404 ? 'not_found' : 'bad_request');
    else {
      request.log.error({ err: error, reqId: request.id }, 'unhandled error');
      appError = new AppError(500, 'internal', { requestId: String(request.id) });
    }
    const fields = appError.fields
      ? Object.fromEntries(Object.entries(appError.fields).map(([field, p]) => [field, translate(p.key, lang, translateParams(p.params, lang))]))
      : undefined;
    if (appError.headers) void reply.headers(appError.headers);
    return reply.status(appError.status).send({ error: { code: appError.code, message: translate(appError.code, lang, translateParams(appError.params, lang)), ...(fields ? { fields } : {}) } });
  });

  for (const mod of options.modules) await app.register(mod.routes, { prefix: '/api' });

  if (metrics.enabled) {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!metrics.authorized(request.headers.authorization)) throw new AppError(404, 'not_found');
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  }

  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  const webDir = options.config.webDir;
  const hasWeb = fs.existsSync(path.join(webDir, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDir, wildcard: false, index: ['index.html'] });

  app.setNotFoundHandler((request, reply) => {
    // The console is a single-page app: any non-API GET falls back to its index.html.
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api')) {
      const file = request.url.split('?')[0]!;
      if (!path.extname(file)) return reply.type('text/html').sendFile('index.html');
    }
    throw new AppError(404, request.url.startsWith('/api') ? 'route_not_found' : 'not_found');
  });
  return app;
}

// parameters that are themselves message keys (e.g. an expected type) are translated too
function translateParams(params: Record<string, string | number> | undefined, lang: Lang): Record<string, string | number> {
  if (!params) return {};
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && hasMessage(v) ? translate(v, lang) : v]));
}

function errorBody(code: string, lang: Lang): { error: { code: string; message: string } } {
  return { error: { code, message: translate(code, lang) } };
}

/**
 * What Node's HTTP parser refuses before Fastify sees a request (headers too large: 431, a malformed
 * request line: 400) is answered in the same JSON shape as every other error, then the socket closes.
 */
function answerClientError(error: Error & { code?: string }, socket: import('node:net').Socket): void {
  if (!socket.writable) return void socket.destroy();
  const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'HPE_URI_TOO_LONG' ? 414 : 400;
  const code = status === 431 ? 'headers_too_large' : status === 414 ? 'uri_too_long' : 'bad_request';
  const body = JSON.stringify(errorBody(code, 'zh-Hans'));
  const reason = status === 431 ? 'Request Header Fields Too Large' : status === 414 ? 'URI Too Long' : 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

/**
 * Security headers on every answer (console, API, docs). Scripts only from this origin; styles may be
 * inline (Ant Design writes its CSS-in-JS as style elements); images and course videos may come from
 * https sources named by administrators; nobody may frame the console (clickjacking). HSTS only
 * when the site is served over HTTPS (SECURE_COOKIES=1).
 */
function securityHeaders(https: boolean): Parameters<typeof helmet>[0] {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:', 'https:'],
        mediaSrc: ["'self'", 'blob:', 'https:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
  };
}
