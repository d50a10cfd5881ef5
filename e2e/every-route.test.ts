import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, launchBrowser, login, newPage, scrollWidth, type DemoRole } from './browser.js';

/**
 * Every page of the console's menu, for every demo role, at desktop and phone size: axe-core finds no
 * critical or serious violation (newPage checks each page visited), the page does not scroll sideways
 * on a 390 px phone, and nothing fails in the page (uncaught errors, console errors, failed requests).
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The routes of the role's menu, read from the desktop sidebar. */
async function menuRoutes(role: DemoRole): Promise<string[]> {
  const { context, page } = await newPage(browser);
  await login(page, role);
  const menu = page.getByTestId('main-menu');
  await menu.waitFor();
  // open every group so that every link is rendered
  for (const title of await menu.locator('.ant-menu-submenu-title').all()) await title.click();
  const hrefs = await menu.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  await context.close();
  return [...new Set(hrefs.filter((h) => h.startsWith('/')))];
}

describe.each(Object.keys(DEMO) as DemoRole[])('every page of the %s', (role) => {
  it.each([['desktop', false], ['phone', true]] as const)('at %s size is accessible, fits and runs without errors', async (_size, phone) => {
    const routes = await menuRoutes(role);
    expect(routes.length).toBeGreaterThan(2);
    const { context, page } = await newPage(browser, { phone });
    // the sign-in page's own 401 (who is signed in? nobody yet) is not a failure: listen once signed in
    await login(page, role);
    const failures: string[] = [];
    page.on('pageerror', (e) => failures.push(`${page.url()} pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') failures.push(`${page.url()} console: ${m.text().slice(0, 200)}`); });
    // a request the next navigation cuts short (ERR_ABORTED) is not a failure
    page.on('requestfailed', (r) => { if (r.failure()?.errorText !== 'net::ERR_ABORTED') failures.push(`${page.url()} request failed: ${r.url()} ${r.failure()?.errorText}`); });
    page.on('response', (r) => { if (r.status() >= 500) failures.push(`${page.url()} ${r.status()} ${r.url()}`); });
    const tooWide: string[] = [];
    for (const route of routes) {
      await page.goto(route);
      if (phone) {
        const width = await scrollWidth(page);
        if (width > 390) tooWide.push(`${route}: ${width}px`);
      }
    }
    for (const line of [...tooWide.map((w) => `TOO WIDE ${w}`), ...failures.map((f) => `FAILURE ${f}`)]) console.error(line);
    await context.close();
    expect(tooWide, 'pages wider than a 390 px phone').toEqual([]);
    expect(failures).toEqual([]);
  }, 600_000);
});
