import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const DEMO = {
  admin: { username: 'admin', password: 'demo-admin-2025' },
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

/** A fresh browser profile (no cookies, no stored language) at a desktop or phone size. */
export async function newPage(browser: Browser, options: { phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: baseUrl(),
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(options.phone ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : { viewport: { width: 1366, height: 900 } }),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

export async function login(page: Page, role: DemoRole): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(DEMO[role].username);
  await page.getByLabel('密码').fill(DEMO[role].password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** The labels of the left menu (or of the drawer menu on a phone). */
export async function menuLabels(page: Page): Promise<string[]> {
  const menu = page.getByTestId('main-menu');
  await menu.waitFor();
  return (await menu.locator('.ant-menu-item').allInnerTexts()).map((s) => s.trim());
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
