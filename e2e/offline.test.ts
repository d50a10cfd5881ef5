import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { Activity, Participant } from '../contracts/activities.js';
import { apiAs, apiGet, apiPost, launchBrowser, login, newPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

// evaluated in the page (this file is type-checked without the DOM library)
const STORED_CHECK_INS = 'JSON.parse(localStorage.getItem("dangjian.pending-check-ins") ?? "[]")';
const CACHED_URLS = `(async () => {
  const urls = [];
  for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) urls.push(new URL(r.url).pathname);
  return { names: await caches.keys(), urls };
})()`;

describe('the member pages on a phone with a weak connection', () => {
  it('are installable: a manifest with icons, a service worker that keeps the shell', async () => {
    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
    expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe('#c0161b');

    const manifest = await page.request.get('/manifest.webmanifest');
    expect(manifest.status()).toBe(200);
    expect(manifest.headers()['content-type']).toContain('application/manifest+json');
    const body = (await manifest.json()) as { name: string; start_url: string; display: string; lang: string; icons: { src: string; sizes: string; purpose: string }[] };
    expect(body).toMatchObject({ name: '党建云', start_url: '/me', display: 'standalone', lang: 'zh-CN' });
    for (const size of ['192x192', '512x512']) {
      for (const purpose of ['any', 'maskable']) expect(body.icons.some((i) => i.sizes === size && i.purpose === purpose), `${size} ${purpose}`).toBe(true);
    }
    for (const icon of body.icons) {
      const image = await page.request.get(icon.src);
      expect(image.status(), icon.src).toBe(200);
      expect(image.headers()['content-type'], icon.src).toMatch(/^image\/(png|svg\+xml)/);
    }
    const worker = await page.request.get('/sw.js');
    expect(worker.status()).toBe(200);
    expect(worker.headers()['content-type']).toContain('javascript');

    // the worker installs with this build's shell and takes over the page
    await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 30_000 });
    const entry = await page.locator('script[type="module"][src^="/assets/"]').getAttribute('src');
    const cached = await page.evaluate<{ names: string[]; urls: string[] }>(CACHED_URLS);
    expect(cached.names).toEqual([`dangjian-shell:${entry}`]);
    expect(cached.urls).toEqual(expect.arrayContaining(['/', entry]));
    // and every file of the pages opened so far (the member's own), to open them again offline
    const loaded = await page.evaluate<string[]>('performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.startsWith("/assets/"))');
    expect(loaded.length).toBeGreaterThan(5);
    const notKept = async () => {
      const { urls } = await page.evaluate<{ urls: string[] }>(CACHED_URLS);
      return loaded.filter((u) => !urls.includes(u));
    };
    await expect.poll(notKept, { timeout: 20_000 }).toEqual([]);
    expect(cached.urls.filter((u) => u.startsWith('/api'))).toEqual([]);

    // offline, a page of the app still opens: the worker answers with the kept shell
    await context.setOffline(true);
    const probe = await context.newPage();
    const response = await probe.goto('/me/activities');
    expect(response?.fromServiceWorker()).toBe(true);
    expect(response?.status()).toBe(200);
    expect(await probe.title()).toBe('党建云');
    await probe.close();
    await context.setOffline(false);
    await context.close();
  });

  it('keeps a sign-in made offline with its time and the code, and sends it when the connection returns', async () => {
    const secretary = await apiAs('secretary');
    const member = await apiAs('member');
    const branch = secretary.me.user.roles.find((r) => r.role === 'org_admin')!;
    const memberId = member.me.user.memberId!;
    const title = `主题党日·地下会议室 ${Date.now() % 100000}`;
    const draft = await apiPost<Activity>(secretary, '/activities', {
      orgId: branch.orgId, type: 'theme_day', title, place: '地下一层会议室',
      startsAt: new Date(Date.now() + 5 * 60_000).toISOString(), endsAt: new Date(Date.now() + 65 * 60_000).toISOString(),
      participants: { memberIds: [memberId] },
    });
    await apiPost(secretary, `/activities/${draft.id}/publish`, {}, 200);
    const { code } = await apiGet<{ code: string }>(secretary, `/activities/${draft.id}/check-in-code`);
    const mine = async () => (await apiGet<{ items: Participant[] }>(secretary, `/activities/${draft.id}/participants`)).items.find((p) => p.memberId === memberId)!;

    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto(`/me/activities/${draft.id}`);
    await page.getByTestId('check-in-code-input').waitFor();
    await page.waitForFunction('navigator.serviceWorker.controller !== null', undefined, { timeout: 30_000 });

    // in the basement: no connection
    await context.setOffline(true);
    await page.getByTestId('check-in-code-input').fill(code);
    const before = Date.now();
    await page.getByTestId('check-in-submit').click();
    const pending = page.getByTestId('check-in-pending');
    await expect.poll(() => pending.innerText()).toContain('已保存，联网后自动提交');
    const stored = await page.evaluate<{ activityId: string; madeAt: string; proof: { code?: string } }[]>(STORED_CHECK_INS);
    expect(stored).toEqual([expect.objectContaining({ activityId: draft.id, proof: { code } })]);
    const madeAt = stored[0]!.madeAt;
    expect(Date.parse(madeAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(await mine()).toMatchObject({ state: 'invited', checkedInAt: null });

    // a while later, upstairs: the phone is back online and sends it by itself
    await page.waitForTimeout(2500);
    const online = Date.now();
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('offline-check-in-accepted').innerText(), { timeout: 20_000 }).toContain(title);
    expect(await page.locator('.ant-notification-notice-title').first().innerText()).toBe('签到成功');
    await expect.poll(() => page.getByTestId('my-participation').innerText()).toContain('出席');
    expect(await pending.count()).toBe(0);
    expect(await page.evaluate<unknown[]>(STORED_CHECK_INS)).toEqual([]);

    // recorded at the time it was made, not when it arrived
    const row = await mine();
    expect(row).toMatchObject({ state: 'present', checkInMethod: 'code' });
    expect(row.checkedInAt).toBe(madeAt);
    expect(Date.parse(row.checkedInAt!)).toBeLessThan(online);

    await context.close();
    for (const c of [secretary, member]) await c.api.dispose();
  });
});
