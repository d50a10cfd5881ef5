import { sql, type SQL } from 'drizzle-orm';
import { chinaDate } from '../../../../contracts/china-time.js';

/**
 * How a member-month is priced, in one place: the base in force (the latest row of the month's year
 * not after the month), the rate rule in force on the month for that category and base, and an
 * approved reduction covering the month. A rate applies to the whole base; the amount is rounded
 * half up to the fen (四舍五入到分), in integers: (base × rate_bp + 5000) / 10000.
 *
 * `candidates` is any row source with `member_id` and `month` (a date, first of month); its other
 * columns pass through as `c.*`.
 */
export function pricedMonths(candidates: SQL): SQL {
  return sql`
    select c.*, b.category, b.base_fen, b.chosen_fen, r.id as rule_id, r.rate_bp, red.id as reduction_id,
           case when b.category is null or r.id is null then null
                when red.kind = 'exempt' then 0
                when red.kind = 'reduce' then least(red.monthly_fen, ${normalDue})
                else ${normalDue} end as due_fen
      from (${candidates}) c
      left join lateral (select b.category, b.base_fen, b.chosen_fen from dues_bases b
                          where b.member_id = c.member_id and b.year = extract(year from c.month)::int and b.effective_month <= c.month
                          order by b.effective_month desc limit 1) b on true
      left join lateral ${ruleFor(sql`b.category`, sql`b.base_fen`, sql`c.month`)} r on true
      left join lateral (select d.id, d.kind, d.monthly_fen from dues_reductions d
                          where d.member_id = c.member_id and d.status = 'approved' and c.month between d.from_month and d.to_month
                          order by d.reviewed_at desc, d.id desc limit 1) red on true`;
}

/** What a month costs before any reduction, given the rule `r` and the base `b`. */
const normalDue = sql`(case when r.rate_bp is not null then (b.base_fen * r.rate_bp + 5000) / 10000
                            when r.fixed_fen is not null then r.fixed_fen else b.chosen_fen end)::int`;

/** The rule in force on `month` for a category and base: a subquery for `lateral`, one row or none. */
export function ruleFor(category: SQL, baseFen: SQL, month: SQL): SQL {
  return sql`(select r.id, r.rate_bp, r.fixed_fen, r.min_fen, r.max_fen from dues_rate_rules r
               where r.category = ${category} and r.valid_from <= ${month} and (r.valid_to is null or r.valid_to >= ${month})
                 and (r.rate_bp is null or ((r.above_fen = 0 or ${baseFen} > r.above_fen) and (r.up_to_fen is null or ${baseFen} <= r.up_to_fen)))
               order by r.valid_from desc, r.above_fen desc limit 1)`;
}

/** The normal monthly amount for a base row `b` on `month` (for previews: the bases list). */
export function monthlyFenOf(month: SQL): SQL {
  return sql`(select ${normalDue} from ${ruleFor(sql`b.category`, sql`b.base_fen`, month)} r)`;
}

/** 'YYYY-MM' → the first day, as the database keeps months. */
export const monthDate = (month: string) => `${month}-01`;
/** The month of a date 'YYYY-MM-DD' → 'YYYY-MM'. */
export const monthOf = (date: string) => date.slice(0, 7);
/** This month in China. */
export const currentMonth = (now = Date.now()) => chinaDate(now).slice(0, 7);

/** Who pays dues: probationary and full members on the roll, from the month they joined. */
export function payingMember(alias: string, month: SQL): SQL {
  const m = sql.raw(alias);
  return sql`${m}.left_at is null and ${m}.stage in ('probationary', 'full') and date_trunc('month', coalesce(${m}.joined_on, date '1900-01-01')) <= ${month}`;
}

/** '3000.01' (元, a decimal string or a number as a person typed it) → 300001 fen; null when it is not a money amount. */
export function fenFromYuanText(text: string): number | null {
  const t = text.replace(/[,，\s]/g, '').replace(/^¥|元$/g, '');
  const m = /^(-)?(\d{1,11})(?:\.(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -fen : fen;
}
