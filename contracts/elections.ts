import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/** 等额 (as many candidates as seats) or 差额 (more candidates than seats). */
export const ElectionMethodSchema = z.enum(['equal', 'competitive']);
export type ElectionMethod = z.infer<typeof ElectionMethodSchema>;
/** 书记 / 副书记 / 委员. */
export const CommitteeRoleSchema = z.enum(['secretary', 'deputy_secretary', 'committee_member']);
export type CommitteeRole = z.infer<typeof CommitteeRoleSchema>;

/** The steps of an election in their order: 请示 → 批复 (level above) → 选举大会 → 报备 (accepted by the level above). */
export const ELECTION_STEPS = ['request', 'approval', 'congress', 'filing'] as const;
export const ElectionStepSchema = z.enum(ELECTION_STEPS);
export type ElectionStep = z.infer<typeof ElectionStepSchema>;
/** Steps recorded by the level above the org (its parent's administrators). */
export const STEPS_OF_LEVEL_ABOVE: readonly ElectionStep[] = ['approval', 'filing'];

/** The due lists: terms ending within 90, 60 or 30 days (today included), or already ended. */
export const DueWindowSchema = z.enum(['90', '60', '30', 'overdue']);
export type DueWindow = z.infer<typeof DueWindowSchema>;
export const DUE_WINDOW_DAYS: Record<Exclude<DueWindow, 'overdue'>, number> = { 90: 90, 60: 60, 30: 30 };

export const CommitteeMemberInputSchema = z.strictObject({
  memberId: IdSchema,
  role: CommitteeRoleSchema,
  votes: z.number().int().min(0).max(1_000_000).nullable().optional(),
});

const electionResult = {
  termYears: z.number().int().min(1).max(10),
  method: ElectionMethodSchema,
  votersCount: z.number().int().min(1).max(1_000_000),
  votesCast: z.number().int().min(0).max(1_000_000),
  committee: z.array(CommitteeMemberInputSchema).min(1).max(50),
};
const castNotAboveVoters = (b: { votersCount: number; votesCast: number }) => b.votesCast <= b.votersCount;

/** A past term from the archive (the election before the platform). */
export const RecordTermSchema = z
  .strictObject({ orgId: IdSchema, electedOn: DateSchema, ...electionResult, note: optionalText(1000) })
  .refine(castNotAboveVoters, { message: 'election.votes_cast_above_voters', path: ['votesCast'] });
export type RecordTerm = z.infer<typeof RecordTermSchema>;

export const CommitteeMemberSchema = z.object({ memberId: IdSchema, name: z.string(), role: CommitteeRoleSchema, votes: z.number().int().nullable() });
export type CommitteeMember = z.infer<typeof CommitteeMemberSchema>;

export const OrgTermSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  electedOn: z.string(),
  termYears: z.number().int(),
  endsOn: z.string(),
  method: ElectionMethodSchema,
  votersCount: z.number().int(),
  votesCast: z.number().int(),
  procedureId: IdSchema.nullable(),
  /** 报备 accepted on; null while the election waits for it. */
  filedOn: z.string().nullable(),
  note: z.string().nullable(),
  committee: z.array(CommitteeMemberSchema),
  /** The term the org is in now (the newest filed one). */
  isCurrent: z.boolean(),
});
export type OrgTerm = z.infer<typeof OrgTermSchema>;
export const OrgTermPageSchema = pageOf(OrgTermSchema);
export type OrgTermPage = z.infer<typeof OrgTermPageSchema>;
export const TermListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema });
export type TermListQuery = z.infer<typeof TermListQuerySchema>;

export const StartProcedureSchema = z.strictObject({ orgId: IdSchema, note: optionalText(1000) });
export type StartProcedure = z.infer<typeof StartProcedureSchema>;

const stepFields = { doneOn: DateSchema, documentNo: optionalText(100), documentTitle: requiredText(200), note: optionalText(1000) };
/** 请示, 批复 and 报备: the date and the document. */
export const RecordStepSchema = z.strictObject(stepFields);
export type RecordStep = z.infer<typeof RecordStepSchema>;
/** 选举大会: the date (the new term's start), the document and the result. */
export const RecordCongressSchema = z.strictObject({ ...stepFields, ...electionResult })
  .refine(castNotAboveVoters, { message: 'election.votes_cast_above_voters', path: ['votesCast'] });
export type RecordCongress = z.infer<typeof RecordCongressSchema>;
/** A step's document: the procedure and the step it belongs to. */
export const StepFileParamsSchema = z.object({ id: IdSchema, step: ElectionStepSchema });
export const StepFileDownloadParamsSchema = z.object({ id: IdSchema, fileId: IdSchema });
export const CancelProcedureSchema = z.strictObject({ reason: requiredText(200) });

export const ElectionStepRecordSchema = z.object({
  step: ElectionStepSchema,
  doneOn: z.string(),
  documentNo: z.string().nullable(),
  documentTitle: z.string(),
  note: z.string().nullable(),
  recordedAt: z.string(),
  /** The step's documents as uploaded (scans, office files), oldest first. */
  files: z.array(z.object({ id: IdSchema, fileName: z.string(), kind: z.enum(['photo', 'document']), sizeBytes: z.number().int() })),
});
export type ElectionStepRecord = z.infer<typeof ElectionStepRecordSchema>;

export const ProcedureStatusSchema = z.enum(['in_progress', 'completed', 'cancelled']);
export type ProcedureStatus = z.infer<typeof ProcedureStatusSchema>;

export const ElectionProcedureSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  replacesTermEnd: z.string().nullable(),
  status: ProcedureStatusSchema,
  termId: IdSchema.nullable(),
  note: z.string().nullable(),
  cancelReason: z.string().nullable(),
  steps: z.array(ElectionStepRecordSchema),
  /** The step to record next (null once completed or cancelled). */
  nextStep: ElectionStepSchema.nullable(),
  /** Whether the viewer may record the next step (the org's admins: 请示, 选举大会; the level above: 批复, 报备). */
  canRecordNext: z.boolean(),
  /** The recorded steps the viewer may add documents to (whoever records a step attaches its documents). */
  fileSteps: z.array(ElectionStepSchema),
  createdAt: z.string(),
});
export type ElectionProcedure = z.infer<typeof ElectionProcedureSchema>;
export const ElectionProcedurePageSchema = pageOf(ElectionProcedureSchema);
export type ElectionProcedurePage = z.infer<typeof ElectionProcedurePageSchema>;
export const ProcedureListQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema.optional(), status: ProcedureStatusSchema.optional(),
  /** 1: elections under way whose next step waits for an org of the subtree (请示/选举大会 the org's, 批复/报备 its parent's): the 工作台's to-do. */
  waiting: z.literal('1').optional(),
});
export type ProcedureListQuery = z.infer<typeof ProcedureListQuerySchema>;

export const DueListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional(), window: DueWindowSchema.default('90') });
export type DueListQuery = z.infer<typeof DueListQuerySchema>;
export const DueOrgSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  orgType: z.string(),
  termStart: z.string().nullable(),
  termEnd: z.string(),
  /** Days from today (China) to the term's end; negative when overdue. */
  daysLeft: z.number().int(),
  isOverdue: z.boolean(),
  /** The election under way, if any. */
  procedureId: IdSchema.nullable(),
  procedureNextStep: ElectionStepSchema.nullable(),
});
export type DueOrg = z.infer<typeof DueOrgSchema>;
export const DueOrgPageSchema = pageOf(DueOrgSchema);
export type DueOrgPage = z.infer<typeof DueOrgPageSchema>;
export const DueSummaryQuerySchema = z.object({ orgId: IdSchema.optional() });
/** Each figure is the total of the due list it opens. */
export const DueSummarySchema = z.object({ within90: z.number().int(), within60: z.number().int(), within30: z.number().int(), overdue: z.number().int() });
export type DueSummary = z.infer<typeof DueSummarySchema>;
