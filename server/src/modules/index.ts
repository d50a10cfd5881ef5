import type { AppModule } from '../platform/app.js';
import { healthRoutes } from './health/routes.js';
import { authRoutes } from './auth/routes.js';
import { orgRoutes } from './orgs/routes.js';
import { memberRoutes } from './members/routes.js';
import { memberImportRoutes } from './members/import-routes.js';
import { serviceProjectRoutes } from './service_projects/routes.js';
import { microWishRoutes } from './micro_wishes/routes.js';
import { communityRoutes } from './communities/routes.js';
import { volunteeringRoutes } from './volunteering/routes.js';
import { donationRoutes } from './donations/routes.js';
import { pointsRoutes } from './points/routes.js';
import { examRoutes } from './exams/routes.js';
import { dailyQuizRoutes } from './daily_quiz/routes.js';
import { learningRoutes } from './learning/routes.js';
import { contestRoutes } from './contests/routes.js';
import { transferRoutes } from './transfers/routes.js';
import { auditRoutes } from './audit/routes.js';
import { userRoutes } from './users/routes.js';
import { activityRoutes } from './activities/routes.js';
import { venueRoutes } from './venues/routes.js';
import { duesRoutes } from './dues/routes.js';
import { dashboardJobs, dashboardRoutes } from './dashboard/routes.js';
import { homeRoutes } from './home/routes.js';
import { searchRoutes } from './search/routes.js';
import { newsRoutes } from './news/routes.js';
import { portalRoutes } from './portal/routes.js';
import { inboxRoutes } from './inbox/routes.js';
import { drainOutboxJob } from './inbox/deliver.js';
import { reminderJobs } from './reminders/jobs.js';
import { noticeJobs, noticeRoutes } from './notices/routes.js';
import { responsibilityRoutes } from './responsibility_lists/routes.js';
import { judgingRoutes } from './judging/routes.js';
import { rankingRoutes } from './rankings/routes.js';
import { electionRoutes } from './elections/routes.js';
import { liaisonRoutes } from './liaisons/routes.js';
import { assessmentRoutes } from './assessment/routes.js';
import { standardizationRoutes } from './standardization/routes.js';
import { monthlyRatingJobs, monthlyRatingRoutes } from './monthly_ratings/routes.js';
import { brandRoutes } from './brands/routes.js';
import { commendationRoutes } from './commendations/routes.js';
import { pledgeRoutes } from './pledges/routes.js';
import { ideaRoutes } from './ideas/routes.js';
import { lessonSelectionRoutes } from './lesson_selections/routes.js';
import { fiftyYearsRoutes } from './fifty_years/routes.js';
import { appraisalRoutes } from './appraisals/routes.js';
import { publicNoticeRoutes } from './public_notices/routes.js';

/**
 * Every module's routes, mounted under /api by buildApp (given by main.ts and the test harness: the
 * platform imports no module). A new module adds one line here.
 */
export const modules: AppModule[] = [
  { name: 'health', routes: healthRoutes },
  { name: 'auth', routes: authRoutes },
  { name: 'orgs', routes: orgRoutes },
  { name: 'members', routes: memberRoutes },
  { name: 'member-import', routes: memberImportRoutes },
  { name: 'points', routes: pointsRoutes },
  { name: 'exams', routes: examRoutes },
  { name: 'daily_quiz', routes: dailyQuizRoutes },
  { name: 'learning', routes: learningRoutes },
  { name: 'contests', routes: contestRoutes },
  { name: 'transfers', routes: transferRoutes },
  { name: 'audit', routes: auditRoutes },
  { name: 'users', routes: userRoutes },
  { name: 'activities', routes: activityRoutes },
  { name: 'venues', routes: venueRoutes },
  { name: 'service_projects', routes: serviceProjectRoutes },
  { name: 'micro_wishes', routes: microWishRoutes },
  { name: 'communities', routes: communityRoutes },
  { name: 'volunteering', routes: volunteeringRoutes },
  { name: 'donations', routes: donationRoutes },
  { name: 'dues', routes: duesRoutes },
  { name: 'dashboard', routes: dashboardRoutes, jobs: dashboardJobs },
  { name: 'home', routes: homeRoutes },
  { name: 'search', routes: searchRoutes },
  { name: 'news', routes: newsRoutes },
  { name: 'portal', routes: portalRoutes },
  { name: 'inbox', routes: inboxRoutes, jobs: [drainOutboxJob] },
  { name: 'reminders', routes: async () => {}, jobs: reminderJobs },
  { name: 'notices', routes: noticeRoutes, jobs: noticeJobs },
  { name: 'responsibility_lists', routes: responsibilityRoutes },
  { name: 'judging', routes: judgingRoutes },
  { name: 'rankings', routes: rankingRoutes },
  { name: 'elections', routes: electionRoutes },
  { name: 'liaisons', routes: liaisonRoutes },
  { name: 'assessment', routes: assessmentRoutes },
  { name: 'standardization', routes: standardizationRoutes },
  { name: 'monthly_ratings', routes: monthlyRatingRoutes, jobs: monthlyRatingJobs },
  { name: 'brands', routes: brandRoutes },
  { name: 'commendations', routes: commendationRoutes },
  { name: 'pledges', routes: pledgeRoutes },
  { name: 'ideas', routes: ideaRoutes },
  { name: 'lesson_selections', routes: lessonSelectionRoutes },
  { name: 'fifty_years', routes: fiftyYearsRoutes },
  { name: 'appraisals', routes: appraisalRoutes },
  { name: 'public_notices', routes: publicNoticeRoutes },
];
