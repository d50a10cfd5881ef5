import type { IndicatorSource } from '../../platform/indicators.js';
import { activityIndicators } from '../activities/indicators.js';
import { learningIndicators } from '../learning/indicators.js';
import { examIndicators } from '../exams/indicators.js';
import { dailyQuizIndicators } from '../daily_quiz/indicators.js';
import { serviceProjectIndicators } from '../service_projects/indicators.js';
import { communityIndicators } from '../communities/indicators.js';
import { volunteeringIndicators } from '../volunteering/indicators.js';
import { duesIndicators } from '../dues/indicators.js';
import { electionIndicators } from '../elections/indicators.js';
import { responsibilityIndicators } from '../responsibility_lists/indicators.js';

/** Every computed indicator the platform offers, by code: each source module answers from its own tables. */
export const INDICATOR_SOURCES: readonly IndicatorSource[] = [
  ...activityIndicators,
  ...learningIndicators,
  ...examIndicators,
  ...dailyQuizIndicators,
  ...serviceProjectIndicators,
  ...communityIndicators,
  ...volunteeringIndicators,
  ...duesIndicators,
  ...electionIndicators,
  ...responsibilityIndicators,
];

const byCode = new Map(INDICATOR_SOURCES.map((s) => [s.code, s]));

export const findIndicatorSource = (code: string): IndicatorSource | undefined => byCode.get(code);
