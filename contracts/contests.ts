import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf, requiredText, DateTimeSchema } from './common.js';
import { QuestionTypeSchema, ResponseSchema } from './exams.js';


export const CreateContestSchema = z
  .strictObject({
    orgId: IdSchema,
    paperId: IdSchema,
    title: requiredText(100),
    startsAt: DateTimeSchema,
    endsAt: DateTimeSchema,
    timeLimitSeconds: z.number().int().min(10).max(86_400),
    /** Who may enter: a tree (an org with its subtree) or a list of orgs. */
    orgs: z.array(z.strictObject({ orgId: IdSchema, includeSubtree: z.boolean().default(true) })).min(1).max(500),
  })
  .refine((c) => Date.parse(c.endsAt) > Date.parse(c.startsAt), { message: 'contest.ends_before_starts', path: ['endsAt'] });
export type CreateContest = z.infer<typeof CreateContestSchema>;

/** Before the contest starts: only the fields sent change; the same rules as when setting it up. */
export const UpdateContestSchema = z
  .strictObject({
    title: requiredText(100).optional(),
    paperId: IdSchema.optional(),
    startsAt: DateTimeSchema.optional(),
    endsAt: DateTimeSchema.optional(),
    timeLimitSeconds: z.number().int().min(10).max(86_400).optional(),
    orgs: z.array(z.strictObject({ orgId: IdSchema, includeSubtree: z.boolean().default(true) })).min(1).max(500).optional(),
  })
  .refine((c) => !c.startsAt || !c.endsAt || Date.parse(c.endsAt) > Date.parse(c.startsAt), { message: 'contest.ends_before_starts', path: ['endsAt'] });
export type UpdateContest = z.infer<typeof UpdateContestSchema>;

/** Before or while it runs, never after it ended; the reason is shown to everyone who sees the contest. */
export const CancelContestSchema = z.strictObject({ reason: requiredText(500) });
export type CancelContest = z.infer<typeof CancelContestSchema>;

export const ContestSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.enum(['upcoming', 'open', 'closed']),
  timeLimitSeconds: z.number().int(),
  entryCount: z.number().int(),
  myEntry: z.object({
    id: IdSchema, status: z.enum(['in_progress', 'submitted']), score: z.number().int().nullable(), durationMs: z.number().int().nullable(),
    /** The viewer's place on the whole board (score, then time taken), once submitted. */
    rank: z.number().int().nullable(),
  }).nullable(),
  /** May the viewer see results by person and org (an organizer of the contest's org)? */
  isOrganizer: z.boolean(),
  /** May the viewer take part (a member of a listed org or its subtree)? */
  isEntrant: z.boolean(),
  paperId: IdSchema,
  /** The orgs whose members may enter. */
  orgs: z.array(z.object({ orgId: IdSchema, orgName: z.string(), includeSubtree: z.boolean() })),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
});
export type Contest = z.infer<typeof ContestSchema>;
export const ContestPageSchema = pageOf(ContestSchema);
export const ContestListQuerySchema = PageQuerySchema;

export const EntrySchema = z.object({
  id: IdSchema,
  contestId: IdSchema,
  startedAt: z.string(),
  deadlineAt: z.string(),
  submittedAt: z.string().nullable(),
  score: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  questions: z.array(z.object({ id: IdSchema, type: QuestionTypeSchema, stem: z.string(), score: z.number().int(), options: z.array(z.object({ key: z.string(), text: z.string() })), blankCount: z.number().int() })),
});
export type Entry = z.infer<typeof EntrySchema>;

/** Answers only: the server grades and times them. */
export const SubmitEntrySchema = z.strictObject({ answers: z.array(z.strictObject({ questionId: IdSchema, response: ResponseSchema })).max(300) });
export type SubmitEntry = z.infer<typeof SubmitEntrySchema>;

export const LeaderboardLineSchema = z.object({ rank: z.number().int(), memberId: IdSchema, memberName: z.string(), orgName: z.string(), score: z.number().int(), durationMs: z.number().int() });
export const ContestLeaderboardSchema = z.object({ contestId: IdSchema, status: z.enum(['upcoming', 'open', 'closed']), items: z.array(LeaderboardLineSchema), entryCount: z.number().int(),
  /** A cancelled contest's live board closes. */
  cancelledAt: z.string().nullable() });
export type ContestLeaderboard = z.infer<typeof ContestLeaderboardSchema>;
export const LeaderboardQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });

/** After (or during) the round, for its organizers: every submitted entry, and a roll-up by each entrant's org. */
export const ContestResultsSchema = z.object({
  contestId: IdSchema,
  status: z.enum(['upcoming', 'open', 'closed']),
  people: z.array(LeaderboardLineSchema.extend({ orgId: IdSchema.nullable() })),
  orgs: z.array(z.object({ orgId: IdSchema, orgName: z.string(), participants: z.number().int(), averageScore: z.number(), topScore: z.number().int() })),
});
export type ContestResults = z.infer<typeof ContestResultsSchema>;
