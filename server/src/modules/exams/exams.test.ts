import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, login, makeOrg, makeUser, startTestApp, type Client, type OrgFixture, type TestContext } from '../../../test/harness.js';
import { pointsOf, signedInMember, type SignedInMember } from '../../../test/learning-fixtures.js';
import { hostileWorkbooks, inlineCell } from '../../../test/xlsx-fixtures.js';

let ctx: TestContext;
let root: OrgFixture, bureau: OrgFixture, branch: OrgFixture, otherBranch: OrgFixture;
let admin: Client, bureauAdmin: Client, otherAdmin: Client;
let members: SignedInMember[];
let outsider: SignedInMember;
let questionIds: string[];
let paperId: string;

const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
const put = (c: Client, url: string, body: unknown) =>
  ctx.app.inject({ method: 'PUT', url, payload: body as never, headers: { cookie: c.cookie, 'x-csrf-token': c.csrfToken } });

type AttemptQ = { id: string; type: string; options: { key: string }[]; answer: unknown; explanation: string | null; response: unknown };
const correctResponses: Record<string, unknown> = {};

async function createExam(overrides: Record<string, unknown> = {}) {
  const res = await bureauAdmin.post('/api/exams', {
    orgId: bureau.id, paperId, title: '党章党规知识测试', opensAt: inMinutes(-1), closesAt: inMinutes(60), timeLimitMinutes: 30, passScore: 60,
    participantOrgIds: [branch.id], ...overrides,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; totalScore: number; participantCount: number };
}

async function answerAll(c: Client, attempt: { id: string; questions: AttemptQ[] }, wrong = false) {
  for (const q of attempt.questions) {
    const response = wrong ? (q.type === 'true_false' ? !correctResponses[q.id] : q.type === 'fill_blank' ? ['错'] : q.type === 'multiple' ? ['A'] : 'B') : correctResponses[q.id];
    const res = await put(c, `/api/exam-attempts/${attempt.id}/answers/${q.id}`, { response });
    expect(res.statusCode, res.body).toBe(200);
  }
}

beforeAll(async () => {
  ctx = await startTestApp();
  const { db } = ctx.database;
  root = await makeOrg(db, null, { name: '市直机关工委' });
  bureau = await makeOrg(db, root, { name: '市财政局机关党委', type: 'organ_committee' });
  branch = await makeOrg(db, bureau, { name: '预算处党支部' });
  otherBranch = await makeOrg(db, root, { name: '教育局党支部' });
  admin = await login(ctx.app, await makeUser(db, [{ role: 'platform_admin' }]));
  bureauAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: bureau }]));
  otherAdmin = await login(ctx.app, await makeUser(db, [{ role: 'org_admin', org: otherBranch }]));
  members = [];
  for (let i = 0; i < 5; i++) members.push(await signedInMember(ctx, branch, `支部党员${i}`));
  outsider = await signedInMember(ctx, otherBranch, '外单位党员');
  const bodies = [
    { type: 'single', stem: '党的最高领导机关是？', options: [{ key: 'A', text: '党的全国代表大会和它所产生的中央委员会' }, { key: 'B', text: '中央纪律检查委员会' }, { key: 'C', text: '中央军事委员会' }], answer: 'A', tags: ['党章'], difficulty: 'easy', explanation: '党章第十条' },
    { type: 'multiple', stem: '“三会一课”包括哪些？', options: [{ key: 'A', text: '支部党员大会' }, { key: 'B', text: '支部委员会' }, { key: 'C', text: '党小组会' }, { key: 'D', text: '座谈会' }], answer: ['A', 'B', 'C'], tags: ['组织生活'], difficulty: 'medium' },
    { type: 'true_false', stem: '预备党员的预备期为一年。', answer: true, tags: ['党章'], difficulty: 'easy' },
    { type: 'fill_blank', stem: '党的思想路线是一切从实际出发，理论联系实际，____，在实践中检验真理和发展真理。', answer: [['实事求是']], tags: ['党章'], difficulty: 'hard' },
  ];
  questionIds = [];
  for (const body of bodies) {
    const res = await bureauAdmin.post('/api/questions', { orgId: bureau.id, ...body });
    expect(res.statusCode, res.body).toBe(201);
    questionIds.push(res.json().id);
    correctResponses[res.json().id] = body.type === 'fill_blank' ? ['实事求是'] : body.answer;
  }
  const paper = await bureauAdmin.post('/api/papers', { orgId: bureau.id, title: '党章测试卷', mode: 'fixed', questions: questionIds.map((questionId) => ({ questionId, score: 25 })) });
  expect(paper.statusCode, paper.body).toBe(201);
  paperId = paper.json().id;
});
afterAll(async () => ctx?.close());

describe('question bank', () => {
  it.each([
    ['a single choice whose answer is not an option', { type: 'single', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], answer: 'C' }, 'answer', '答案必须是已有的选项'],
    ['a multiple choice with one key', { type: 'multiple', options: [{ key: 'A', text: '甲' }, { key: 'B', text: '乙' }], answer: ['A'] }, 'answer', '多选题的答案'],
    ['a choice question with one option', { type: 'single', options: [{ key: 'A', text: '甲' }], answer: 'A' }, 'options', '至少需要两个选项'],
    ['a true/false with a text answer', { type: 'true_false', answer: '对' }, 'answer', '判断题的答案'],
    ['a blank without accepted answers', { type: 'fill_blank', answer: 'x' }, 'answer', '填空题的答案'],
    ['a bad difficulty', { type: 'true_false', answer: true, difficulty: 'extreme' }, 'difficulty', '必须是以下之一'],
    ['a missing stem', { type: 'true_false', answer: true, stem: undefined }, 'stem', '必填'],
  ])('refuses %s with 400 naming the field', async (_c, body, field, message) => {
    const before = await countRows(ctx.database.db, 'questions');
    const res = await bureauAdmin.post('/api/questions', { orgId: bureau.id, stem: '题干', difficulty: 'easy', ...body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[field]).toContain(message);
    expect(await countRows(ctx.database.db, 'questions')).toBe(before);
  });

  it('lets only a platform admin add questions to the daily quiz', async () => {
    const body = { orgId: bureau.id, type: 'true_false', stem: '每日一题', answer: true, difficulty: 'easy', isDaily: true };
    expect((await bureauAdmin.post('/api/questions', body)).json().error.fields.isDaily).toContain('平台管理员');
    expect((await admin.post('/api/questions', body)).statusCode).toBe(201);
  });

  it('hides another subtree’s questions (404) and lists only usable ones', async () => {
    expect((await otherAdmin.get(`/api/questions/${questionIds[0]}`)).statusCode).toBe(404);
    expect((await otherAdmin.patch(`/api/questions/${questionIds[0]}`, { type: 'true_false', stem: 'x', answer: true, difficulty: 'easy' })).statusCode).toBe(404);
    expect((await otherAdmin.get('/api/questions')).json().total).toBe(0);
    expect((await bureauAdmin.get('/api/questions?tag=党章')).json().total).toBe(3);
  });

  it('refuses a random paper whose quota the bank cannot fill, naming the quota', async () => {
    const res = await bureauAdmin.post('/api/papers', { orgId: bureau.id, title: '随机卷', mode: 'random', quotas: [{ tag: '党章', count: 2, score: 10 }, { difficulty: 'hard', count: 5, score: 10 }] });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields['quotas.1.count']).toContain('只有 1 道');
  });

  it('draws a random paper by tag and difficulty quotas', async () => {
    const paper = await bureauAdmin.post('/api/papers', { orgId: bureau.id, title: '随机卷', mode: 'random', quotas: [{ tag: '党章', difficulty: 'easy', count: 2, score: 30 }, { type: 'multiple', count: 1, score: 40 }] });
    expect(paper.statusCode, paper.body).toBe(201);
    expect(paper.json()).toMatchObject({ questionCount: 3, totalScore: 100 });
    const exam = await createExam({ paperId: paper.json().id, title: '随机抽题考试' });
    const attempt = (await members[0]!.client.post(`/api/exams/${exam.id}/attempts`)).json();
    expect(attempt.questions.map((q: AttemptQ) => q.id).sort()).toEqual([questionIds[0], questionIds[1], questionIds[2]].sort());
  });
});

describe('taking an exam', () => {
  let examId: string;
  beforeAll(async () => { examId = (await createExam()).id; });

  it('validates the exam: closes after opens, participants inside the organizing org', async () => {
    const bad = await bureauAdmin.post('/api/exams', { orgId: bureau.id, paperId, title: '错', opensAt: inMinutes(10), closesAt: inMinutes(5), timeLimitMinutes: 10, passScore: 60, participantOrgIds: [otherBranch.id] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.closesAt).toBe('结束时间必须晚于开始时间');
    const outside = await bureauAdmin.post('/api/exams', { orgId: bureau.id, paperId, title: '错', opensAt: inMinutes(-1), closesAt: inMinutes(5), timeLimitMinutes: 10, passScore: 60, participantOrgIds: [otherBranch.id] });
    expect(outside.json().error.fields['participantOrgIds.0']).toContain('主办组织范围内');
    const tooHigh = await bureauAdmin.post('/api/exams', { orgId: bureau.id, paperId, title: '错', opensAt: inMinutes(-1), closesAt: inMinutes(5), timeLimitMinutes: 10, passScore: 101, participantOrgIds: [branch.id] });
    expect(tooHigh.json().error.fields.passScore).toContain('100');
  });

  it('starts with questions but no answers, and resumes the same attempt on reload', async () => {
    const c = members[0]!.client;
    const start = await c.post(`/api/exams/${examId}/attempts`);
    expect(start.statusCode).toBe(201);
    const attempt = start.json();
    expect(attempt.questions).toHaveLength(4);
    expect(attempt.questions.every((q: AttemptQ) => q.answer === null && q.explanation === null)).toBe(true);
    expect(JSON.stringify(attempt)).not.toContain('党章第十条');
    // the server's own deadline: start + 30 minutes
    expect(Date.parse(attempt.deadlineAt) - Date.parse(attempt.startedAt)).toBeCloseTo(30 * 60_000, -3);
    const first = attempt.questions[0] as AttemptQ;
    expect((await put(c, `/api/exam-attempts/${attempt.id}/answers/${first.id}`, { response: correctResponses[first.id] })).statusCode).toBe(200);
    const again = await c.post(`/api/exams/${examId}/attempts`);
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(attempt.id);
    expect(again.json().questions.map((q: AttemptQ) => q.id)).toEqual(attempt.questions.map((q: AttemptQ) => q.id));
    expect(again.json().questions[0].response).toEqual(correctResponses[first.id]);
  });

  it('starts one attempt when the same member starts twice at the same moment (a double click)', async () => {
    const c = members[1]!.client;
    const before = await countRows(ctx.database.db, 'exam_attempts');
    const [a, b] = await Promise.all([c.post(`/api/exams/${examId}/attempts`), c.post(`/api/exams/${examId}/attempts`)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(a.json().id).toBe(b.json().id);
    expect(a.json().questions.map((q: AttemptQ) => q.id)).toEqual(b.json().questions.map((q: AttemptQ) => q.id));
    expect(await countRows(ctx.database.db, 'exam_attempts')).toBe(before + 1);
  });

  it('starts everyone who starts at the same moment, in shared statements: one attempt each, the others refused as before', async () => {
    const exam = await createExam({ title: '集中考试' });
    const starting = [...members, members[2]!, members[2]!, outsider];
    const answers = await Promise.all([...starting.map((m) => m.client.post(`/api/exams/${exam.id}/attempts`)), bureauAdmin.post(`/api/exams/${exam.id}/attempts`)]);
    const status = answers.map((a) => a.statusCode);
    expect(status.filter((_, i) => i < 5 && i !== 2)).toEqual([201, 201, 201, 201]);
    // the member who started three times: one attempt, started once and resumed twice
    expect([status[2], status[5], status[6]].sort()).toEqual([200, 200, 201]);
    expect(new Set([answers[2]!.json().id, answers[5]!.json().id, answers[6]!.json().id]).size).toBe(1);
    expect(status.slice(7)).toEqual([404, 403]);
    expect(new Set(answers.slice(0, 5).map((a) => a.json().id)).size).toBe(5);
    const counted = await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from exam_attempts where exam_id = ${exam.id}`);
    expect(counted.rows[0]!.n).toBe(5);
  });

  it('refuses an answer to a question not in the paper, a wrongly shaped answer, and any score sent by the client', async () => {
    const c = members[0]!.client;
    const attempt = (await c.post(`/api/exams/${examId}/attempts`)).json();
    const before = await countRows(ctx.database.db, 'exam_answers');
    const foreign = (await admin.post('/api/questions', { orgId: root.id, type: 'true_false', stem: '不在试卷中的题', answer: true, difficulty: 'easy' })).json();
    const notInPaper = await put(c, `/api/exam-attempts/${attempt.id}/answers/${foreign.id}`, { response: true });
    expect(notInPaper.statusCode).toBe(400);
    expect(notInPaper.json().error.fields.questionId).toBe('该题不在您的试卷中');
    const single = attempt.questions.find((q: AttemptQ) => q.type === 'single');
    expect((await put(c, `/api/exam-attempts/${attempt.id}/answers/${single.id}`, { response: 'Z' })).json().error.fields.response).toBe('作答格式与题型不符');
    expect((await put(c, `/api/exam-attempts/${attempt.id}/answers/${single.id}`, { response: 'A', isCorrect: true })).json().error.fields.isCorrect).toBe('不支持的字段');
    expect((await c.post(`/api/exam-attempts/${attempt.id}/submit`, { score: 100 })).json().error.fields.score).toBe('不支持的字段');
    expect(await countRows(ctx.database.db, 'exam_answers')).toBe(before);
    expect((await c.get(`/api/exam-attempts/${attempt.id}`)).json().status).toBe('in_progress');
  });

  it('answers 404 when a member reaches another member’s attempt, and changes nothing', async () => {
    const attempt = (await members[0]!.client.post(`/api/exams/${examId}/attempts`)).json();
    const other = members[1]!.client;
    const before = await countRows(ctx.database.db, 'exam_answers');
    expect((await other.get(`/api/exam-attempts/${attempt.id}`)).statusCode).toBe(404);
    expect((await put(other, `/api/exam-attempts/${attempt.id}/answers/${attempt.questions[1].id}`, { response: correctResponses[attempt.questions[1].id] })).statusCode).toBe(404);
    expect((await other.post(`/api/exam-attempts/${attempt.id}/submit`)).statusCode).toBe(404);
    expect((await bureauAdmin.get(`/api/exam-attempts/${attempt.id}`)).statusCode).toBe(403);
    expect(await countRows(ctx.database.db, 'exam_answers')).toBe(before);
    expect((await other.get(`/api/exam-attempts/${attempt.id}`)).statusCode).toBe(404);
  });

  it('grades a failing submit without a transaction: every answer marked, no points, not twice, and the same attempt when read back', async () => {
    const exam = await createExam({ title: '不及格交卷' });
    const c = members[3]!.client;
    const attempt = (await c.post(`/api/exams/${exam.id}/attempts`)).json();
    const [right, ...wrong] = attempt.questions as AttemptQ[];
    await answerAll(c, { id: attempt.id, questions: wrong }, true);
    expect((await put(c, `/api/exam-attempts/${attempt.id}/answers/${right!.id}`, { response: correctResponses[right!.id] })).statusCode).toBe(200);
    const pointsBefore = await pointsOf(ctx.database.db, members[3]!.id);
    const [a, b] = await Promise.all([c.post(`/api/exam-attempts/${attempt.id}/submit`), c.post(`/api/exam-attempts/${attempt.id}/submit`)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const res = a.statusCode === 200 ? a : b;
    expect(res.json()).toMatchObject({ status: 'submitted', score: 25, isPassed: false, isResultVisible: true });
    expect(res.json().questions.map((q: AttemptQ & { isCorrect: boolean }) => [q.id, q.isCorrect]).sort())
      .toEqual((attempt.questions as AttemptQ[]).map((q) => [q.id, q.id === right!.id]).sort());
    const marked = await ctx.database.db.execute<{ question_id: string; is_correct: boolean; score: number } & Record<string, unknown>>(sql`
      select question_id::text, is_correct, score from exam_answers where attempt_id = ${attempt.id} order by question_id`);
    expect(marked.rows.map((r) => [r.question_id, r.is_correct, Number(r.score)])).toEqual(
      (attempt.questions as AttemptQ[]).map((q) => q.id).sort().map((id) => [id, id === right!.id, id === right!.id ? 25 : 0]));
    expect(await pointsOf(ctx.database.db, members[3]!.id)).toBe(pointsBefore);
    expect((await c.get(`/api/exam-attempts/${attempt.id}`)).body).toBe(res.body);
  });

  it('grades on submit, awards the pass once, and refuses a second submission with no change', async () => {
    const c = members[0]!.client;
    const attempt = (await c.post(`/api/exams/${examId}/attempts`)).json();
    await answerAll(c, attempt);
    const pointsBefore = await pointsOf(ctx.database.db, members[0]!.id);
    const res = await c.post(`/api/exam-attempts/${attempt.id}/submit`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'submitted', score: 100, isPassed: true, isResultVisible: true });
    expect(res.json().questions.find((q: AttemptQ) => q.type === 'single').explanation).toBe('党章第十条');
    expect(await pointsOf(ctx.database.db, members[0]!.id)).toBe(pointsBefore + 5);
    const twice = await c.post(`/api/exam-attempts/${attempt.id}/submit`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('exam.already_submitted');
    expect((await put(c, `/api/exam-attempts/${attempt.id}/answers/${attempt.questions[0].id}`, { response: correctResponses[attempt.questions[0].id] })).statusCode).toBe(409);
    expect(await pointsOf(ctx.database.db, members[0]!.id)).toBe(pointsBefore + 5);
    // one attempt unless more are allowed
    const more = await c.post(`/api/exams/${examId}/attempts`);
    expect(more.statusCode).toBe(409);
    expect(more.json().error.code).toBe('exam.no_attempts_left');
  });

  it('refuses answers and submission after the member’s own deadline, then closes the attempt with what was saved', async () => {
    const c = members[1]!.client;
    const attempt = (await c.post(`/api/exams/${examId}/attempts`)).json();
    const [q1, q2] = attempt.questions as AttemptQ[];
    await put(c, `/api/exam-attempts/${attempt.id}/answers/${q1!.id}`, { response: correctResponses[q1!.id] });
    await ctx.database.db.execute(sql`update exam_attempts set deadline_at = now() - interval '1 second' where id = ${attempt.id}`);
    const before = await countRows(ctx.database.db, 'exam_answers');
    const late = await put(c, `/api/exam-attempts/${attempt.id}/answers/${q2!.id}`, { response: correctResponses[q2!.id] });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('exam.deadline_passed');
    const lateSubmit = await c.post(`/api/exam-attempts/${attempt.id}/submit`);
    expect(lateSubmit.statusCode).toBe(409);
    expect(lateSubmit.json().error.code).toBe('exam.deadline_passed');
    expect(await countRows(ctx.database.db, 'exam_answers')).toBe(before);
    const closed = (await c.get(`/api/exam-attempts/${attempt.id}`)).json();
    expect(closed).toMatchObject({ status: 'submitted', isAutoSubmitted: true, score: 25, isPassed: false });
  });

  it('refuses members who are not called to the exam with 404', async () => {
    expect((await outsider.client.post(`/api/exams/${examId}/attempts`)).statusCode).toBe(404);
    expect((await outsider.client.get(`/api/exams/${examId}`)).statusCode).toBe(404);
    expect((await otherAdmin.get(`/api/exams/${examId}/results`)).statusCode).toBe(404);
    expect((await outsider.client.get('/api/exams/mine')).json().items).toEqual([]);
  });

  it('shuffles questions per attempt from the attempt’s own seed', async () => {
    const orders = new Set<string>();
    for (const m of members.slice(2)) orders.add((await m.client.post(`/api/exams/${examId}/attempts`)).json().questions.map((q: AttemptQ) => q.id).join());
    const exam2 = await createExam({ maxAttempts: 3, title: '可多次作答' });
    for (let i = 0; i < 3; i++) {
      const a = (await members[0]!.client.post(`/api/exams/${exam2.id}/attempts`)).json();
      orders.add(a.questions.map((q: AttemptQ) => q.id).join());
      expect((await members[0]!.client.post(`/api/exam-attempts/${a.id}/submit`)).statusCode).toBe(200);
    }
    expect(orders.size).toBeGreaterThan(1);
  });
});

describe('closed-book', () => {
  it('shows no score, answers or explanations until the exam closes', async () => {
    const exam = await createExam({ isClosedBook: true, title: '闭卷考试' });
    const c = members[2]!.client;
    const attempt = (await c.post(`/api/exams/${exam.id}/attempts`)).json();
    await answerAll(c, attempt);
    const submitted = (await c.post(`/api/exam-attempts/${attempt.id}/submit`)).json();
    expect(submitted).toMatchObject({ status: 'submitted', score: null, isPassed: null, isResultVisible: false });
    expect(submitted.questions.every((q: AttemptQ & { isCorrect: unknown }) => q.answer === null && q.explanation === null && q.isCorrect === null)).toBe(true);
    expect(JSON.stringify(submitted)).not.toContain('党章第十条');
    expect((await c.get('/api/exams/mine')).json().items.find((e: { id: string }) => e.id === exam.id).bestScore).toBeNull();
    await ctx.database.db.execute(sql`update exams set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 minute' where id = ${exam.id}`);
    const after = (await c.get(`/api/exam-attempts/${attempt.id}`)).json();
    expect(after).toMatchObject({ score: 100, isPassed: true, isResultVisible: true });
    expect(after.questions.find((q: AttemptQ) => q.type === 'single').explanation).toBe('党章第十条');
  });
});

describe('absentees and the make-up exam', () => {
  it('lists exactly the three absentees, issues the make-up to them only, and counts it in participation', async () => {
    const scenarioBranch = await makeOrg(ctx.database.db, bureau, { name: '综合处党支部' });
    const people: SignedInMember[] = [];
    for (let i = 0; i < 5; i++) people.push(await signedInMember(ctx, scenarioBranch, `综合处党员${i}`));
    const exam = await createExam({ participantOrgIds: [scenarioBranch.id], title: '综合处季度测试' });
    expect(exam.participantCount).toBe(5);
    for (const p of people.slice(0, 2)) {
      const a = (await p.client.post(`/api/exams/${exam.id}/attempts`)).json();
      await answerAll(p.client, a, p === people[1]);
      expect((await p.client.post(`/api/exam-attempts/${a.id}/submit`)).statusCode).toBe(200);
    }
    expect((await bureauAdmin.get(`/api/exams/${exam.id}/absentees`)).statusCode).toBe(409);
    const early = await bureauAdmin.post(`/api/exams/${exam.id}/make-up`, { opensAt: inMinutes(-1), closesAt: inMinutes(60) });
    expect(early.json().error.code).toBe('exam.not_closed');
    await ctx.database.db.execute(sql`update exams set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 minute' where id = ${exam.id}`);

    const absentees = (await bureauAdmin.get(`/api/exams/${exam.id}/absentees`)).json().items;
    expect(absentees.map((a: { memberId: string }) => a.memberId).sort()).toEqual(people.slice(2).map((p) => p.id).sort());
    expect((await otherAdmin.post(`/api/exams/${exam.id}/make-up`, { opensAt: inMinutes(-1), closesAt: inMinutes(60) })).statusCode).toBe(404);

    const makeUp = await bureauAdmin.post(`/api/exams/${exam.id}/make-up`, { opensAt: inMinutes(-1), closesAt: inMinutes(60) });
    expect(makeUp.statusCode, makeUp.body).toBe(201);
    expect(makeUp.json()).toMatchObject({ makeUpOf: exam.id, participantCount: 3, title: '综合处季度测试（补考）' });
    const participants = await ctx.database.db.execute<{ member_id: string } & Record<string, unknown>>(sql`select member_id::text from exam_participants where exam_id = ${makeUp.json().id}`);
    expect(participants.rows.map((r) => r.member_id).sort()).toEqual(people.slice(2).map((p) => p.id).sort());
    expect((await bureauAdmin.post(`/api/exams/${exam.id}/make-up`, { opensAt: inMinutes(-1), closesAt: inMinutes(60) })).json().error.code).toBe('exam.make_up_exists');
    expect((await people[0]!.client.post(`/api/exams/${makeUp.json().id}/attempts`)).statusCode).toBe(404);
    expect((await people[2]!.client.post(`/api/exams/${exam.id}/attempts`)).json().error.code).toBe('exam.closed');

    const a = (await people[2]!.client.post(`/api/exams/${makeUp.json().id}/attempts`)).json();
    await answerAll(people[2]!.client, a);
    expect((await people[2]!.client.post(`/api/exam-attempts/${a.id}/submit`)).statusCode).toBe(200);

    const results = (await bureauAdmin.get(`/api/exams/${exam.id}/results`)).json();
    expect(results.summary).toEqual({ participants: 5, participated: 3, participationRate: 0.6, averageScore: 66.67, passRate: 0.6667 });
    expect(results.orgs).toEqual([{ orgId: scenarioBranch.id, orgName: '综合处党支部', participants: 5, participated: 3, participationRate: 0.6, averageScore: 66.67, passRate: 0.6667 }]);
    expect(results.people.find((p: { memberId: string }) => p.memberId === people[2]!.id)).toMatchObject({ hasAttempted: true, viaMakeUp: true, bestScore: 100 });
    const single = results.questions.find((q: { questionId: string }) => q.questionId === questionIds[0]);
    expect(single).toMatchObject({ attempts: 3, correct: 2, accuracy: 0.6667 });

    const file = await bureauAdmin.get(`/api/exams/${exam.id}/results.xlsx`);
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    expect(book.getWorksheet('人员成绩')!.rowCount).toBe(6);
    expect(book.getWorksheet('组织统计')!.getRow(2).getCell(4).value).toBe('60%');
  });
});

describe('question import and export (.xlsx)', () => {
  const upload = async (c: Client, url: string, file: Buffer) => {
    const boundary = `----dj${Date.now()}`;
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="questions.xlsx"\r\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n`),
      file, Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return ctx.app.inject({ method: 'POST', url, payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: c.cookie, 'x-csrf-token': c.csrfToken } });
  };

  it('imports the valid rows and reports each failed row by column', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('题库');
    sheet.addRow(['题型', '题干', '选项A', '选项B', '选项C', '选项D', '答案', '标签', '难度', '解析']);
    sheet.addRow(['单选', '入党誓词中“永不叛党”前一句是？', '严守党的纪律', '保守党的秘密', '', '', 'B', '入党誓词、党章', '中', '誓词原文']);
    sheet.addRow(['多选', '党的纪律包括？', '政治纪律', '组织纪律', '廉洁纪律', '', 'A,B,C', '纪律', '难', '']);
    sheet.addRow(['判断', '党员有权向党的上级组织提出请求。', '', '', '', '', '对', '党员权利', '易', '']);
    sheet.addRow(['填空', '中国共产党是中国____的先锋队。', '', '', '', '', '工人阶级；', '党章', '易', '']);
    sheet.addRow(['单选', '答案不在选项里', '甲', '乙', '', '', 'E', '', '易', '']);
    sheet.addRow(['问答', '题型不支持', '', '', '', '', '略', '', '极难', '']);
    const before = await countRows(ctx.database.db, 'questions');
    const res = await upload(bureauAdmin, `/api/questions/import?orgId=${bureau.id}`, Buffer.from(await book.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ created: 4, failed: 2 });
    expect(report.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([[2, 'created'], [3, 'created'], [4, 'created'], [5, 'created'], [6, 'failed'], [7, 'failed']]);
    expect(report.rows[4].errors['答案']).toBe('答案必须是已有的选项且不能重复');
    expect(report.rows[5].errors).toMatchObject({ 题型: expect.stringContaining('单选'), 难度: expect.stringContaining('易') });
    expect(await countRows(ctx.database.db, 'questions')).toBe(before + 4);
    const imported = (await bureauAdmin.get(`/api/questions/${report.rows[1].id}`)).json();
    expect(imported).toMatchObject({ type: 'multiple', answer: ['A', 'B', 'C'], difficulty: 'hard', tags: ['纪律'] });
  });

  it('refuses a file that is not a workbook, and an org outside the scope', async () => {
    expect((await upload(bureauAdmin, `/api/questions/import?orgId=${bureau.id}`, Buffer.from('not a workbook'))).json().error.fields.file).toBe('文件不是有效的 .xlsx 表格');
    const book = new ExcelJS.Workbook();
    book.addWorksheet('题库').addRow(['题型', '题干', '答案']);
    expect((await upload(otherAdmin, `/api/questions/import?orgId=${bureau.id}`, Buffer.from(await book.xlsx.writeBuffer()))).statusCode).toBe(400);
  });

  it.each([
    ['one cell of 400 MB', hostileWorkbooks.hugeCell, '单元格内容超过 32767 字'],
    ['a million empty rows', hostileWorkbooks.millionEmptyRows, '工作表行数超过 100000 行'],
    ['a zip bomb', hostileWorkbooks.zipBomb, '文件解压后超过 200 MB'],
  ])('answers 400 on field file naming the limit for %s, and imports nothing', async (_case, craft, message) => {
    const before = await countRows(ctx.database.db, 'questions');
    const header = ['题型', '题干', '答案'].map((h, i) => inlineCell(`${'ABC'[i]}1`, h)).join('');
    const res = await upload(bureauAdmin, `/api/questions/import?orgId=${bureau.id}`, craft(header));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.file).toContain(message);
    expect(await countRows(ctx.database.db, 'questions')).toBe(before);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  it('exports the bank in the import layout, so it round-trips', async () => {
    const file = await bureauAdmin.get('/api/questions/export.xlsx?tag=纪律');
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(1).value).toBe('多选');
    expect(sheet.getRow(2).getCell(11).value).toBe('ABC');
    const again = await upload(bureauAdmin, `/api/questions/import?orgId=${bureau.id}`, file.rawPayload);
    expect(again.json()).toMatchObject({ created: 1, failed: 0 });
  });
});

describe('editing and cancelling an exam', () => {
  const auditCount = async (action: string, id: string) =>
    Number((await ctx.database.db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from audit_log where action = ${action} and target_id = ${id}`)).rows[0]!.n);

  it('changes title, window, time limit and participants before the exam opens, audited', async () => {
    const exam = await createExam({ opensAt: inMinutes(60), closesAt: inMinutes(120) });
    expect(exam.participantCount).toBe(5);
    const res = await bureauAdmin.patch(`/api/exams/${exam.id}`, {
      title: '党章党规知识测试（调整）', opensAt: inMinutes(90), closesAt: inMinutes(180), timeLimitMinutes: 45, participantMemberIds: [members[0]!.id, members[1]!.id],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ title: '党章党规知识测试（调整）', timeLimitMinutes: 45, participantCount: 2, status: 'upcoming', cancelledAt: null });
    expect(Date.parse(res.json().opensAt)).toBeGreaterThan(Date.now() + 85 * 60_000);
    expect((await members[2]!.client.get(`/api/exams/${exam.id}`)).statusCode).toBe(404);
    expect((await members[1]!.client.get(`/api/exams/${exam.id}`)).statusCode).toBe(200);
    expect(await auditCount('exam.update', exam.id)).toBe(1);
  });

  it('refuses bad input with 400 naming each field, and changes nothing', async () => {
    const exam = await createExam({ opensAt: inMinutes(60), closesAt: inMinutes(120) });
    const before = (await bureauAdmin.get(`/api/exams/${exam.id}`)).json();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ opensAt: inMinutes(30), closesAt: inMinutes(10) }, 'closesAt', '结束时间必须晚于开始时间'],
      // only the end moved, to before the unchanged start
      [{ closesAt: inMinutes(30) }, 'closesAt', '结束时间必须晚于开始时间'],
      [{ participantOrgIds: [otherBranch.id] }, 'participantOrgIds.0', '主办组织范围内'],
      [{ participantOrgIds: [], participantMemberIds: [] }, 'participantOrgIds', '请选择参考组织或人员'],
      [{ participantMemberIds: [outsider.id] }, 'participantMemberIds.0', '主办组织范围内'],
      [{ title: '  ' }, 'title', ''],
      [{ timeLimitMinutes: 0 }, 'timeLimitMinutes', ''],
      [{ totalScore: 1000 }, 'totalScore', '不支持的字段'],
    ];
    for (const [body, field, message] of cases) {
      const res = await bureauAdmin.patch(`/api/exams/${exam.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields[field], JSON.stringify(res.json())).toContain(message);
    }
    expect((await bureauAdmin.get(`/api/exams/${exam.id}`)).json()).toEqual(before);
    expect(await auditCount('exam.update', exam.id)).toBe(0);
  });

  it('answers 404 outside the organizer’s scope and to members, and changes nothing', async () => {
    const exam = await createExam({ opensAt: inMinutes(60), closesAt: inMinutes(120) });
    const before = (await bureauAdmin.get(`/api/exams/${exam.id}`)).json();
    expect((await otherAdmin.patch(`/api/exams/${exam.id}`, { title: '越权' })).statusCode).toBe(404);
    expect((await members[0]!.client.patch(`/api/exams/${exam.id}`, { title: '越权' })).statusCode).toBe(404);
    expect((await otherAdmin.post(`/api/exams/${exam.id}/cancel`, { reason: '越权' })).statusCode).toBe(404);
    expect((await members[0]!.client.post(`/api/exams/${exam.id}/cancel`, { reason: '越权' })).statusCode).toBe(404);
    expect((await bureauAdmin.patch('/api/exams/999999', { title: '无' })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/exams/${exam.id}`, payload: { title: '无' } })).statusCode).toBe(401);
    expect((await bureauAdmin.get(`/api/exams/${exam.id}`)).json()).toEqual(before);
  });

  it('refuses to edit an exam that has already opened', async () => {
    const exam = await createExam();
    const before = (await bureauAdmin.get(`/api/exams/${exam.id}`)).json();
    const res = await bureauAdmin.patch(`/api/exams/${exam.id}`, { timeLimitMinutes: 5 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('exam.already_opened');
    expect((await bureauAdmin.get(`/api/exams/${exam.id}`)).json()).toEqual(before);
  });

  it('cancels with a reason: members no longer see the exam or their attempt; audited; not twice', async () => {
    const exam = await createExam();
    const c = members[3]!.client;
    const attempt = (await c.post(`/api/exams/${exam.id}/attempts`)).json();
    const noReason = await bureauAdmin.post(`/api/exams/${exam.id}/cancel`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields.reason).toBeTruthy();
    expect((await bureauAdmin.get(`/api/exams/${exam.id}`)).json().cancelledAt).toBeNull();

    const res = await bureauAdmin.post(`/api/exams/${exam.id}/cancel`, { reason: '试卷有误，另行安排' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ cancelReason: '试卷有误，另行安排' });
    expect(res.json().cancelledAt).toBeTruthy();
    expect((await c.get('/api/exams/mine')).json().items.map((e: { id: string }) => e.id)).not.toContain(exam.id);
    expect((await c.get(`/api/exams/${exam.id}`)).statusCode).toBe(404);
    expect((await c.post(`/api/exams/${exam.id}/attempts`)).statusCode).toBe(404);
    expect((await c.get(`/api/exam-attempts/${attempt.id}`)).statusCode).toBe(404);
    expect((await put(c, `/api/exam-attempts/${attempt.id}/answers/${attempt.questions[0].id}`, { response: true })).statusCode).toBe(404);
    expect((await c.post(`/api/exam-attempts/${attempt.id}/submit`, {})).statusCode).toBe(404);
    // the organizer still finds it in the list, marked
    const listed = (await bureauAdmin.get('/api/exams?pageSize=100')).json().items.find((e: { id: string }) => e.id === exam.id);
    expect(listed.cancelReason).toBe('试卷有误，另行安排');
    expect(await auditCount('exam.cancel', exam.id)).toBe(1);

    const again = await bureauAdmin.post(`/api/exams/${exam.id}/cancel`, { reason: '再取消' });
    expect(again.statusCode).toBe(409);
    expect((await bureauAdmin.patch(`/api/exams/${exam.id}`, { title: '改' })).json().error.code).toBe('exam.cancelled');
    expect(await auditCount('exam.cancel', exam.id)).toBe(1);
  });

  it('takes back the points the exam awarded: ledger total and leaderboard drop; a second cancel reverses nothing', async () => {
    const passer = await signedInMember(ctx, branch, '合格党员');
    const exam = await createExam();
    const attempt = (await passer.client.post(`/api/exams/${exam.id}/attempts`)).json();
    await answerAll(passer.client, attempt);
    expect((await passer.client.post(`/api/exam-attempts/${attempt.id}/submit`, {})).statusCode).toBe(200);
    const earned = (await passer.client.get('/api/points/me')).json();
    expect(earned.total).toBe(5);
    const boardPoints = async () => (await passer.client.get('/api/points/leaderboard/members?period=year&pageSize=200')).json().me.points as number;
    expect(await boardPoints()).toBe(5);

    const res = await bureauAdmin.post(`/api/exams/${exam.id}/cancel`, { reason: '题目泄露，成绩作废' });
    expect(res.statusCode, res.body).toBe(200);
    expect((await passer.client.get('/api/points/me')).json().total).toBe(0);
    expect(await boardPoints()).toBe(0);
    const ledger = (await passer.client.get('/api/points/ledger')).json().items as { rule: string; points: number; reason: string | null; reversedById: string | null }[];
    expect(ledger.map((e) => [e.rule, e.points])).toEqual([['adjustment', -5], ['exam_pass', 5]]);
    expect(ledger[0]!.reason).toContain('题目泄露，成绩作废');
    expect(ledger[1]!.reversedById).toBeTruthy();
    const logged = await ctx.database.db.execute<{ detail: { reversedEntries: number; reversedPoints: number } } & Record<string, unknown>>(sql`
      select detail from audit_log where action = 'exam.cancel' and target_id = ${exam.id}`);
    expect(logged.rows.map((r) => r.detail)).toMatchObject([{ reversedEntries: 1, reversedPoints: 5 }]);

    const ledgerRows = await countRows(ctx.database.db, 'points_ledger');
    const again = await bureauAdmin.post(`/api/exams/${exam.id}/cancel`, { reason: '再取消' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('exam.cancelled');
    expect(await countRows(ctx.database.db, 'points_ledger')).toBe(ledgerRows);
    expect(await pointsOf(ctx.database.db, passer.id)).toBe(0);
    expect(await boardPoints()).toBe(0);
  });

  it('refuses to cancel an exam that has closed', async () => {
    const exam = await createExam();
    await ctx.database.db.execute(sql`update exams set opens_at = now() - interval '2 hours', closes_at = now() - interval '1 hour' where id = ${exam.id}`);
    const res = await bureauAdmin.post(`/api/exams/${exam.id}/cancel`, { reason: '晚了' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('exam.closed_cannot_cancel');
    expect((await bureauAdmin.get(`/api/exams/${exam.id}`)).json().cancelledAt).toBeNull();
  });
});
