import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 党费 (party dues) by the 2008 regulation. Money is in integer fen everywhere; months are 'YYYY-MM'.
 */

export const MonthSchema = z.string().regex(/^(19\d\d|2[01]\d\d)-(0[1-9]|1[0-2])$/, { message: 'dues.month_format' });
const YearSchema = z.coerce.number().int().min(2000).max(2199);
const FenSchema = z.number().int().min(0).max(100_000_000_000);
const PositiveFenSchema = z.number().int().min(1).max(100_000_000_000);

export const DuesCategorySchema = z.enum(['employed', 'retired', 'student', 'unemployed', 'relief', 'rural']);
export type DuesCategory = z.infer<typeof DuesCategorySchema>;
export const DUES_CATEGORY_LABELS: Record<DuesCategory, string> = {
  employed: '在职', retired: '离退休', student: '学生', unemployed: '下岗失业', relief: '低保/救济', rural: '农民',
};
/** Categories whose bill is a rate of a monthly income (the base). */
export const RATED_CATEGORIES: readonly DuesCategory[] = ['employed', 'retired'];

export const PaymentMethodSchema = z.enum(['cash', 'transfer', 'payroll', 'online']);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;
export const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = { cash: '现金', transfer: '转账', payroll: '工资代扣', online: '线上支付' };

export const RateRuleSchema = z.object({
  id: IdSchema,
  category: DuesCategorySchema,
  validFrom: z.string(),
  validTo: z.string().nullable(),
  aboveFen: z.number().int(),
  upToFen: z.number().int().nullable(),
  rateBp: z.number().int().nullable(),
  fixedFen: z.number().int().nullable(),
  minFen: z.number().int().nullable(),
  maxFen: z.number().int().nullable(),
  note: z.string().nullable(),
});
export type RateRule = z.infer<typeof RateRuleSchema>;
export const RateRuleListSchema = z.object({ items: z.array(RateRuleSchema) });

/* ---------- bases ---------- */

export const SetBaseSchema = z
  .strictObject({
    year: z.number().int().min(2000).max(2199),
    category: DuesCategorySchema,
    /** Monthly after-tax wage (employed) or pension (retired). */
    baseFen: FenSchema.nullable().optional(),
    /** Rural members: the monthly amount the branch chose within the rule's range. */
    chosenFen: FenSchema.nullable().optional(),
    /** From this month of the year (a change during the year, decided by the branch). Default: January. */
    effectiveMonth: MonthSchema.optional(),
    decidedOn: DateSchema.nullable().optional(),
    note: optionalText(200),
  })
  .superRefine((b, ctx) => {
    const rated = RATED_CATEGORIES.includes(b.category);
    if (rated && b.baseFen == null) ctx.addIssue({ code: 'custom', path: ['baseFen'], message: 'field.required' });
    if (!rated && b.baseFen != null) ctx.addIssue({ code: 'custom', path: ['baseFen'], message: 'dues.base_not_for_category' });
    if (b.category === 'rural' && b.chosenFen == null) ctx.addIssue({ code: 'custom', path: ['chosenFen'], message: 'field.required' });
    if (b.category !== 'rural' && b.chosenFen != null) ctx.addIssue({ code: 'custom', path: ['chosenFen'], message: 'dues.chosen_only_rural' });
    if (b.effectiveMonth && Number(b.effectiveMonth.slice(0, 4)) !== b.year) ctx.addIssue({ code: 'custom', path: ['effectiveMonth'], message: 'dues.month_outside_year' });
    if (b.effectiveMonth && !b.effectiveMonth.endsWith('-01') && !b.decidedOn) ctx.addIssue({ code: 'custom', path: ['decidedOn'], message: 'dues.change_needs_decision' });
  });
export type SetBase = z.infer<typeof SetBaseSchema>;

export const BaseListQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema,
  year: YearSchema,
  q: z.string().trim().max(50).optional(),
  /** 'missing': members who pay dues but have no base for the year. */
  filter: z.enum(['all', 'missing']).default('all'),
});
export type BaseListQuery = z.infer<typeof BaseListQuerySchema>;

export const MemberBaseSchema = z.object({
  memberId: IdSchema,
  memberName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  stage: z.enum(['probationary', 'full']),
  /** The row in force in the latest month of the year that has one; null when none is set. */
  category: DuesCategorySchema.nullable(),
  baseFen: z.number().int().nullable(),
  chosenFen: z.number().int().nullable(),
  effectiveMonth: z.string().nullable(),
  /** What a month costs at this base under the rules in force (before any reduction). */
  monthlyFen: z.number().int().nullable(),
  changes: z.number().int(),
});
export type MemberBase = z.infer<typeof MemberBaseSchema>;
export const MemberBasePageSchema = pageOf(MemberBaseSchema);

export const BaseImportResultSchema = z.object({
  imported: z.number().int(),
  rows: z.array(z.object({ row: z.number().int(), memberId: z.string().nullable(), name: z.string().nullable(), ok: z.boolean(), message: z.string().nullable(), monthlyFen: z.number().int().nullable() })),
});
export type BaseImportResult = z.infer<typeof BaseImportResultSchema>;

/* ---------- bills ---------- */

export const GenerateBillsSchema = z
  .strictObject({ orgId: IdSchema, fromMonth: MonthSchema, toMonth: MonthSchema.optional() })
  .refine((g) => !g.toMonth || g.toMonth >= g.fromMonth, { path: ['toMonth'], message: 'dues.to_before_from' })
  .refine((g) => !g.toMonth || Number(g.toMonth.slice(0, 4)) * 12 + Number(g.toMonth.slice(5)) - (Number(g.fromMonth.slice(0, 4)) * 12 + Number(g.fromMonth.slice(5))) < 12, { path: ['toMonth'], message: 'dues.range_too_long' });
export type GenerateBills = z.infer<typeof GenerateBillsSchema>;
export const GenerateBillsResultSchema = z.object({
  created: z.number().int(),
  /** Bills that existed already (made before; never re-priced by generation). */
  existing: z.number().int(),
  /** Member-months without a base for the month's year: no bill until it is set. */
  missingBase: z.number().int(),
  dueFen: z.number().int(),
});
export type GenerateBillsResult = z.infer<typeof GenerateBillsResultSchema>;

export const BillStatusSchema = z.enum(['unpaid', 'paid', 'exempt']);
export const BillSchema = z.object({
  id: IdSchema,
  memberId: IdSchema,
  memberName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  month: z.string(),
  category: DuesCategorySchema,
  baseFen: z.number().int().nullable(),
  rateBp: z.number().int().nullable(),
  dueFen: z.number().int(),
  paidFen: z.number().int(),
  status: BillStatusSchema,
  reduced: z.boolean(),
});
export type Bill = z.infer<typeof BillSchema>;
export const BillListQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema,
  month: MonthSchema.optional(),
  memberId: IdSchema.optional(),
  status: z.enum(['all', 'unpaid', 'paid']).default('all'),
  q: z.string().trim().max(50).optional(),
});
export type BillListQuery = z.infer<typeof BillListQuerySchema>;
export const BillPageSchema = pageOf(BillSchema).extend({ dueFen: z.number().int(), paidFen: z.number().int() });
export type BillPage = z.infer<typeof BillPageSchema>;

/* ---------- payments ---------- */

export const RecordPaymentSchema = z
  .strictObject({
    memberId: IdSchema,
    /** The months paid, each in full. */
    billIds: z.array(IdSchema).max(36).default([]),
    /** 自愿多交. */
    extraFen: FenSchema.default(0),
    /** 一次性缴纳的大额党费: remitted in full to the top of the tree. */
    specialFen: FenSchema.default(0),
    method: PaymentMethodSchema.exclude(['online']),
    paidOn: DateSchema,
    /** Who handed it in for a member away (代缴). */
    proxyName: optionalText(40),
    reference: optionalText(60),
    note: optionalText(200),
  })
  .refine((p) => p.billIds.length > 0 || p.extraFen > 0 || p.specialFen > 0, { path: ['billIds'], message: 'dues.nothing_paid' })
  .refine((p) => new Set(p.billIds).size === p.billIds.length, { path: ['billIds'], message: 'dues.bill_twice' });
export type RecordPayment = z.infer<typeof RecordPaymentSchema>;

export const ReversePaymentSchema = z.strictObject({ reason: requiredText(200) });
export type ReversePayment = z.infer<typeof ReversePaymentSchema>;

export const PaymentLineSchema = z.object({ kind: z.enum(['dues', 'extra', 'special']), month: z.string().nullable(), amountFen: z.number().int() });
export const PaymentSchema = z.object({
  id: IdSchema,
  receiptNo: z.string(),
  memberId: IdSchema,
  memberName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  kind: z.enum(['payment', 'reversal']),
  method: PaymentMethodSchema,
  paidOn: z.string(),
  proxyName: z.string().nullable(),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  totalFen: z.number().int(),
  lines: z.array(PaymentLineSchema),
  reversesId: IdSchema.nullable(),
  reversedById: IdSchema.nullable(),
  recordedAt: z.string(),
});
export type Payment = z.infer<typeof PaymentSchema>;
export const PaymentListQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema,
  from: DateSchema.optional(),
  to: DateSchema.optional(),
  memberId: IdSchema.optional(),
});
export type PaymentListQuery = z.infer<typeof PaymentListQuerySchema>;
export const PaymentPageSchema = pageOf(PaymentSchema).extend({ totalFen: z.number().int() });
export type PaymentPage = z.infer<typeof PaymentPageSchema>;

/* ---------- reductions ---------- */

export const RequestReductionSchema = z
  .strictObject({
    memberId: IdSchema,
    kind: z.enum(['reduce', 'exempt']),
    /** The reduced monthly amount (reduce only). */
    monthlyFen: FenSchema.nullable().optional(),
    fromMonth: MonthSchema,
    toMonth: MonthSchema,
    reason: requiredText(500),
    /** The date of the branch committee's decision (支委会). */
    decidedOn: DateSchema,
  })
  .superRefine((r, ctx) => {
    if (r.toMonth < r.fromMonth) ctx.addIssue({ code: 'custom', path: ['toMonth'], message: 'dues.to_before_from' });
    if (r.kind === 'reduce' && r.monthlyFen == null) ctx.addIssue({ code: 'custom', path: ['monthlyFen'], message: 'field.required' });
    if (r.kind === 'exempt' && r.monthlyFen != null) ctx.addIssue({ code: 'custom', path: ['monthlyFen'], message: 'dues.exempt_no_amount' });
  });
export type RequestReduction = z.infer<typeof RequestReductionSchema>;
export const ReviewReductionSchema = z.strictObject({ approve: z.boolean(), note: optionalText(200) });
export type ReviewReduction = z.infer<typeof ReviewReductionSchema>;
export const ReductionSchema = z.object({
  id: IdSchema,
  memberId: IdSchema,
  memberName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  kind: z.enum(['reduce', 'exempt']),
  monthlyFen: z.number().int().nullable(),
  fromMonth: z.string(),
  toMonth: z.string(),
  reason: z.string(),
  decidedOn: z.string(),
  status: z.enum(['pending', 'approved', 'rejected']),
  reviewNote: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  /** Whether the viewer may approve it (an admin of a level above the member's branch). */
  canReview: z.boolean(),
});
export type Reduction = z.infer<typeof ReductionSchema>;
export const ReductionListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema, status: z.enum(['all', 'pending', 'approved', 'rejected']).default('all') });
export type ReductionListQuery = z.infer<typeof ReductionListQuerySchema>;
export const ReductionPageSchema = pageOf(ReductionSchema);

/* ---------- arrears and reminders ---------- */

export const ArrearsQuerySchema = PageQuerySchema.extend({
  orgId: IdSchema,
  /** Only the members with 6 or more consecutive unpaid months (党章: 连续6个月不交纳党费). */
  flagged: z.enum(['0', '1']).default('0'),
});
export type ArrearsQuery = z.infer<typeof ArrearsQuerySchema>;
export const ArrearsRowSchema = z.object({
  memberId: IdSchema,
  memberName: z.string(),
  orgId: IdSchema,
  orgName: z.string(),
  unpaidMonths: z.number().int(),
  unpaidFen: z.number().int(),
  firstUnpaidMonth: z.string(),
  /** The longest run of consecutive unpaid months, up to this month. */
  longestRun: z.number().int(),
  flagged: z.boolean(),
  lastRemindedAt: z.string().nullable(),
});
export type ArrearsRow = z.infer<typeof ArrearsRowSchema>;
export const ArrearsPageSchema = pageOf(ArrearsRowSchema).extend({ unpaidFen: z.number().int(), flaggedCount: z.number().int(), asOfMonth: z.string() });
export type ArrearsPage = z.infer<typeof ArrearsPageSchema>;
export const SendRemindersSchema = z.strictObject({ orgId: IdSchema, memberIds: z.array(IdSchema).max(10_000).optional() });
export type SendReminders = z.infer<typeof SendRemindersSchema>;
export const SendRemindersResultSchema = z.object({ sent: z.number().int() });

/* ---------- accounts, remittances, expenditures ---------- */

export const AccountQuerySchema = z.object({ orgId: IdSchema, month: MonthSchema });
export type AccountQuery = z.infer<typeof AccountQuerySchema>;
export const AccountRowSchema = z.object({
  orgId: IdSchema,
  orgName: z.string(),
  dueFen: z.number().int(),
  /** Paid on the month's bills (whenever paid). */
  collectedFen: z.number().int(),
  arrearsFen: z.number().int(),
  /** Voluntary extra and one-off special payments received in the month. */
  extraFen: z.number().int(),
  specialFen: z.number().int(),
  billCount: z.number().int(),
  paidCount: z.number().int(),
  remittedFen: z.number().int(),
  remittedConfirmedFen: z.number().int(),
  receivedFen: z.number().int(),
});
export type AccountRow = z.infer<typeof AccountRowSchema>;
export const AccountSchema = z.object({ month: z.string(), org: AccountRowSchema, children: z.array(AccountRowSchema) });
export type Account = z.infer<typeof AccountSchema>;

export const RecordRemittanceSchema = z.strictObject({
  fromOrgId: IdSchema,
  month: MonthSchema,
  amountFen: PositiveFenSchema,
  specialFen: FenSchema.default(0),
  remittedOn: DateSchema,
  method: z.enum(['cash', 'transfer']),
  reference: optionalText(60),
  note: optionalText(200),
}).refine((r) => r.specialFen <= r.amountFen, { path: ['specialFen'], message: 'dues.special_over_amount' });
export type RecordRemittance = z.infer<typeof RecordRemittanceSchema>;
export const RemittanceSchema = z.object({
  id: IdSchema,
  fromOrgId: IdSchema,
  fromOrgName: z.string(),
  toOrgId: IdSchema,
  toOrgName: z.string(),
  month: z.string(),
  amountFen: z.number().int(),
  specialFen: z.number().int(),
  remittedOn: z.string(),
  method: z.enum(['cash', 'transfer']),
  reference: z.string().nullable(),
  note: z.string().nullable(),
  status: z.enum(['sent', 'confirmed']),
  confirmedAt: z.string().nullable(),
  canConfirm: z.boolean(),
});
export type Remittance = z.infer<typeof RemittanceSchema>;
export const RemittanceListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema, direction: z.enum(['sent', 'received']).default('sent') });
export type RemittanceListQuery = z.infer<typeof RemittanceListQuerySchema>;
export const RemittancePageSchema = pageOf(RemittanceSchema);

export const ExpenditurePurposeSchema = z.enum(['training', 'materials', 'hardship', 'commendation', 'relief', 'other']);
export const EXPENDITURE_PURPOSE_LABELS: Record<z.infer<typeof ExpenditurePurposeSchema>, string> = {
  training: '培训党员', materials: '订阅或购买学习资料', hardship: '补助生活困难党员', commendation: '表彰先进', relief: '救灾', other: '其他',
};
export const RecordExpenditureSchema = z.strictObject({
  orgId: IdSchema,
  spentOn: DateSchema,
  purpose: ExpenditurePurposeSchema,
  amountFen: PositiveFenSchema,
  description: requiredText(200),
  voucherNo: optionalText(40),
});
export type RecordExpenditure = z.infer<typeof RecordExpenditureSchema>;
export const ExpenditureSchema = z.object({
  id: IdSchema, orgId: IdSchema, orgName: z.string(), spentOn: z.string(), purpose: ExpenditurePurposeSchema, amountFen: z.number().int(),
  description: z.string(), voucherNo: z.string().nullable(), reversesId: IdSchema.nullable(), reversedById: IdSchema.nullable(),
});
export type Expenditure = z.infer<typeof ExpenditureSchema>;
export const ExpenditureListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema, year: YearSchema });
export const ExpenditurePageSchema = pageOf(ExpenditureSchema).extend({ totalFen: z.number().int() });

/* ---------- reconciliation ---------- */

export const ReconciliationLineSchema = z.object({ row: z.number().int(), date: z.string(), amountFen: z.number().int(), counterparty: z.string().nullable(), reference: z.string().nullable(), memo: z.string().nullable() });
export const ReconciliationRecordSchema = z.object({
  type: z.enum(['remittance_received', 'remittance_sent', 'payment', 'expenditure']),
  id: IdSchema, date: z.string(), amountFen: z.number().int(), label: z.string(), reference: z.string().nullable(),
});
export const ReconciliationSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  fromDate: z.string(),
  toDate: z.string(),
  fileName: z.string(),
  createdAt: z.string(),
  matched: z.array(z.object({ line: ReconciliationLineSchema, record: ReconciliationRecordSchema })),
  /** Same reference, different amounts. */
  differences: z.array(z.object({ line: ReconciliationLineSchema, record: ReconciliationRecordSchema, differenceFen: z.number().int() })),
  unmatchedLines: z.array(ReconciliationLineSchema),
  unmatchedRecords: z.array(ReconciliationRecordSchema),
  statementNetFen: z.number().int(),
  recordsNetFen: z.number().int(),
  matchedNetFen: z.number().int(),
});
export type Reconciliation = z.infer<typeof ReconciliationSchema>;
export const ReconciliationUploadQuerySchema = z.object({ orgId: IdSchema, from: DateSchema, to: DateSchema })
  .refine((q) => q.to >= q.from, { path: ['to'], message: 'dues.to_before_from' });

/* ---------- annual statement (公示) ---------- */

export const StatementFiguresSchema = z.object({
  year: z.number().int(),
  orgId: IdSchema,
  orgName: z.string(),
  dueFen: z.number().int(),
  collectedFen: z.number().int(),
  arrearsFen: z.number().int(),
  extraFen: z.number().int(),
  specialFen: z.number().int(),
  receivedFromBelowFen: z.number().int(),
  remittedUpFen: z.number().int(),
  spentFen: z.number().int(),
  spentByPurpose: z.array(z.object({ purpose: ExpenditurePurposeSchema, amountFen: z.number().int() })),
  payingMembers: z.number().int(),
  byMonth: z.array(z.object({ month: z.string(), dueFen: z.number().int(), collectedFen: z.number().int() })),
});
export type StatementFigures = z.infer<typeof StatementFiguresSchema>;
export const StatementQuerySchema = z.object({ orgId: IdSchema, year: YearSchema });
export type StatementQuery = z.infer<typeof StatementQuerySchema>;
export const PublishStatementSchema = z.strictObject({ orgId: IdSchema, year: z.number().int().min(2000).max(2199) });
export const PublishedStatementSchema = z.object({ id: IdSchema, orgId: IdSchema, orgName: z.string(), year: z.number().int(), publishedAt: z.string(), figures: StatementFiguresSchema });
export type PublishedStatement = z.infer<typeof PublishedStatementSchema>;
export const PublishedStatementListSchema = z.object({ items: z.array(PublishedStatementSchema) });

/* ---------- the member's own ---------- */

export const MyDuesSchema = z.object({
  memberId: IdSchema,
  category: DuesCategorySchema.nullable(),
  monthlyFen: z.number().int().nullable(),
  unpaidMonths: z.number().int(),
  unpaidFen: z.number().int(),
  bills: z.array(BillSchema),
  payments: z.array(PaymentSchema),
  reminders: z.array(z.object({ id: IdSchema, sentAt: z.string(), unpaidMonths: z.number().int(), unpaidFen: z.number().int(), read: z.boolean() })),
  statements: z.array(PublishedStatementSchema),
});
export type MyDues = z.infer<typeof MyDuesSchema>;

/** Online payment: the platform keeps the interface; a gateway is plugged in by the site, none ships. */
export const OnlinePaymentSchema = z.strictObject({ billIds: z.array(IdSchema).min(1).max(36) });
export const OnlineOrderSchema = z.object({ orderNo: z.string(), amountFen: z.number().int(), payUrl: z.string() });

/** 12345 分 → '123.45'. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
