import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { DailyQuizToday } from '../contracts/daily_quiz.js';
import type { AnswerKey, Attempt, Exam, Paper, Question } from '../contracts/exams.js';
import type { MyPoints } from '../contracts/points.js';
import { apiAs, apiGet, apiPost, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});


/** Answers whatever question is on screen (their order is shuffled per attempt) and waits until the server has it. */
async function answerCurrent(page: Page): Promise<void> {
  const card = page.getByTestId('attempt-question');
  if (await card.getByTestId('blank-0').count()) await card.getByTestId('blank-0').fill('实事求是');
  else await card.getByTestId('option-0').click();
  await expect.poll(() => card.getByTestId('save-state').innerText()).toMatch(/^已保存/);
}

/** Whether the question on screen shows a saved answer (a checked option or a filled blank). */
/** Answers one daily question in the page as the member sees it (their order of options), rightly or on purpose wrongly. */
async function answerDaily(question: Locator, shown: DailyQuizToday['questions'][number], key: AnswerKey, right: boolean): Promise<void> {
  const option = (k: string) => question.getByTestId(`option-${shown.options.findIndex((o) => o.key === k)}`).click();
  if (shown.type === 'single') await option(right ? key as string : shown.options.find((o) => o.key !== key)!.key);
  else if (shown.type === 'true_false') await question.getByTestId((key === true) === right ? 'option-0' : 'option-1').click();
  else if (shown.type === 'multiple') for (const k of key as string[]) await option(k);
  else for (const [i, accepted] of (key as string[][]).entries()) await question.getByTestId(`blank-${i}`).fill(right ? accepted[0]! : '答错了');
}

async function showsAnswer(page: Page): Promise<boolean> {
  const card = page.getByTestId('attempt-question');
  if (await card.getByTestId('blank-0').count()) return (await card.getByTestId('blank-0').inputValue()) === '实事求是';
  return (await card.locator('.ant-radio-wrapper-checked, .ant-checkbox-wrapper-checked').count()) === 1;
}

describe('学习考试: a timed closed-book exam and the daily quiz on a phone', () => {
  it('takes an exam, resumes it after a reload, is closed by the timer, then does the daily quiz and sees the points', { timeout: 240_000 }, async () => {
    // ---- setup through the API: the secretary's bank, paper and exam for the member's branch; the admin's daily questions
    const admin = await apiAs('admin');
    const secretary = await apiAs('secretary');
    const member = await apiAs('member');
    const branch = secretary.me.user.roles.find((r) => r.role === 'org_admin')!;
    expect(branch.orgName).toBe('预算处党支部');
    const tag = `e2e${Date.now() % 100000}`;
    const base = { orgId: branch.orgId!, tags: [tag], difficulty: 'easy' as const };
    const examQuestions = [
      await apiPost<Question>(secretary, '/questions', { ...base, type: 'single', stem: '党的思想路线的核心是？', options: [{ key: 'A', text: '实事求是' }, { key: 'B', text: '与时俱进' }, { key: 'C', text: '开拓创新' }], answer: 'A', explanation: '解放思想、实事求是' }),
      await apiPost<Question>(secretary, '/questions', { ...base, type: 'multiple', stem: '“三会一课”中的“三会”包括？', options: [{ key: 'A', text: '支部党员大会' }, { key: 'B', text: '支部委员会' }, { key: 'C', text: '党小组会' }, { key: 'D', text: '职工大会' }], answer: ['A', 'B', 'C'] }),
      await apiPost<Question>(secretary, '/questions', { ...base, type: 'true_false', stem: '预备党员的预备期为一年。', answer: true }),
      await apiPost<Question>(secretary, '/questions', { ...base, type: 'fill_blank', stem: '党的思想路线是一切从实际出发，理论联系实际，____，在实践中检验真理和发展真理。', answer: [['实事求是']] }),
    ];
    const paper = await apiPost<Paper>(secretary, '/papers', { orgId: branch.orgId, title: `党章党规测试卷 ${tag}`, mode: 'fixed', questions: examQuestions.map((q) => ({ questionId: q.id, score: 25 })) });
    expect(paper.totalScore).toBe(100);
    const examTitle = `党章党规知识测试 ${tag}`;
    // the shortest time limit the API allows is one minute
    const exam = await apiPost<Exam>(secretary, '/exams', {
      orgId: branch.orgId, paperId: paper.id, title: examTitle, opensAt: new Date(Date.now() - 60_000).toISOString(), closesAt: new Date(Date.now() + 3600_000).toISOString(),
      timeLimitMinutes: 1, passScore: 60, isClosedBook: true, participantOrgIds: [branch.orgId],
    });
    expect(exam.status).toBe('open');
    // the demo's daily quiz: today's questions of the member (not yet answered today) and their keys, read by the admin
    const quiz = await apiGet<DailyQuizToday>(member, '/daily-quiz/today');
    expect(quiz.submission).toBeNull();
    const keys = await Promise.all(quiz.questions.map((q) => apiGet<Question>(admin, `/questions/${q.id}`)));
    const rule = (await apiGet<{ items: { code: string; points: number; dailyCap: number }[] }>(admin, '/points/rules')).items.find((r) => r.code === 'daily_quiz_correct')!;
    const pointsBefore = await apiGet<MyPoints>(member, '/points/me');

    // ---- the member, on a phone, finds the exam and starts it
    const phone = await newPage(browser, { phone: true });
    const page = phone.page;
    page.on('pageerror', (e) => console.log('PAGEERROR', e.message));
    page.on('console', (m) => { if (m.type() === 'error') console.log('CONSOLE', m.text()); });
    page.on('requestfailed', (r) => console.log('REQFAILED', r.url()));
    await login(page, 'member');
    await page.goto('/me/exams');
    const card = page.getByTestId('my-exam-card').filter({ hasText: examTitle });
    await expect.poll(() => card.innerText()).toContain('闭卷');
    expect(await card.innerText()).toContain('1 分钟');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await card.getByTestId('exam-start').click();
    await page.getByTestId('exam-start-ok').click();
    await page.waitForURL(/\/me\/exams\/attempts\/\d+/);
    const attemptId = new URL(page.url()).pathname.split('/').pop()!;
    // the countdown is the server's deadline: at most a minute
    await expect.poll(async () => page.getByTestId('attempt-timer').innerText()).toMatch(/^00:[0-5]\d$|^01:00$/);
    expect(await page.getByTestId('question-position').innerText()).toBe('第 1 / 4 题');

    // ---- two answers, saved as given; on to the third question
    await answerCurrent(page);
    await page.getByTestId('attempt-next').click();
    await expect.poll(() => page.getByTestId('question-position').innerText()).toBe('第 2 / 4 题');
    await answerCurrent(page);
    await page.getByTestId('attempt-next').click();
    await expect.poll(() => page.getByTestId('question-position').innerText()).toBe('第 3 / 4 题');
    expect(await page.getByTestId('answered-count').innerText()).toBe('已答 2/4');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    const saved = await apiGet<Attempt>(member, `/exam-attempts/${attemptId}`);
    expect(saved.status).toBe('in_progress');
    expect(saved.questions.filter((q) => q.response !== null)).toHaveLength(2);
    // closed book: nothing about correctness while it runs
    expect(saved.questions.every((q) => q.isCorrect === null && q.answer === null && q.explanation === null)).toBe(true);

    // ---- a reload resumes at the same question with both answers in place and the clock still running
    const before = await page.getByTestId('attempt-timer').innerText();
    await page.reload();
    await expect.poll(() => page.getByTestId('question-position').innerText()).toBe('第 3 / 4 题');
    expect(await page.getByTestId('answered-count').innerText()).toBe('已答 2/4');
    expect(await page.getByTestId('attempt-timer').innerText() <= before).toBe(true);
    await page.getByTestId('attempt-prev').click();
    await expect.poll(() => page.getByTestId('question-position').innerText()).toBe('第 2 / 4 题');
    expect(await showsAnswer(page)).toBe(true);
    await page.getByTestId('attempt-prev').click();
    await expect.poll(() => page.getByTestId('question-position').innerText()).toBe('第 1 / 4 题');
    expect(await showsAnswer(page)).toBe(true);

    // ---- the member stops there; when the minute is up the server closes the attempt and the page says so
    await expect.poll(() => page.getByTestId('attempt-closed').count(), { timeout: 90_000, interval: 1000 }).toBe(1);
    const closed = await page.getByTestId('attempt-closed').innerText();
    expect(closed).toContain('时间到，答卷已自动提交');
    expect(closed).toContain('已答 2/4');
    // closed book until the exam closes: no score on the page, none from the API
    expect(await page.getByTestId('attempt-results-later').innerText()).toContain('闭卷考试：成绩和解析将在考试结束');
    expect(await page.getByTestId('attempt-score').count()).toBe(0);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    const final = await apiGet<Attempt>(member, `/exam-attempts/${attemptId}`);
    expect(final).toMatchObject({ status: 'submitted', isAutoSubmitted: true, score: null, isPassed: null, isResultVisible: false });
    expect(Date.parse(final.submittedAt!)).toBe(Date.parse(final.deadlineAt));
    // an answer after the deadline is refused by the server
    const late = await member.api.put(`/api/exam-attempts/${attemptId}/answers/${final.questions[3]!.id}`, { headers: member.csrf, data: { response: true } });
    expect(late.status()).toBe(409);
    // the list shows the one attempt used and offers the closed attempt, not a new one
    await page.goto('/me/exams');
    await expect.poll(() => card.innerText()).toContain('已考 1/1 次').catch(async (e: unknown) => { await page.screenshot({ path: '/tmp/exams-debug.png' }); console.log(await page.locator('body').innerText()); throw e; });
    expect(await card.getByTestId('exam-start').count()).toBe(0);
    expect(await card.getByTestId('exam-best').count()).toBe(0);
    await card.getByTestId('exam-view').click();
    await expect.poll(() => page.getByTestId('attempt-closed').innerText()).toContain('时间到，答卷已自动提交');

    // ---- the daily quiz: every question answered in the page, one of them wrong on purpose; one submission, the points and the streak
    await page.goto('/me/daily-quiz');
    const questions = page.getByTestId('daily-question');
    await expect.poll(() => questions.count()).toBe(quiz.questions.length);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    const wrongOn = keys.findIndex((k) => k.type !== 'multiple');
    expect(wrongOn).toBeGreaterThanOrEqual(0);
    for (const [i, key] of keys.entries()) await answerDaily(questions.nth(i), quiz.questions[i]!, key.answer, i !== wrongOn);
    await page.getByTestId('daily-submit').click();
    const result = page.getByTestId('daily-result');
    await expect.poll(() => result.count()).toBe(1);
    const correct = quiz.questions.length - 1;
    const earned = Math.min(rule.points * correct, rule.dailyCap);
    expect(await page.getByTestId('daily-correct').innerText()).toBe(`答对 ${correct}/${quiz.questions.length} 题`);
    expect(await page.getByTestId('daily-points').innerText()).toContain(`+${earned}`);
    expect(await page.getByTestId('daily-streak').innerText()).toContain(String(quiz.streak + 1));
    expect(await page.getByTestId('daily-review').nth(wrongOn).innerText()).toContain('正确答案');
    // one submission a day: a reload shows the result, not the questions
    await page.reload();
    await expect.poll(() => page.getByTestId('daily-correct').innerText()).toBe(`答对 ${correct}/${quiz.questions.length} 题`);
    expect(await page.getByTestId('daily-submit').count()).toBe(0);
    const today = await apiGet<DailyQuizToday>(member, '/daily-quiz/today');
    expect(today.submission).toMatchObject({ correctCount: correct, questionCount: quiz.questions.length, points: earned, streak: quiz.streak + 1 });
    const again = await member.api.post('/api/daily-quiz/submissions', { headers: member.csrf, data: { answers: [{ questionId: keys[0]!.id, response: keys[0]!.type === 'fill_blank' ? (keys[0]!.answer as string[][]).map((a) => a[0]!) : keys[0]!.answer }] } });
    expect(again.status(), await again.text()).toBe(409);

    // ---- my points: the quiz's points are in today's total and in the ledger
    await page.goto('/me/points');
    await expect.poll(() => page.getByTestId('points-today').innerText()).toContain(String(pointsBefore.today + earned));
    expect(await page.getByTestId('points-total').innerText()).toContain(String(pointsBefore.total + earned));
    expect(await page.getByTestId('points-ledger').locator('.ant-list-item').first().innerText()).toMatch(new RegExp(`每日答题[\\s\\S]*\\+${earned}`));
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    const pointsAfter = await apiGet<MyPoints>(member, '/points/me');
    expect(pointsAfter.total - pointsBefore.total).toBe(earned);

    // ---- the week's leaderboard ranks the member with those points
    await page.goto('/leaderboard');
    await expect.poll(() => page.getByTestId('leaderboard-me').innerText()).toMatch(/名次/);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    await phone.context.close();
    for (const c of [admin, secretary, member]) await c.api.dispose();
  });
});
