import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { OrgPage } from '../contracts/orgs.js';
import type { z } from 'zod';
import type { CreateServiceProjectSchema, ServiceProjectDetail } from '../contracts/service_projects.js';
import { apiAs, launchBrowser, login, newPage, PNG, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function bodyText(page: Page): Promise<string> {
  return page.locator('body').innerText();
}

describe('为民服务: the public page and a micro-wish from post to confirmation', () => {
  it('shows the projects to a visitor without an account, and carries a wish through post → moderate → claim → fulfil → confirm', async () => {
    const stamp = Date.now() % 100000;

    // ---- setup through the API: three projects of the secretary's branch, one of them kept off the public page
    const admin = await apiAs('admin');
    const secretary = await apiAs('secretary');
    const branch = secretary.me.user.roles.find((r) => r.role === 'org_admin')!;
    const roots = (await (await admin.api.get('/api/orgs?roots=1')).json()) as OrgPage;
    const rootId = roots.items[0]!.id;
    const owner = `责任人${stamp}`;
    const base = { orgId: branch.orgId!, category: '关爱减负', source: 'mass_feedback', ownerName: owner, plannedCompletion: '2099-12-31' } as const;
    const projects: z.input<typeof CreateServiceProjectSchema>[] = [
      { ...base, title: `老旧小区加装电梯 ${stamp}`, need: '居民反映老人上下楼难', progress: 60, status: 'in_progress', isMajorProblem: true,
        milestones: [{ title: '征求住户意见', dueOn: '2025-03-01', doneOn: '2025-02-20' }, { title: '施工', dueOn: '2099-06-30' }] },
      { ...base, title: `社区食堂助老餐 ${stamp}`, need: '独居老人吃饭难', status: 'done', progress: 100, result: '开设助老餐桌，日均服务80人次' },
      { ...base, title: `内部整改事项 ${stamp}`, need: '不对外公开', isPublic: false },
    ];
    const created: ServiceProjectDetail[] = [];
    for (const body of projects) {
      const response = await secretary.api.post('/api/service-projects', { headers: secretary.csrf, data: body });
      expect(response.status(), await response.text()).toBe(201);
      created.push((await response.json()) as ServiceProjectDetail);
    }
    for (const c of [admin, secretary]) await c.api.dispose();

    // ---- a visitor with no cookies (a phone) opens the public page of the tree
    const visitor = await newPage(browser, { phone: true });
    expect(await visitor.context.cookies()).toEqual([]);
    const pub = visitor.page;
    await pub.goto(`/public/${rootId}`);
    const list = pub.getByTestId('public-project-list');
    await expect.poll(() => list.innerText()).toContain(projects[0]!.title);
    const text = await bodyText(pub);
    expect(text).toContain(projects[1]!.title);
    expect(text).toContain('开设助老餐桌，日均服务80人次');
    expect(text).toContain('60%');
    expect(text).not.toContain(projects[2]!.title);
    // no member's personal data: the owner's name never reaches the page
    expect(text).not.toContain(owner);
    expect(new URL(pub.url()).pathname).toBe(`/public/${rootId}`);
    expect(await scrollWidth(pub)).toBeLessThanOrEqual(390);

    // searchable: 电梯 with the test's stamp finds the one project (the demo has lifts of its own)
    await pub.getByTestId('public-search').locator('input').fill(`电梯 ${stamp}`);
    await pub.getByTestId('public-search').locator('input').press('Enter');
    await expect.poll(() => list.locator('[data-testid="public-project-card"]').count()).toBe(1);
    expect(await list.innerText()).toContain(projects[0]!.title);

    // a citizen rates it; the comment waits for moderation before it shows
    await list.locator('[data-testid="public-project-card"]').first().click();
    const detail = pub.getByTestId('public-project-detail');
    await expect.poll(() => detail.innerText()).toContain('征求住户意见');
    await detail.getByTestId('public-feedback-form').locator('.ant-rate-star').nth(4).click();
    const comment = `电梯装得好，谢谢 ${stamp}`;
    await detail.getByLabel('留言（选填）').fill(comment);
    await detail.getByRole('button', { name: /提\s*交/ }).click();
    await detail.getByTestId('public-feedback-received').waitFor();
    expect(await detail.getByTestId('public-comments').innerText()).not.toContain(comment);

    // ---- the resident posts a micro-wish on the public form, still without an account
    await pub.goto(`/public/${rootId}/wishes/new`);
    const wishTitle = `帮忙修理轮椅 ${stamp}`;
    const phoneNumber = '13912345678';
    await pub.getByLabel('心愿（一句话）').fill(wishTitle);
    await pub.getByLabel('具体说明').fill('家住三楼，轮椅刹车坏了，希望有人帮忙修理');
    await pub.getByLabel('您的称呼').fill('王阿姨');
    await pub.getByLabel('联系电话').fill(phoneNumber);
    expect(await scrollWidth(pub)).toBeLessThanOrEqual(390);
    await pub.getByTestId('wish-submit').click();
    const trackingCode = await pub.getByTestId('wish-tracking-code').locator('code').innerText();
    expect(trackingCode).toMatch(/^[A-Za-z0-9_-]{8,40}$/);
    // not published until moderated
    await pub.goto(`/public/${rootId}?tab=wishes`);
    await pub.getByTestId('public-projects').waitFor();
    await expect.poll(() => bodyText(pub)).toContain('微心愿');
    expect(await bodyText(pub)).not.toContain(wishTitle);

    // ---- the platform admin moderates in the console: the wish and the comment
    const office = await newPage(browser);
    await login(office.page, 'admin');
    await office.page.goto('/service/moderation');
    const pending = office.page.getByTestId('wish-moderation-list').locator('.ant-list-item', { hasText: wishTitle });
    await expect.poll(() => pending.innerText()).toContain('139****5678');
    await pending.getByTestId('wish-approve').click();
    await expect.poll(() => office.page.getByTestId('wish-moderation-list').locator('.ant-list-item', { hasText: wishTitle }).count()).toBe(0);
    await office.page.getByRole('tab', { name: /群众评价/ }).click();
    const feedbackRow = office.page.getByTestId('feedback-table').locator('tr', { hasText: comment });
    await feedbackRow.getByRole('button', { name: /^通\s*过$/ }).click();
    await expect.poll(() => office.page.getByTestId('feedback-table').locator('tr', { hasText: comment }).count()).toBe(0);

    // now public: the wish in the list, the comment under the project
    // open wishes come first, the longest-waiting at the top: the new one may be on a later page
    await pub.goto(`/public/${rootId}?tab=wishes`);
    await expect.poll(async () => {
      const text = await pub.getByTestId('public-wish-list').innerText();
      const next = pub.locator('.ant-pagination-next:not(.ant-pagination-disabled)');
      if (!text.includes(wishTitle) && await next.count()) await next.click();
      return text;
    }, { timeout: 20_000 }).toContain(wishTitle);
    await pub.goto(`/public/${rootId}?q=${encodeURIComponent('电梯')}`);
    await pub.getByTestId('public-project-card').first().click();
    await expect.poll(() => pub.getByTestId('public-comments').innerText()).toContain(comment);

    // ---- a member on a phone sees the open wish with its age, claims it, and then sees the contact
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/service/my-wishes');
    const card = phone.page.getByTestId('wish-list').locator('.ant-card', { hasText: wishTitle });
    await expect.poll(() => card.innerText()).toContain('今日发布');
    expect(await card.innerText()).toContain('待认领');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await card.click();
    await phone.page.waitForURL(/\/service\/my-wishes\/\d+$/);
    const wishPath = new URL(phone.page.url()).pathname;
    await expect.poll(() => phone.page.getByTestId('wish-contact-masked').innerText()).toBe('139****5678');
    expect(await bodyText(phone.page)).not.toContain(phoneNumber);
    await phone.page.getByTestId('wish-claim').click();
    await expect.poll(() => phone.page.getByTestId('wish-contact').innerText()).toContain(phoneNumber);
    expect(await phone.page.getByTestId('wish-contact').innerText()).toContain('王阿姨');
    expect(await phone.page.getByTestId('wish-status').innerText()).toBe('已认领');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);

    // ---- fulfils it with a photo and a note
    await phone.page.getByTestId('wish-fulfil-card').locator('input[type=file]').setInputFiles({ name: '修好的轮椅.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => phone.page.getByTestId('wish-fulfilment').innerText()).toContain('修好的轮椅.png');
    await phone.page.getByTestId('wish-fulfil-note').fill('已更换刹车片并调试，轮椅可以正常使用');
    await phone.page.getByTestId('wish-fulfil').click();
    await expect.poll(() => phone.page.getByTestId('wish-status').innerText()).toBe('已完成待确认');
    // the list shows it among mine
    await phone.page.goto('/service/my-wishes?tab=mine');
    await expect.poll(() => phone.page.getByTestId('wish-list').innerText()).toContain(wishTitle);
    await phone.context.close();

    // ---- the resident confirms with the tracking code
    await pub.goto(`/public/wishes/track/${trackingCode}`);
    await expect.poll(() => pub.getByTestId('wish-track').innerText()).toContain('已更换刹车片并调试');
    expect(await pub.getByTestId('wish-track').innerText()).toContain('预算处党支部');
    await pub.getByTestId('wish-poster-confirm').click();
    await expect.poll(() => pub.getByTestId('wish-status').innerText()).toBe('已实现');
    await visitor.context.close();

    // ---- the console records it: confirmed by the poster, claimed by the member
    await office.page.goto('/service/wishes?status=confirmed');
    const row = office.page.getByTestId('wish-table').locator('tr', { hasText: wishTitle });
    await expect.poll(() => row.innerText()).toContain('已实现');
    await row.getByRole('link', { name: wishTitle }).click();
    await expect.poll(() => office.page.getByTestId('wish-detail').innerText()).toContain('由群众本人确认');
    expect(wishPath.split('/').pop()).toBe(new URL(office.page.url()).pathname.split('/').pop());
    await office.context.close();
  });
});
