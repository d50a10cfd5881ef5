import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

/**
 * 光荣在党50年 (issue #16): the members whose 50th anniversary of joining the party (入党日期 + 50 years)
 * falls in a year, per subtree, and the 纪念章 issued to each — recorded once; a mistaken record is
 * revoked. Members on the roll (retired members keep their membership and are on it); one who left
 * since keeps the medal record issued to them.
 */
export const MEDAL_FILTERS = ['all', 'issued', 'not_issued'] as const;

export const FiftyYearsQuerySchema = PageQuerySchema.extend({
  year: z.coerce.number().int().min(1950).max(2199),
  /** the org whose subtree is listed (default: the viewer's whole scope) */
  orgId: IdSchema.optional(),
  issued: z.enum(MEDAL_FILTERS).default('all'),
});
export type FiftyYearsQuery = z.infer<typeof FiftyYearsQuerySchema>;
export const FiftyYearsExportQuerySchema = FiftyYearsQuerySchema.omit({ page: true, pageSize: true });
export type FiftyYearsExportQuery = z.infer<typeof FiftyYearsExportQuerySchema>;

export const FiftyYearMedalSchema = z.object({
  id: IdSchema,
  memberId: IdSchema,
  anniversaryYear: z.number().int(),
  issuedOn: z.string(),
  /** the issuing org */
  orgId: IdSchema,
  orgName: z.string(),
  note: z.string().nullable(),
  issuedByName: z.string().nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokeReason: z.string().nullable(),
});
export type FiftyYearMedal = z.infer<typeof FiftyYearMedalSchema>;

export const FiftyYearsMemberSchema = z.object({
  memberId: IdSchema,
  name: z.string(),
  gender: z.enum(['male', 'female']),
  orgId: IdSchema,
  orgName: z.string(),
  joinedOn: z.string(),
  /** 入党日期 + 50 years */
  anniversaryOn: z.string(),
  /** masked forms only (first 4 / last 4); the full numbers are revealed on the member's page, audited */
  idNumberMasked: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  /** false for a member who has left the roll since the medal was issued */
  onRoll: z.boolean(),
  medal: FiftyYearMedalSchema.nullable(),
});
export type FiftyYearsMember = z.infer<typeof FiftyYearsMemberSchema>;

/** Per org below the listed one (its own members under itself): each count is the list that org opens. */
export const FiftyYearsOrgCountSchema = z.object({ orgId: IdSchema, orgName: z.string(), total: z.number().int(), issued: z.number().int() });
export type FiftyYearsOrgCount = z.infer<typeof FiftyYearsOrgCountSchema>;

export const FiftyYearsPageSchema = pageOf(FiftyYearsMemberSchema).extend({
  year: z.number().int(),
  /** over the whole list whatever the `issued` filter */
  counts: z.object({ total: z.number().int(), issued: z.number().int(), notIssued: z.number().int() }),
  byOrg: z.array(FiftyYearsOrgCountSchema),
});
export type FiftyYearsPage = z.infer<typeof FiftyYearsPageSchema>;

export const IssueMedalSchema = z.strictObject({
  memberId: IdSchema,
  /** the issuing org: the member's org or one above it, administered by the viewer */
  orgId: IdSchema,
  issuedOn: DateSchema,
  note: optionalText(500),
});
export type IssueMedal = z.infer<typeof IssueMedalSchema>;

export const RevokeMedalSchema = z.strictObject({ reason: requiredText(200) });
export type RevokeMedal = z.infer<typeof RevokeMedalSchema>;
