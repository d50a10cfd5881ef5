/**
 * The portal is public: no actor, no permission. What it may show is decided by the modules that own
 * the records — published public news of the tree (the news module's publicNewsOf), public open lessons
 * of the tree not yet over (the activities module's publicLessonsOf) — and counts only, never a
 * registrant's or a participant's name. Every answer is built field by field in service.ts.
 */

/** Visitors' registrations allowed per address per hour. */
export const REGISTRATIONS_PER_HOUR = 5;
