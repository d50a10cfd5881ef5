import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/** Donation ledger of campaigns (捐款台账). Money is in fen (integer) everywhere. */

const FenSchema = z.number().int().min(1).max(100_000_000_000);

export const CreateCampaignSchema = z
  .strictObject({
    orgId: IdSchema,
    title: requiredText(100),
    description: optionalText(2000),
    startsOn: DateSchema,
    endsOn: DateSchema.nullable().optional(),
    goalFen: FenSchema.nullable().optional(),
  })
  .refine((c) => !c.endsOn || c.endsOn >= c.startsOn, { message: 'donation.ends_before_start', path: ['endsOn'] });
export type CreateCampaign = z.infer<typeof CreateCampaignSchema>;

export const CampaignSchema = z.object({
  id: IdSchema,
  orgId: IdSchema,
  orgName: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string().nullable(),
  goalFen: z.number().int().nullable(),
  totalFen: z.number().int(),
  donationCount: z.number().int(),
  canManage: z.boolean(),
});
export type Campaign = z.infer<typeof CampaignSchema>;
export const CampaignListQuerySchema = PageQuerySchema.extend({ orgId: IdSchema.optional() });
export type CampaignListQuery = z.infer<typeof CampaignListQuerySchema>;
export const CampaignPageSchema = pageOf(CampaignSchema);
export type CampaignPage = z.infer<typeof CampaignPageSchema>;

export const DonorTypeSchema = z.enum(['org', 'member', 'anonymous']);
export const RecordDonationSchema = z
  .strictObject({
    donorType: DonorTypeSchema,
    donorOrgId: IdSchema.optional(),
    donorMemberId: IdSchema.optional(),
    amountFen: FenSchema,
    donatedOn: DateSchema,
    receiptNo: requiredText(40),
    note: optionalText(200),
  })
  .superRefine((d, ctx) => {
    if (d.donorType === 'org' && !d.donorOrgId) ctx.addIssue({ code: 'custom', path: ['donorOrgId'], message: 'field.required' });
    if (d.donorType === 'member' && !d.donorMemberId) ctx.addIssue({ code: 'custom', path: ['donorMemberId'], message: 'field.required' });
    if (d.donorType !== 'org' && d.donorOrgId) ctx.addIssue({ code: 'custom', path: ['donorOrgId'], message: 'donation.donor_mismatch' });
    if (d.donorType !== 'member' && d.donorMemberId) ctx.addIssue({ code: 'custom', path: ['donorMemberId'], message: 'donation.donor_mismatch' });
  });
export type RecordDonation = z.infer<typeof RecordDonationSchema>;

export const DonationSchema = z.object({
  id: IdSchema,
  campaignId: IdSchema,
  donorType: DonorTypeSchema,
  /** The org's or member's name; 匿名 for an anonymous gift. */
  donorName: z.string(),
  creditedOrgName: z.string().nullable(),
  amountFen: z.number().int(),
  donatedOn: z.string(),
  receiptNo: z.string(),
  note: z.string().nullable(),
});
export type Donation = z.infer<typeof DonationSchema>;
export const DonationPageSchema = pageOf(DonationSchema);
export type DonationPage = z.infer<typeof DonationPageSchema>;

export const CampaignTotalsSchema = z.object({
  campaignId: IdSchema,
  totalFen: z.number().int(),
  count: z.number().int(),
  anonymousFen: z.number().int(),
  /** Per credited org: the donor org, or the org of the donating member. */
  byOrg: z.array(z.object({ orgId: IdSchema, orgName: z.string(), totalFen: z.number().int(), count: z.number().int() })),
});
export type CampaignTotals = z.infer<typeof CampaignTotalsSchema>;

export const OrgTotalsQuerySchema = z.object({ orgId: IdSchema, from: DateSchema.optional(), to: DateSchema.optional() });
export type OrgTotalsQuery = z.infer<typeof OrgTotalsQuerySchema>;
export const OrgTotalsSchema = z.object({
  orgId: IdSchema,
  totalFen: z.number().int(),
  count: z.number().int(),
  /** Gifts credited to each direct child's subtree, across campaigns. */
  byChildOrg: z.array(z.object({ orgId: IdSchema, orgName: z.string(), totalFen: z.number().int(), count: z.number().int() })),
});
export type OrgTotals = z.infer<typeof OrgTotalsSchema>;
