import { z } from 'zod';
import { IdSchema, PageQuerySchema, pageOf, requiredText } from './common.js';
import { PasswordSchema, RoleSchema } from './auth.js';

/** Letters, digits and . _ - @ (a staff number, pinyin or e-mail-like name); compared without case. */
export const UsernameSchema = z.string().trim().min(2).max(50).regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, { message: 'user.username_format' });

export const RoleGrantSchema = z.strictObject({
  role: RoleSchema,
  /** Required for org_admin and inspector (read-only, 督查/领导); none for platform_admin; optional for member and judge. */
  orgId: IdSchema.nullable().optional(),
});
export type RoleGrant = z.infer<typeof RoleGrantSchema>;

const roles = z.array(RoleGrantSchema).min(1).max(20);

export const CreateUserSchema = z.strictObject({
  username: UsernameSchema,
  displayName: requiredText(50),
  password: PasswordSchema,
  /** The party member this account belongs to (self-service), if any. */
  memberId: IdSchema.nullable().optional(),
  roles,
});
export type CreateUser = z.infer<typeof CreateUserSchema>;

export const UpdateUserSchema = z.strictObject({
  displayName: requiredText(50).optional(),
  memberId: IdSchema.nullable().optional(),
  /** Replaces the whole set of roles. */
  roles: roles.optional(),
  /** Disabling ends every session of the account at once. */
  disabled: z.boolean().optional(),
});
export type UpdateUser = z.infer<typeof UpdateUserSchema>;

export const ResetPasswordSchema = z.strictObject({ newPassword: PasswordSchema });
export type ResetPassword = z.infer<typeof ResetPasswordSchema>;

export const UserAccountSchema = z.object({
  id: IdSchema,
  username: z.string(),
  displayName: z.string(),
  memberId: IdSchema.nullable(),
  memberName: z.string().nullable(),
  memberOrgName: z.string().nullable(),
  roles: z.array(z.object({ role: RoleSchema, orgId: IdSchema.nullable(), orgName: z.string().nullable() })),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
  passwordChangedAt: z.string(),
  /** Latest activity of any live session. */
  lastSeenAt: z.string().nullable(),
  /** Whether the viewer may edit, disable or reset this account. */
  canManage: z.boolean(),
});
export type UserAccount = z.infer<typeof UserAccountSchema>;

export const UserListQuerySchema = PageQuerySchema.extend({
  /** Part of the username or display name. */
  q: z.string().trim().max(50).optional(),
  role: RoleSchema.optional(),
  /** Accounts holding a role on this org or linked to one of its members. */
  orgId: IdSchema.optional(),
  disabled: z.enum(['0', '1', 'true', 'false']).optional(),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const UserPageSchema = pageOf(UserAccountSchema);
export type UserPage = z.infer<typeof UserPageSchema>;
