import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, type Client, type TestContext, startTestApp } from '../../test/harness.js';
import { todayInChina } from '../../../contracts/china-time.js';
import { DEMO_ACCOUNTS, seedDemo } from './seed-demo.js';

/**
 * The demo shows every page alive: for each demo account, the main list (or figure) of every page its
 * menu holds has something in it, read through the API the page reads. A page a role does not see is
 * not listed for it; the exceptions are named with their reason.
 */
type Role = keyof typeof DEMO_ACCOUNTS;
type Count = (body: Record<string, unknown>) => number;

const items: Count = (b) => (Array.isArray(b.items) ? b.items.length : 0);
const total: Count = (b) => (typeof b.total === 'number' ? b.total : items(b));
const field = (name: string): Count => (b) => {
  const v = b[name];
  return Array.isArray(v) ? v.length : typeof v === 'number' ? v : v ? 1 : 0;
};

/** [page, API it reads ({org}: the account's own org; dates in China time), how to count what it shows] */
type Page = [string, string, Count];

const ADMINISTRATION: Page[] = [
  ['工作台', '/api/home/workbench', field('groups')],
  ['党组织', '/api/orgs', total],
  // 驾驶舱: this year's figures of the own org, alive when most of them count something
  ['驾驶舱', `/api/dashboard/{org}/figures?period=${todayInChina().slice(0, 4)}`,
    (b) => Object.values(b.measures as Record<string, { count: number }>).filter((f) => f.count > 0).length - 12],
  ['党员', '/api/members', total],
  ['组织关系转接', '/api/transfers', total],
  ['党费 · 账单', '/api/dues/bills?orgId={org}', total],
  ['党费 · 欠缴', '/api/dues/arrears?orgId={org}', total],
  ['党费 · 收缴记录', '/api/dues/payments?orgId={org}', total],
  ['组织生活', '/api/activities', total],
  ['组织生活落实情况', '/api/activities/compliance?orgId={org}', total],
  ['换届 · 进行中的程序', '/api/elections/procedures?status=in_progress', total],
  ['换届 · 届次记录', '/api/elections/terms?orgId={org}', total],
  ['补学任务', '/api/make-up-tasks?orgId={org}', total],
  ['日历', '/api/calendar?from={monthStart}&to={monthEnd}', items],
  ['阵地', '/api/venues', items],
  ['阵地预约', '/api/venue-bookings', total],
  ['阵地统计', '/api/venues/statistics?from={yearStart}&to={today}', field('personTimes')],
  ['服务站', '/api/service-stations', total],
  ['学习管理 · 课程', '/api/learning/courses', total],
  ['学习管理 · 计划', '/api/learning/plans', total],
  ['学习管理 · 文章', '/api/learning/articles', total],
  ['学习打卡', '/api/learning/clock-ins?orgId={org}', total],
  ['读书分享', '/api/learning/shares', total],
  ['题库', '/api/questions', total],
  ['试卷', '/api/papers', total],
  ['考试', '/api/exams?orgId={org}', total],
  ['知识竞赛', '/api/contests', total],
  ['每日一练参与', `/api/daily-quiz/participation?date={yesterday}`, items],
  ['积分排行', '/api/points/leaderboard/members?period=year&orgId={org}', total],
  ['积分规则', '/api/points/rules', items],
  ['为民办实事', '/api/service-projects', total],
  ['办实事统计', '/api/service-projects/statistics?orgId={org}', total],
  ['群众评价', '/api/service-projects/feedback', total],
  ['微心愿', '/api/micro-wishes', total],
  ['社区', '/api/communities', total],
  ['双报到统计', '/api/communities/report-stats?orgId={org}', field('reported')],
  ['共建协议', '/api/co-building/agreements', total],
  ['志愿服务', '/api/volunteering/projects', total],
  ['志愿时长', '/api/volunteering/hours?orgId={org}', total],
  ['捐款', '/api/donations/campaigns', total],
  ['捐款统计', '/api/donations/org-totals?orgId={org}', field('count')],
  ['资讯专栏管理', '/api/news/columns', items],
  ['通知公告', '/api/notices', total],
  ['委员联系支部', '/api/liaisons', total],
  ['赛马比拼', '/api/rankings/campaigns', total],
  ['对表晒绩', '/api/rankings/boards', total],
  ['美丽党员评星', '/api/monthly-ratings/campaigns', total],
  ['考核方案', '/api/assessment/schemes', total],
  ['指标库', '/api/assessment/indicators', total],
  ['达标定级', '/api/standardization/rounds', total],
  ['定级方案', '/api/standardization/schemes', total],
  ['整改任务', '/api/standardization/rectifications', total],
  ['责任清单模板', '/api/responsibility/templates', total],
  ['责任清单进度', '/api/responsibility/lists', total],
  ['承诺践诺', '/api/pledges', total],
  ['述职评议', '/api/duty-reports', total],
  ['民主评议党员', '/api/appraisals', total],
  ['晒课评课', '/api/lesson-selections', total],
  ['账号', '/api/users', total],
  ['审计日志', '/api/audit', total],
];

const MINE: Page[] = [
  // 首页: alive when any of its cards has something (today's quiz, activities, study plans, exams, points)
  ['首页', '/api/home/member', (b) => Number((b.dailyQuiz as { status: string }).status !== 'none') + (b.activities as { total: number }).total
    + (b.studyPlans as { total: number }).total + (b.exams as { total: number }).total + (b.points as { thisYear: number }).thisYear],
  ['我的活动', '/api/activities/inbox', items],
  ['消息', '/api/inbox', items],
  ['我的通知', '/api/me/notices', total],
  ['我的责任清单', '/api/me/responsibility', items],
  ['我的补学', '/api/make-up-tasks', total],
  ['日历', '/api/calendar?from={monthStart}&to={monthEnd}', items],
  ['我的学习 · 课程', '/api/learning/courses', total],
  ['我的学习 · 计划', '/api/learning/plans', total],
  ['学习打卡', '/api/learning/clock-ins', total],
  ['每日一练', '/api/daily-quiz/today', field('questions')],
  ['我的考试', '/api/exams/mine', items],
  ['知识竞赛', '/api/contests', total],
  ['我的积分', '/api/points/me', field('thisYear')],
  ['积分明细', '/api/points/ledger', total],
  ['积分排行', '/api/points/leaderboard/members?period=year', total],
  ['我的党费', '/api/dues/me', field('bills')],
  ['我的社区报到', '/api/communities/my-report', field('report')],
  ['我的志愿服务', '/api/volunteering/hours/me', field('records')],
  ['微心愿', '/api/micro-wishes', total],
  ['服务站', '/api/service-stations', total],
  ['资讯', '/api/news/items', total],
  ['精品党课', '/api/lesson-winners', total],
  ['搜索', `/api/search?q=${encodeURIComponent('党建')}`, items],
];

const PAGES: Record<Role, Page[]> = {
  admin: ADMINISTRATION,
  bureau: [...ADMINISTRATION, ...MINE],
  secretary: [...ADMINISTRATION, ...MINE],
  member: [...MINE, ['我的民主评议', '/api/me/appraisals', items]],
  // read-only (issue #15): the inspector reads the bureau's administration pages; the liaison their branch's and their own
  inspector: [...ADMINISTRATION, ['我联系的支部', '/api/me/liaisons', field('branches')]],
  liaison: [['我联系的支部', '/api/me/liaisons', field('activities')], ['党员', '/api/members', total], ['组织生活', '/api/activities', total], ...MINE],
};

/** Pages that are rightly empty for a demo account, and why; the test checks they still are (or the reason is gone). */
const RIGHTLY_EMPTY: Partial<Record<Role, Record<string, string>>> = {
  // the branch runs no venue: the page says so (venue.none_managed) instead of showing zeros
  secretary: { 阵地统计: 'no venue of its own', 赛马比拼: 'a branch runs no campaign: it is ranked in the bureau’s and the 工委’s',
    整改任务: 'the branch was not graded 后进: it is assessing itself' },
  inspector: { 我联系的支部: 'the inspector reads the bureau and liaises with no branch: the page says so' },
};

let ctx: TestContext;
beforeAll(async () => {
  ctx = await startTestApp();
  await seedDemo(ctx.database.db, ctx.app.cipher);
}, 180_000);
afterAll(async () => ctx?.close());

function fillIn(url: string, org: string): string {
  const today = todayInChina();
  const values: Record<string, string> = {
    org, today, yearStart: `${today.slice(0, 4)}-01-01`,
    yesterday: new Date(Date.parse(`${today}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10),
    // midnight of the first of the month in China, as an instant
    monthStart: new Date(Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`) - 8 * 3_600_000).toISOString(),
    monthEnd: new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 1) - 8 * 3_600_000).toISOString(),
  };
  return url.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!);
}

describe('the demo, page by page', () => {
  it.each(Object.keys(PAGES) as Role[])('shows %s something on every page of the menu', async (role) => {
    const client: Client = await login(ctx.app, DEMO_ACCOUNTS[role]);
    const me = (await client.get('/api/auth/me')).json() as { user: { isPlatformAdmin?: boolean; roles: { role: string; orgId: string | null }[] } };
    const administered = me.user.roles.find((r) => r.role === 'org_admin')?.orgId
      ?? (await client.get('/api/orgs?pageSize=1')).json().items[0].id as string;
    const wrong: string[] = [];
    for (const [page, url, count] of PAGES[role]) {
      const res = await client.get(fillIn(url, administered));
      const expectEmpty = RIGHTLY_EMPTY[role]?.[page] !== undefined;
      if (res.statusCode !== 200) wrong.push(`${page} ${url}: HTTP ${res.statusCode} ${res.body.slice(0, 160)}`);
      else if ((count(res.json() as Record<string, unknown>) === 0) !== expectEmpty) wrong.push(`${page} ${url}: ${expectEmpty ? 'not empty' : 'empty'}`);
    }
    expect(wrong).toEqual([]);
    // the venue statistics page shows its notice instead of figures exactly when the account runs no venue
    if (PAGES[role].some(([page]) => page === '阵地统计')) {
      const venues = (await client.get('/api/venues')).json() as { items: { canManage: boolean }[] };
      expect(venues.items.some((v) => v.canManage)).toBe(RIGHTLY_EMPTY[role]?.阵地统计 === undefined);
    }
  }, 120_000);
});
