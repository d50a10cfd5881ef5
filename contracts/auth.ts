import { z } from 'zod';
import { IdSchema } from './common.js';

export const LoginSchema = z.strictObject({
  username: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(200),
});
export type Login = z.infer<typeof LoginSchema>;

/** `inspector` (督查/领导): reads the subtree of its org like an administrator and changes nothing. */
export const RoleSchema = z.enum(['platform_admin', 'org_admin', 'member', 'judge', 'inspector']);

export const MeSchema = z.object({
  user: z.object({
    id: IdSchema,
    username: z.string(),
    displayName: z.string(),
    memberId: IdSchema.nullable(),
    roles: z.array(z.object({ role: RoleSchema, orgId: IdSchema.nullable(), orgName: z.string().nullable() })),
    /** An administrator reset the password: the console asks for a new one before anything else. */
    mustChangePassword: z.boolean(),
  }),
  /** Send back as the x-csrf-token header on every write. */
  csrfToken: z.string(),
  /** What the console may offer; the server checks every action again. */
  abilities: z.object({
    isAdmin: z.boolean(), isPlatformAdmin: z.boolean(), isJudge: z.boolean(),
    /** Holds an inspector grant (督查/领导). */
    isInspector: z.boolean(),
    /** Paths of the orgs read but not administered (inspector grants, branches liaised with): the console says so. */
    readOnlyPaths: z.array(z.string()),
  }),
});
export type Me = z.infer<typeof MeSchema>;

/** At least 10 characters, with letters and digits. */
export const PasswordSchema = z.string().min(10).max(200).refine((p) => /[A-Za-z]/.test(p) && /\d/.test(p), { message: 'auth.password_weak' });

export const ChangePasswordSchema = z.strictObject({
  currentPassword: z.string().min(1).max(200),
  newPassword: PasswordSchema,
});
export type ChangePassword = z.infer<typeof ChangePasswordSchema>;
