import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { MemberDetail } from '../contracts/members.js';
import { apiAs, choose, launchBrowser, login, newPage, scrollWidth } from './browser.js';
import { chinaDateTime } from '../contracts/china-time.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function pickDateTime(page: Page, label: string, ms: number): Promise<void> {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(chinaDateTime(ms));
  await page.keyboard.press('Enter');
}

/** The member account's own name, as the organizer's lists show it. */
async function memberName(): Promise<{ id: string; name: string }> {
  const member = await apiAs('member');
  const secretary = await apiAs('secretary');
  const id = member.me.user.memberId!;
  const response = await secretary.api.get(`/api/members/${id}`);
  expect(response.status(), await response.text()).toBe(200);
  const { name } = (await response.json()) as MemberDetail;
  for (const c of [member, secretary]) await c.api.dispose();
  return { id, name };
}

describe('为民服务: volunteering and 双报到', () => {
  it('an organizer posts a volunteer project, a member signs up on a phone, the organizer confirms the hours, the member downloads the certificate', async () => {
    const stamp = Date.now() % 100000;
    const title = `社区垃圾分类宣传 ${stamp}`;
    const member = await memberName();
    // the demo member has served before: the page adds this project's hours to theirs
    const memberApi = await apiAs('member');
    const hoursBefore = ((await (await memberApi.api.get('/api/volunteering/hours/me')).json()) as { hours: number }).hours;
    await memberApi.api.dispose();

    // ---- the secretary posts the project for tomorrow morning
    const office = await newPage(browser);
    await login(office.page, 'secretary');
    await office.page.goto('/service/volunteering');
    await office.page.getByTestId('volunteer-new').click();
    await choose(office.page, '组织单位', '预算处党支部', { tree: true });
    await office.page.getByLabel('项目名称', { exact: true }).fill(title);
    await office.page.getByLabel('地点', { exact: true }).fill('幸福里社区广场');
    const tomorrow = Date.now() + 24 * 3600_000;
    await pickDateTime(office.page, '开始时间', tomorrow);
    await pickDateTime(office.page, '结束时间', tomorrow + 3 * 3600_000);
    await office.page.getByLabel('名额', { exact: true }).fill('5');
    await office.page.getByTestId('volunteer-save').click();
    await office.page.waitForURL(/\/service\/volunteering\/\d+$/);
    const projectId = new URL(office.page.url()).pathname.split('/').pop()!;
    await expect.poll(() => office.page.getByTestId('volunteer-detail').innerText()).toContain('幸福里社区广场');
    expect(await office.page.getByTestId('volunteer-phase').first().innerText()).toBe('未开始');

    // ---- the member, on a phone, signs up, changes their mind, and signs up again
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/service/my-volunteering');
    const card = phone.page.getByTestId('volunteer-list').locator('[data-testid="volunteer-card"]', { hasText: title });
    await expect.poll(() => card.innerText()).toContain('剩余 5 个名额');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await card.getByTestId('volunteer-sign-up').click();
    await expect.poll(() => card.innerText()).toContain('剩余 4 个名额');
    expect(await card.getByTestId('volunteer-signed').innerText()).toBe('我已报名');
    await card.getByTestId('volunteer-withdraw').click();
    await phone.page.locator('.ant-popconfirm').getByRole('button', { name: /确\s*定|OK/ }).click();
    await expect.poll(() => card.innerText()).toContain('剩余 5 个名额');
    expect(await card.getByTestId('volunteer-signed').count()).toBe(0);
    await card.getByTestId('volunteer-sign-up').click();
    await expect.poll(() => card.innerText()).toContain('剩余 4 个名额');

    // ---- the organizer sees the sign-up; attendance can be confirmed only once the project has started
    await office.page.reload();
    const signups = office.page.getByTestId('volunteer-signups');
    await expect.poll(() => signups.innerText()).toContain(member.name);
    expect(await office.page.getByTestId('volunteer-detail').innerText()).toContain('项目开始后可确认出勤与时长');
    expect(await office.page.getByTestId('volunteer-confirm').count()).toBe(0);

    // the day comes: the organizer records the real time it took place (this morning, three hours)
    const secretary = await apiAs('secretary');
    const start = Date.now() - 4 * 3600_000;
    const moved = await secretary.api.patch(`/api/volunteering/projects/${projectId}`, {
      headers: secretary.csrf, data: { startsAt: new Date(start).toISOString(), endsAt: new Date(start + 3 * 3600_000).toISOString() },
    });
    expect(moved.status(), await moved.text()).toBe(200);
    await secretary.api.dispose();

    await office.page.reload();
    await office.page.getByTestId(`attended-${member.id}`).getByText('出勤', { exact: true }).click();
    const hours = office.page.getByTestId(`hours-${member.id}`);
    await hours.fill('2.5');
    await office.page.getByTestId('volunteer-confirm').click();
    await expect.poll(() => office.page.locator('.ant-message').innerText()).toContain('出勤与时长已确认');
    await office.page.reload();
    await expect.poll(() => office.page.getByTestId(`hours-${member.id}`).inputValue()).toBe('2.5');
    await office.context.close();

    // ---- the member sees the hours and opens the certificate
    await phone.page.goto('/service/my-volunteering?tab=hours');
    await expect.poll(() => phone.page.getByTestId('my-hours-total').innerText()).toContain((hoursBefore + 2.5).toFixed(1));
    expect(await phone.page.getByTestId('my-hours-records').innerText()).toContain(title);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    const href = await phone.page.getByTestId('volunteer-certificate').getAttribute('href');
    expect(href).toBe(`/api/volunteering/members/${member.id}/certificate`);
    // the link downloads with the member's own session
    const pdf = await phone.context.request.get(href!);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const body = await pdf.body();
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(body.length).toBeGreaterThan(1000);
    await phone.context.close();
  });

  it('an admin registers a community, a member reports to it on a phone, and the community page and the counts list the member', async () => {
    const stamp = Date.now() % 100000;
    const community = `幸福里社区${stamp}`;
    const member = await memberName();

    // ---- the secretary registers the community
    const office = await newPage(browser);
    await login(office.page, 'secretary');
    await office.page.goto('/service/communities');
    await office.page.getByTestId('community-new').click();
    await choose(office.page, '登记组织', '预算处党支部', { tree: true });
    await office.page.getByLabel('社区名称', { exact: true }).fill(community);
    await office.page.getByLabel('街道', { exact: true }).fill('长安街道');
    await office.page.getByLabel('联系人', { exact: true }).fill('李主任');
    await office.page.getByLabel('联系电话', { exact: true }).fill('0571-88886666');
    await office.page.getByTestId('community-save').click();
    await office.page.waitForURL(/\/service\/communities\/\d+$/);
    const communityPath = new URL(office.page.url()).pathname;
    await expect.poll(() => office.page.getByTestId('community-name').innerText()).toBe(community);
    expect(await office.page.getByTestId('community-reported-count').innerText()).toBe('0');

    // ---- the member chooses it as their residence community, on a phone
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/service/my-community');
    // the demo member reported to a community before: they change it
    await phone.page.getByTestId('my-community-change').click();
    const search = phone.page.getByTestId('my-community-search').locator('input');
    await search.fill(`幸福里社区${stamp}`);
    await search.press('Enter');
    const choices = phone.page.getByTestId('my-community-choices');
    await expect.poll(() => choices.locator('.ant-card').count()).toBe(1);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await choices.getByTestId('community-report-here').click();
    await expect.poll(() => phone.page.getByTestId('my-community-name').innerText()).toBe(community);
    // it stays after a reload
    await phone.page.reload();
    await expect.poll(() => phone.page.getByTestId('my-community-name').innerText()).toBe(community);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();

    // ---- the community page lists the member; the counts per community include them
    await office.page.goto(communityPath);
    await expect.poll(() => office.page.getByTestId('community-members').innerText()).toContain(member.name);
    expect(await office.page.getByTestId('community-members').innerText()).toContain('预算处党支部');
    expect(await office.page.getByTestId('community-reported-count').innerText()).toBe('1');
    await office.page.goto('/service/community-stats');
    const row = office.page.getByTestId('stats-by-community').locator('tr', { hasText: community });
    await expect.poll(() => row.innerText()).toContain('长安街道');
    expect((await row.locator('td').last().innerText()).trim()).toBe('1');
    await office.context.close();
  });

  it('an org signs a co-building agreement with a joint project, and keeps a donation ledger with totals per campaign and per org', async () => {
    const stamp = Date.now() % 100000;
    const member = await memberName();
    const secretary = await apiAs('secretary');
    const branch = secretary.me.user.roles.find((r) => r.role === 'org_admin')!;
    const created = await secretary.api.post('/api/communities', {
      headers: secretary.csrf, data: { orgId: branch.orgId, name: `和平社区${stamp}`, street: '湖滨街道' },
    });
    expect(created.status(), await created.text()).toBe(201);
    await secretary.api.dispose();

    const office = await newPage(browser);
    const page = office.page;
    await login(page, 'secretary');

    // ---- 共驻共建: the agreement, then a joint project under it
    await page.goto('/service/co-building');
    await page.getByTestId('agreement-new').click();
    await choose(page, '签约组织', '预算处党支部', { tree: true });
    await choose(page, '共建社区', `和平社区${stamp}`);
    const agreement = `支部社区共建协议 ${stamp}`;
    await page.getByLabel('协议名称', { exact: true }).fill(agreement);
    await page.getByLabel('共建内容', { exact: true }).fill('组织共建、活动共办、资源共享');
    await page.getByTestId('agreement-save').click();
    await page.waitForURL(/\/service\/co-building\/\d+$/);
    await expect.poll(() => page.getByTestId('agreement-detail').innerText()).toContain(agreement);
    expect(await page.getByTestId('agreement-detail').innerText()).toContain('有效');
    await page.getByTestId('joint-project-new').click();
    await page.getByLabel('项目名称', { exact: true }).fill(`关爱独居老人 ${stamp}`);
    await page.getByTestId('joint-project-save').click();
    await expect.poll(() => page.getByTestId('joint-projects').innerText()).toContain(`关爱独居老人 ${stamp}`);
    await page.goto('/service/co-building');
    await expect.poll(() => page.getByTestId('agreement-table').locator('tr', { hasText: agreement }).innerText()).toContain(`和平社区${stamp}`);

    // ---- 捐款台账: a campaign and three gifts — the branch, a member, anonymous
    await page.goto('/service/donations');
    await page.getByTestId('campaign-new').click();
    await choose(page, '发起组织', '预算处党支部', { tree: true });
    const campaign = `抗洪救灾捐款 ${stamp}`;
    await page.getByLabel('活动名称', { exact: true }).fill(campaign);
    await page.getByTestId('campaign-save').click();
    await page.waitForURL(/\/service\/donations\/\d+$/);

    const record = async (donor: 'org' | 'member' | 'anonymous', amount: string, receipt: string) => {
      await page.getByTestId('donation-new').click();
      if (donor !== 'org') {
        await choose(page, '捐款人类型', donor === 'member' ? '党员' : '匿名');
      }
      if (donor === 'org') {
        await choose(page, '捐款组织', '预算处党支部', { tree: true });
      }
      if (donor === 'member') {
        await choose(page, '捐款党员', `${member.name}（`, { search: member.name });
      }
      await page.getByLabel('金额（元）', { exact: true }).fill(amount);
      await page.getByLabel('收据编号', { exact: true }).fill(receipt);
      await page.getByTestId('donation-save').click();
      await expect.poll(() => page.getByTestId('donation-ledger').innerText()).toContain(receipt);
    };
    await record('org', '1000', `R${stamp}-1`);
    await record('member', '200.5', `R${stamp}-2`);
    await record('anonymous', '50', `R${stamp}-3`);
    await expect.poll(() => page.getByTestId('campaign-total').innerText()).toContain('1,250.50');
    const byOrg = page.getByTestId('campaign-by-org').locator('tr', { hasText: '预算处党支部' });
    expect(await byOrg.innerText()).toContain('1,200.50');
    expect(await page.getByTestId('donation-ledger').innerText()).toContain('匿名');
    await office.context.close();
  });
});
