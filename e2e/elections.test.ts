import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ActivityPage } from '../contracts/activities.js';
import type { ElectionProcedure, ElectionProcedurePage, OrgTermPage } from '../contracts/elections.js';
import type { MemberPage } from '../contracts/members.js';
import { todayInChina } from '../contracts/china-time.js';
import { apiAs, apiGet, apiPost, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('换届 from the secretary’s phone to the bureau’s filing', () => {
  it('shows the election under way at 390 px, and the bureau files the congress’s result, which becomes the branch’s term', async () => {
    const secretary = await apiAs('secretary');
    const procedures = await apiGet<ElectionProcedurePage>(secretary, '/elections/procedures?status=in_progress');
    const procedure = procedures.items[0]!;
    expect(procedure).toMatchObject({ nextStep: 'congress', canRecordNext: true });

    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'secretary');
    await phone.page.goto('/elections');
    await phone.page.getByTestId('election-procedure-table').getByRole('link', { name: procedure.orgName }).click();
    await phone.page.waitForURL(/\/elections\/procedures\/\d+$/);
    await phone.page.getByTestId('election-step-form').waitFor();
    expect(await phone.page.getByTestId('election-steps').innerText()).toContain('请示');
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();

    // the congress elects the committee (through the API: the pickers are the orgs' and members' own)
    const members = await apiGet<MemberPage>(secretary, `/members?orgId=${procedure.orgId}&pageSize=3`);
    const today = todayInChina();
    await apiPost<ElectionProcedure>(secretary, `/elections/procedures/${procedure.id}/congress`, {
      doneOn: today, documentTitle: '党员大会选举结果', termYears: 3, method: 'competitive', votersCount: 30, votesCast: 29,
      committee: members.items.map((m, i) => ({ memberId: m.id, role: i === 0 ? 'secretary' : 'committee_member', votes: 28 - i })),
    }, 200);

    const desk = await newPage(browser);
    await login(desk.page, 'bureau');
    await desk.page.goto(`/elections/procedures/${procedure.id}`);
    await desk.page.getByTestId('election-step-form').waitFor();
    await desk.page.locator('input#doneOn').click();
    await desk.page.locator('input#doneOn').fill(today);
    await desk.page.keyboard.press('Enter');
    await desk.page.locator('input#documentTitle').fill('换届选举结果报备');
    await desk.page.getByTestId('election-step-submit').click();
    await expect.poll(async () => (await apiGet<ElectionProcedure>(secretary, `/elections/procedures/${procedure.id}`)).status).toBe('completed');
    await desk.page.goto(`/elections/terms?orgId=${procedure.orgId}`);
    await desk.page.getByTestId('term-table').getByText('本届').waitFor();
    await desk.context.close();
    const terms = await apiGet<OrgTermPage>(secretary, `/elections/terms?orgId=${procedure.orgId}`);
    expect(terms.items[0]).toMatchObject({ electedOn: today, filedOn: today, isCurrent: true });
  });
});

describe('组织生活会 with its 批评与自我批评', () => {
  it('shows the records of the meeting and the 第一议题 marker at 390 px', async () => {
    const secretary = await apiAs('secretary');
    const meetings = await apiGet<ActivityPage>(secretary, '/activities?type=org_life_meeting');
    const meeting = meetings.items[0]!;
    expect(meeting.isFirstTopic).toBe(true);
    const phone = await newPage(browser, { phone: true });
    await login(phone.page, 'secretary');
    await phone.page.goto(`/activities/${meeting.id}`);
    await phone.page.getByTestId('criticisms-card').waitFor();
    await phone.page.getByTestId('activity-first-topic').waitFor();
    await expect.poll(async () => phone.page.getByTestId('criticism-table').locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.page.goto('/activities');
    await phone.page.getByTestId('activity-table').waitFor();
    expect(await scrollWidth(phone.page)).toBeLessThanOrEqual(390);
    await phone.context.close();
  });
});
