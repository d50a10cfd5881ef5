import { z } from 'zod';

/** Ids are bigints in the database and decimal strings on the wire. */
export const IdSchema = z.string().regex(/^[1-9]\d{0,17}$/, { message: 'field.id' });
export const IdParamsSchema = z.object({ id: IdSchema });
export type IdParams = z.infer<typeof IdParamsSchema>;

/**
 * Dates and times on the wire: ISO 8601 within years 1900–2199. PostgreSQL refuses year 0000, and no
 * record of a party member, meeting or exam lies outside these years; every contract uses these two.
 */
const inYearRange = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= 1900 && year <= 2199;
};
export const DateSchema = z.iso.date().refine(inYearRange, { message: 'field.date_range' });
export const DateTimeSchema = z.iso.datetime({ offset: true }).refine(inYearRange, { message: 'field.date_range' });
/** Optional text: empty string means "clear it" and is stored as null. */
export const optionalText = (max: number) => z.string().trim().max(max).nullable().optional().transform((v) => (v === '' ? null : v));
export const requiredText = (max: number) => z.string().trim().min(1).max(max);

export const PageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const ErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), fields: z.record(z.string(), z.string()).optional() }),
});

export const OkSchema = z.object({ ok: z.literal(true) });
