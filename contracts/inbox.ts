import { z } from 'zod';
import { IdSchema } from './common.js';

/** One inbox per user: notices, must-read reminders, activity notifications, exam openings and reminders. */
export const INBOX_KINDS = ['notice', 'notice_reminder', 'activity', 'exam', 'reminder'] as const;
export const InboxKindSchema = z.enum(INBOX_KINDS);
export type InboxKind = z.infer<typeof InboxKindSchema>;

export const InboxQuerySchema = z.strictObject({
  unread: z.enum(['true', 'false']).optional().transform((v) => v === 'true'),
  kind: InboxKindSchema.optional(),
  /** Keyset: items older than this one (the previous page's nextCursor); an inbox grows for years. */
  before: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

export const InboxItemSchema = z.object({
  id: IdSchema,
  kind: InboxKindSchema,
  title: z.string(),
  body: z.string().nullable(),
  /** The console's route where the item is read or acted on. */
  link: z.string(),
  sourceType: z.string(),
  sourceId: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof InboxItemSchema>;

export const InboxPageSchema = z.object({
  items: z.array(InboxItemSchema),
  /** Pass as `before` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type InboxPage = z.infer<typeof InboxPageSchema>;

export const UnreadCountSchema = z.object({ unread: z.number().int() });
export type UnreadCount = z.infer<typeof UnreadCountSchema>;

export const ReadAllSchema = z.strictObject({ kind: InboxKindSchema.optional() }).optional();
export const ReadAllResultSchema = z.object({ marked: z.number().int() });
