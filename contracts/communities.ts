import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/** 社区 register, 双报到 (members report to the community where they live) and 共驻共建 agreements. */

const phoneText = z.string().trim().regex(/^[\d\-+() ]{0,30}$/, { message: 'field.format' }).nullable().optional().transform((v) => (v === '' ? null : v));

export const CreateCommunitySchema = z.strictObject({
  /** The org that keeps the record, usually the work committee of the tree. */
  orgId: IdSchema,
  name: requiredText(50),
  street: requiredText(50),
  contactName: optionalText(30),
  contactPhone: phoneText,
  address: optionalText(200),
});
export type CreateCommunity = z.infer<typeof CreateCommunitySchema>;

export const UpdateCommunitySchema = z.strictObject({
  name: requiredText(50).optional(),
  street: requiredText(50).optional(),
  contactName: optionalText(30),
  contactPhone: phoneText,
  address: optionalText(200),
  archived: z.boolean().optional(),
});
export type UpdateCommunity = z.infer<typeof UpdateCommunitySchema>;

export const CommunitySchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  name: z.string(),
  street: z.string(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  archived: z.boolean(),
  /** Members who reported to it (双报到), across the whole tree. */
  reportedCount: z.number().int(),
  canManage: z.boolean(),
});
export type Community = z.infer<typeof CommunitySchema>;

export const CommunityListQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(50).optional(),
  street: z.string().trim().max(50).optional(),
  includeArchived: z.enum(['1', 'true']).optional(),
});
export type CommunityListQuery = z.infer<typeof CommunityListQuerySchema>;
export const CommunityPageSchema = pageOf(CommunitySchema);
export type CommunityPage = z.infer<typeof CommunityPageSchema>;

/** Without memberId: the signed-in member reports for themself; with it: an admin records it. */
export const ReportToCommunitySchema = z.strictObject({ memberId: IdSchema.optional(), reportedOn: DateSchema.optional() });
export type ReportToCommunity = z.infer<typeof ReportToCommunitySchema>;

export const CommunityReportSchema = z.object({
  memberId: IdSchema,
  memberName: z.string(),
  orgName: z.string(),
  communityId: IdSchema,
  communityName: z.string(),
  reportedOn: z.string(),
});
export type CommunityReport = z.infer<typeof CommunityReportSchema>;
export const MyReportSchema = z.object({ report: CommunityReportSchema.nullable() });
export const CommunityMembersSchema = pageOf(CommunityReportSchema);
export type CommunityMembers = z.infer<typeof CommunityMembersSchema>;

export const ReportStatsQuerySchema = z.object({ orgId: IdSchema });
export const ReportStatsSchema = z.object({
  orgId: IdSchema,
  /** Party members (full and probationary, not left) of the subtree, and how many reported. */
  members: z.number().int(),
  reported: z.number().int(),
  byChildOrg: z.array(z.object({ orgId: IdSchema, orgName: z.string(), members: z.number().int(), reported: z.number().int() })),
  byCommunity: z.array(z.object({ communityId: IdSchema, communityName: z.string(), street: z.string(), reported: z.number().int() })),
});
export type ReportStats = z.infer<typeof ReportStatsSchema>;

// ---------- 共驻共建 ----------

const agreementDatesInOrder = (a: { startsOn?: string; endsOn?: string | null }) => !a.startsOn || !a.endsOn || a.endsOn >= a.startsOn;

export const CreateAgreementSchema = z
  .strictObject({
    orgId: IdSchema,
    communityId: IdSchema,
    title: requiredText(100),
    content: requiredText(4000),
    signedOn: DateSchema,
    startsOn: DateSchema,
    endsOn: DateSchema.nullable().optional(),
  })
  .refine(agreementDatesInOrder, { message: 'co_building.ends_before_start', path: ['endsOn'] });
export type CreateAgreement = z.infer<typeof CreateAgreementSchema>;

export const UpdateAgreementSchema = z
  .strictObject({
    title: requiredText(100).optional(),
    content: requiredText(4000).optional(),
    signedOn: DateSchema.optional(),
    startsOn: DateSchema.optional(),
    endsOn: DateSchema.nullable().optional(),
  })
  .refine(agreementDatesInOrder, { message: 'co_building.ends_before_start', path: ['endsOn'] });
export type UpdateAgreement = z.infer<typeof UpdateAgreementSchema>;

export const JointProjectInputSchema = z.strictObject({
  title: requiredText(100),
  description: optionalText(2000),
  plannedOn: DateSchema.nullable().optional(),
  doneOn: DateSchema.nullable().optional(),
});
export type JointProjectInput = z.infer<typeof JointProjectInputSchema>;
export const UpdateJointProjectSchema = JointProjectInputSchema.partial().strict();
export type UpdateJointProject = z.infer<typeof UpdateJointProjectSchema>;

export const JointProjectSchema = z.object({
  id: IdSchema, agreementId: IdSchema, title: z.string(), description: z.string().nullable(), plannedOn: z.string().nullable(), doneOn: z.string().nullable(),
});
export type JointProject = z.infer<typeof JointProjectSchema>;

export const AgreementSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  communityId: IdSchema,
  communityName: z.string(),
  title: z.string(),
  content: z.string(),
  signedOn: z.string(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  isActive: z.boolean(),
  projectCount: z.number().int(),
  canManage: z.boolean(),
});
export type Agreement = z.infer<typeof AgreementSchema>;
export const AgreementDetailSchema = AgreementSchema.extend({ projects: z.array(JointProjectSchema) });
export type AgreementDetail = z.infer<typeof AgreementDetailSchema>;
export const AgreementListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional(), communityId: IdSchema.optional(), active: z.enum(['1', 'true']).optional() });
export type AgreementListQuery = z.infer<typeof AgreementListQuerySchema>;
export const AgreementPageSchema = pageOf(AgreementSchema);
export type AgreementPage = z.infer<typeof AgreementPageSchema>;
