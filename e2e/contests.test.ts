import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Paper, Question } from '../contracts/exams.js';
import type { MemberPage } from '../contracts/members.js';
import { apiAs, apiGet, apiPost, choose, fillRange, launchBrowser, login, newPage, openDropdown, scrollWidth } from './browser.js';
import { chinaDateTime } from '../contracts/china-time.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('知识竞赛: a live round on the big screen and a member’s phone', () => {
  it('sets up a round, and shows the member’s phone submission on the organizer’s live board without a reload', { timeout: 180_000 }, async () => {
    // ---- setup through the API: the secretary's questions and paper; who the member is
    const secretary = await apiAs('secretary');
    const member = await apiAs('member');
    const branch = secretary.me.user.roles.find((r) => r.role === 'org_admin')!;
    expect(branch.orgName).toBe('预算处党支部');
    const tag = `contest${Date.now() % 100000}`;
    const questions: Question[] = [];
    for (const [stem, answer] of [['党的根本宗旨是全心全意为人民服务。', true], ['党员可以不参加党的组织生活。', false], ['民主集中制是党的根本组织原则。', true]] as const) {
      questions.push(await apiPost<Question>(secretary, '/questions', { orgId: branch.orgId, type: 'true_false', stem, answer, tags: [tag], difficulty: 'easy' }));
    }
    const paper = await apiPost<Paper>(secretary, '/papers', { orgId: branch.orgId, title: `竞赛卷${tag}`, mode: 'fixed', questions: questions.map((q) => ({ questionId: q.id, score: 10 })) });
    const roll = await apiGet<MemberPage>(secretary, `/members?orgId=${branch.orgId}&pageSize=200`);
    const memberName = roll.items.find((m) => m.id === member.me.user.memberId)!.name;
    expect(memberName).toBeTruthy();
    for (const c of [secretary, member]) await c.api.dispose();

    // ---- the secretary sets up a round open now to the branch, forgetting the entrant org at first
    const organizer = await newPage(browser);
    const board = organizer.page;
    await login(board, 'secretary');
    await board.goto('/contests');
    await board.getByTestId('contest-new').click();
    const form = board.getByTestId('contest-form');
    const title = `庆七一党史知识竞赛 ${tag}`;
    await choose(board, '主办组织', '预算处党支部', { tree: true });
    await choose(board, '试卷', paper.title);
    await board.getByLabel('竞赛名称', { exact: true }).fill(title);
    const now = Date.now();
    await fillRange(board, form, [chinaDateTime(now - 60_000), chinaDateTime(now + 30 * 60_000)], board.getByLabel('竞赛名称', { exact: true }));
    await board.getByTestId('contest-create-ok').click();
    // the server names the missing entrant list; the dialog stays open
    await expect.poll(() => form.locator('.ant-form-item-explain-error').count()).toBeGreaterThan(0);
    expect(board.url()).toMatch(/\/contests$/);
    await form.locator('.ant-select').nth(2).click();
    await openDropdown(board).locator('.ant-select-tree-node-content-wrapper', { hasText: '预算处党支部' }).first().click();
    await board.getByTestId('contest-create-ok').click();
    await board.waitForURL(/\/contests\/\d+$/);
    const contestId = new URL(board.url()).pathname.split('/').pop()!;
    expect(await board.getByTestId('contest-title').innerText()).toBe(title);

    // ---- and opens the big-screen board
    await board.getByTestId('contest-live-link').click();
    await board.waitForURL(`**/contests/${contestId}/live`);
    await board.getByTestId('contest-live').waitFor();
    await expect.poll(() => board.getByTestId('stream-state').innerText(), { timeout: 10_000 }).toBe('实时');
    await expect.poll(() => board.getByTestId('contest-board').innerText()).toContain('还没有人交卷');
    await expect.poll(() => board.getByTestId('live-entry-count').innerText()).toBe('0 人已交卷');
    // a mark in the page itself: it is gone if anything reloads the board
    await board.evaluate('window.__boardLoadedOnce = true');

    // ---- the member, on a phone, joins the running round and answers against the countdown
    const phone = await newPage(browser, { phone: true });
    const page = phone.page;
    await login(page, 'member');
    await page.goto('/me/contests');
    await page.getByTestId('my-contest-card').filter({ hasText: title }).getByTestId('contest-open').click();
    await page.getByTestId('contest-start').click();
    await page.getByTestId('contest-start-ok').click();
    const cards = page.getByTestId('contest-question');
    await expect.poll(() => cards.count()).toBe(3);
    const timer = await page.getByTestId('contest-timer').innerText();
    expect(timer).toMatch(/^0[45]:\d\d$/);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    // the questions come shuffled: answer each by its stem (the first option is 对, the second 错)
    for (let i = 0; i < 3; i++) {
      const card = cards.nth(i);
      const stem = await card.getByTestId('question-stem').innerText();
      await card.getByTestId(stem.includes('可以不参加') ? 'option-1' : 'option-0').click();
    }
    await expect.poll(() => page.getByTestId('contest-answered').innerText()).toBe('已答 3/3');
    // the countdown runs
    await expect.poll(() => page.getByTestId('contest-timer').innerText(), { timeout: 5000 }).not.toBe(timer);
    await page.getByTestId('contest-submit').click();
    await page.getByTestId('contest-submit-ok').click();
    const result = page.getByTestId('contest-my-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('30');
    await expect.poll(() => page.getByTestId('contest-my-rank').innerText()).toContain('1');
    // the member's own live board shows them too
    await expect.poll(() => page.getByTestId('contest-board').innerText()).toContain(memberName);

    // ---- the big screen got the entry pushed to it, with no reload
    await expect.poll(() => board.getByTestId('contest-board').innerText(), { timeout: 10_000 }).toContain(memberName);
    const row = board.getByTestId('board-row').filter({ hasText: memberName });
    expect(await row.innerText()).toContain('30');
    await expect.poll(() => board.getByTestId('live-entry-count').innerText()).toBe('1 人已交卷');
    expect(await board.evaluate<boolean>('window.__boardLoadedOnce === true')).toBe(true);

    // ---- and the organizer's results count the member under their org
    await board.goto(`/contests/${contestId}`);
    await board.getByText('按组织').click();
    await expect.poll(() => board.getByTestId('contest-org-results').innerText()).toContain('预算处党支部');

    await organizer.context.close();
    await phone.context.close();
  });
});
