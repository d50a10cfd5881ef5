import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, request, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import type { Me } from '../contracts/auth.js';
import { CHINA_TIME_ZONE } from '../contracts/china-time.js';

export const DEMO = {
  admin: { username: 'admin', password: 'demo-admin-2025' },
  // the admin of 市财政局机关党委's subtree, linked to a member of it
  bureau: { username: 'bureau', password: 'demo-bureau-2025' },
  secretary: { username: 'secretary', password: 'demo-secretary-2025' },
  member: { username: 'member', password: 'demo-member-2025' },
} as const;
export type DemoRole = keyof typeof DEMO;

export function baseUrl(): string {
  return inject('baseUrl');
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The critical and serious accessibility violations axe-core finds on the page as it stands (WCAG 2.1
 * A and AA rules and axe's best practices), one line each: rule, impact, how many elements, the first.
 * axe is evaluated through the DevTools protocol, which the page's CSP does not govern.
 */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  // once per document: a page reached by the app's own navigation still has it
  if (!(await page.evaluate<boolean>('typeof axe === "object"'))) await page.evaluate(axeSource);
  const violations = await page.evaluate<{ id: string; impact: string | null; help: string; nodes: { target: string[]; html: string; why: string }[] }[]>(`
    axe.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map((n) => ({ target: n.target.map(String), html: n.html.slice(0, 160), why: [...n.any, ...n.all, ...n.none].map((c) => c.message).join('; ').slice(0, 200) })) })))`);
  const path = new URL(page.url()).pathname;
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map((v) => `${path} ${v.id} (${v.impact}) ×${v.nodes.length}: ${v.help} — ${v.nodes[0]?.target.join(' ')} ${v.nodes[0]?.html} [${v.nodes[0]?.why}]`);
}

/**
 * The page's requests in flight and when that count last changed. Playwright's `networkidle` is a
 * state of the document: once reached it stays reached, so it cannot tell when the requests of a page
 * the app's router rendered (no new document) have settled. This count can.
 */
const traffic = new WeakMap<Page, { inFlight: number; changedAt: number }>();

function trackTraffic(page: Page): void {
  const state = { inFlight: 0, changedAt: Date.now() };
  traffic.set(page, state);
  page.on('request', () => { state.inFlight += 1; state.changedAt = Date.now(); });
  const ended = () => { state.inFlight = Math.max(0, state.inFlight - 1); state.changedAt = Date.now(); };
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
}

/** Waits (at most `timeout` ms) until no request of the page has been in flight for `quiet` ms. */
async function requestsSettled(page: Page, quiet: number, timeout: number): Promise<void> {
  const state = traffic.get(page);
  const deadline = Date.now() + timeout;
  while (state && Date.now() < deadline && (state.inFlight > 0 || Date.now() - state.changedAt < quiet)) await page.waitForTimeout(50);
}

/** Waits until the page's requests have settled and no spinner turns, so that axe sees the page. */
async function settled(page: Page): Promise<void> {
  // what a navigation sets off (a drawer closing, a dialog opening) starts a frame or two later
  await page.waitForTimeout(250);
  await requestsSettled(page, 500, 5000);
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
  // a dialog fading in is measured at its final colours, not half transparent
  await pollInPage(page, '!document.querySelector(\'[class*="-appear-active"], [class*="-enter-active"], [class*="-leave-active"], [class*="-appear-start"], [class*="-enter-start"]\')', 3000);
  await pollInPage(page, 'document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().endTime === Infinity)', 3000);
}

/**
 * Waits (at most `timeout` ms) until `expression` is true in the page, evaluating it through the
 * DevTools protocol each time: page.waitForFunction polls a string with eval inside the page, which
 * the page's CSP (no 'unsafe-eval') refuses with an uncaught error in the page.
 */
async function pollInPage(page: Page, expression: string, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if (await page.evaluate<boolean>(expression).catch(() => true)) return;
    await page.waitForTimeout(50);
  }
}

/**
 * Every page a test visits is checked by axe-core: after each `goto` and `waitForURL`, and once more
 * when the context closes (the state the journey ended in). The context's `close` fails the test on
 * any critical or serious violation, listing them all.
 */
export function checkAccessibilityOnEveryPage(context: BrowserContext, page: Page): void {
  const problems = new Set<string>();
  trackTraffic(page);
  const check = async () => {
    // the API docs are Swagger UI's page, a developer's tool, not the product's
    if (page.isClosed() || page.url() === 'about:blank' || new URL(page.url()).pathname.startsWith('/api/')) return;
    await settled(page);
    const run = () => accessibilityProblems(page).catch((e: unknown) => [`axe could not run on ${page.url()}: ${String(e)}`]);
    let found = await run();
    // colours measured while something fades (a toast, a drawer, a dialog) are not the page's: look again once it has
    if (found.some((p) => p.includes(' color-contrast '))) {
      await page.waitForTimeout(800);
      await settled(page);
      found = await run();
    }
    for (const problem of found) problems.add(problem);
  };
  checks.set(page, check);
  const goto = page.goto.bind(page);
  page.goto = async (...args: Parameters<Page['goto']>) => {
    const response = await goto(...args);
    await check();
    return response;
  };
  const waitForURL = page.waitForURL.bind(page);
  page.waitForURL = async (...args: Parameters<Page['waitForURL']>) => {
    await waitForURL(...args);
    await check();
  };
  const close = context.close.bind(context);
  context.close = async (...args: Parameters<BrowserContext['close']>) => {
    await check().catch(() => undefined);
    await close(...args);
    for (const problem of problems) console.error(`AXE ${problem}`);
    expect([...problems], 'axe-core: critical or serious accessibility violations').toEqual([]);
  };
}

/** Each page's axe check (set by checkAccessibilityOnEveryPage), for what opens a page without `goto`. */
const checks = new WeakMap<Page, () => Promise<void>>();

/**
 * Opens `route` as the app's own links do, without loading the app again: the router is told of the
 * new address (pushState, then the popstate event it listens for). axe checks the page it renders.
 * A tour of many pages is several times faster this way than by `goto`, which starts the app afresh.
 */
export async function openInApp(page: Page, route: string): Promise<void> {
  await page.evaluate(`history.pushState(null, '', ${JSON.stringify(route)}); dispatchEvent(new PopStateEvent('popstate', { state: null }))`);
  await checks.get(page)?.();
}

/** A fresh browser profile (no cookies, no stored language) at a desktop or phone size; axe-core checks every page it visits. */
export async function newPage(browser: Browser, options: { phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: 'zh-CN',
    timezoneId: CHINA_TIME_ZONE, // antd's pickers read and type times in the browser's zone
    ...(options.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: { width: 1366, height: 900 } }),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  checkAccessibilityOnEveryPage(context, page);
  return { context, page };
}

export async function login(page: Page, role: DemoRole): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(DEMO[role].username);
  await page.getByLabel('密码').fill(DEMO[role].password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** Opens every folded section of the menu (我的, 组织, 党员 …), so that each of its entries is shown. */
export async function openMenuSections(menu: Locator): Promise<void> {
  const folded = menu.locator('.ant-menu-submenu-inline:not(.ant-menu-submenu-open) > .ant-menu-submenu-title');
  // counted again before each click: the app opens the current page's section itself when the page
  // changes (the landing page after signing in, say), so a count taken once can outnumber the folds
  // left, and the last click then waits for a fold that is no longer there (CI, 2026-12-07)
  let failed: unknown;
  for (let tries = 0; tries < 30 && (await folded.count()) > 0; tries += 1) {
    // a fold that opens itself between the count and the click: count again rather than wait for it
    await folded.first().click({ timeout: 3_000 }).catch((e: unknown) => { failed = e; });
  }
  if (failed !== undefined && (await folded.count()) > 0) throw failed;
  // Playwright's own wait, not expect.poll: the tours of every page call this from concurrent tests,
  // where vitest's global expect.poll cannot tell which test it belongs to
  await folded.first().waitFor({ state: 'detached' });
}

/** The labels of the left menu (or of the drawer menu on a phone), every section opened. */
export async function menuLabels(page: Page): Promise<string[]> {
  const menu = page.getByTestId('main-menu');
  await menu.waitFor();
  await openMenuSections(menu);
  return (await menu.locator('.ant-menu-item').allInnerTexts()).map((s) => s.trim());
}

/** The sections of the menu, in order (a member's single section is a heading, not a fold). */
export async function menuSections(page: Page): Promise<string[]> {
  const menu = page.getByTestId('main-menu');
  await menu.waitFor();
  return (await menu.locator('.ant-menu-submenu-title, .ant-menu-item-group-title').allInnerTexts()).map((s) => s.trim());
}

/**
 * Elements that show text but have collapsed to no width (a flex child squeezed to nothing, a column
 * with no room), as `tag.class "text"` lines: the text is in the page, but nobody can read it.
 * Only elements that are laid out and visible count; hidden ones (display: none, visibility: hidden)
 * have no box to collapse.
 */
export async function collapsedElements(page: Page): Promise<string[]> {
  // evaluated in the page; the tests are type-checked without the DOM library
  return page.evaluate<string[]>(`(() => {
    const selector = 'h1, h2, h3, h4, h5, h6, button, a[href], th, td, label, p, .ant-btn, .ant-card-head-title, .ant-statistic-title, .ant-statistic-content, '
      + '.ant-tag, .ant-typography, .ant-descriptions-item-label, .ant-descriptions-item-content, .ant-list-item, .ant-tabs-tab-btn, .ant-menu-title-content, '
      + '.ant-empty-description, .ant-alert-message, .ant-alert-title, .ant-form-item-label, .ant-select-selection-item, .ant-result-title';
    const found = [];
    for (const el of document.querySelectorAll(selector)) {
      const text = (el.textContent || '').trim();
      if (!text || el.getClientRects().length === 0) continue;
      const style = getComputedStyle(el);
      if (style.visibility !== 'visible' || style.display === 'contents') continue;
      if (el.getBoundingClientRect().width >= 0.5) continue;
      const cls = typeof el.className === 'string' ? el.className.trim().split(/\\s+/).slice(0, 2).join('.') : '';
      found.push(el.tagName.toLowerCase() + (cls ? '.' + cls : '') + ' "' + text.slice(0, 40) + '"');
    }
    return [...new Set(found)];
  })()`);
}

/** A citizen ID number with a correct GB 11643 check character (and a deliberately wrong one). */
export function idNumber(birth: string, serial: number): { valid: string; wrongCheckDigit: string } {
  const body = `320102${birth.replaceAll('-', '')}${String(serial % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * weights[i]!, 0);
  const check = '10X98765432'[sum % 11]!;
  const wrong = check === '0' ? '1' : '0';
  return { valid: body + check, wrongCheckDigit: body + wrong };
}

/** The error text antd shows under a form field, found by the field's label. */
export function fieldError(page: Page, label: string) {
  return page.locator('.ant-form-item', { has: page.locator(`label:text-is("${label}")`) }).locator('.ant-form-item-explain-error');
}

/** A signed-in API client, for setting up what a journey does not show; writes carry `csrf` as x-csrf-token. */
export interface ApiClient { api: APIRequestContext; me: Me; csrf: Record<string, string> }

export async function apiAs(who: DemoRole | { username: string; password: string }): Promise<ApiClient> {
  const api = await request.newContext({ baseURL: baseUrl() });
  const response = await api.post('/api/auth/login', { data: typeof who === 'string' ? DEMO[who] : who });
  expect(response.status(), await response.text()).toBe(200);
  const me = (await response.json()) as Me;
  return { api, me, csrf: { 'x-csrf-token': me.csrfToken } };
}

/** POST /api{path} as the client, expecting `status` (201 by default); answers the JSON body. */
export async function apiPost<T>(c: ApiClient, path: string, data: unknown, status = 201): Promise<T> {
  const response = await c.api.post(`/api${path}`, { headers: c.csrf, data });
  expect(response.status(), `${path}: ${await response.text()}`).toBe(status);
  return (await response.json()) as T;
}

/** GET /api{path} as the client, expecting 200; answers the JSON body. */
export async function apiGet<T>(c: ApiClient, path: string): Promise<T> {
  const response = await c.api.get(`/api${path}`);
  expect(response.status(), `${path}: ${await response.text()}`).toBe(200);
  return (await response.json()) as T;
}

/** The page's full width: wider than the viewport means a phone would scroll sideways. */
export async function scrollWidth(page: Page): Promise<number> {
  // evaluated in the page; the tests are type-checked without the DOM library
  return page.evaluate<number>('document.documentElement.scrollWidth');
}

/** The one open dropdown of an antd Select or TreeSelect. */
export const openDropdown = (page: Page) => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');

/**
 * Chooses `text` in the select labelled `label` (a tree select with `tree`; typing `search` first for
 * a select that searches the server; `optionAlsoHas` for an option that must also show that text, as a
 * parent org's name), and tries again until the field shows the choice: a dropdown
 * still closing, or a list that changes under the pointer, can swallow a single click.
 */
export async function choose(page: Page, label: string, text: string, options: { tree?: boolean; search?: string; optionAlsoHas?: string } = {}): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  const shown = page.locator('.ant-form-item', { has: field }).last().locator('.ant-select-content-has-value, .ant-select-selection-item', { hasText: text });
  await expect.poll(async () => {
    if (await shown.count() > 0) return true;
    if (options.search !== undefined) await field.fill(options.search);
    else await field.click();
    const option = openDropdown(page).locator(options.tree ? '.ant-select-tree-node-content-wrapper' : '.ant-select-item-option', { hasText: text })
      .filter({ hasText: options.optionAlsoHas ?? text }).first();
    await option.click({ timeout: 5000 }).catch(() => undefined);
    return (await shown.count()) > 0;
  }, { timeout: 30_000, interval: 500 }).toBe(true);
}

/**
 * Types `[from, to]` ("YYYY-MM-DD HH:mm") into the antd range picker inside `scope`, then clicks
 * `away` to close it, until both inputs hold the range: a busy machine can lose an Enter, and an
 * input left uncommitted empties when the picker closes.
 */
export async function fillRange(page: Page, scope: Locator, [from, to]: readonly [string, string], away: Locator): Promise<void> {
  const [start, end] = [scope.locator('.ant-picker-range input').first(), scope.locator('.ant-picker-range input').last()];
  await expect.poll(async () => {
    await start.click();
    await start.fill(from);
    await page.keyboard.press('Enter');
    await end.click();
    await end.fill(to);
    await page.keyboard.press('Enter');
    await away.click();
    return [await start.inputValue(), await end.inputValue()];
  }, { timeout: 30_000, interval: 500 }).toEqual([from, to]);
}

/** The smallest valid PNG (1×1, transparent), for uploads. */
export const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4bb0000000049454e44ae426082', 'hex');
