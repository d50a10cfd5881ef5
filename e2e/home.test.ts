import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MemberHome, Workbench } from '../contracts/home.js';
import { apiAs, apiGet, launchBrowser, login, menuLabels, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The page fits the viewport: nothing makes a phone scroll sideways. */
async function fitsWidth(page: Page, width: number) {
  expect(await scrollWidth(page)).toBeLessThanOrEqual(width);
}

describe('the member’s 首页 on a phone (390×844)', () => {
  it('is the first page after sign-in and shows what the API counts, each card opening its page', async () => {
    const member = await apiAs('member');
    const home = await apiGet<MemberHome>(member, '/home/member');
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.waitForURL('**/me/home');
    await page.getByTestId('member-home').waitFor();
    await page.getByTestId('home-points').waitFor();
    await fitsWidth(page, 390);

    // the year's points and the rank as the API answers them
    expect(await page.getByTestId('home-points-year').innerText()).toBe(String(home.points.thisYear));
    const rank = await page.getByTestId('home-points-status').innerText();
    expect(rank).toContain(home.points.rank === null ? '暂无排名' : `第 ${home.points.rank} / ${home.points.rankedCount} 名`);
    // today's quiz says what is true: answered, waiting, or no questions
    const quiz = await page.getByTestId('home-quiz-status').innerText();
    expect(quiz).toContain(home.dailyQuiz.status === 'done' ? '今日已答' : home.dailyQuiz.status === 'open' ? `今日 ${home.dailyQuiz.questionCount} 题待答` : '今日暂无题目');
    // the activities to attend, the one with sign-in open marked
    const activities = page.getByTestId('home-activities');
    if (home.activities.total === 0) expect(await activities.innerText()).toContain('暂无待参加的活动');
    for (const a of home.activities.items) expect(await activities.innerText()).toContain(a.title);
    expect(await activities.getByText('去签到').count()).toBe(home.activities.items.filter((a) => a.canCheckInNow).length);
    const plans = page.getByTestId('home-plans');
    for (const p of home.studyPlans.items) expect(await plans.innerText()).toContain(`已学 ${p.doneCount}/${p.itemCount}`);
    expect(await page.getByTestId('home-make-up-status').innerText()).toContain(home.makeUp.open === 0 ? '暂无补学任务' : `${home.makeUp.open} 项待完成`);

    // 首页 is the first entry of 我的 in the drawer menu
    await page.getByTestId('menu-button').click();
    const labels = await menuLabels(page);
    expect(labels[0]).toBe('首页');
    await page.keyboard.press('Escape');

    // the points card opens 我的积分
    await page.getByTestId('home-points').getByRole('link', { name: /本年积分：查看/ }).click();
    await page.waitForURL('**/me/points');
    await page.getByTestId('my-points').waitFor();
    await context.close();
  });
});

describe('the secretary’s 工作台', () => {
  for (const phone of [false, true]) {
    it(`lists the branch’s to-dos by urgency with counts and links (${phone ? 'phone' : 'desktop'})`, async () => {
      const secretary = await apiAs('secretary');
      const w = await apiGet<Workbench>(secretary, '/home/workbench');
      const { context, page } = await newPage(browser, { phone });
      await login(page, 'secretary');
      await page.waitForURL('**/workbench');
      await page.getByTestId('workbench').waitFor();
      if (w.groups.length === 0) {
        await expect.poll(() => page.getByTestId('workbench-empty').innerText()).toContain('目前没有待办事项');
      } else {
        await page.getByTestId(`todo-group-${w.groups[0]!.severity}`).waitFor();
        for (const g of w.groups) {
          const group = page.getByTestId(`todo-group-${g.severity}`);
          expect(await group.getByTestId('todo-count').count()).toBe(g.items.length);
          const counts = await group.getByTestId('todo-count').allInnerTexts();
          expect(counts.map((c) => Number(/\d+/.exec(c)?.[0]))).toEqual(g.items.map((i) => i.count));
        }
      }
      await fitsWidth(page, phone ? 390 : 1366);
      // the org picker names the secretary's own branch
      await expect.poll(() => page.getByTestId('workbench').locator('.ant-select-content-has-value, .ant-select-selection-item').first().innerText()).toContain(w.org.name);
      // a to-do opens the place where it is done
      const first = w.groups[0]?.items[0];
      if (first) {
        await page.getByTestId(`todo-${first.kind}`).first().getByTestId('todo-link').click();
        await page.waitForURL((url) => url.pathname + url.search === first.link);
      }
      await context.close();
    });
  }
});

/** Where the page shows the total of the list a to-do opens ('共 N 条' or, for members, '共 N 人'). */
const TOTAL_AREA: Partial<Record<string, string>> = {
  three_meetings: 'compliance-total', make_up: 'make-up-card', term_due: 'election-due-total', venue_booking: 'booking-table',
  election_step: 'election-procedure-total',
  grading_review: 'standardization-round-total', grading_submit: 'standardization-round-total', rectification_overdue: 'standardization-task-total',
  responsibility_inspection: 'responsibility-item-total', responsibility_overdue: 'responsibility-item-total',
};

describe('a 工作台 to-do opens the list it counted', () => {
  it('lands on lists whose totals are the figures, each page fitting a phone (390×844)', async () => {
    const secretary = await apiAs('secretary');
    const w = await apiGet<Workbench>(secretary, '/home/workbench');
    // one to-do of each kind (the first of its urgency), each org's to-do too: their counts are their lists'
    const items = w.groups.flatMap((g) => g.items);
    const todos = [...new Map(items.map((i) => [i.kind, i])).values()];
    expect(todos.length, 'the demo secretary has at least two kinds of to-do').toBeGreaterThanOrEqual(2);
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'secretary');
    await page.waitForURL('**/workbench');
    for (const todo of todos) {
      await page.goto('/workbench');
      await page.getByTestId(`todo-group-${todo.severity}`).waitFor();
      const row = page.getByTestId(`todo-group-${todo.severity}`).getByTestId(`todo-${todo.kind}`).filter({ has: page.locator(`a[href="${todo.link}"]`) });
      await row.getByTestId('todo-link').click();
      await page.waitForURL((url) => url.pathname + url.search === todo.link);
      const area = TOTAL_AREA[todo.kind];
      const total = area ? page.getByTestId(area) : page.locator('main');
      await expect.poll(() => total.innerText(), { message: `${todo.kind}: ${todo.link}`, timeout: 15_000 }).toMatch(new RegExp(`共\\s*${todo.count}\\s*[条人]`));
      await fitsWidth(page, 390);
    }
    await context.close();
  });
});
