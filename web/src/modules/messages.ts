/**
 * The modules' own strings, in the order they are added to the shell's dictionaries: registered by
 * the module registry (index.ts) as the console starts, and converted to zh-Hant by the build
 * (web/vite.config.ts). A module with its own messages.ts adds one line here. Pure data: the build
 * imports it.
 */
import type { MessageTable } from '../platform/i18n.js';
import { activityMessagesEn, activityMessagesZhHans } from './activities/messages.js';
import { learningMessagesEn, learningMessagesZhHans } from './learning/messages.js';
import { studyMessagesEn, studyMessagesZhHans } from './learning/study-messages.js';
import { serviceMessagesEn, serviceMessagesZhHans } from './service_projects/messages.js';
import { contestMessagesEn, contestMessagesZhHans } from './contests/messages.js';
import { examMessagesEn, examMessagesZhHans } from './exams/messages.js';
import { communityMessagesEn, communityMessagesZhHans } from './communities/messages.js';
import { volunteeringMessagesEn, volunteeringMessagesZhHans } from './volunteering/messages.js';
import { donationMessagesEn, donationMessagesZhHans } from './donations/messages.js';
import { duesMessagesEn, duesMessagesZhHans } from './dues/messages.js';
import { noticeMessagesEn, noticeMessagesZhHans } from './notices/messages.js';
import { dashboardMessagesEn, dashboardMessagesZhHans } from './dashboard/messages.js';
import { homeMessagesEn, homeMessagesZhHans } from './home/messages.js';
import { inboxMessagesEn, inboxMessagesZhHans } from './inbox/messages.js';
import { newsMessagesEn, newsMessagesZhHans } from './news/messages.js';
import { responsibilityMessagesEn, responsibilityMessagesZhHans } from './responsibility_lists/messages.js';
import { liaisonMessagesEn, liaisonMessagesZhHans } from './liaisons/messages.js';
import { judgingMessagesEn, judgingMessagesZhHans } from './judging/messages.js';
import { electionMessagesEn, electionMessagesZhHans } from './elections/messages.js';
import { rankingMessagesEn, rankingMessagesZhHans } from './rankings/messages.js';
import { monthlyRatingMessagesEn, monthlyRatingMessagesZhHans } from './monthly_ratings/messages.js';
import { assessmentMessagesEn, assessmentMessagesZhHans } from './assessment/messages.js';
import { standardizationMessagesEn, standardizationMessagesZhHans } from './standardization/messages.js';
import { pledgeMessagesEn, pledgeMessagesZhHans } from './pledges/messages.js';
import { ideaMessagesEn, ideaMessagesZhHans } from './ideas/messages.js';
import { appraisalMessagesEn, appraisalMessagesZhHans } from './appraisals/messages.js';
import { commendationMessagesEn, commendationMessagesZhHans } from './commendations/messages.js';
import { brandMessagesEn, brandMessagesZhHans } from './brands/messages.js';
import { publicNoticeMessagesEn, publicNoticeMessagesZhHans } from './public_notices/messages.js';
import { lessonMessagesEn, lessonMessagesZhHans } from './lesson_selections/messages.js';
import { fiftyYearsMessagesEn, fiftyYearsMessagesZhHans } from './fifty_years/messages.js';

export const moduleMessages = [
  { zhHans: activityMessagesZhHans, en: activityMessagesEn },
  { zhHans: learningMessagesZhHans, en: learningMessagesEn },
  { zhHans: studyMessagesZhHans, en: studyMessagesEn },
  { zhHans: serviceMessagesZhHans, en: serviceMessagesEn },
  { zhHans: contestMessagesZhHans, en: contestMessagesEn },
  { zhHans: examMessagesZhHans, en: examMessagesEn },
  { zhHans: communityMessagesZhHans, en: communityMessagesEn },
  { zhHans: volunteeringMessagesZhHans, en: volunteeringMessagesEn },
  { zhHans: donationMessagesZhHans, en: donationMessagesEn },
  { zhHans: duesMessagesZhHans, en: duesMessagesEn },
  { zhHans: noticeMessagesZhHans, en: noticeMessagesEn },
  { zhHans: dashboardMessagesZhHans, en: dashboardMessagesEn },
  { zhHans: homeMessagesZhHans, en: homeMessagesEn },
  { zhHans: inboxMessagesZhHans, en: inboxMessagesEn },
  { zhHans: newsMessagesZhHans, en: newsMessagesEn },
  { zhHans: responsibilityMessagesZhHans, en: responsibilityMessagesEn },
  { zhHans: liaisonMessagesZhHans, en: liaisonMessagesEn },
  { zhHans: judgingMessagesZhHans, en: judgingMessagesEn },
  { zhHans: electionMessagesZhHans, en: electionMessagesEn },
  { zhHans: rankingMessagesZhHans, en: rankingMessagesEn },
  { zhHans: monthlyRatingMessagesZhHans, en: monthlyRatingMessagesEn },
  { zhHans: assessmentMessagesZhHans, en: assessmentMessagesEn },
  { zhHans: standardizationMessagesZhHans, en: standardizationMessagesEn },
  { zhHans: pledgeMessagesZhHans, en: pledgeMessagesEn },
  { zhHans: ideaMessagesZhHans, en: ideaMessagesEn },
  { zhHans: appraisalMessagesZhHans, en: appraisalMessagesEn },
  { zhHans: commendationMessagesZhHans, en: commendationMessagesEn },
  { zhHans: brandMessagesZhHans, en: brandMessagesEn },
  { zhHans: publicNoticeMessagesZhHans, en: publicNoticeMessagesEn },
  { zhHans: lessonMessagesZhHans, en: lessonMessagesEn },
  { zhHans: fiftyYearsMessagesZhHans, en: fiftyYearsMessagesEn },
] as const satisfies readonly MessageTable[];

// every key of every table (keyof a union alone would keep the keys common to all)
type KeysOfEach<T> = T extends unknown ? keyof T : never;

declare module '../platform/i18n.js' {
  interface MessageKeys {
    modules: KeysOfEach<(typeof moduleMessages)[number]['zhHans']>;
  }
}
