import { lazy } from 'react';
import { ApartmentOutlined, AuditOutlined, CloudUploadOutlined, SafetyCertificateOutlined, SwapOutlined, TeamOutlined, UserOutlined } from '@ant-design/icons';
import { BankOutlined, BarChartOutlined, CalendarOutlined, EnvironmentOutlined, ScheduleOutlined, SolutionOutlined } from '@ant-design/icons';
import { DatabaseOutlined, EditOutlined, FileTextOutlined, FormOutlined, SettingOutlined, StarOutlined, TrophyOutlined } from '@ant-design/icons';
import { AlertOutlined, CarryOutOutlined, FundOutlined, GiftOutlined, HeartOutlined } from '@ant-design/icons';
import { AccountBookOutlined, ClockCircleOutlined, HomeOutlined, LinkOutlined, PieChartOutlined, SmileOutlined } from '@ant-design/icons';
import { BookOutlined, CheckSquareOutlined, LikeOutlined, ReadOutlined } from '@ant-design/icons';
import { MoneyCollectOutlined, ThunderboltOutlined, WalletOutlined } from '@ant-design/icons';
import { NotificationOutlined } from '@ant-design/icons';
import { FlagOutlined } from '@ant-design/icons';
import { BellOutlined } from '@ant-design/icons';
import { BulbOutlined } from '@ant-design/icons';
import { FileSearchOutlined, ProfileOutlined } from '@ant-design/icons';
import { ProfileOutlined as WorkbenchIcon } from '@ant-design/icons';
import { registerMessages } from '../platform/i18n.js';
import type { ConsoleEntry, ConsoleSection } from '../platform/menu.js';
import { moduleMessages } from './messages.js';

/**
 * The console's modules. Each entry is one item of the left menu and the routes it owns; a new module
 * (组织生活, 学习考试, 为民服务 …) adds its section and entries here and nothing else in the shell.
 * Pages are code-split: each loads when first opened. The shell receives this registry from App.tsx
 * and knows no module by name; the modules' strings join its dictionaries here, as the console starts.
 */
registerMessages(...moduleMessages);

// 我的 (a member's own pages), then the administration of a subtree by the work it serves; who sees a
// section is who works in it (menu.ts places a page everyone may open in 我的 for the others)
export const sections: ConsoleSection[] = [
  { key: 'mine', label: 'section.mine', icon: UserOutlined, roles: ['member'] },
  { key: 'orgs', label: 'section.orgs', icon: ApartmentOutlined, roles: ['admin'] },
  { key: 'members', label: 'section.members', icon: TeamOutlined, roles: ['admin'] },
  { key: 'activities', label: 'section.activities', icon: ScheduleOutlined, roles: ['admin'] },
  { key: 'learning', label: 'section.learning', icon: ReadOutlined, roles: ['admin'] },
  { key: 'service', label: 'section.service', icon: HeartOutlined, roles: ['admin'] },
  { key: 'assessment', label: 'section.assessment', icon: TrophyOutlined, roles: ['admin'] },
  { key: 'system', label: 'section.system', icon: SettingOutlined, roles: ['admin', 'platformAdmin'] },
];

const MemberDetailPage = lazy(() => import('./members/MemberDetailPage.js'));
const MemberFormPage = lazy(() => import('./members/MemberFormPage.js'));
const LearningProgressPage = lazy(() => import('./learning/ProgressPage.js'));

export const consoleEntries: ConsoleEntry[] = [
  // 我的: a member's own pages, phone-first — profile, study, quiz, exams, activities, points, dues
  // 首页: a member's day on one page, the first page after sign-in
  { key: 'my-home', section: 'mine', label: 'menu.my_home', icon: HomeOutlined, path: '/me/home', roles: ['member'], page: lazy(() => import('./home/MemberHomePage.js')) },
  { key: 'me', section: 'mine', label: 'menu.my_profile', icon: UserOutlined, path: '/me', roles: ['member'], page: lazy(() => import('./me/MyProfilePage.js')) },
  {
    key: 'my-learning', section: 'mine', label: 'menu.my_learning', icon: ReadOutlined, path: '/me/learning', roles: ['member'],
    page: lazy(() => import('./learning/MyLearningPage.js')),
    routes: [
      { path: '/me/learning/courses/:id', page: lazy(() => import('./learning/CoursePage.js')) },
      { path: '/me/learning/articles/:id', page: lazy(() => import('./learning/ArticlePage.js')) },
      { path: '/me/learning/plans/:id', page: lazy(() => import('./learning/PlanPage.js')) },
    ],
  },
  { key: 'daily-quiz', section: 'mine', label: 'menu.daily_quiz', icon: EditOutlined, path: '/me/daily-quiz', roles: ['member'], page: lazy(() => import('./exams/DailyQuizPage.js')) },
  { key: 'clock-in', section: 'mine', label: 'menu.clock_in', icon: CheckSquareOutlined, path: '/me/clock-in', roles: ['member'], page: lazy(() => import('./learning/ClockInPage.js')) },
  {
    key: 'my-exams', section: 'mine', label: 'menu.my_exams', icon: FormOutlined, path: '/me/exams', roles: ['member'],
    page: lazy(() => import('./exams/MyExamsPage.js')),
    routes: [{ path: '/me/exams/attempts/:id', page: lazy(() => import('./exams/ExamAttemptPage.js')) }],
  },
  {
    // 知识竞赛: the member plays on a phone; the organizer's results and the big-screen live board are under 学习考试
    key: 'my-contests', section: 'mine', label: 'menu.my_contests', icon: ThunderboltOutlined, path: '/me/contests', roles: ['member'],
    page: lazy(() => import('./contests/MyContestsPage.js')),
    routes: [{ path: '/me/contests/:id', page: lazy(() => import('./contests/ContestPlayPage.js')) }],
  },
  {
    // their own list, the detail they open from a notice, the QR sign-in link
    key: 'my-activities', section: 'mine', label: 'menu.my_activities', icon: CalendarOutlined, path: '/me/activities', roles: ['member'],
    page: lazy(() => import('./activities/MyActivitiesPage.js')),
    routes: [{ path: '/me/activities/:id', page: lazy(() => import('./activities/MyActivityPage.js')) }, { path: '/check-in/:id', page: lazy(() => import('./activities/CheckInPage.js')) }],
  },
  // 资讯 and search: every signed-in user reads; in 学习考试 and 组织 for administrators, in 我的 for the others (menu.ts)
  {
    key: 'news', section: 'learning', label: 'menu.news', icon: ReadOutlined, path: '/news', page: lazy(() => import('./news/NewsPage.js')),
    routes: [{ path: '/news/:id', page: lazy(() => import('./news/NewsItemPage.js')) }],
  },
  // 委员联系支部: the committee above assigns; the liaison (and an inspector) reads the branch and records 旁听 on a phone
  // 美丽党员: this month's nominees with vote buttons and the published lists, on a phone
  { key: 'my-monthly-ratings', section: 'mine', label: 'menu.my_monthly_ratings', icon: StarOutlined, path: '/me/monthly-ratings', roles: ['member'], page: lazy(() => import('./monthly_ratings/MyMonthlyRatingsPage.js')) },
  { key: 'my-liaisons', section: 'mine', label: 'menu.my_liaisons', icon: LinkOutlined, path: '/me/liaisons', roles: ['inspector'], page: lazy(() => import('./liaisons/MyLiaisonsPage.js')) },
  { key: 'liaisons', section: 'orgs', label: 'menu.liaisons', icon: LinkOutlined, path: '/liaisons', roles: ['admin'], page: lazy(() => import('./liaisons/LiaisonsPage.js')) },
  { key: 'search', section: 'orgs', label: 'menu.search', icon: FileSearchOutlined, path: '/search', page: lazy(() => import('./search/SearchPage.js')) },
  // the notices I was asked to read: members, and org admins a notice was sent to (in 我的 for all)
  {
    key: 'my-notices', section: 'mine', label: 'menu.my_notices', icon: NotificationOutlined, path: '/me/notices',
    page: lazy(() => import('./notices/MyNoticesPage.js')),
    routes: [{ path: '/me/notices/:id', page: lazy(() => import('./notices/MyNoticePage.js')) }],
  },
  // every signed-in user's inbox (reminders reach administrators too): in 我的 for all
  { key: 'inbox', section: 'mine', label: 'menu.inbox', icon: BellOutlined, path: '/me/inbox', page: lazy(() => import('./inbox/InboxPage.js')) },
  // 我的评审: a judge (评委) scores the entries of their panels, on a phone
  {
    key: 'my-judging', section: 'mine', label: 'menu.my_judging', icon: AuditOutlined, path: '/me/judging', roles: ['judge'],
    page: lazy(() => import('./judging/MyJudgingPage.js')),
    routes: [
      { path: '/me/judging/panels/:id', page: lazy(() => import('./judging/JudgePanelPage.js')) },
      { path: '/me/judging/entries/:id', page: lazy(() => import('./judging/ScoreEntryPage.js')) },
    ],
  },
  {
    key: 'my-responsibility', section: 'mine', label: 'menu.my_responsibility', icon: CarryOutOutlined, path: '/me/responsibility', roles: ['member'],
    page: lazy(() => import('./responsibility_lists/MyListPage.js')),
    routes: [{ path: '/me/responsibility/items/:id', page: lazy(() => import('./responsibility_lists/ItemPage.js')) }],
  },
  {
    // 承诺践诺: a member's own pledges, progress with photos and self-rating, on a phone
    key: 'my-pledges', section: 'mine', label: 'menu.my_pledges', icon: FlagOutlined, path: '/me/pledges', roles: ['member'],
    page: lazy(() => import('./pledges/MyPledgesPage.js')),
    routes: [
      { path: '/me/pledges/new/:periodId', page: lazy(() => import('./pledges/PledgeNewPage.js')) },
      { path: '/me/pledges/:id', page: lazy(() => import('./pledges/PledgePage.js')) },
    ],
  },
  { key: 'my-points', section: 'mine', label: 'menu.my_points', icon: StarOutlined, path: '/me/points', roles: ['member'], page: lazy(() => import('./points/MyPointsPage.js')) },
  { key: 'my-dues', section: 'mine', label: 'menu.my_dues', icon: WalletOutlined, path: '/me/dues', roles: ['member'], page: lazy(() => import('./dues/MyDuesPage.js')) },
  // 金点子: submit (alike ideas shown while typing), read the replies and progress
  { key: 'my-ideas', section: 'mine', label: 'menu.my_ideas', icon: BulbOutlined, path: '/me/ideas', roles: ['member'], page: lazy(() => import('./ideas/MyIdeasPage.js')) },
  // 民主评议党员: the member's 自评, the anonymous 测评 on a phone, and their own result
  { key: 'my-appraisals', section: 'mine', label: 'menu.my_appraisals', icon: LikeOutlined, path: '/me/appraisals', roles: ['member'], page: lazy(() => import('./appraisals/MyAppraisalsPage.js')) },
  { key: 'my-lessons', section: 'mine', label: 'menu.my_lessons', icon: BookOutlined, path: '/me/lessons', roles: ['member'], page: lazy(() => import('./lesson_selections/LessonWinnersPage.js')) },
  { key: 'my-honours', section: 'mine', label: 'menu.my_honours', icon: TrophyOutlined, path: '/me/honours', roles: ['member'], page: lazy(() => import('./commendations/MyHonoursPage.js')) },
  // 公示: the open notices of the member's org and those above, with a named objection form
  { key: 'my-public-notices', section: 'mine', label: 'menu.my_public_notices', icon: NotificationOutlined, path: '/me/public-notices', roles: ['member'], page: lazy(() => import('./public_notices/MyPublicNoticesPage.js')) },
  { key: 'me-transfers', section: 'mine', label: 'menu.my_transfers', icon: SwapOutlined, path: '/me/transfers', roles: ['member'], page: lazy(() => import('./me/MyTransfersPage.js')) },
  {
    key: 'my-wishes', section: 'mine', label: 'menu.my_wishes', icon: HeartOutlined, path: '/service/my-wishes', roles: ['member'],
    page: lazy(() => import('./micro_wishes/MyWishesPage.js')),
    routes: [{ path: '/service/my-wishes/:id', page: lazy(() => import('./micro_wishes/WishDetailPage.js')) }],
  },
  // 双报到 and 志愿服务 as the member lives them
  { key: 'my-community', section: 'mine', label: 'menu.my_community', icon: HomeOutlined, path: '/service/my-community', roles: ['member'], page: lazy(() => import('./communities/MyCommunityPage.js')) },
  { key: 'my-volunteering', section: 'mine', label: 'menu.my_volunteering', icon: SmileOutlined, path: '/service/my-volunteering', roles: ['member'], page: lazy(() => import('./volunteering/MyVolunteeringPage.js')) },

  // 组织
  // 工作台: an admin's to-dos computed from the records, the first page after an org admin signs in
  { key: 'workbench', section: 'orgs', label: 'menu.workbench', icon: WorkbenchIcon, path: '/workbench', roles: ['admin'], page: lazy(() => import('./home/WorkbenchPage.js')) },
  {
    // 驾驶舱 of the leaders of a subtree (its admins); the hall's big screen alone on the screen
    key: 'dashboard', section: 'orgs', label: 'menu.dashboard', icon: FundOutlined, path: '/dashboard', roles: ['admin'],
    page: lazy(() => import('./dashboard/DashboardPage.js')),
    routes: [
      { path: '/dashboard/reports/:id', page: lazy(() => import('./dashboard/ReportPage.js')) },
      { path: '/dashboard/big-screen', page: lazy(() => import('./dashboard/BigScreenPage.js')), fullScreen: true },
    ],
  },
  { key: 'orgs', section: 'orgs', label: 'menu.org_tree', icon: ApartmentOutlined, path: '/orgs', roles: ['admin'], page: lazy(() => import('./orgs/OrgTreePage.js')) },
  {
    // 换届: due lists at 90 / 60 / 30 days and overdue, an org's terms, the steps of an election
    key: 'elections', section: 'orgs', label: 'menu.elections', icon: SolutionOutlined, path: '/elections', roles: ['admin'],
    page: lazy(() => import('./elections/ElectionsPage.js')),
    routes: [
      { path: '/elections/terms', page: lazy(() => import('./elections/TermsPage.js')) },
      { path: '/elections/procedures/:id', page: lazy(() => import('./elections/ProcedurePage.js')) },
    ],
  },
  {
    // 通知公告: the org's notices, their publication and read receipts
    key: 'notices', section: 'orgs', label: 'menu.notices', icon: NotificationOutlined, path: '/notices', roles: ['admin'],
    page: lazy(() => import('./notices/NoticeListPage.js')),
    routes: [
      { path: '/notices/new', page: lazy(() => import('./notices/NoticeFormPage.js')) },
      { path: '/notices/:id', page: lazy(() => import('./notices/NoticeDetailPage.js')) },
      { path: '/notices/:id/edit', page: lazy(() => import('./notices/NoticeFormPage.js')) },
    ],
  },

  // 党员: the roster, its intake, transfers and 党费 (bases, bills, payments, the ledger up the tree)
  {
    key: 'members', section: 'members', label: 'menu.members', icon: TeamOutlined, path: '/members', roles: ['admin'],
    page: lazy(() => import('./members/MemberListPage.js')),
    routes: [
      { path: '/members/new', page: MemberFormPage },
      { path: '/members/:id', page: MemberDetailPage },
      { path: '/members/:id/edit', page: MemberFormPage },
    ],
  },
  { key: 'import', section: 'members', label: 'menu.import', icon: CloudUploadOutlined, path: '/members/import', roles: ['admin'], page: lazy(() => import('./member_import/ImportWizardPage.js')) },
  { key: 'transfers', section: 'members', label: 'menu.transfers', icon: SwapOutlined, path: '/transfers', roles: ['admin'], page: lazy(() => import('./transfers/TransferInboxPage.js')) },
  { key: 'fifty-years', section: 'members', label: 'menu.fifty_years', icon: StarOutlined, path: '/fifty-years', roles: ['admin'], page: lazy(() => import('./fifty_years/FiftyYearsPage.js')) },
  { key: 'dues', section: 'members', label: 'menu.dues', icon: MoneyCollectOutlined, path: '/dues', roles: ['admin'], page: lazy(() => import('./dues/DuesPage.js')) },

  // 组织生活: activities and 三会一课, and the venues they are held in
  {
    key: 'activities', section: 'activities', label: 'menu.activities', icon: ScheduleOutlined, path: '/activities', roles: ['admin'],
    page: lazy(() => import('./activities/ActivityListPage.js')),
    routes: [
      { path: '/activities/:id', page: lazy(() => import('./activities/ActivityDetailPage.js')) },
      // the sign-in screen a projector shows to the room
      { path: '/activities/:id/projector', page: lazy(() => import('./activities/ProjectorPage.js')), fullScreen: true },
    ],
  },
  { key: 'compliance', section: 'activities', label: 'menu.compliance', icon: SolutionOutlined, path: '/activities/compliance', roles: ['admin'], page: lazy(() => import('./activities/CompliancePage.js')) },
  { key: 'calendar', section: 'activities', label: 'menu.calendar', icon: CalendarOutlined, path: '/calendar', page: lazy(() => import('./activities/CalendarPage.js')) },
  { key: 'venues', section: 'activities', label: 'menu.venues', icon: BankOutlined, path: '/venues', roles: ['admin'], page: lazy(() => import('./venues/VenuePage.js')) },
  { key: 'venue-stats', section: 'activities', label: 'menu.venue_stats', icon: BarChartOutlined, path: '/venues/statistics', roles: ['admin'], page: lazy(() => import('./venues/VenueStatisticsPage.js')) },
  { key: 'service-stations', section: 'activities', label: 'menu.service_stations', icon: EnvironmentOutlined, path: '/service-stations', page: lazy(() => import('./venues/StationPage.js')) },

  // 学习考试: the organizer's side is desktop
  {
    key: 'learning-admin', section: 'learning', label: 'menu.learning_admin', icon: BookOutlined, path: '/learning', roles: ['admin'],
    page: lazy(() => import('./learning/LearningAdminPage.js')),
    routes: [
      { path: '/learning/courses/:id/progress', page: LearningProgressPage },
      { path: '/learning/plans/:id/progress', page: LearningProgressPage },
    ],
  },
  {
    key: 'news-admin', section: 'learning', label: 'menu.news_admin', icon: ProfileOutlined, path: '/news/manage', roles: ['admin'],
    page: lazy(() => import('./news/NewsAdminPage.js')),
    routes: [{ path: '/news/manage/new', page: lazy(() => import('./news/NewsEditPage.js')) }, { path: '/news/manage/:id/edit', page: lazy(() => import('./news/NewsEditPage.js')) }],
  },
  { key: 'reading-shares', section: 'learning', label: 'menu.reading_shares', icon: LikeOutlined, path: '/learning/shares', page: lazy(() => import('./learning/SharesPage.js')) },
  { key: 'question-bank', section: 'learning', label: 'menu.question_bank', icon: DatabaseOutlined, path: '/exams/questions', roles: ['admin'], page: lazy(() => import('./exams/QuestionBankPage.js')) },
  { key: 'papers', section: 'learning', label: 'menu.papers', icon: FileTextOutlined, path: '/exams/papers', roles: ['admin'], page: lazy(() => import('./exams/PapersPage.js')) },
  {
    key: 'exams', section: 'learning', label: 'menu.exams', icon: FormOutlined, path: '/exams', roles: ['admin'],
    page: lazy(() => import('./exams/ExamListPage.js')),
    routes: [{ path: '/exams/:id', page: lazy(() => import('./exams/ExamDetailPage.js')) }],
  },
  {
    key: 'contests', section: 'learning', label: 'menu.contests', icon: ThunderboltOutlined, path: '/contests', roles: ['admin'],
    page: lazy(() => import('./contests/ContestListPage.js')),
    routes: [
      { path: '/contests/:id', page: lazy(() => import('./contests/ContestDetailPage.js')) },
      { path: '/contests/:id/live', page: lazy(() => import('./contests/ContestLivePage.js')) },
    ],
  },
  { key: 'leaderboard', section: 'learning', label: 'menu.leaderboard', icon: TrophyOutlined, path: '/leaderboard', page: lazy(() => import('./points/LeaderboardPage.js')) },
  { key: 'point-rules', section: 'learning', label: 'menu.point_rules', icon: SettingOutlined, path: '/points/rules', roles: ['admin'], page: lazy(() => import('./points/PointRulesPage.js')) },

  // 为民服务: 我为群众办实事, 微心愿, 双报到, 共驻共建, 志愿服务 and 捐款台账; citizens' pages are outside the shell (/public/*)
  {
    key: 'service-projects', section: 'service', label: 'menu.service_projects', icon: CarryOutOutlined, path: '/service/projects', roles: ['admin'],
    page: lazy(() => import('./service_projects/ServiceProjectListPage.js')),
    routes: [{ path: '/service/projects/:id', page: lazy(() => import('./service_projects/ServiceProjectDetailPage.js')) }],
  },
  { key: 'service-stats', section: 'service', label: 'menu.service_stats', icon: FundOutlined, path: '/service/statistics', roles: ['admin'], page: lazy(() => import('./service_projects/ServiceStatisticsPage.js')) },
  // 金点子征集: review queue, tracking to implementation, counts per org
  { key: 'ideas', section: 'service', label: 'menu.ideas', icon: BulbOutlined, path: '/service/ideas', roles: ['admin'], page: lazy(() => import('./ideas/IdeasAdminPage.js')) },
  { key: 'service-moderation', section: 'service', label: 'menu.service_moderation', icon: AlertOutlined, path: '/service/moderation', roles: ['admin'], page: lazy(() => import('./service_projects/ModerationPage.js')) },
  {
    key: 'wishes', section: 'service', label: 'menu.wishes', icon: GiftOutlined, path: '/service/wishes', roles: ['admin'],
    page: lazy(() => import('./micro_wishes/WishAdminPage.js')),
    routes: [{ path: '/service/wishes/:id', page: lazy(() => import('./micro_wishes/WishDetailPage.js')) }],
  },
  {
    key: 'communities', section: 'service', label: 'menu.communities', icon: HomeOutlined, path: '/service/communities', roles: ['admin'],
    page: lazy(() => import('./communities/CommunityListPage.js')),
    routes: [{ path: '/service/communities/:id', page: lazy(() => import('./communities/CommunityDetailPage.js')) }],
  },
  { key: 'community-stats', section: 'service', label: 'menu.community_stats', icon: PieChartOutlined, path: '/service/community-stats', roles: ['admin'], page: lazy(() => import('./communities/ReportStatsPage.js')) },
  {
    key: 'co-building', section: 'service', label: 'menu.co_building', icon: LinkOutlined, path: '/service/co-building', roles: ['admin'],
    page: lazy(() => import('./communities/CoBuildingPage.js')),
    routes: [{ path: '/service/co-building/:id', page: lazy(() => import('./communities/AgreementDetailPage.js')) }],
  },
  {
    key: 'volunteering', section: 'service', label: 'menu.volunteering', icon: SmileOutlined, path: '/service/volunteering', roles: ['admin'],
    page: lazy(() => import('./volunteering/VolunteerProjectListPage.js')),
    routes: [{ path: '/service/volunteering/:id', page: lazy(() => import('./volunteering/VolunteerProjectDetailPage.js')) }],
  },
  { key: 'volunteer-hours', section: 'service', label: 'menu.volunteer_hours', icon: ClockCircleOutlined, path: '/service/volunteer-hours', roles: ['admin'], page: lazy(() => import('./volunteering/VolunteerHoursPage.js')) },
  {
    key: 'donations', section: 'service', label: 'menu.donations', icon: AccountBookOutlined, path: '/service/donations', roles: ['admin'],
    page: lazy(() => import('./donations/CampaignListPage.js')),
    routes: [{ path: '/service/donations/:id', page: lazy(() => import('./donations/CampaignDetailPage.js')) }],
  },

  // 责任清单 and 述职评议 (考评): templates issued down the tree, each owner's progress (overdue figures open their items), the annual review
  {
    key: 'responsibility-templates', section: 'assessment', label: 'menu.responsibility_templates', icon: FileTextOutlined, path: '/responsibility/templates', roles: ['admin'],
    page: lazy(() => import('./responsibility_lists/TemplatesPage.js')),
  },
  {
    key: 'responsibility-progress', section: 'assessment', label: 'menu.responsibility_progress', icon: CarryOutOutlined, path: '/responsibility/lists', roles: ['admin'],
    page: lazy(() => import('./responsibility_lists/ProgressPage.js')),
    routes: [
      { path: '/responsibility/lists/:id', page: lazy(() => import('./responsibility_lists/ItemsPage.js')) },
      { path: '/responsibility/items', page: lazy(() => import('./responsibility_lists/ItemsPage.js')) },
      { path: '/responsibility/items/:id', page: lazy(() => import('./responsibility_lists/ItemPage.js')) },
    ],
  },
  {
    key: 'duty-reviews', section: 'assessment', label: 'menu.duty_reviews', icon: SolutionOutlined, path: '/responsibility/duty-reviews', roles: ['admin'],
    page: lazy(() => import('./responsibility_lists/DutyReviewsPage.js')),
    routes: [{ path: '/responsibility/duty-reviews/:id', page: lazy(() => import('./responsibility_lists/DutyRoundPage.js')) }],
  },
  // 系统
  // 考评: schemes (计算, 冻结, 发布, results opening their records) and the indicator library
  {
    key: 'assessment-schemes', section: 'assessment', label: 'menu.assessment_schemes', icon: FundOutlined, path: '/assessment/schemes', roles: ['admin'],
    page: lazy(() => import('./assessment/SchemeListPage.js')),
    routes: [
      { path: '/assessment/schemes/new', page: lazy(() => import('./assessment/SchemeFormPage.js')) },
      { path: '/assessment/schemes/:id', page: lazy(() => import('./assessment/SchemePage.js')) },
      { path: '/assessment/schemes/:id/edit', page: lazy(() => import('./assessment/SchemeFormPage.js')) },
    ],
  },
  { key: 'assessment-indicators', section: 'assessment', label: 'menu.assessment_indicators', icon: DatabaseOutlined, path: '/assessment/indicators', roles: ['admin'], page: lazy(() => import('./assessment/IndicatorLibraryPage.js')) },
  {
    key: 'lesson-selections', section: 'assessment', label: 'menu.lesson_selections', icon: ReadOutlined, path: '/lesson-selections', roles: ['admin'],
    page: lazy(() => import('./lesson_selections/LessonSelectionsPage.js')),
    routes: [{ path: '/lesson-selections/:id', page: lazy(() => import('./lesson_selections/LessonSelectionPage.js')) }],
  },
  {
    // 民主评议党员: rounds per branch and year, progress, tallies (never ballots), grades, 公示 and publication
    key: 'appraisals', section: 'assessment', label: 'menu.appraisals', icon: SolutionOutlined, path: '/appraisals', roles: ['admin'],
    page: lazy(() => import('./appraisals/AppraisalsPage.js')),
    routes: [{ path: '/appraisals/:id', page: lazy(() => import('./appraisals/AppraisalRoundPage.js')) }],
  },
  {
    // 美丽党员（月度评星）: campaigns, months, nominations, live tallies (admins only) and the published list
    key: 'monthly-ratings', section: 'assessment', label: 'menu.monthly_ratings', icon: StarOutlined, path: '/monthly-ratings', roles: ['admin'],
    page: lazy(() => import('./monthly_ratings/CampaignsPage.js')),
    routes: [
      { path: '/monthly-ratings/campaigns/:id', page: lazy(() => import('./monthly_ratings/CampaignPage.js')) },
      { path: '/monthly-ratings/rounds/:id', page: lazy(() => import('./monthly_ratings/RoundPage.js')) },
    ],
  },
  // 达标定级 (考评): a scheme's rounds with the grade distribution, a branch's self-assessment (phone), the reviewer's grading, rectification
  {
    key: 'standardization', section: 'assessment', label: 'menu.standardization', icon: CheckSquareOutlined, path: '/standardization', roles: ['admin'],
    page: lazy(() => import('./standardization/RoundsPage.js')),
    routes: [{ path: '/standardization/rounds/:id', page: lazy(() => import('./standardization/RoundPage.js')) }],
  },
  {
    key: 'standardization-schemes', section: 'assessment', label: 'menu.standardization_schemes', icon: ProfileOutlined, path: '/standardization/schemes', roles: ['admin'],
    page: lazy(() => import('./standardization/SchemesPage.js')),
    routes: [
      { path: '/standardization/schemes/new', page: lazy(() => import('./standardization/SchemeFormPage.js')) },
      { path: '/standardization/schemes/:id/edit', page: lazy(() => import('./standardization/SchemeFormPage.js')) },
    ],
  },
  { key: 'standardization-rectifications', section: 'assessment', label: 'menu.standardization_rectifications', icon: AlertOutlined, path: '/standardization/rectifications', roles: ['admin'], page: lazy(() => import('./standardization/RectificationsPage.js')) },
  // 赛马 / 对表晒绩 (考评): campaigns with their periods; the published boards for the orgs in a campaign's tree
  {
    // 承诺践诺: periods, approval, the branch's rating, the public's comments, statistics
    key: 'pledges', section: 'assessment', label: 'menu.pledges', icon: FlagOutlined, path: '/pledges', roles: ['admin'],
    page: lazy(() => import('./pledges/PledgeAdminPage.js')),
    routes: [
      { path: '/pledges/new/:periodId', page: lazy(() => import('./pledges/PledgeNewPage.js')) },
      { path: '/pledges/:id', page: lazy(() => import('./pledges/PledgePage.js')) },
    ],
  },
  {
    key: 'rankings', section: 'assessment', label: 'menu.rankings', icon: TrophyOutlined, path: '/rankings', roles: ['admin'],
    page: lazy(() => import('./rankings/RankingCampaignsPage.js')),
    routes: [
      { path: '/rankings/new', page: lazy(() => import('./rankings/RankingCampaignFormPage.js')) },
      { path: '/rankings/campaigns/:id', page: lazy(() => import('./rankings/RankingCampaignPage.js')) },
      { path: '/rankings/campaigns/:id/edit', page: lazy(() => import('./rankings/RankingCampaignFormPage.js')) },
      { path: '/rankings/periods/:id', page: lazy(() => import('./rankings/RankingPeriodPage.js')) },
    ],
  },
  // 党建品牌 (registry with photos) and 星级评审 (rounds, applications, judging, 公示, results); the gallery for every signed-in user
  {
    key: 'brands', section: 'assessment', label: 'menu.brands', icon: FlagOutlined, path: '/brands', roles: ['admin'],
    page: lazy(() => import('./brands/BrandsPage.js')),
    routes: [{ path: '/brands/:id', page: lazy(() => import('./brands/BrandPage.js')) }],
  },
  {
    key: 'brand-rounds', section: 'assessment', label: 'menu.brand_rounds', icon: StarOutlined, path: '/brands/rounds', roles: ['admin'],
    page: lazy(() => import('./brands/RoundsPage.js')),
    routes: [{ path: '/brands/rounds/:id', page: lazy(() => import('./brands/RoundPage.js')) }],
  },
  { key: 'brand-gallery', section: 'assessment', label: 'menu.brand_gallery', icon: TrophyOutlined, path: '/brands/gallery', page: lazy(() => import('./brands/GalleryPage.js')) },
  {
    key: 'ranking-boards', section: 'assessment', label: 'menu.ranking_boards', icon: BarChartOutlined, path: '/rankings/boards', roles: ['admin'],
    page: lazy(() => import('./rankings/RankingBoardsPage.js')),
    routes: [{ path: '/rankings/periods/:id/board', page: lazy(() => import('./rankings/RankingBoardPage.js')) }],
  },
  // 表彰 (两优一先 rounds with quotas, nominations, review, 公示 and award; 微星光; 奖惩) and the member's own honours in 我的
  {
    key: 'commendations', section: 'assessment', label: 'menu.commendations', icon: StarOutlined, path: '/commendations', roles: ['admin'],
    page: lazy(() => import('./commendations/CommendationRoundsPage.js')),
    routes: [{ path: '/commendations/rounds/:id', page: lazy(() => import('./commendations/CommendationRoundPage.js')) }],
  },
  { key: 'honours', section: 'assessment', label: 'menu.honours', icon: TrophyOutlined, path: '/commendations/honours', roles: ['admin'], page: lazy(() => import('./commendations/HonoursPage.js')) },
  // 公示管理: every 公示 of the subtree (表彰, 品牌, 评议, 评星, 党课) and the objections to answer
  {
    key: 'public-notices', section: 'assessment', label: 'menu.public_notices', icon: NotificationOutlined, path: '/public-notices', roles: ['admin'],
    page: lazy(() => import('./public_notices/PublicNoticesPage.js')),
    routes: [{ path: '/public-notices/:id', page: lazy(() => import('./public_notices/PublicNoticePage.js')) }],
  },
  { key: 'users', section: 'system', label: 'menu.users', icon: SafetyCertificateOutlined, path: '/users', roles: ['admin'], page: lazy(() => import('./users/UserAccountsPage.js')) },
  { key: 'audit', section: 'system', label: 'menu.audit', icon: AuditOutlined, path: '/audit', roles: ['admin'], page: lazy(() => import('./audit/AuditLogPage.js')) },
];
