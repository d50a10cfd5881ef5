import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DEMO, collapsedElements, launchBrowser, login, menuSections, newPage, openInApp, openMenuSections, scrollWidth, type DemoRole } from './browser.js';

/**
 * Every page of the console's menu, for every demo role, at desktop and phone size: axe-core finds no
 * critical or serious violation (newPage checks each page visited), the page does not scroll sideways
 * on a 390 px phone, no text is squeezed to nothing (an element shown with zero width), and nothing
 * fails in the page (uncaught errors, console errors, failed requests).
 */
let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** The routes of the role's menu, read from the desktop sidebar, and its sections in order. */
async function readMenu(role: DemoRole): Promise<{ routes: string[]; sections: string[] }> {
  const { context, page } = await newPage(browser);
  await login(page, role);
  const menu = page.getByTestId('main-menu');
  await menu.waitFor();
  const sections = await menuSections(page);
  // open every section so that every link is rendered
  await openMenuSections(menu);
  const hrefs = await menu.locator('a[href]').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  await context.close();
  return { routes: [...new Set(hrefs.filter((h) => h.startsWith('/')))], sections };
}

// the menu by the work it serves: 我的 for a member alone; a secretary's 我的 and then what they administer; 系统 for the platform's administrator
const SECTIONS: Record<DemoRole, { first: string; has: string[]; hasNot: string[] }> = {
  member: { first: '我的', has: [], hasNot: ['组织', '党员', '组织生活', '学习考试', '为民服务', '系统'] },
  secretary: { first: '我的', has: ['组织', '党员', '组织生活', '学习考试', '为民服务'], hasNot: [] },
  // a subtree's administrator who is also a member: 我的 first, then every section of administration
  bureau: { first: '我的', has: ['组织', '党员', '组织生活', '学习考试', '为民服务', '系统'], hasNot: [] },
  admin: { first: '我的', has: ['我的', '组织', '党员', '组织生活', '学习考试', '为民服务', '系统'], hasNot: [] },
};

// the eight tours run side by side (maxConcurrency in e2e/vitest.config.ts): a page's check is mostly
// waiting for its requests to settle, so one tour at a time left the two cores idle most of the run
describe.concurrent.each(Object.keys(DEMO) as DemoRole[])('every page of the %s', (role) => {
  // a concurrent test asserts with its own expect (the global one cannot tell concurrent tests apart)
  it.for<[string, boolean]>([['desktop', false], ['phone', true]])('at %s size is accessible, fits and runs without errors', { timeout: 600_000 }, async ([_size, phone], { expect }) => {
    const { routes, sections } = await readMenu(role);
    expect(routes.length).toBeGreaterThan(2);
    expect(sections[0]).toBe(SECTIONS[role].first);
    expect(sections).toEqual(expect.arrayContaining(SECTIONS[role].has));
    for (const section of SECTIONS[role].hasNot) expect(sections).not.toContain(section);
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
    const collapsed: string[] = [];
    // the first page loads the app; the others are opened by its router, as the menu's links open them
    // (a tour by goto spent most of its time starting the app again on every page)
    for (const [i, route] of routes.entries()) {
      if (i === 0) await page.goto(route);
      else await openInApp(page, route);
      expect(new URL(page.url()).pathname, 'the page the menu links to').toBe(new URL(route, page.url()).pathname);
      if (phone) {
        const width = await scrollWidth(page);
        if (width > 390) tooWide.push(`${route}: ${width}px`);
      }
      for (const element of await collapsedElements(page)) collapsed.push(`${route}: ${element}`);
    }
    if (phone) {
      // the menu lives in the drawer: the last page of the menu is reached through it, and the drawer closes
      const last = routes[routes.length - 1]!;
      await page.goto(routes[0]!);
      await page.getByTestId('menu-button').click();
      const menu = page.getByTestId('main-menu');
      await openMenuSections(menu);
      await menu.locator(`a[href="${last}"]`).click();
      await page.waitForURL((url) => url.pathname === last);
      await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    }
    for (const line of [...tooWide.map((w) => `TOO WIDE ${w}`), ...collapsed.map((c) => `ZERO WIDTH ${c}`), ...failures.map((f) => `FAILURE ${f}`)]) console.error(line);
    await context.close();
    expect(tooWide, 'pages wider than a 390 px phone').toEqual([]);
    expect(collapsed, 'text squeezed to zero width').toEqual([]);
    expect(failures).toEqual([]);
  });
});
