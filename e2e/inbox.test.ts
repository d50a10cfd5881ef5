import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { InboxPage, UnreadCount } from '../contracts/inbox.js';
import { apiAs, apiGet, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('the member’s inbox on a phone (390×844)', () => {
  it('counts the unread in the header’s bell, lists the messages, marks one read and opens another where it leads', async () => {
    const member = await apiAs('member');
    const { unread } = await apiGet<UnreadCount>(member, '/inbox/unread-count');
    expect(unread).toBeGreaterThan(1);
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    const bell = page.getByTestId('inbox-bell');
    await expect.poll(() => bell.getAttribute('aria-label')).toBe(`消息，${unread} 条未读`);

    await bell.click();
    await page.waitForURL('**/me/inbox');
    await page.getByTestId('inbox-list').waitFor();
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    const first = await apiGet<InboxPage>(member, '/inbox?limit=20');
    const cards = page.getByTestId('inbox-item');
    expect(await cards.count()).toBe(first.items.length);
    expect(await cards.first().innerText()).toContain(first.items[0]!.title);

    // the unread filter lists exactly the unread, and marking one read takes it off the list and the count
    await page.getByTestId('inbox-filter-unread').click();
    await page.waitForURL('**/me/inbox?unread=true');
    await expect.poll(() => cards.count()).toBe(Math.min(unread, 20));
    await cards.first().getByTestId('inbox-mark-read').click();
    await expect.poll(() => bell.getAttribute('aria-label')).toBe(`消息，${unread - 1} 条未读`);
    await expect.poll(() => cards.count()).toBe(Math.min(unread - 1, 20));

    // opening one reads it and goes to where it is acted on
    const next = (await apiGet<InboxPage>(member, '/inbox?unread=true&limit=1')).items[0]!;
    await cards.first().getByTestId('inbox-open').click();
    await page.waitForURL((url) => `${url.pathname}${url.search}` === next.link);
    expect((await apiGet<UnreadCount>(member, '/inbox/unread-count')).unread).toBe(unread - 2);
    await context.close();
  });
});
