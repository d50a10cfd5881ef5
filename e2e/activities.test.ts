import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { Activity } from '../contracts/activities.js';
import type { MemberPage } from '../contracts/members.js';
import type { UserPage } from '../contracts/users.js';
import { apiAs, choose, fillRange, launchBrowser, login, newPage, openDropdown, PNG, scrollWidth } from './browser.js';
import { chinaDateTime } from '../contracts/china-time.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function loginAs(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

describe('组织生活: a 主题党日 from plan to 补学', () => {
  it('plans, notifies, signs a member in by the QR link on a phone, records, closes with 四落实 met, and gives the absent member a make-up task', async () => {
    // ---- setup through the API: who is in the branch, and an account for a second member (the demo has one member account)
    const secretaryApi = await apiAs('secretary');
    const branch = secretaryApi.me.user.roles.find((r) => r.role === 'org_admin')!;
    expect(branch.orgName).toBe('预算处党支部');
    const memberApi = await apiAs('member');
    const adminApi = await apiAs('admin');
    const roll = (await (await secretaryApi.api.get(`/api/members?orgId=${branch.orgId}&stage=full,probationary&pageSize=200`)).json()) as MemberPage;
    const accounts = (await (await adminApi.api.get(`/api/users?orgId=${branch.orgId}&pageSize=200`)).json()) as UserPage;
    const linked = new Set(accounts.items.map((u) => u.memberId));
    const secretaryMember = roll.items.find((m) => m.id === secretaryApi.me.user.memberId)!;
    const member = roll.items.find((m) => m.id === memberApi.me.user.memberId)!;
    expect(secretaryMember).toBeDefined();
    expect(member).toBeDefined();
    // a member whose name is unique on the roll, so that picking by name is unambiguous
    const names = roll.items.map((m) => m.name);
    const absentee = roll.items.find((m) => !linked.has(m.id) && names.filter((n) => n === m.name).length === 1 && m.orgId === branch.orgId)!;
    expect(absentee).toBeDefined();
    const absentUser = { username: `absent${Date.now() % 1_000_000}`, password: 'absent-member-2025' };
    const created = await adminApi.api.post('/api/users', {
      headers: adminApi.csrf, data: { ...absentUser, displayName: absentee.name, memberId: absentee.id, roles: [{ role: 'member' }] },
    });
    expect(created.status(), await created.text()).toBe(201);
    for (const c of [secretaryApi, memberApi, adminApi]) await c.api.dispose();

    // ---- the secretary plans the 主题党日 (it started ten minutes ago: sign-in is open and it may be closed today)
    const organizer = await newPage(browser);
    const page = organizer.page;
    await login(page, 'secretary');
    await page.goto('/activities');
    await page.getByTestId('activity-new').click();
    const title = `主题党日·重温入党誓词 ${Date.now() % 100000}`;
    // until the field shows it: a click while the tree is still loading can land on nothing (CI, 2026-12-07: 请输入党组织)
    await choose(page, '党组织', '预算处党支部', { tree: true });
    expect(await page.getByTestId('activity-form').innerText()).toContain('主题党日');
    await page.getByLabel('主题', { exact: true }).fill(title);
    const start = Date.now() - 10 * 60_000;
    const range = [chinaDateTime(start), chinaDateTime(start + 90 * 60_000)] as const;
    await fillRange(page, page.getByTestId('activity-form'), range, page.getByLabel('地点', { exact: true }));
    await page.getByLabel('地点', { exact: true }).fill('预算处三楼会议室');
    await page.getByLabel('主持人', { exact: true }).fill(secretaryMember.name);
    await page.getByLabel('议题', { exact: true }).fill('学习党章，重温入党誓词');
    await page.getByLabel('议程', { exact: true }).fill('一、重温入党誓词\n二、交流发言');
    // participants by person: the secretary, the member, and the one who will not come
    // (the search answers while the list is open: a click can land on a shifting row, so pick until all three show as chosen)
    const chosen = page.getByTestId('participant-members').locator('.ant-select-selection-item');
    const isChosen = async (name: string) => (await chosen.filter({ hasText: `${name}（` }).count()) > 0;
    await expect.poll(async () => {
      for (const person of [secretaryMember, member, absentee]) {
        if (await isChosen(person.name)) continue;
        await page.getByLabel('指定人员', { exact: true }).fill(person.name);
        await openDropdown(page).locator('.ant-select-item-option', { hasText: `${person.name}（` }).first().click({ timeout: 5000 }).catch(() => undefined);
      }
      return (await Promise.all([secretaryMember, member, absentee].map((p) => isChosen(p.name)))).every(Boolean) && (await chosen.count()) === 3;
    }, { timeout: 30_000, interval: 500 }).toBe(true);
    await page.getByTestId('activity-create-ok').click();
    await page.waitForURL(/\/activities\/\d+$/).catch(async (error: unknown) => {
      // say why the dialog stayed: a field's error or the message the page showed
      console.log('still on the dialog:', await page.locator('.ant-form-item-explain-error, .ant-message-notice').allInnerTexts());
      throw error;
    });
    const activityId = new URL(page.url()).pathname.split('/').pop()!;
    await expect.poll(() => page.getByTestId('activity-title').innerText()).toBe(title);
    await expect.poll(() => page.getByTestId('participant-table').locator('tbody tr.ant-table-row').count()).toBe(3);

    // ---- notify: every participant gets it in 我的活动
    await page.getByTestId('activity-publish').click();
    await expect.poll(() => page.getByTestId('activity-status').innerText()).toBe('已通知');

    // ---- the organizer's screen shows the rotating QR code; its link is what a phone opens
    // (a page of its own for the projector: full screen, no menu, the code readable from the back of the room)
    await page.getByTestId('activity-screen').click();
    await page.waitForURL(`**/activities/${activityId}/projector`);
    await page.getByTestId('check-in-qr').waitFor();
    // the code is an image with a name in the UI's language (axe checks the page as it opens)
    await page.getByRole('img', { name: /^签到二维码/ }).waitFor();
    expect(await page.getByTestId('check-in-code').innerText()).toMatch(/^\d{6}$/);
    expect(await page.getByTestId('main-menu').count()).toBe(0);
    expect((await page.getByTestId('check-in-qr').boundingBox())?.width).toBeGreaterThanOrEqual(400);
    expect((await page.getByTestId('check-in-code').boundingBox())?.height).toBeGreaterThanOrEqual(80);
    const link = await page.getByTestId('check-in-link').inputValue();
    expect(link).toMatch(new RegExp(`/check-in/${activityId}\\?token=`));

    // ---- the member, on a phone, sees the notice and signs in by the link
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/me/activities');
    const card = phone.page.getByTestId('my-activity-list').locator('.ant-card', { hasText: title });
    await expect.poll(() => card.innerText()).toContain('待确认');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    const path = new URL(link).pathname + new URL(link).search;
    await phone.page.goto(path);
    // it started ten minutes ago: signed in, as late
    await expect.poll(() => phone.page.getByTestId('check-in-result').innerText()).toContain('签到成功：迟到');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    // the same link again is refused (already signed in), and a forged token is refused
    await phone.page.goto(path);
    await expect.poll(() => phone.page.getByTestId('check-in-error').innerText()).toBe('您已签到，不能重复签到');
    await phone.page.goto(`/check-in/${activityId}?token=${encodeURIComponent('123.abcdefghijklmnopqrstuv')}`);
    await expect.poll(() => phone.page.getByTestId('check-in-error').innerText()).toBe('签到二维码无效');
    await phone.page.goto(`/me/activities/${activityId}`);
    await expect.poll(() => phone.page.getByTestId('my-participation').innerText()).toContain('迟到');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();

    // ---- back on the organizer's screen: the member is listed as signed in by QR; the secretary marks themself present
    await page.keyboard.press('Escape');
    await page.waitForURL(`**/activities/${activityId}`);
    await page.reload();
    const table = page.getByTestId('participant-table');
    await expect.poll(() => table.locator('tr', { hasText: member.name }).innerText()).toContain('扫码');
    await table.locator('tr', { hasText: secretaryMember.name }).locator('.ant-select').click();
    await openDropdown(page).locator('.ant-select-item-option', { hasText: '出席' }).click();
    await expect.poll(() => table.locator('tr', { hasText: secretaryMember.name }).innerText()).toContain('组织者标记');

    // ---- record: minutes (content) and summary (effect)
    const record = page.getByTestId('record-card');
    await record.getByLabel('会议记录').fill('全体参会党员面向党旗重温入党誓词；3 名同志作交流发言。');
    await record.getByLabel('决议').fill('每月开展一次党章学习。');
    await record.getByLabel('小结（效果）').fill('党员党性意识进一步增强。');
    await page.getByTestId('activity-record-save').click();
    await expect.poll(async () => ((await (await page.request.get(`/api/activities/${activityId}`)).json()) as Activity).minutes).toContain('重温入党誓词');
    // a photo of the meeting, uploaded (not linked): it shows as a thumbnail served by the API
    await record.getByTestId('activity-files').locator('input[type=file]').setInputFiles({ name: '重温誓词合影.png', mimeType: 'image/png', buffer: PNG });
    const thumbnail = record.getByTestId('activity-files').locator('img[alt="重温誓词合影.png"]');
    await expect.poll(() => thumbnail.count()).toBe(1);
    expect(await thumbnail.getAttribute('src')).toMatch(new RegExp(`^/api/activities/${activityId}/attachments/\\d+$`));

    // ---- close: the one who never signed in is absent; 四落实 is met (2 of 3 attended, time, minutes, summary)
    await page.getByTestId('activity-close').click();
    await page.getByTestId('activity-close-ok').click();
    await expect.poll(() => page.getByTestId('activity-status').innerText()).toBe('已结束');
    await expect.poll(() => page.getByTestId('four-ensured').innerText()).toBe('四落实已完成');
    expect(await page.getByTestId('activity-attendance').innerText()).toContain('缺席 1 / 3');
    await expect.poll(() => table.locator('tr', { hasText: absentee.name }).innerText()).toContain('缺席');
    // and the list does not flag it
    await page.goto(`/activities`);
    const row = page.getByTestId('activity-table').locator('tr', { hasText: title });
    await expect.poll(() => row.innerText()).toContain('已结束');
    expect(await row.innerText()).not.toContain('四落实不全');
    await organizer.context.close();

    // ---- the absent member, on a phone, finds the make-up task, reads the minutes and confirms
    const absent = await newPage(browser, { phone: true });
    await loginAs(absent.page, absentUser.username, absentUser.password);
    // a link copied from the screen earlier is refused once its 30-second window (and 10 s of grace) has passed
    const window = Number(new URL(link).searchParams.get('token')!.split('.')[0]);
    const expiredAt = (window + 1) * 30_000 + 10_000 + 500;
    if (Date.now() < expiredAt) await new Promise((r) => setTimeout(r, expiredAt - Date.now()));
    await absent.page.goto(path);
    await expect.poll(() => absent.page.getByTestId('check-in-error').innerText()).toBe('签到二维码已过期，请扫描屏幕上最新的二维码');
    await absent.page.goto('/me/activities?tab=make-up');
    const task = absent.page.getByTestId('make-up-task').filter({ hasText: title });
    await expect.poll(() => task.innerText()).toContain('原因：缺席');
    expect(await scrollWidth(absent.page)).toBeLessThanOrEqual(390);
    await task.getByRole('link', { name: '会议记录' }).click();
    await absent.page.waitForURL(`**/me/activities/${activityId}`);
    await expect.poll(() => absent.page.getByTestId('activity-record').innerText()).toContain('重温入党誓词');
    // participants see the uploaded photo too
    await expect.poll(() => absent.page.getByTestId('activity-record').locator('img[alt="重温誓词合影.png"]').count()).toBe(1);
    await absent.page.getByTestId('make-up-task').getByPlaceholder('补学心得（可选）').fill('已学习会议记录。');
    await absent.page.getByTestId('make-up-complete').click();
    await expect.poll(() => absent.page.getByTestId('make-up-task').innerText()).toContain('已完成');
    await absent.context.close();
  }, 150_000);
});

describe('服务站点 and the calendar feed, on a phone', () => {
  it('finds a service station by its address with a map link, and keeps the feed address secret once issued', async () => {
    const secretaryApi = await apiAs('secretary');
    const branch = secretaryApi.me.user.roles.find((r) => r.role === 'org_admin')!;
    const name = `预算处党员服务站 ${Date.now() % 100000}`;
    const created = await secretaryApi.api.post('/api/service-stations', {
      headers: secretaryApi.csrf,
      data: { orgId: branch.orgId, name, address: '人民路 88 号市财政局一楼', longitude: 120.1551, latitude: 30.2741, hours: '工作日 9:00–17:00', contactName: '王老师', contactPhone: '0571-87654321' },
    });
    expect(created.status(), await created.text()).toBe(201);
    await secretaryApi.api.dispose();

    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'member');
    await phone.page.goto('/service-stations');
    await phone.page.getByTestId('station-search').locator('input').fill('人民路 88');
    await phone.page.getByTestId('station-search').locator('input').press('Enter');
    const card = phone.page.getByTestId('station-card').filter({ hasText: name });
    await expect.poll(() => card.innerText()).toContain('工作日 9:00–17:00');
    expect(await card.innerText()).toContain('0571-87654321');
    expect(await card.getByTestId('station-map').getAttribute('href')).toBe(`https://uri.amap.com/marker?position=120.1551,30.2741&name=${encodeURIComponent(name)}&src=dangjian-cloud&coordinate=gaode&callnative=1`);
    expect(await card.getByRole('button', { name: /编辑站点/ }).count()).toBe(0);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);

    // the calendar feed: shown once when issued; afterwards only that it exists, with a way to issue a new one
    await phone.page.goto('/calendar');
    const feed = phone.page.getByTestId('calendar-feed');
    const wasIssued = await (async () => {
      await expect.poll(async () => (await feed.getByTestId('calendar-feed-issue').count()) + (await feed.getByTestId('calendar-feed-exists').count())).toBe(1);
      return (await feed.getByTestId('calendar-feed-exists').count()) === 1;
    })();
    if (wasIssued) {
      await feed.getByTestId('calendar-feed-reissue').click();
      await phone.page.getByTestId('calendar-feed-reissue-ok').click();
    } else {
      await feed.getByTestId('calendar-feed-issue').click();
    }
    const url = await (async () => {
      await feed.getByTestId('calendar-feed-url').waitFor();
      return feed.getByTestId('calendar-feed-url').inputValue();
    })();
    expect(url).toMatch(/\/api\/calendar\/feed\/[A-Za-z0-9_-]+\.ics$/);
    const ics = await phone.page.request.get(url);
    expect(ics.status()).toBe(200);
    expect(await ics.text()).toContain('BEGIN:VCALENDAR');
    await phone.page.reload();
    await expect.poll(() => feed.getByTestId('calendar-feed-exists').innerText()).toContain('无法再次显示原地址');
    expect(await feed.getByTestId('calendar-feed-url').count()).toBe(0);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();
  }, 90_000);
});
