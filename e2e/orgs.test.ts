import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, login, newPage } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const node = (page: Page, name: string) => page.getByTestId('org-tree').locator('.ant-tree-treenode', { hasText: name }).first();

async function memberCountOf(page: Page, name: string): Promise<number> {
  const text = await node(page, name).getByTestId('member-count').innerText();
  const match = /(\d+)/.exec(text);
  if (!match) throw new Error(`no count in “${text}”`);
  return Number(match[1]);
}

describe('the org tree', () => {
  it('lets the admin expand the tree down to a branch and see member counts per subtree', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'admin');
    await page.waitForURL('**/orgs');
    await node(page, '市直机关工委').locator('.ant-tree-switcher').click();
    await node(page, '市财政局机关党委').locator('.ant-tree-switcher').click();
    await node(page, '预算处党支部').waitFor();

    const root = await memberCountOf(page, '市直机关工委');
    const bureau = await memberCountOf(page, '市财政局机关党委');
    const branch = await memberCountOf(page, '预算处党支部');
    expect(branch).toBeGreaterThan(0);
    expect(bureau).toBeGreaterThanOrEqual(branch);
    expect(root).toBeGreaterThan(bureau);
    expect(await node(page, '预算处党支部').innerText()).toContain('党支部');

    // the detail panel of the branch, with the manager's actions
    await node(page, '预算处党支部').locator('.ant-tree-node-content-wrapper').click();
    await expect.poll(() => page.getByTestId('org-detail-name').innerText()).toBe('预算处党支部');
    await expect.poll(() => page.getByTestId('org-detail').getByRole('button', { name: /新建下级组织/ }).isVisible()).toBe(true);

    // 查看党员 opens the roll filtered to the branch: the filter names the org, though the
    // filter's tree has loaded only the top level
    await page.getByTestId('org-detail').getByRole('button', { name: /查看党员/ }).click();
    await page.waitForURL(/\/members\?orgId=\d+/);
    const orgId = new URL(page.url()).searchParams.get('orgId')!;
    const filter = page.locator('.ant-tree-select').first();
    await expect.poll(() => filter.innerText()).toContain('预算处党支部（党支部）');
    expect(await filter.innerText()).not.toContain(orgId);
    const rows = page.getByTestId('member-table').locator('tbody tr.ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    expect((await rows.allInnerTexts()).every((row) => row.includes('预算处党支部'))).toBe(true);
    // the roll's total is the tree's figure, under the same name
    await expect.poll(() => page.locator('.ant-pagination-total-text').innerText()).toBe(`党员 ${branch} 名（正式党员和预备党员）`);
    await context.close();
  });

  it('shows the secretary only their own branch as the top of the tree', async () => {
    const { context, page } = await newPage(browser);
    await login(page, 'secretary');
    await page.goto('/orgs');
    await node(page, '预算处党支部').waitFor();
    const tops = await page.getByTestId('org-tree').locator('.ant-tree-treenode').allInnerTexts();
    expect(tops.length).toBeGreaterThan(0);
    expect(tops.join('\n')).not.toContain('市直机关工委');
    await context.close();
  });
});
