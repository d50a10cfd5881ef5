import { z } from 'zod';
import { IdSchema } from './common.js';

/**
 * 工作台 to-dos: what is due in an org's subtree, computed from the records (never stored), each pointing
 * to the web route where it is done. One to-do per org and kind, its count the length of the list it opens.
 */
export const TODO_KINDS = [
  'three_meetings', // 三会一课 requirements of a branch overdue or due soon
  'term_due', // 换届: an org's term ends within 90 days or has ended
  'probation_ending', // 预备党员 whose probation ends within 30 days (or has ended, not yet converted)
  'transfer_in', // 组织关系转入 waiting for this org
  'transfer_out', // 组织关系转出 started by this org, not finished
  'make_up', // 补学 tasks outstanding
  'service_review', // 办实事 projects waiting for this org's review
  'wish_moderation', // 微心愿 posted by residents waiting for moderation
  'venue_booking', // 阵地预约 waiting for confirmation
  'notice_unread', // published notices (last 90 days) that recipients have not read yet
  'election_step', // 换届 under way whose next step is this org's (请示, 选举大会; 批复 and 报备 for the orgs below)
  'grading_review', // 达标定级 rounds submitted or appealed, waiting for this org's grading (the branches below it)
  'grading_submit', // 达标定级 self-assessment of this branch not yet submitted
  'rectification_overdue', // 达标定级 rectification tasks of this branch past their deadline
  'responsibility_inspection', // responsibility items reported, waiting for this org's inspection (the level above the owner)
  'responsibility_overdue', // this org's responsibility items past their deadline
  'manual_score_review', // 考评 manual scores entered and waiting for this org's review: one to-do per scheme
] as const;
export const TodoKindSchema = z.enum(TODO_KINDS);
export type TodoKind = z.infer<typeof TodoKindSchema>;

export const TODO_SEVERITIES = ['overdue', 'due_soon', 'info'] as const;
export const TodoSeveritySchema = z.enum(TODO_SEVERITIES);
export type TodoSeverity = z.infer<typeof TodoSeveritySchema>;

/** A term ending within this many days is due soon; within TERM_NOTICE_DAYS it is shown as coming. */
export const TERM_DUE_SOON_DAYS = 30;
export const TERM_NOTICE_DAYS = 90;
/** Probation ending within this many days is a to-do (转正 is discussed before the year ends). */
export const PROBATION_NOTICE_DAYS = 30;

export const TodoSchema = z.object({
  kind: TodoKindSchema,
  orgId: IdSchema,
  orgName: z.string(),
  /** How many records the link opens (requirements, members, transfers, tasks, …). */
  count: z.number().int().min(1),
  /** The earliest date the work is due (China time), when the kind has one. */
  dueDate: z.iso.date().nullable(),
  severity: TodoSeveritySchema,
  /** The web route where the work is done, filtered to exactly the records counted. */
  link: z.string(),
  /** What the to-do is about, when it is one record (a notice's title). */
  subject: z.string().optional(),
  /** Out of how many, when the count is a share (a notice's recipients, of whom `count` have not read it). */
  outOf: z.number().int().optional(),
});
export type Todo = z.infer<typeof TodoSchema>;

/** One to-do of the 工作台 with the orgs it comes from (the first WORKBENCH_ORGS_SHOWN of them). */
export const WORKBENCH_ORGS_SHOWN = 20;
export const WorkbenchItemSchema = TodoSchema.extend({ orgs: z.array(TodoSchema), orgCount: z.number().int() });
export type WorkbenchItem = z.infer<typeof WorkbenchItemSchema>;

export const WorkbenchQuerySchema = z.object({ orgId: IdSchema.optional() });
export type WorkbenchQuery = z.infer<typeof WorkbenchQuerySchema>;

export const WorkbenchSchema = z.object({
  org: z.object({ id: IdSchema, name: z.string() }),
  /** The day the to-dos were computed for (China time). */
  asOf: z.iso.date(),
  /** Groups in urgency order (overdue, due soon, info); a group with no to-dos is left out. */
  groups: z.array(z.object({ severity: TodoSeveritySchema, items: z.array(WorkbenchItemSchema) })),
  /** The kinds this report covers (a kind whose records this site does not keep yet is not listed). */
  kinds: z.array(TodoKindSchema),
});
export type Workbench = z.infer<typeof WorkbenchSchema>;

// ---------- the member's home ----------

export const MemberHomeSchema = z.object({
  asOf: z.iso.date(),
  /** done: answered today; open: today's questions wait; none: no questions today (an empty question bank). */
  dailyQuiz: z.object({ status: z.enum(['done', 'open', 'none']), questionCount: z.number().int(), correctCount: z.number().int().nullable(), streak: z.number().int() }),
  /** Published activities the member is invited to that have not ended, soonest first (the first few; total counts all). */
  activities: z.object({
    total: z.number().int(),
    items: z.array(z.object({
      id: IdSchema, title: z.string(), type: z.string(), startsAt: z.string(), endsAt: z.string(), place: z.string().nullable(),
      myState: z.string().nullable(),
      /** Sign-in is open now and the member has not signed in. */
      canCheckInNow: z.boolean(),
    })),
  }),
  makeUp: z.object({ open: z.number().int(), items: z.array(z.object({ id: IdSchema, activityId: IdSchema, activityTitle: z.string(), startsAt: z.string() })) }),
  /** Study plans addressed to the member's org that run today and that the member has not finished. */
  studyPlans: z.object({ total: z.number().int(), items: z.array(z.object({ id: IdSchema, title: z.string(), endsOn: z.string(), itemCount: z.number().int(), doneCount: z.number().int() })) }),
  /** Exams open now with attempts left. */
  exams: z.object({ total: z.number().int(), items: z.array(z.object({ id: IdSchema, title: z.string(), closesAt: z.string(), attemptsLeft: z.number().int(), inProgress: z.boolean() })) }),
  /** Unread items of the member's inbox; null where the inbox is not available. */
  unreadNotices: z.number().int().nullable(),
  /** Own points this year and rank in the own branch (null: no points this year, so not ranked). */
  points: z.object({ thisYear: z.number().int(), rank: z.number().int().nullable(), rankedCount: z.number().int() }),
});
export type MemberHome = z.infer<typeof MemberHomeSchema>;
