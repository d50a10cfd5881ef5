/**
 * The synchronized exam (issue #20 item 1): 5,000 members with sessions start the same exam within
 * one second, then autosave every 30 s, then all submit in the exam's last 10 seconds — the moments a
 * well-known LMS needed 12 + 4 vCPU for at 3,000.
 *
 * An open-loop burst: request i is due at its own moment (the phase's start + i × spacing) and is sent
 * then whatever the others are doing; its latency counts from that moment, so time spent waiting for a
 * socket or behind a slow server counts as well (a closed loop such as autocannon's would measure the
 * queue's throughput instead, and hide it). Up to SOCKETS connections, as a reverse proxy keeps them.
 */
import http from 'node:http';
import pg from 'pg';

export interface BurstMember { memberId: string; cookie: string; csrf: string }
export interface BurstRow { name: string; requests: number; rps: number; p50: number; p99: number; max: number; errors: number; non2xx: number; firstError: string | null }

export const EXAM_BURST_MEMBERS = Number(process.env.BENCH_EXAM_MEMBERS ?? 5_000);
const SOCKETS = 1_000;
const QUESTIONS = { single: 5, multiple: 5, true_false: 5, fill_blank: 5 } as const;

interface Answer { status: number; body: string; ms: number }

function send(agent: http.Agent, base: URL, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve) => {
    const req = http.request({ agent, host: base.hostname, port: base.port, method, path, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) }, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ status: 0, body: String(e) }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: 0, body: String(e) }));
    if (body) req.write(body);
    req.end();
  });
}

/** Sends `count` requests due evenly over `windowMs`, each timed from when it was due. */
async function openLoop(agent: http.Agent, base: URL, count: number, windowMs: number,
  request: (i: number) => { method: string; path: string; headers: Record<string, string>; body?: string }): Promise<Answer[]> {
  const answers: Promise<Answer>[] = [];
  const t0 = performance.now() + 50;
  for (let i = 0; i < count; i++) {
    const due = t0 + (i * windowMs) / count;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const r = request(i);
    answers.push(send(agent, base, r.method, r.path, r.headers, r.body).then((a) => ({ ...a, ms: performance.now() - due })));
  }
  return Promise.all(answers);
}

function summarize(name: string, answers: Answer[], windowMs: number, ok: (a: Answer) => boolean): BurstRow {
  // nothing sent (no attempt was started): a failure of the row, not a pass with no requests
  if (answers.length === 0) return { name, requests: 0, rps: 0, p50: 0, p99: 0, max: 0, errors: 1, non2xx: 0, firstError: 'not measured: no attempt was started' };
  const times = answers.map((a) => a.ms).sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0);
  const failed = answers.filter((a) => !ok(a));
  const lastDone = Math.max(...answers.map((a) => a.ms)) + windowMs;
  return {
    name, requests: answers.length, rps: Math.round((answers.length / lastDone) * 1000 * 10) / 10, p50: at(0.5), p99: at(0.99), max: Math.round(times.at(-1) ?? 0),
    errors: failed.length, non2xx: failed.filter((a) => a.status >= 300).length, firstError: failed[0] ? `${failed[0].status} ${failed[0].body.slice(0, 200)}` : null,
  };
}

/** A response that fits the question (not necessarily right): the exam's answers are not what is measured. */
export function responseFor(q: { type: string; options: { key: string }[]; blankCount: number }): unknown {
  if (q.type === 'true_false') return true;
  if (q.type === 'multiple') return q.options.slice(0, 2).map((o) => o.key);
  if (q.type === 'fill_blank') return Array.from({ length: Math.max(1, q.blankCount) }, () => '答');
  return q.options[0]?.key ?? 'A';
}

/**
 * A fixed paper of 20 questions from the root's bank and an exam of it open now for the first 5,000
 * bench members, published through the API as the platform administrator (so the variants are drawn
 * as in production); a new exam each run, so that every member starts fresh.
 */
async function publishBurstExam(base: URL, pool: pg.Pool, rootId: string, admin: { username: string; password: string }, members: BurstMember[]): Promise<string> {
  const { cookie, csrf } = await new Promise<{ cookie: string; csrf: string }>((resolve, reject) => {
    const req = http.request({ host: base.hostname, port: base.port, method: 'POST', path: '/api/auth/login', headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const sid = (res.headers['set-cookie'] ?? []).map((x) => x.split(';')[0]!).find((x) => x.startsWith('dj_sid='));
        if (res.statusCode !== 200 || !sid) return reject(new Error(`exam burst: admin login ${res.statusCode}`));
        resolve({ cookie: sid, csrf: (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { csrfToken: string }).csrfToken });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify(admin));
  });
  const headers = { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' };
  const picked: { id: string }[] = [];
  for (const [type, n] of Object.entries(QUESTIONS)) {
    picked.push(...(await pool.query<{ id: string }>(`select id::text from questions where org_path = (select path from orgs where id = $1) and type = $2 and archived_at is null order by id limit $3`, [rootId, type, n])).rows);
  }
  const plain = new http.Agent({ keepAlive: true, maxSockets: 2 });
  try {
    const paper = await send(plain, base, 'POST', '/api/papers', headers, JSON.stringify({ orgId: rootId, title: `压测试卷 ${new Date().toISOString()}`, mode: 'fixed', questions: picked.map((q) => ({ questionId: q.id, score: 5 })) }));
    if (paper.status !== 201) throw new Error(`exam burst: paper ${paper.status} ${paper.body.slice(0, 300)}`);
    const now = Date.now();
    const exam = await send(plain, base, 'POST', '/api/exams', headers, JSON.stringify({
      orgId: rootId, paperId: (JSON.parse(paper.body) as { id: string }).id, title: `全市机关党员集中考试（压测） ${new Date(now).toISOString()}`,
      opensAt: new Date(now - 60_000).toISOString(), closesAt: new Date(now + 2 * 3600_000).toISOString(), timeLimitMinutes: 60, maxAttempts: 1,
      passScore: 100, isClosedBook: true, participantMemberIds: members.map((m) => m.memberId),
    }));
    if (exam.status !== 201) throw new Error(`exam burst: exam ${exam.status} ${exam.body.slice(0, 300)}`);
    return (JSON.parse(exam.body) as { id: string }).id;
  } finally {
    plain.destroy();
  }
}

export async function measureExamBurst(baseUrl: string, pool: pg.Pool, rootId: string, admin: { username: string; password: string }, all: BurstMember[], log: (line: string) => void): Promise<BurstRow[]> {
  const base = new URL(baseUrl);
  const members = all.slice(0, EXAM_BURST_MEMBERS);
  const examId = await publishBurstExam(base, pool, rootId, admin, members);
  const agent = new http.Agent({ keepAlive: true, maxSockets: SOCKETS });
  const write = (m: BurstMember) => ({ cookie: m.cookie, 'x-csrf-token': m.csrf, 'content-type': 'application/json' });
  try {
    const starts = await openLoop(agent, base, members.length, 1_000, (i) => ({ method: 'POST', path: `/api/exams/${examId}/attempts`, headers: write(members[i]!), body: '{}' }));
    const started = summarize('exam: 5,000 members start the same exam within 1 s', starts, 1_000, (a) => a.status === 201);
    log(`  ${started.name}: p50 ${started.p50} ms p99 ${started.p99} ms max ${started.max} ms errors ${started.errors}${started.firstError ? ` (${started.firstError})` : ''}`);
    const attempts = starts.map((a) => (a.status === 201 ? JSON.parse(a.body) as { id: string; questions: { id: string; type: string; options: { key: string }[]; blankCount: number }[] } : null));
    const saving = members.map((m, i) => ({ m, a: attempts[i] })).filter((x): x is { m: BurstMember; a: NonNullable<typeof x.a> } => x.a !== null);
    // every member's autosave once in 30 s: one answer each, question by member
    const saves = await openLoop(agent, base, saving.length, 30_000, (i) => {
      const { m, a } = saving[i]!;
      const q = a.questions[i % a.questions.length]!;
      return { method: 'PUT', path: `/api/exam-attempts/${a.id}/answers/${q.id}`, headers: write(m), body: JSON.stringify({ response: responseFor(q) }) };
    });
    const saved = summarize('exam: 5,000 autosaves over 30 s', saves, 30_000, (a) => a.status === 200);
    log(`  ${saved.name}: p50 ${saved.p50} ms p99 ${saved.p99} ms max ${saved.max} ms errors ${saved.errors}${saved.firstError ? ` (${saved.firstError})` : ''}`);
    const submits = await openLoop(agent, base, saving.length, 10_000, (i) => {
      const { m, a } = saving[i]!;
      return { method: 'POST', path: `/api/exam-attempts/${a.id}/submit`, headers: write(m), body: '{}' };
    });
    const submitted = summarize('exam: 5,000 submit in the last 10 s', submits, 10_000, (a) => a.status === 200);
    log(`  ${submitted.name}: p50 ${submitted.p50} ms p99 ${submitted.p99} ms max ${submitted.max} ms errors ${submitted.errors}${submitted.firstError ? ` (${submitted.firstError})` : ''}`);
    return [started, saved, submitted];
  } finally {
    agent.destroy();
  }
}
