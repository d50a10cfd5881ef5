import { z } from 'zod';
import { DateSchema, IdSchema, PageQuerySchema, optionalText, pageOf, requiredText } from './common.js';

export const ORG_TYPES = ['work_committee', 'party_committee', 'organ_committee', 'general_branch', 'branch', 'group', 'temporary_branch'] as const;
export const OrgTypeSchema = z.enum(ORG_TYPES);
export type OrgType = z.infer<typeof OrgTypeSchema>;

/** Which types may sit under which: a group only under a branch, nothing under a group. */
export const CHILD_TYPES: Record<OrgType, readonly OrgType[]> = {
  work_committee: ['party_committee', 'organ_committee', 'general_branch', 'branch', 'temporary_branch'],
  party_committee: ['party_committee', 'organ_committee', 'general_branch', 'branch', 'temporary_branch'],
  organ_committee: ['general_branch', 'branch', 'temporary_branch'],
  general_branch: ['branch', 'temporary_branch'],
  branch: ['group'],
  temporary_branch: ['group'],
  group: [],
};

/** Re-election is flagged this many days before the term ends. */
export const ELECTION_DUE_DAYS = 90;

export const OrgSchema = z.object({
  id: IdSchema,
  parentId: IdSchema.nullable(),
  path: z.string(),
  name: z.string(),
  type: OrgTypeSchema,
  secretaryName: z.string().nullable(),
  contactName: z.string().nullable(),
  contactPhone: z.string().nullable(),
  address: z.string().nullable(),
  foundedOn: z.string().nullable(),
  termStart: z.string().nullable(),
  termEnd: z.string().nullable(),
  isElectionDue: z.boolean(),
  isElectionOverdue: z.boolean(),
  dissolvedAt: z.string().nullable(),
  dissolvedReason: z.string().nullable(),
  /** When it was merged into another org (机构改革), that org: its members and records went there. */
  mergedIntoId: IdSchema.nullable(),
  /** Party members (full and probationary) in the whole subtree. */
  memberCount: z.number().int(),
  childCount: z.number().int(),
  /** Whether the viewer may edit this org (the UI hides buttons; the server still decides). */
  canManage: z.boolean(),
});
export type Org = z.infer<typeof OrgSchema>;

const orgFields = {
  name: requiredText(100),
  type: OrgTypeSchema,
  secretaryName: optionalText(50),
  contactName: optionalText(50),
  contactPhone: z.string().trim().regex(/^[\d\-+() ]{0,30}$/, { message: 'field.format' }).nullable().optional().transform((v) => (v === '' ? null : v)),
  address: optionalText(200),
  foundedOn: DateSchema.nullable().optional(),
  termStart: DateSchema.nullable().optional(),
  termEnd: DateSchema.nullable().optional(),
  sortOrder: z.number().int().min(0).max(1_000_000).optional(),
};

const termInOrder = (o: { termStart?: string | null; termEnd?: string | null }) => !o.termStart || !o.termEnd || o.termEnd > o.termStart;

/** Types that may stand at the top of a tree (no parent): a 机关工委 or a 党委. */
export const TOP_LEVEL_TYPES: readonly OrgType[] = ['work_committee', 'party_committee'];

export const CreateOrgSchema = z
  /** Without a parent (or null) the org is top-level: only a platform administrator may create one. */
  .strictObject({ parentId: IdSchema.nullable().optional(), ...orgFields })
  .refine(termInOrder, { message: 'org.term_end_before_start', path: ['termEnd'] });
export type CreateOrg = z.infer<typeof CreateOrgSchema>;

export const UpdateOrgSchema = z
  .strictObject({
    name: orgFields.name.optional(),
    secretaryName: orgFields.secretaryName,
    contactName: orgFields.contactName,
    contactPhone: orgFields.contactPhone,
    address: orgFields.address,
    foundedOn: orgFields.foundedOn,
    termStart: orgFields.termStart,
    termEnd: orgFields.termEnd,
    sortOrder: orgFields.sortOrder,
  })
  .refine(termInOrder, { message: 'org.term_end_before_start', path: ['termEnd'] });
export type UpdateOrg = z.infer<typeof UpdateOrgSchema>;

export const MoveOrgSchema = z.strictObject({ parentId: IdSchema });

/** 机构改革: this org is merged into `intoId`, which keeps both sets of members, sub-orgs and records. */
export const MergeOrgSchema = z.strictObject({ intoId: IdSchema, reason: requiredText(200) });
export type MergeOrg = z.infer<typeof MergeOrgSchema>;
export type MoveOrg = z.infer<typeof MoveOrgSchema>;

export const DissolveOrgSchema = z.strictObject({ reason: requiredText(200) });
export type DissolveOrg = z.infer<typeof DissolveOrgSchema>;

export const OrgListQuerySchema = PageQuerySchema.extend({
  /** Direct children of this org; without it, every org in the viewer's scope. */
  parentId: IdSchema.optional(),
  /** Only the top orgs of the viewer's scope (the roots of the tree browser). */
  roots: z.enum(['1', 'true']).optional(),
  q: z.string().trim().max(50).optional(),
  type: OrgTypeSchema.optional(),
  electionDue: z.enum(['due', 'overdue']).optional(),
  /** Only this org and the orgs under it (the 工作台's link for one org's subtree). */
  orgId: IdSchema.optional(),
  includeDissolved: z.enum(['1', 'true']).optional(),
});
export type OrgListQuery = z.infer<typeof OrgListQuerySchema>;

export const OrgPageSchema = pageOf(OrgSchema);
export type OrgPage = z.infer<typeof OrgPageSchema>;
