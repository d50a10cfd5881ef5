import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { MyNoticePage, NoticeReceipts } from '../contracts/notices.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('a notice from the secretary’s phone to the member’s', () => {
  it('is written in the rich-text editor at 390 px, published, read by the member and counted in the receipts', async () => {
    const title = `支部通知 ${Date.now().toString(36)}`;
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'secretary');
    await page.goto('/notices/new');
    await page.locator('input#title').fill(title);
    const editor = page.getByRole('textbox', { name: '正文' });
    await editor.click();
    await page.getByRole('button', { name: '加粗' }).click();
    await page.keyboard.type('请按时参加');
    await page.getByRole('button', { name: '加粗' }).click();
    await page.keyboard.type('主题党日。');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('notice-save').click();
    await page.waitForURL(/\/notices\/\d+$/);
    const id = page.url().split('/').pop()!;
    await expect.poll(() => page.locator('.notice-body strong').innerText()).toBe('请按时参加');
    await page.getByTestId('notice-publish').click();
    await page.locator('.ant-popconfirm .ant-btn-primary').click();
    await page.getByTestId('notice-receipts-orgs').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();

    const member = await apiAs('member');
    const before = await apiGet<MyNoticePage>(member, '/me/notices');
    expect(before.items.find((n) => n.id === id)).toMatchObject({ title, readAt: null });
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/me/notices');
    await phone.page.getByTestId('my-notice-item').filter({ hasText: title }).click();
    await phone.page.getByTestId('my-notice').waitFor();
    expect(await phone.page.locator('.notice-body strong').innerText()).toBe('请按时参加');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();

    const after = await apiGet<MyNoticePage>(member, '/me/notices');
    expect(after.unread).toBe(before.unread - 1);
    const secretary = await apiAs('secretary');
    const receipts = await apiGet<NoticeReceipts>(secretary, `/notices/${id}/receipts`);
    expect(receipts.read).toBe(1);
    expect(receipts.recipients).toBeGreaterThan(1);
  });
});
