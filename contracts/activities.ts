import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText, DateTimeSchema } from './common.js';
import { MemberStageSchema, PARTY_MEMBER_STAGES } from './members.js';

/** 三会一课 (the first four) and the other kinds of organizational life. */
export const ACTIVITY_TYPES = [
  'branch_general_meeting', 'branch_committee_meeting', 'group_meeting', 'party_lesson',
  'theme_day', 'oath_ceremony', 'party_birthday', 'seminar', 'open_lesson', 'live_lesson',
  // 组织生活会 (a branch's annual meeting with 批评与自我批评), 民主生活会 (a leading group's), 中心组学习
  'org_life_meeting', 'democratic_life_meeting', 'study_group',
] as const;
export const ActivityTypeSchema = z.enum(ACTIVITY_TYPES);
export type ActivityType = z.infer<typeof ActivityTypeSchema>;

export const THREE_MEETINGS_ONE_LESSON = ['branch_general_meeting', 'branch_committee_meeting', 'group_meeting', 'party_lesson'] as const;
export const CadenceTypeSchema = z.enum(THREE_MEETINGS_ONE_LESSON);
export type CadenceType = z.infer<typeof CadenceTypeSchema>;

/** Default cadence in months: 支部党员大会 and 党课 quarterly, 支委会 and 党小组会 monthly. */
export const DEFAULT_CADENCE_MONTHS: Record<CadenceType, number> = {
  branch_general_meeting: 3,
  branch_committee_meeting: 1,
  group_meeting: 1,
  party_lesson: 3,
};
/** A requirement is "due soon" when its period ends within this many days and it is not yet met. */
export const DUE_SOON_DAYS = 10;

export const ActivityStatusSchema = z.enum(['draft', 'published', 'closed', 'cancelled']);
export type ActivityStatus = z.infer<typeof ActivityStatusSchema>;
export const AttendanceStateSchema = z.enum(['invited', 'registered', 'leave', 'present', 'late', 'absent']);
export type AttendanceState = z.infer<typeof AttendanceStateSchema>;

/** The QR token changes every 30 s; the previous one is still taken for this many seconds. */
export const CHECK_IN_WINDOW_SECONDS = 30;
export const CHECK_IN_GRACE_SECONDS = 10;
export const CHECK_IN_CODE_MAX_FAILURES = 5;
/**
 * A sign-in made on a phone without a connection is kept with the time it was made and sent later:
 * the server takes it up to this many hours after the sign-in window closes (the next day's commute).
 */
export const OFFLINE_CHECK_IN_DELIVERY_HOURS = 24;
/** How far a phone's clock may be off from the server's before its recorded time is refused. */
export const CHECK_IN_CLOCK_SKEW_SECONDS = 120;


/** Who is invited: members of orgs (optionally their whole subtrees) in some stages, plus named persons. */
export const ParticipantSelectionSchema = z.strictObject({
  orgIds: z.array(IdSchema).max(200).default([]),
  includeSubOrgs: z.boolean().default(false),
  /** Stages of members of the selected orgs; party members (full and probationary) when omitted. */
  stages: z.array(MemberStageSchema).min(1).max(5).default([...PARTY_MEMBER_STAGES]),
  memberIds: z.array(IdSchema).max(2000).default([]),
});
export type ParticipantSelection = z.infer<typeof ParticipantSelectionSchema>;

/**
 * Only web addresses (http, https) and same-site paths ('/…', not '//host' or '/\\host') may be stored as
 * links: a stored `javascript:` or `data:` address would run in the browser of whoever opens it.
 */
export const isSafeLink = (url: string) => /^(https?:\/\/[^\s/?#\\]+|\/(?![/\\]))[^\s\\]*$/i.test(url);
export const SafeLinkSchema = z.string().trim().min(1).max(1000).refine(isSafeLink, { message: 'activity.url_unsafe' });

export const AttachmentSchema = z.strictObject({
  kind: z.enum(['photo', 'file']),
  name: requiredText(200),
  url: SafeLinkSchema,
});
/** As stored and answered: rows written before the link rule are answered as they are (the web links only safe ones). */
export const StoredAttachmentSchema = z.object({ kind: z.enum(['photo', 'file']), name: z.string(), url: z.string() });

/** A file uploaded to the record (photo or document), served to the activity's participants and managers. */
export const ActivityFileSchema = z.object({
  id: IdSchema,
  kind: z.enum(['photo', 'document']),
  fileName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number().int(),
  uploadedAt: z.string(),
  /** GET it for the bytes (participants and managers only). */
  url: z.string(),
});
export type ActivityFile = z.infer<typeof ActivityFileSchema>;
/** Upload limit per activity: enough for a meeting's photos and papers, not an archive dump. */
export const MAX_ACTIVITY_FILES = 50;

const plannedFields = {
  title: requiredText(200),
  topic: optionalText(500),
  agenda: optionalText(5000),
  startsAt: DateTimeSchema,
  endsAt: DateTimeSchema,
  place: optionalText(200),
  /** The platform venue it is held at (a booking names its own venue; without one, any active venue). */
  venueId: IdSchema.nullable().optional(),
  venueBookingId: IdSchema.nullable().optional(),
  hostName: optionalText(50),
  streamUrl: SafeLinkSchema.nullable().optional(),
  isPublic: z.boolean().optional(),
  asksBringAndTake: z.boolean().optional(),
  /** 第一议题: the meeting's first agenda item is studying the latest important speech. */
  isFirstTopic: z.boolean().optional(),
  checkInOpensAt: DateTimeSchema.optional(),
  checkInClosesAt: DateTimeSchema.optional(),
};

const endsAfterStart = (a: { startsAt?: string; endsAt?: string }) => !a.startsAt || !a.endsAt || Date.parse(a.endsAt) > Date.parse(a.startsAt);
const checkInInOrder = (a: { checkInOpensAt?: string; checkInClosesAt?: string }) =>
  !a.checkInOpensAt || !a.checkInClosesAt || Date.parse(a.checkInClosesAt) > Date.parse(a.checkInOpensAt);

export const CreateActivitySchema = z
  .strictObject({
    orgId: IdSchema,
    type: ActivityTypeSchema,
    ...plannedFields,
    participants: ParticipantSelectionSchema.optional(),
    /** A live class repeated weekly: this many copies, one week apart (the first included). */
    repeatWeeks: z.number().int().min(1).max(52).optional(),
  })
  .refine(endsAfterStart, { message: 'activity.end_before_start', path: ['endsAt'] })
  .refine(checkInInOrder, { message: 'activity.check_in_window_order', path: ['checkInClosesAt'] });
export type CreateActivity = z.infer<typeof CreateActivitySchema>;

export const UpdateActivitySchema = z
  .strictObject({
    title: plannedFields.title.optional(),
    topic: plannedFields.topic,
    agenda: plannedFields.agenda,
    startsAt: plannedFields.startsAt.optional(),
    endsAt: plannedFields.endsAt.optional(),
    place: plannedFields.place,
    venueId: plannedFields.venueId,
    venueBookingId: plannedFields.venueBookingId,
    hostName: plannedFields.hostName,
    streamUrl: plannedFields.streamUrl,
    isPublic: plannedFields.isPublic,
    asksBringAndTake: plannedFields.asksBringAndTake,
    isFirstTopic: plannedFields.isFirstTopic,
    checkInOpensAt: plannedFields.checkInOpensAt,
    checkInClosesAt: plannedFields.checkInClosesAt,
  })
  .refine(endsAfterStart, { message: 'activity.end_before_start', path: ['endsAt'] })
  .refine(checkInInOrder, { message: 'activity.check_in_window_order', path: ['checkInClosesAt'] });
export type UpdateActivity = z.infer<typeof UpdateActivitySchema>;

export const AddParticipantsSchema = ParticipantSelectionSchema;

export const RecordActivitySchema = z.strictObject({
  minutes: optionalText(50_000),
  resolutions: optionalText(10_000),
  summary: optionalText(10_000),
  recordingUrl: SafeLinkSchema.nullable().optional(),
  attachments: z.array(AttachmentSchema).max(50).optional(),
});
export type RecordActivity = z.infer<typeof RecordActivitySchema>;

export const CancelActivitySchema = z.strictObject({ reason: requiredText(200) });
export const LeaveRequestSchema = z.strictObject({ reason: requiredText(200) });

/** Sign-in by the member: the token of the rotating QR code, or the 6-digit code. */
export const CheckInSchema = z
  .strictObject({
    token: z.string().trim().min(1).max(100).optional(),
    code: z.string().trim().regex(/^\d{6}$/, { message: 'activity.code_format' }).optional(),
    /** Set only by a phone that signed in offline and delivers it later: when the member signed in (its own clock). */
    madeAt: DateTimeSchema.optional(),
  })
  .refine((b) => (b.token === undefined) !== (b.code === undefined), { message: 'activity.token_or_code', path: ['token'] });
export type CheckIn = z.infer<typeof CheckInSchema>;

/** The organizer marks a member's attendance. */
export const MarkAttendanceSchema = z.strictObject({
  memberId: IdSchema,
  state: z.enum(['present', 'late', 'leave', 'absent']),
  leaveReason: optionalText(200),
});
export type MarkAttendance = z.infer<typeof MarkAttendanceSchema>;

export const BringSchema = z.strictObject({
  idea: optionalText(2000),
  opinion: optionalText(2000),
  volunteerProposal: optionalText(2000),
});
export const TakeAwaySchema = z.strictObject({ takeaway: requiredText(2000) });

/** 四落实: people (attendance), time, content (minutes), effect (summary). */
export const FourEnsuredSchema = z.object({
  people: z.boolean(),
  time: z.boolean(),
  content: z.boolean(),
  effect: z.boolean(),
  /** Attended (present or late) over expected (invited minus those on leave); null when nobody is expected. */
  attendanceRate: z.number().nullable(),
});

export const AttendanceCountsSchema = z.object({
  invited: z.number().int(),
  registered: z.number().int(),
  leave: z.number().int(),
  present: z.number().int(),
  late: z.number().int(),
  absent: z.number().int(),
  total: z.number().int(),
});

export const ActivitySchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  orgPath: z.string(),
  type: ActivityTypeSchema,
  title: z.string(),
  topic: z.string().nullable(),
  agenda: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  venueId: IdSchema.nullable(),
  venueBookingId: IdSchema.nullable(),
  hostName: z.string().nullable(),
  streamUrl: z.string().nullable(),
  seriesId: IdSchema.nullable(),
  isPublic: z.boolean(),
  asksBringAndTake: z.boolean(),
  /** 第一议题. */
  isFirstTopic: z.boolean(),
  status: ActivityStatusSchema,
  checkInOpensAt: z.string(),
  checkInClosesAt: z.string(),
  minutes: z.string().nullable(),
  resolutions: z.string().nullable(),
  summary: z.string().nullable(),
  recordingUrl: z.string().nullable(),
  attachments: z.array(StoredAttachmentSchema),
  /** Uploaded photos and documents; empty for a viewer who is neither a participant nor a manager. */
  files: z.array(ActivityFileSchema),
  publishedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  cancelledAt: z.string().nullable(),
  cancelReason: z.string().nullable(),
  attendance: AttendanceCountsSchema,
  fourEnsured: FourEnsuredSchema,
  /** Ended and not all four are recorded: flagged in lists. */
  isIncomplete: z.boolean(),
  canManage: z.boolean(),
  /** The viewer's own participation, when invited. */
  myState: AttendanceStateSchema.nullable(),
});
export type Activity = z.infer<typeof ActivitySchema>;
export const ActivityPageSchema = pageOf(ActivitySchema);
export type ActivityPage = z.infer<typeof ActivityPageSchema>;

export const ActivityListQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema.optional(),
  type: ActivityTypeSchema.optional(),
  status: ActivityStatusSchema.optional(),
  from: DateTimeSchema.optional(),
  to: DateTimeSchema.optional(),
  q: z.string().trim().max(50).optional(),
  /** Only ended activities missing one of the 四落实. */
  incomplete: z.enum(['1', 'true']).optional(),
  /** Only those the viewer is invited to. */
  mine: z.enum(['1', 'true']).optional(),
  /** Only meetings marked 第一议题 (or, with 0/false, only those not marked). */
  firstTopic: z.enum(['1', 'true', '0', 'false']).optional(),
});
export type ActivityListQuery = z.infer<typeof ActivityListQuerySchema>;

export const ParticipantSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  orgName: z.string(),
  state: AttendanceStateSchema,
  registeredAt: z.string().nullable(),
  leaveReason: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  checkInMethod: z.enum(['qr', 'code', 'organizer']).nullable(),
  readAt: z.string().nullable(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const CheckInCodeSchema = z.object({
  /** Put in the QR code; valid for the current 30-second window (plus a short grace). */
  token: z.string(),
  /** The page the member's phone opens: it posts the token to /api/activities/:id/check-in. */
  url: z.string(),
  expiresAt: z.string(),
  windowSeconds: z.number().int(),
  code: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
});

export const CheckInResultSchema = z.object({
  state: AttendanceStateSchema,
  checkedInAt: z.string(),
  /** The sign-in was made offline and delivered later (checkedInAt is when it was made). */
  deliveredOffline: z.boolean().optional(),
});
export type CheckInResult = z.infer<typeof CheckInResultSchema>;

export const ContributionSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  idea: z.string().nullable(),
  opinion: z.string().nullable(),
  volunteerProposal: z.string().nullable(),
  broughtAt: z.string().nullable(),
  takeaway: z.string().nullable(),
  tookAwayAt: z.string().nullable(),
});

export const InboxItemSchema = z.object({
  activityId: IdSchema,
  title: z.string(),
  type: ActivityTypeSchema,
  orgName: z.string(),
  startsAt: z.string(),
  place: z.string().nullable(),
  status: ActivityStatusSchema,
  myState: AttendanceStateSchema,
  isRead: z.boolean(),
});
export const InboxSchema = z.object({ items: z.array(InboxItemSchema), unread: z.number().int() });

export const MakeUpTaskSchema = z.object({
  id: IdSchema,
  activityId: IdSchema,
  activityTitle: z.string(),
  activityType: ActivityTypeSchema,
  startsAt: z.string(),
  memberId: IdSchema,
  memberName: z.string(),
  reason: z.enum(['absent', 'leave']),
  status: z.enum(['open', 'done']),
  note: z.string().nullable(),
  doneAt: z.string().nullable(),
  hasRecording: z.boolean(),
});
export const MakeUpTaskListQuerySchema = PageQuerySchema.extend({
  /** Tasks of this org's subtree (admins); without it, the viewer's own tasks. */
  orgId: IdSchema.optional(),
  activityId: IdSchema.optional(),
  status: z.enum(['open', 'done']).optional(),
});
export const MakeUpTaskPageSchema = pageOf(MakeUpTaskSchema);
export const CompleteMakeUpSchema = z.strictObject({ note: optionalText(2000) });

/** A district has thousands of unit × requirement rows: the report is paged, what needs attention first. */
export const ComplianceQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema,
  /** The day the report is computed for (Asia/Shanghai); today when omitted. */
  asOf: DateSchema.optional(),
  status: z.enum(['done', 'pending', 'due_soon', 'overdue']).optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const ComplianceItemSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  orgPath: z.string(),
  type: CadenceTypeSchema,
  periodMonths: z.number().int(),
  periodStart: z.string(),
  periodEnd: z.string(),
  heldThisPeriod: z.number().int(),
  heldLastPeriod: z.number().int(),
  lastHeldAt: z.string().nullable(),
  /** done: met this period; overdue: missed last period and not yet met this one; due_soon: period ends within DUE_SOON_DAYS. */
  status: z.enum(['done', 'pending', 'due_soon', 'overdue']),
});
export const ComplianceReportSchema = z.object({
  asOf: z.string(),
  /** The page's rows: overdue, then due soon, pending and done; within each, in tree order. */
  items: z.array(ComplianceItemSchema),
  /** Rows matching the status filter (all rows without one). */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Over every row of the subtree, whatever the filter and page. */
  summary: z.object({
    done: z.number().int(), pending: z.number().int(), dueSoon: z.number().int(), overdue: z.number().int(),
    /**
     * The units (branches, groups) of the subtree, each counted once by its most pressing requirement:
     * overdue, due soon, all held (every requirement held this period), or none due yet (nothing overdue or
     * due soon, but some not held yet while time remains). "Nothing urgent" is not "all held".
     */
    units: z.object({ total: z.number().int(), allHeld: z.number().int(), noneDueYet: z.number().int(), dueSoon: z.number().int(), overdue: z.number().int() }),
  }),
});
export type ComplianceItem = z.infer<typeof ComplianceItemSchema>;

export const ComplianceRulesSchema = z.object({
  orgId: IdSchema,
  rules: z.array(z.object({ type: CadenceTypeSchema, periodMonths: z.number().int(), source: z.enum(['default', 'inherited', 'own']) })),
});
export const SetComplianceRulesSchema = z.strictObject({
  rules: z.array(z.strictObject({ type: CadenceTypeSchema, periodMonths: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(6), z.literal(12)]).nullable() })).min(1).max(4),
});

export const BirthdayQuerySchema = z.object({
  orgId: IdSchema,
  /** YYYY-MM; this month (Asia/Shanghai) when omitted. */
  month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'field.month' }).optional(),
});
export const BirthdayMemberSchema = z.object({ memberId: IdSchema, name: z.string(), orgName: z.string(), joinedOn: z.string(), years: z.number().int() });
export const CreateBirthdayActivitySchema = z
  .strictObject({
    orgId: IdSchema,
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'field.month' }),
    title: requiredText(200).optional(),
    startsAt: DateTimeSchema,
    endsAt: DateTimeSchema,
    place: optionalText(200),
    hostName: optionalText(50),
  })
  .refine(endsAfterStart, { message: 'activity.end_before_start', path: ['endsAt'] });

export const CalendarQuerySchema = z
  .object({ from: DateTimeSchema, to: DateTimeSchema })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from) && Date.parse(q.to) - Date.parse(q.from) <= 62 * 86_400_000, { message: 'calendar.range', path: ['to'] });
export const CalendarEventSchema = z.object({
  kind: z.enum(['activity', 'booking']),
  id: IdSchema,
  title: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  status: z.string(),
  activityType: ActivityTypeSchema.nullable(),
});
export const CalendarSchema = z.object({ items: z.array(CalendarEventSchema) });
export const CalendarFeedSchema = z.object({ url: z.string() });
/** Only the secret's hash is kept, so an issued address cannot be shown again: only whether one exists. */
export const CalendarFeedStatusSchema = z.object({ exists: z.boolean(), issuedAt: z.string().nullable() });

/** An open class shown to the public (no sign-in, no participants' data). */
export const PublicOpenLessonSchema = z.object({
  id: IdSchema,
  title: z.string(),
  topic: z.string().nullable(),
  orgName: z.string(),
  hostName: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  place: z.string().nullable(),
  streamUrl: z.string().nullable(),
});

/** 导出出勤记录: every participant of the activities of an org's subtree held in a year (China's calendar year). */
export const AttendanceExportQuerySchema = z.object({ orgId: IdSchema, year: z.coerce.number().int().min(2000).max(2199) });
export type AttendanceExportQuery = z.infer<typeof AttendanceExportQuerySchema>;

/** The meetings that record 批评与自我批评, one record per participant. */
export const CRITICISM_TYPES = ['org_life_meeting', 'democratic_life_meeting'] as const satisfies readonly ActivityType[];

export const SaveCriticismSchema = z.strictObject({
  /** 自我批评: what the member said of their own shortcomings. */
  selfCriticism: requiredText(5000),
  /** 相互批评: the criticisms the member received. */
  criticismsReceived: optionalText(5000),
  /** 整改承诺: what the member commits to put right. */
  rectification: optionalText(5000),
});
export type SaveCriticism = z.infer<typeof SaveCriticismSchema>;
export const CriticismParamsSchema = z.object({ id: IdSchema, memberId: IdSchema });
export const CriticismSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  selfCriticism: z.string(),
  criticismsReceived: z.string().nullable(),
  rectification: z.string().nullable(),
  updatedAt: z.string(),
});
export type Criticism = z.infer<typeof CriticismSchema>;

/** The annual 组织生活会: branches of the subtree that held none in the year. */
export const OrgLifeDueQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional(), year: z.coerce.number().int().min(2000).max(2199).optional() });
export type OrgLifeDueQuery = z.infer<typeof OrgLifeDueQuerySchema>;
export const OrgLifeDueItemSchema = z.object({ orgId: IdSchema, orgName: z.string(), orgType: z.string(), lastHeldAt: z.string().nullable() });
export const OrgLifeDuePageSchema = pageOf(OrgLifeDueItemSchema).extend({ year: z.number().int() });
export type OrgLifeDuePage = z.infer<typeof OrgLifeDuePageSchema>;
