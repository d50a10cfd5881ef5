import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDateTime } from '../contracts/china-time.js';
import { checkAccessibilityOnEveryPage, fillRange, idNumber, launchBrowser, openDropdown, scrollWidth } from './browser.js';

/**
 * A real site starts empty (DEMO=0): the first administrator comes from `admin:create`, and everything
 * else is built from the console — the tree from its top, a member, an org administrator who then plans
 * the branch's 三会一课. Its own server on its own data directory, not the demo the other journeys share.
 */
const root = path.resolve(import.meta.dirname, '..');
const run = promisify(execFile);
const admin = { username: 'ops.first', password: 'First-admin-2026' };
const secretary = { username: 'sec.first', password: 'First-secretary-2026' };
let dataDir: string;
let server: ChildProcess | undefined;
let baseURL: string;
let browser: Browser;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dangjian-empty-'));
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' };
  // the first administrator, before the server opens the embedded data directory (one process at a time)
  await run(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'server/src/scripts/admin-create.ts'), '--username', admin.username, '--password', admin.password, '--name', '王运维'],
    { env, timeout: 120_000 });
  const port = await freePort();
  const log = fs.openSync(path.join(dataDir, 'server.log'), 'a');
  server = spawn(process.execPath, [path.join(root, 'dist/server/src/main.js')], {
    cwd: root, env: { ...env, PORT: String(port), HOST: '127.0.0.1', DEMO: '0', LOG_LEVEL: 'warn', WEB_DIR: path.join(root, 'web/dist') }, stdio: ['ignore', log, log],
  });
  baseURL = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the server exited:\n${fs.readFileSync(path.join(dataDir, 'server.log'), 'utf8')}`);
    if (await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 250));
  }
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

async function open(phone = false): Promise<Page> {
  const context = await browser.newContext({
    baseURL, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
    ...(phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: { width: 1366, height: 900 } }),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  checkAccessibilityOnEveryPage(context, page);
  return page;
}

async function signIn(page: Page, who: { username: string; password: string }) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(who.username);
  await page.getByLabel('密码').fill(who.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

const treeNode = (page: Page, name: string) => page.getByTestId('org-tree').locator('.ant-tree-treenode', { hasText: name }).first();

/** Fills the org dialog (name, and the type when not the default) and saves it. */
async function saveOrgForm(page: Page, name: string, type?: string) {
  const form = page.getByTestId('org-form');
  await form.getByLabel('组织名称', { exact: true }).fill(name);
  if (type) {
    await expect.poll(async () => {
      if ((await form.locator('.ant-select', { hasText: type }).count()) > 0) return true;
      await form.getByLabel('组织类型', { exact: true }).click();
      await openDropdown(page).locator('.ant-select-item-option', { hasText: type }).first().click({ timeout: 5000 }).catch(() => undefined);
      return (await form.locator('.ant-select', { hasText: type }).count()) > 0;
    }, { timeout: 30_000, interval: 500 }).toBe(true);
  }
  await page.locator('.ant-modal').getByRole('button', { name: /确\s*定|OK/ }).click();
  await treeNode(page, name).waitFor();
}

/**
 * Picks `path`'s last org in a lazily loaded org tree select, opening each level on the way, until
 * the field shows it (a dropdown still opening can swallow a click).
 */
async function pickInTree(page: Page, field: Locator, path: string[], shownIn: Locator) {
  const target = path[path.length - 1]!;
  const item = shownIn.locator('.ant-select-content-has-value, .ant-select-selection-item', { hasText: target });
  await expect.poll(async () => {
    if ((await item.count()) > 0) return true;
    if (!(await openDropdown(page).isVisible().catch(() => false))) await field.click();
    for (const name of path.slice(0, -1)) {
      const closed = openDropdown(page).locator('.ant-select-tree-treenode', { hasText: name }).first().locator('.ant-select-tree-switcher_close');
      if ((await closed.count()) > 0) await closed.click({ timeout: 3000 }).catch(() => undefined);
      await openDropdown(page).locator('.ant-select-tree-treenode', { hasText: path[path.indexOf(name) + 1]! }).first().waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    await openDropdown(page).locator('.ant-select-tree-node-content-wrapper', { hasText: target }).first().click({ timeout: 3000 }).catch(() => undefined);
    return (await item.count()) > 0;
  }, { timeout: 40_000, interval: 500 }).toBe(true);
}

describe('an empty site (DEMO=0)', () => {
  it('goes from the first administrator to a secretary planning 三会一课', async () => {
    // ---- the empty org page on a phone: the guide, and nothing wider than the screen
    const phone = await open(true);
    await signIn(phone, admin);
    await phone.goto('/orgs');
    await phone.getByTestId('first-run-guide').waitFor();
    expect(await scrollWidth(phone)).toBeLessThanOrEqual(392);
    await phone.context().close();

    // ---- the administrator builds the tree: 工委 → 机关党委 → 党支部
    const page = await open();
    await signIn(page, admin);
    await page.goto('/orgs');
    const guide = page.getByTestId('first-run-guide');
    await guide.waitFor();
    expect(await guide.innerText()).toContain('建立组织体系');
    await page.getByTestId('create-top-org').click();
    await saveOrgForm(page, '新区机关工委');
    await treeNode(page, '新区机关工委').locator('.ant-tree-node-content-wrapper').click();
    await expect.poll(() => page.getByTestId('org-detail-name').innerText()).toBe('新区机关工委');
    await page.getByTestId('org-detail').getByRole('button', { name: /新建下级组织/ }).click();
    await saveOrgForm(page, '新区财政局机关党委', '机关党委');
    await treeNode(page, '新区财政局机关党委').locator('.ant-tree-node-content-wrapper').click();
    await expect.poll(() => page.getByTestId('org-detail-name').innerText()).toBe('新区财政局机关党委');
    await page.getByTestId('org-detail').getByRole('button', { name: /新建下级组织/ }).click();
    await saveOrgForm(page, '预算科党支部');
    await treeNode(page, '预算科党支部').locator('.ant-tree-node-content-wrapper').click();
    await expect.poll(() => page.getByTestId('org-detail-name').innerText()).toBe('预算科党支部');

    // ---- a member on the branch's roll, from the member form
    await page.goto('/members/new');
    await page.getByLabel('姓名', { exact: true }).fill('陈思远');
    await page.getByLabel('身份证号', { exact: true }).fill(idNumber('1986-04-12', 17).valid);
    await pickInTree(page, page.getByLabel('所在党组织'), ['新区机关工委', '新区财政局机关党委', '预算科党支部'], page.locator('.ant-form-item', { has: page.getByLabel('所在党组织') }).last());
    await page.getByLabel('入党日期', { exact: true }).fill('2010-07-01');
    await page.keyboard.press('Enter');
    await page.getByLabel('转正日期', { exact: true }).fill('2011-07-01');
    await page.keyboard.press('Enter');
    // the Enter that commits the date may already have submitted the form
    await page.getByTestId('member-save').click({ timeout: 5000 }).catch(() => undefined);
    await page.waitForURL(/\/members\/\d+$/).catch(async (error: unknown) => {
      console.log('member form stayed:', await page.locator('.ant-form-item-explain-error, .ant-message-notice').allInnerTexts());
      throw error;
    });
    await expect.poll(() => page.getByTestId('member-name').innerText()).toBe('陈思远');

    // ---- the branch secretary's account: 党组织管理员 of the branch, linked to the member
    await page.goto('/users');
    await page.getByRole('button', { name: /新建账号/ }).click();
    const dialog = page.locator('.ant-modal');
    await dialog.getByLabel('用户名').fill(secretary.username);
    await dialog.getByLabel('初始密码').fill(secretary.password);
    await dialog.getByLabel('姓名').fill('陈思远');
    await pickInTree(page, dialog.locator('.ant-tree-select').first(), ['新区机关工委', '新区财政局机关党委', '预算科党支部'], dialog.locator('.ant-tree-select').first());
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    // creating an account hashes its password (argon2id) and scores it: on a busy machine, seconds
    await expect.poll(() => page.locator('.ant-modal').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => page.locator('tr.ant-table-row', { hasText: secretary.username }).innerText()).toContain('预算科党支部');
    // the guide ticks what is done from the data: with the tree, a member and an org administrator it is gone
    await page.goto('/orgs');
    await page.getByTestId('org-tree').waitFor();
    await expect.poll(() => page.getByTestId('first-run-guide').count()).toBe(0);
    await page.context().close();

    // ---- the secretary signs in and plans the branch's 支部党员大会
    const sec = await open();
    await signIn(sec, secretary);
    await sec.goto('/activities');
    await sec.getByTestId('activity-new').click();
    await sec.getByTestId('activity-form').getByLabel('党组织', { exact: true }).click();
    await openDropdown(sec).locator('.ant-select-tree-node-content-wrapper', { hasText: '预算科党支部' }).first().click();
    await expect.poll(async () => {
      if ((await sec.getByTestId('activity-form').locator('.ant-select', { hasText: '支部党员大会' }).count()) > 0) return true;
      await sec.getByTestId('activity-form').getByLabel('类型', { exact: true }).click();
      await openDropdown(sec).locator('.ant-select-item-option', { hasText: '支部党员大会' }).first().click({ timeout: 5000 }).catch(() => undefined);
      return (await sec.getByTestId('activity-form').locator('.ant-select', { hasText: '支部党员大会' }).count()) > 0;
    }, { timeout: 30_000, interval: 500 }).toBe(true);
    const title = '第一季度支部党员大会';
    await sec.getByLabel('主题', { exact: true }).fill(title);
    const start = Date.now() + 3 * 86_400_000;
    await fillRange(sec, sec.getByTestId('activity-form'), [chinaDateTime(start), chinaDateTime(start + 90 * 60_000)], sec.getByLabel('地点', { exact: true }));
    await sec.getByLabel('地点', { exact: true }).fill('预算科会议室');
    await sec.getByTestId('activity-create-ok').click();
    await sec.waitForURL(/\/activities\/\d+$/).catch(async (error: unknown) => {
      console.log('still on the dialog:', await sec.locator('.ant-form-item-explain-error, .ant-message-notice').allInnerTexts());
      throw error;
    });
    await expect.poll(() => sec.getByTestId('activity-title').innerText()).toBe(title);
    await sec.goto('/activities');
    await expect.poll(() => sec.locator('.ant-table-row', { hasText: title }).count()).toBe(1);
    await sec.context().close();
  });
});
