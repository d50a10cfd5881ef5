import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { RequestLogController, isRoutineRequest, loggableUrl, redactedError } from './log.js';

/** A Fastify app logging as the server does (RequestLogController, info level), its JSON lines collected. */
async function appWithLog(level = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({ write(chunk: Buffer, _encoding, done) { lines.push(JSON.parse(chunk.toString())); done(); } });
  const app = Fastify({ logger: { level, stream, serializers: { err: redactedError } }, logController: new RequestLogController() });
  app.decorateRequest('session', null);
  app.addHook('onRequest', async (request) => {
    const user = request.headers['x-user'];
    if (typeof user === 'string') (request as unknown as { session: unknown }).session = { actor: { userId: user } };
  });
  app.get('/api/members', async () => ({ items: [] }));
  app.post('/api/members', async (_request, reply) => reply.status(201).send({ id: '1' }));
  app.get('/api/health', async () => ({ status: 'ok' }));
  app.get('/api/boom', async () => { throw new Error('boom'); });
  app.get('/assets/*', async () => 'js');
  await app.ready();
  const requestLines = () => lines.filter((line) => typeof line.status === 'number');
  return { app, lines, requestLines };
}

describe('request log', () => {
  it('one line per API request with method, url, status, ms and user; none at info for files and health checks', async () => {
    const { app, lines, requestLines } = await appWithLog();
    await app.inject({ method: 'POST', url: '/api/members', headers: { 'x-user': 'u-1' }, payload: {} });
    await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    await app.inject({ method: 'GET', url: '/api/health' });
    await app.inject({ method: 'GET', url: '/api/members?page=2&q=13800138000&token=secret', headers: { 'x-user': 'u-1' } });
    await app.close();
    expect(lines.some((line) => line.msg === 'incoming request' || line.msg === 'request completed')).toBe(false);
    const logged = requestLines();
    expect(logged.map((line) => [line.method, line.url, line.status, line.userId])).toEqual([
      ['POST', '/api/members', 201, 'u-1'],
      ['GET', '/api/members?page=2&q=…&token=…', 200, 'u-1'],
    ]);
    for (const line of logged) {
      expect(line.level).toBe(30);
      expect(typeof line.ms).toBe('number');
      expect(typeof line.reqId).toBe('string');
      expect(line.msg).toBe(`${line.method} ${line.url} ${line.status} ${line.ms} ms`);
    }
    expect(JSON.stringify(lines)).not.toContain('13800138000');
    expect(JSON.stringify(lines)).not.toContain('secret');
  });

  it('files and health checks are logged at debug; a GET repeated within a minute (polling) drops to debug', async () => {
    const { app, requestLines } = await appWithLog('debug');
    await app.inject({ method: 'GET', url: '/assets/index-abc.js' });
    await app.inject({ method: 'GET', url: '/api/health' });
    for (let i = 0; i < 3; i++) await app.inject({ method: 'GET', url: '/api/members', headers: { 'x-user': 'u-1' } });
    await app.inject({ method: 'GET', url: '/api/members', headers: { 'x-user': 'u-2' } });
    await app.close();
    expect(requestLines().map((line) => [line.url, line.userId ?? null, line.level])).toEqual([
      ['/assets/index-abc.js', null, 20],
      ['/api/health', null, 20],
      ['/api/members', 'u-1', 30],
      ['/api/members', 'u-1', 20],
      ['/api/members', 'u-1', 20],
      ['/api/members', 'u-2', 30],
    ]);
  });

  it('a server error is one line at error level', async () => {
    const { app, requestLines } = await appWithLog();
    await app.inject({ method: 'GET', url: '/api/boom' });
    await app.close();
    expect(requestLines().map((line) => [line.url, line.status, line.level])).toEqual([['/api/boom', 500, 50]]);
  });

  it('loggableUrl keeps plain values only; isRoutineRequest', () => {
    expect(loggableUrl('/api/members')).toBe('/api/members');
    expect(loggableUrl('/api/members?orgId=0b9f1c2e-4d6a-4b8c-9e0f-1a2b3c4d5e6f&status=active,probation&year=2026-05'))
      .toBe('/api/members?orgId=0b9f1c2e-4d6a-4b8c-9e0f-1a2b3c4d5e6f&status=active,probation&year=2026-05');
    expect(loggableUrl('/api/members?keyword=张三&idCard=110101199001011234&sort=王')).toBe('/api/members?keyword=…&idCard=…&sort=…');
    expect(loggableUrl('/api/files/1?sig=abc&expires=1700000000')).toBe('/api/files/1?sig=…&expires=…');
    expect(isRoutineRequest('GET', '/')).toBe(true);
    expect(isRoutineRequest('GET', '/members/42')).toBe(true);
    expect(isRoutineRequest('GET', '/api/health/ready')).toBe(true);
    expect(isRoutineRequest('GET', '/api/healthy')).toBe(false);
    expect(isRoutineRequest('GET', '/api/members')).toBe(false);
    expect(isRoutineRequest('POST', '/api/health')).toBe(false);
  });
});
