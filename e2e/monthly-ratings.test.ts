import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { MemberPage } from '../contracts/members.js';
import type { MonthlyRatingCampaign, MonthlyRatingRoundDetail, MyMonthlyRatings, Nomination } from '../contracts/monthly_ratings.js';
import { apiAs, apiGet, apiPost, launchBrowser, login, newPage, scrollWidth } from './browser.js';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const HOUR = 3600_000;
const at = (offset: number) => new Date(Date.now() + offset).toISOString();

describe('美丽党员: a member votes on a phone', () => {
  it('votes for this month’s nominees, sees the votes left go down, and is refused the extra vote', async () => {
    // the bureau runs a campaign of two votes each; three members of its tree are nominated, then voting opens
    const bureau = await apiAs('bureau');
    const member = await apiAs('member');
    const committeeId = bureau.me.user.roles.find((r) => r.role === 'org_admin')!.orgId!;
    const name = `美丽党员 ${Date.now().toString(36)}`;
    const campaign = await apiPost<MonthlyRatingCampaign>(bureau, '/monthly-ratings/campaigns', {
      orgId: committeeId, name, places: 1, votesPerMember: 2, autoRounds: false, nominationFromDay: 1, nominationToDay: 10, votingFromDay: 15, votingToDay: 25,
    });
    const round = await apiPost<MonthlyRatingRoundDetail>(bureau, `/monthly-ratings/campaigns/${campaign.id}/rounds`, {
      month: '2099-01', nominationOpensAt: at(-24 * HOUR), nominationClosesAt: at(HOUR), votingOpensAt: at(2 * HOUR), votingClosesAt: at(3 * HOUR),
    });
    const people = (await apiGet<MemberPage>(bureau, '/members?pageSize=10')).items.filter((m) => m.id !== member.me.user.memberId).slice(0, 3);
    const nominees: Nomination[] = [];
    for (const p of people) nominees.push(await apiPost<Nomination>(bureau, `/monthly-ratings/rounds/${round.id}/nominations`, { memberId: p.id, reasons: `${p.name}：带头攻坚，服务群众` }));
    const opened = await bureau.api.put(`/api/monthly-ratings/rounds/${round.id}/windows`, {
      headers: bureau.csrf, data: { nominationOpensAt: at(-48 * HOUR), nominationClosesAt: at(-24 * HOUR), votingOpensAt: at(-HOUR), votingClosesAt: at(24 * HOUR) },
    });
    expect(opened.status(), await opened.text()).toBe(200);

    const { context, page } = await newPage(browser, { phone: true });
    await login(page, 'member');
    await page.goto('/me/monthly-ratings');
    const card = page.getByTestId(`mr-round-${round.id}`);
    await card.waitFor();
    await expect.poll(() => card.getByTestId('mr-remaining').innerText()).toBe('剩余 2 票（每人 2 票）');
    expect(await card.getByTestId('mr-nominees').getByText(people[0]!.name, { exact: true }).count()).toBe(1);
    // no counts on the ballot: nothing to follow
    expect(await card.innerText()).not.toMatch(/\d+\s*票\s*$/m);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);

    await card.getByRole('button', { name: `投票：${people[0]!.name}` }).click();
    await expect.poll(() => card.getByTestId('mr-remaining').innerText()).toBe('剩余 1 票（每人 2 票）');
    await card.getByRole('button', { name: `投票：${people[1]!.name}` }).click();
    await expect.poll(() => card.getByTestId('mr-remaining').innerText()).toBe('剩余 0 票（每人 2 票）');
    expect(await card.getByRole('button', { name: '已投' }).count()).toBe(2);
    await card.getByRole('button', { name: `投票：${people[2]!.name}` }).click();
    await expect.poll(() => card.getByTestId('mr-refusal').innerText()).toContain('本月票数已用完（每人最多投 2 票）');
    expect(await scrollWidth(page)).toBeLessThanOrEqual(390);
    await context.close();

    // what the server kept: two votes, and the admin's live tally shows them while the member's view does not
    const mine = (await apiGet<MyMonthlyRatings>(member, '/me/monthly-ratings')).rounds.find((r) => r.roundId === round.id)!;
    expect(mine.remainingVotes).toBe(0);
    expect(mine.nominees.map((n) => n.votedByMe)).toEqual([true, true, false]);
    const detail = await apiGet<MonthlyRatingRoundDetail>(bureau, `/monthly-ratings/rounds/${round.id}`);
    expect(detail.votesCast).toBe(2);
    expect(nominees).toHaveLength(3);
  });
});
