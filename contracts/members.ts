import { z } from 'zod';
import { todayInChina } from './china-time.js';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';
import type { OrgType } from './orgs.js';

// ---------- vocabulary ----------

/** 发展党员: 入党申请人 → 积极分子 → 发展对象 → 预备党员 → 正式党员, one step at a time. */
export const MEMBER_STAGES = ['applicant', 'activist', 'candidate', 'probationary', 'full'] as const;
export const MemberStageSchema = z.enum(MEMBER_STAGES);
export type MemberStage = z.infer<typeof MemberStageSchema>;

/** The field that records the day each stage was reached (预备党员 = the day of joining). */
export const STAGE_DATE_FIELD = {
  applicant: 'appliedOn',
  activist: 'activistOn',
  candidate: 'candidateOn',
  probationary: 'joinedOn',
  full: 'convertedOn',
} as const satisfies Record<MemberStage, string>;
export type StageDateField = (typeof STAGE_DATE_FIELD)[MemberStage];
export const STAGE_DATE_FIELDS = MEMBER_STAGES.map((s) => STAGE_DATE_FIELD[s]);

/** Party members proper (正式 and 预备); the earlier stages are people in the pipeline. */
export const PARTY_MEMBER_STAGES: readonly MemberStage[] = ['probationary', 'full'];

export const GENDERS = ['male', 'female'] as const;
export const GenderSchema = z.enum(GENDERS);
export type Gender = z.infer<typeof GenderSchema>;

/** 学历, stored as these labels (the member roll's customary wording). */
export const EDUCATIONS = ['研究生（博士）', '研究生（硕士）', '大学本科', '大学专科', '中专', '高中', '初中及以下'] as const;
export const EducationSchema = z.enum(EDUCATIONS);
export type Education = z.infer<typeof EducationSchema>;

/**
 * Why a person leaves the party roll (党员名册). The record stays (soft state) for history:
 * 死亡, 出党 (开除党籍), 退党, 除名 (自行脱党/不合格党员), 停止党籍 (失联), 取消预备党员资格.
 */
export const LEAVE_REASONS = ['deceased', 'expelled', 'withdrawn', 'removed', 'membership_stopped', 'probation_revoked', 'other'] as const;
export const LeaveReasonSchema = z.enum(LEAVE_REASONS);
export type LeaveReason = z.infer<typeof LeaveReasonSchema>;

/**
 * Orgs that keep a member roll. A group (党小组) is a part of its branch, whose roll its members
 * are on; the work committee (机关工委) itself has no members of its own: its staff belong to
 * the committee office's own branch.
 */
export const MEMBER_ORG_TYPES: readonly OrgType[] = ['party_committee', 'organ_committee', 'general_branch', 'branch', 'temporary_branch'];

/** Mainland mobile numbers: 11 digits starting 13–19 (same rule as the server's MOBILE_PATTERN). */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;

// ---------- rules (pure: the server, the importer and the web forms share them) ----------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The same day `years` later (29 Feb → 1 Mar in a common year). */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y + years, m - 1, d)).toISOString().slice(0, 10);
}

/** The birth date written in a GB 11643 ID number (characters 7–14). */
export function birthDateOfIdNumber(id: string): string {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/**
 * What is wrong with a citizen ID number (GB 11643-1999), as a message key, or null when it is
 * valid: 18 characters, the ISO 7064 MOD 11-2 check character, a real birth date not in the future.
 */
export function idNumberProblem(id: string, today = todayInChina()): string | null {
  if (!/^\d{17}[\dX]$/.test(id)) return 'member.id_number_format';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  if (ID_CHECK[sum % 11] !== id[17]) return 'member.id_number_checksum';
  const birth = birthDateOfIdNumber(id);
  const parsed = new Date(`${birth}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== birth || birth < '1900-01-01' || birth > today) {
    return 'member.id_number_birth_date';
  }
  return null;
}

/** The facts the record rules look at. */
export interface MemberRecordFacts {
  stage: MemberStage;
  idNumber?: string | null;
  birthDate?: string | null;
  appliedOn?: string | null;
  activistOn?: string | null;
  candidateOn?: string | null;
  joinedOn?: string | null;
  convertedOn?: string | null;
}

export interface RecordProblem {
  path: string;
  key: string;
}

/**
 * The consistency rules of a member record (《中国共产党发展党员工作细则》):
 * - the date of the current stage is filled in (a full member also has the date of joining);
 * - no date of a stage not yet reached;
 * - the steps' dates in order, none in the future;
 * - 发展对象 only after a year or more as 积极分子 (细则 §13), 转正 only after a year of probation (党章 §7);
 * - 年满十八岁 at the first step (党章 §1);
 * - the birth date agrees with the ID number.
 * A date left out of a stage passed long ago (old records) is allowed.
 */
export function memberRecordProblems(r: MemberRecordFacts, today = todayInChina()): RecordProblem[] {
  const problems: RecordProblem[] = [];
  const reached = MEMBER_STAGES.indexOf(r.stage);
  let previous: string | null = null;
  let first: { field: StageDateField; date: string } | null = null;
  MEMBER_STAGES.forEach((stage, i) => {
    const field = STAGE_DATE_FIELD[stage];
    const date = r[field];
    if (i > reached) {
      if (date) problems.push({ path: field, key: 'member.date_beyond_stage' });
      return;
    }
    if (!date) {
      if (i === reached || (stage === 'probationary' && r.stage === 'full')) problems.push({ path: field, key: 'member.stage_date_required' });
      return;
    }
    first ??= { field, date };
    if (date > today) problems.push({ path: field, key: 'member.date_in_future' });
    else if (previous && date < previous) problems.push({ path: field, key: 'member.date_before_previous_step' });
    else if (stage === 'candidate' && r.activistOn && date < addYears(r.activistOn, 1)) problems.push({ path: field, key: 'member.candidate_too_early' });
    else if (stage === 'full' && r.joinedOn && date < addYears(r.joinedOn, 1)) problems.push({ path: field, key: 'member.conversion_too_early' });
    previous = date;
  });
  // before the schema's transform the birth date may still be only in the ID number
  const birthDate = r.birthDate ?? (r.idNumber && !idNumberProblem(r.idNumber, today) ? birthDateOfIdNumber(r.idNumber) : null);
  if (birthDate) {
    const firstStep = first as { field: StageDateField; date: string } | null;
    if (birthDate > today) problems.push({ path: 'birthDate', key: 'member.date_in_future' });
    else if (r.idNumber && !idNumberProblem(r.idNumber, today) && birthDateOfIdNumber(r.idNumber) !== birthDate) {
      problems.push({ path: 'birthDate', key: 'member.birth_date_mismatch' });
    } else if (firstStep && firstStep.date < addYears(birthDate, 18) && !problems.some((p) => p.path === firstStep.field)) {
      problems.push({ path: firstStep.field, key: 'member.under_18' });
    }
  }
  return problems;
}

// ---------- field schemas ----------

/** An ID number: spaces dropped, a trailing x read as X, then checked against GB 11643. */
export const IdNumberSchema = z
  .string()
  .transform((v) => v.replace(/\s+/g, '').toUpperCase())
  .superRefine((v, ctx) => {
    const key = idNumberProblem(v);
    if (key) ctx.addIssue({ code: 'custom', message: key, input: v });
  });

/** A mobile number: spaces, dashes and a leading +86 dropped; empty means none. */
export const PhoneSchema = z
  .string()
  .transform((v) => v.replace(/[\s-]/g, '').replace(/^\+?86(?=1\d{10}$)/, ''))
  .refine((v) => v === '' || MOBILE_PATTERN.test(v), { message: 'member.phone_invalid' })
  .transform((v) => (v === '' ? null : v))
  .nullable()
  .optional();

const optionalDate = DateSchema.nullable().optional();

const profileFields = {
  phone: PhoneSchema,
  education: EducationSchema.nullable().optional(),
  workUnit: optionalText(100),
  post: optionalText(50),
  residenceCommunity: optionalText(100),
};

const memberFields = {
  name: requiredText(50),
  gender: GenderSchema,
  ethnicity: requiredText(20),
  birthDate: optionalDate,
  idNumber: IdNumberSchema,
  ...profileFields,
  appliedOn: optionalDate,
  activistOn: optionalDate,
  candidateOn: optionalDate,
  joinedOn: optionalDate,
  convertedOn: optionalDate,
};

function addRecordProblems(value: MemberRecordFacts, ctx: z.RefinementCtx) {
  for (const p of memberRecordProblems(value)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.key, input: value });
}

/**
 * A new member, with every field rule, so that the importer validates a sheet row with
 * `CreateMemberSchema.safeParse(row)` exactly as the form is validated. Output: the ethnicity
 * defaults to 汉族 and a missing birth date is read from the ID number.
 */
export const CreateMemberSchema = z
  .strictObject({
    orgId: IdSchema,
    ...memberFields,
    ethnicity: memberFields.ethnicity.default('汉族'),
    stage: MemberStageSchema,
  })
  .superRefine(addRecordProblems)
  .transform((v) => ({ ...v, birthDate: v.birthDate ?? birthDateOfIdNumber(v.idNumber) }));
export type CreateMember = z.infer<typeof CreateMemberSchema>;

/**
 * Editing by an org admin. Not here: the org (组织关系转接, /transfers) and the stage (one step at
 * a time, POST /members/:id/stages). The dates of steps already taken may be corrected; the
 * merged record is checked against the same rules as a new one.
 */
export const UpdateMemberSchema = z.strictObject({
  name: memberFields.name.optional(),
  gender: memberFields.gender.optional(),
  ethnicity: memberFields.ethnicity.optional(),
  birthDate: memberFields.birthDate,
  idNumber: memberFields.idNumber.optional(),
  ...profileFields,
  appliedOn: optionalDate,
  activistOn: optionalDate,
  candidateOn: optionalDate,
  joinedOn: optionalDate,
  convertedOn: optionalDate,
});
export type UpdateMember = z.infer<typeof UpdateMemberSchema>;

/** What a member keeps up to date themself: contact and work details, not identity or party record. */
export const UpdateOwnProfileSchema = z.strictObject(profileFields);
export type UpdateOwnProfile = z.infer<typeof UpdateOwnProfileSchema>;

export const AdvanceStageSchema = z.strictObject({ stage: MemberStageSchema, date: DateSchema });
export type AdvanceStage = z.infer<typeof AdvanceStageSchema>;

export const LeaveMemberSchema = z.strictObject({ reason: LeaveReasonSchema, date: DateSchema, note: optionalText(500) });
export type LeaveMember = z.infer<typeof LeaveMemberSchema>;

export const REVEALABLE_FIELDS = ['idNumber', 'phone'] as const;
export const RevealSchema = z.strictObject({ field: z.enum(REVEALABLE_FIELDS) });
export type Reveal = z.infer<typeof RevealSchema>;
export const RevealedSchema = z.object({ value: z.string().nullable() });
export type Revealed = z.infer<typeof RevealedSchema>;

// ---------- list ----------

export const MEMBER_SORTS = ['name', 'joinedOn', 'birthDate', 'id'] as const;
/** Offset pagination stops here: deeper than this, narrow the list with filters (or export it). */
export const MAX_LIST_OFFSET = 10_000;

const stageList = z
  .string()
  .refine((v) => v.split(',').every((s) => (MEMBER_STAGES as readonly string[]).includes(s)), { message: 'member.stage_list_invalid' })
  .transform((v) => [...new Set(v.split(','))] as MemberStage[]);

export const MemberListQuerySchema = PageQuerySchema.extend({
  /** Name (简/繁), pinyin initials or full pinyin; or 4+ trailing digits of the ID or phone number. */
  q: z.string().trim().max(50).optional(),
  /** The org and its whole subtree. */
  orgId: IdSchema.optional(),
  /** One stage or several, comma-separated (e.g. `probationary,full` for party members). */
  stage: stageList.optional(),
  gender: GenderSchema.optional(),
  education: EducationSchema.optional(),
  joinedFrom: DateSchema.optional(),
  joinedTo: DateSchema.optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  /** active (default): on the roll; left: left the roll; all: both. */
  status: z.enum(['active', 'left', 'all']).default('active'),
  sort: z.enum(MEMBER_SORTS).default('name'),
  order: z.enum(['asc', 'desc']).default('asc'),
  /**
   * A page's `nextCursor` or `prevCursor` (opaque): the page after or before that one, found by its
   * sort key (keyset) however deep; `page` is then only the number shown. Name order only.
   */
  cursor: z.string().max(400).regex(/^[A-Za-z0-9_-]+$/, { message: 'member.cursor_invalid' }).optional(),
})
  .refine((q) => q.cursor !== undefined || (q.page - 1) * q.pageSize < MAX_LIST_OFFSET, { message: 'member.page_too_deep', path: ['page'] })
  .refine((q) => !q.joinedFrom || !q.joinedTo || q.joinedFrom <= q.joinedTo, { message: 'member.range_reversed', path: ['joinedTo'] })
  .refine((q) => q.ageMin === undefined || q.ageMax === undefined || q.ageMin <= q.ageMax, { message: 'member.range_reversed', path: ['ageMax'] });
export type MemberListQuery = z.infer<typeof MemberListQuerySchema>;

/**
 * The export's query: the list's filters (paging ignored). `reveal=1` writes full ID and phone
 * numbers — for the admins of the exported org only, with a reason that goes into the audit log.
 */
export const MemberExportQuerySchema = MemberListQuerySchema.safeExtend({
  reveal: z.enum(['0', '1']).default('0'),
  /** Why full numbers are needed (e.g. 报送上级党委换届选举材料); required with reveal=1. */
  reason: z.string().trim().max(200).optional(),
}).refine((q) => q.reveal === '0' || Boolean(q.reason), { message: 'member.export_reason_required', path: ['reason'] });
export type MemberExportQuery = z.infer<typeof MemberExportQuerySchema>;

// ---------- responses ----------

/** A row of the member list: personal data masked, never decrypted for a list. */
export const MemberSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  gender: GenderSchema,
  ethnicity: z.string(),
  birthDate: z.string().nullable(),
  /** e.g. 3201**********1234 */
  idNumberMasked: z.string().nullable(),
  /** e.g. 138****5678 */
  phoneMasked: z.string().nullable(),
  education: z.string().nullable(),
  workUnit: z.string().nullable(),
  post: z.string().nullable(),
  stage: MemberStageSchema,
  joinedOn: z.string().nullable(),
  convertedOn: z.string().nullable(),
  residenceCommunity: z.string().nullable(),
  /** Set when the person has left the party roll. */
  leftAt: z.string().nullable(),
});
export type Member = z.infer<typeof MemberSchema>;

/** Counting stops here: "10,000+" is all a list needs, and counting a city's 250,000 is not free. */
export const MEMBER_COUNT_CAP = 10_000;

export const MemberPageSchema = pageOf(MemberSchema).extend({
  /** True when more members match than were counted (`total` is then MEMBER_COUNT_CAP): show "10,000+". */
  isTotalCapped: z.boolean().optional(),
  /** In name order: the cursors of the pages after and before this one (null at either end). */
  nextCursor: z.string().nullable().optional(),
  prevCursor: z.string().nullable().optional(),
});
export type MemberPage = z.infer<typeof MemberPageSchema>;

export const StageEventSchema = z.object({
  id: IdSchema,
  stage: MemberStageSchema,
  occurredOn: z.string(),
  recordedByName: z.string().nullable(),
  recordedAt: z.string(),
});
export type StageEvent = z.infer<typeof StageEventSchema>;

export const MemberDetailSchema = MemberSchema.extend({
  orgPath: z.string(),
  appliedOn: z.string().nullable(),
  activistOn: z.string().nullable(),
  candidateOn: z.string().nullable(),
  leftOn: z.string().nullable(),
  leftReason: LeaveReasonSchema.nullable(),
  leftNote: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Each step of the pipeline, oldest first. */
  stageHistory: z.array(StageEventSchema),
  /** The step that may be recorded next, or null (full member, or left the roll). */
  nextStage: MemberStageSchema.nullable(),
  /** Earliest date allowed for the next step (a year as activist, a year of probation). */
  nextStageEarliest: z.string().nullable(),
  /** Whether the viewer administers this member's org (edit, advance, leave). */
  canManage: z.boolean(),
  /** Whether the viewer may see the full ID and phone numbers (each look is audited). */
  canReveal: z.boolean(),
});
export type MemberDetail = z.infer<typeof MemberDetailSchema>;
