import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { CoursePageSchema, Share, StudyPlanPageSchema } from '../contracts/learning.js';
import type { MyPoints } from '../contracts/points.js';
import type { z } from 'zod';
import { apiAs, apiGet, choose, launchBrowser, login, newPage, scrollWidth } from './browser.js';
import { chinaDate } from '../contracts/china-time.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** expect.poll with room for a loaded machine: saving and refetching can take seconds there. */
const poll: typeof expect.poll = (fn, options) => expect.poll(fn, { timeout: 15_000, interval: 200, ...options });

/** A day in China as the date pickers type it. */
const chinaDay = (offsetDays: number) => chinaDate(Date.now() + offsetDays * 86_400_000);

describe('学习: an organizer publishes a series course and a study plan; a member studies them on a phone', () => {
  it('creates a course and a plan, the member completes lessons, a chapter, clocks in and shares, and both see the progress and points', { timeout: 240_000 }, async () => {
    const secretary = await apiAs('secretary');
    const member = await apiAs('member');
    const branch = secretary.me.user.roles.find((r) => r.role === 'org_admin')!;
    expect(branch.orgName).toBe('预算处党支部');
    const tag = String(Date.now() % 100000);
    const courseTitle = `学习贯彻党的二十大精神系列课 ${tag}`;
    const planTitle = `《习近平新时代中国特色社会主义思想学习纲要》读书计划 ${tag}`;
    const pointsBefore = await apiGet<MyPoints>(member, '/points/me');

    // ---- the secretary, on a desktop, publishes a two-lesson series course for the branch
    const organizer = await newPage(browser);
    const desk = organizer.page;
    await login(desk, 'secretary');
    await desk.goto('/learning?tab=courses');
    await desk.getByTestId('course-new').click();
    await choose(desk, '发布组织', '预算处党支部', { tree: true });
    await choose(desk, '课程类型', '系列课');
    await desk.getByLabel('标题', { exact: true }).fill(courseTitle);
    await desk.getByTestId('lesson-title').first().fill('第一讲 新时代新征程');
    await desk.getByTestId('lesson-url').first().fill('https://www.12371.cn/lesson/1');
    await desk.getByTestId('lesson-add').click();
    // a link that is not one: the server's message shows under that lesson's input and nothing is created
    await desk.getByTestId('lesson-title').nth(1).fill('第二讲 以中国式现代化全面推进中华民族伟大复兴');
    await desk.getByTestId('lesson-url').nth(1).fill('www.12371.cn/lesson/2');
    await desk.getByTestId('course-create-ok').click();
    await poll(() => desk.getByTestId('course-form').innerText()).toContain('链接应以 http:// 或 https:// 开头');
    expect((await apiGet<z.infer<typeof CoursePageSchema>>(secretary, `/learning/courses?q=${encodeURIComponent(tag)}`)).total).toBe(0);
    await desk.getByTestId('lesson-url').nth(1).fill('https://www.12371.cn/lesson/2');
    await desk.getByTestId('course-create-ok').click();
    await poll(() => desk.getByTestId('course-table').innerText()).toContain(courseTitle);
    expect(await desk.getByTestId('course-table').locator('tr', { hasText: courseTitle }).innerText()).toContain('系列课');

    // ---- and a two-chapter study plan with dates
    await desk.getByTestId('learning-admin-tabs').getByText('学习计划').click();
    await desk.getByTestId('plan-new').click();
    await choose(desk, '发布组织', '预算处党支部', { tree: true });
    await desk.getByLabel('标题', { exact: true }).fill(planTitle);
    await desk.getByTestId('plan-item-title').first().fill('第一章 新时代坚持和发展中国特色社会主义');
    await desk.getByTestId('plan-item-add').click();
    await desk.getByTestId('plan-item-title').nth(1).fill('第二章 以人民为中心');
    const secondDue = desk.getByPlaceholder('完成日期').nth(1);
    await secondDue.click();
    await secondDue.fill(chinaDay(14));
    await desk.keyboard.press('Enter');
    await desk.getByTestId('plan-create-ok').click();
    await poll(() => desk.getByTestId('plan-table').innerText()).toContain(planTitle);
    // a correction: the title changes, the chapters and their dates stay
    const revisedPlanTitle = `${planTitle}（修订）`;
    await desk.getByTestId('plan-table').locator('tr', { hasText: planTitle }).getByTestId('plan-edit').click();
    await desk.getByTestId('plan-edit-form').getByLabel('标题', { exact: true }).fill(revisedPlanTitle);
    await desk.getByTestId('plan-edit-ok').click();
    await poll(() => desk.getByTestId('plan-table').innerText()).toContain(revisedPlanTitle);
    const plans = await apiGet<z.infer<typeof StudyPlanPageSchema>>(member, `/learning/plans?q=${encodeURIComponent(tag)}`);
    expect(plans.items).toHaveLength(1);
    expect(plans.items[0]).toMatchObject({ title: revisedPlanTitle, itemCount: 2, doneCount: 0, orgName: '预算处党支部' });

    // ---- the member, on a phone, opens the course and finishes both lessons
    const phone = await newPage(browser, { phone: true });
    const page = phone.page;
    await login(page, 'member');
    await page.goto('/me/learning');
    const courseCard = page.getByTestId('course-card').filter({ hasText: courseTitle });
    await poll(() => courseCard.innerText()).toContain('已学 0/2');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await courseCard.click();
    await page.waitForURL(/\/me\/learning\/courses\/\d+/);
    const lessons = page.getByTestId('lesson-card');
    await poll(() => lessons.count()).toBe(2);
    expect(await lessons.first().getByTestId('lesson-link').getAttribute('href')).toBe('https://www.12371.cn/lesson/1');
    await lessons.first().getByTestId('lesson-complete').click();
    await poll(() => lessons.first().getByTestId('lesson-done').count()).toBe(1);
    expect(await page.getByTestId('study-progress').first().innerText()).toContain('已学 1/2');
    await lessons.nth(1).getByTestId('lesson-complete').click();
    await poll(() => page.getByTestId('course-completed').count()).toBe(1);
    // 完成课程 earns 5 points (the rule from the migration)
    await poll(() => page.locator('.ant-message').innerText()).toContain('获得 5 积分');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    // ---- the plan: the first chapter done with a note
    await page.goto('/me/learning?tab=plans');
    await page.getByTestId('plan-card').filter({ hasText: revisedPlanTitle }).click();
    await page.waitForURL(/\/me\/learning\/plans\/\d+/);
    const chapters = page.getByTestId('plan-item');
    await poll(() => chapters.count()).toBe(2);
    await chapters.first().getByTestId('plan-item-note').fill('读懂了“两个结合”');
    await chapters.first().getByTestId('plan-item-mark').click();
    await poll(() => chapters.first().getByTestId('plan-item-done').count()).toBe(1);
    expect(await chapters.nth(1).getByTestId('plan-item-mark').count()).toBe(1);
    expect(await page.getByTestId('study-progress').innerText()).toContain('已学 1/2');

    // ---- the day's clock-in with a note; a second one is not offered
    await page.goto('/me/clock-in');
    await page.getByTestId('clock-in-note').fill(`学习了系列课第一、二讲 ${tag}`);
    await page.getByTestId('clock-in-submit').click();
    await poll(() => page.getByTestId('clock-in-today').innerText()).toContain('今天已打卡');
    expect(await page.getByTestId('clock-in-today').innerText()).toContain(`学习了系列课第一、二讲 ${tag}`);
    expect(await page.getByTestId('clock-in-form').count()).toBe(0);
    expect(await page.getByTestId('clock-in-list').innerText()).toContain('+1 积分');
    const again = await member.api.post('/api/learning/clock-ins', { headers: member.csrf, data: { note: '再打一次' } });
    expect(again.status()).toBe(409);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    // ---- a reading share, liked by the secretary of the same branch
    await page.goto('/learning/shares');
    await page.getByTestId('share-title').fill(`《之江新语》${tag}`);
    await page.getByTestId('share-content').fill('短小精悍，常读常新。');
    await page.getByTestId('share-submit').click();
    const shareCard = page.getByTestId('share-card').filter({ hasText: `《之江新语》${tag}` });
    await poll(() => shareCard.count()).toBe(1);
    const shares = await apiGet<{ items: Share[] }>(secretary, '/learning/shares');
    const share = shares.items.find((s) => s.title === `《之江新语》${tag}`)!;
    expect(share).toBeDefined();
    const liked = await secretary.api.post(`/api/learning/shares/${share.id}/like`, { headers: secretary.csrf });
    expect(liked.status(), await liked.text()).toBe(200);
    await page.reload();
    await poll(() => shareCard.getByTestId('share-like-count').innerText()).toBe('1');
    await shareCard.getByTestId('share-like').click();
    await poll(() => shareCard.getByTestId('share-like-count').innerText()).toBe('2');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    // ---- the points the server gave: course 5 + chapter 1 + clock-in 1 + share 2
    const pointsAfter = await apiGet<MyPoints>(member, '/points/me');
    expect(pointsAfter.total - pointsBefore.total).toBe(9);
    await page.goto('/me/points');
    await poll(() => page.getByTestId('points-total').innerText()).toContain(String(pointsAfter.total));

    // ---- the secretary sees the member's progress of the plan and of the course
    const memberName = share.memberName;
    await desk.goto('/learning?tab=plans');
    await desk.getByTestId('plan-table').locator('tr', { hasText: planTitle }).getByTestId('plan-progress-link').click();
    await desk.waitForURL(/\/learning\/plans\/\d+\/progress/);
    const planRow = desk.getByTestId('progress-table').locator('tr', { hasText: memberName });
    await poll(() => planRow.getByTestId('progress-done').innerText()).toBe('1/2');
    await desk.goto('/learning?tab=courses');
    await desk.getByTestId('course-table').locator('tr', { hasText: courseTitle }).getByTestId('course-progress-link').click();
    await desk.waitForURL(/\/learning\/courses\/\d+\/progress/);
    const courseRow = desk.getByTestId('progress-table').locator('tr', { hasText: memberName });
    await poll(() => courseRow.getByTestId('progress-done').innerText()).toBe('2/2');
    expect(await courseRow.innerText()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);

    await phone.context.close();
    await organizer.context.close();
    for (const c of [secretary, member]) await c.api.dispose();
  });
});
