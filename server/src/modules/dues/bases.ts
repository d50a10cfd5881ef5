import { PassThrough, type Readable } from 'node:stream';
import { sql, type SQL } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import {
  DUES_CATEGORY_LABELS, RATED_CATEGORIES, SetBaseSchema, yuan,
  type BaseImportResult, type BaseListQuery, type DuesCategory, type MemberBase, type RateRule, type SetBase,
} from '../../../../contracts/dues.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { translate, type Lang } from '../../platform/i18n.js';
import { managedOrg } from '../../platform/org-scope.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';
import { likeContaining, pageLimit, textArray } from '../../platform/sql.js';
import { readSheetRows } from '../../platform/xlsx-guard.js';
import { canKeepDuesOf } from './policy.js';
import { currentMonth, fenFromYuanText, monthDate, monthlyFenOf, pricedMonths, ruleFor } from './pricing.js';

type Row = Record<string, unknown>;

export async function listRules(db: Queryable): Promise<{ items: RateRule[] }> {
  const rows = await db.execute<{
    id: string; category: DuesCategory; valid_from: string; valid_to: string | null; above_fen: string; up_to_fen: string | null;
    rate_bp: number | null; fixed_fen: number | null; min_fen: number | null; max_fen: number | null; note: string | null;
  } & Row>(sql`select id::text, category, valid_from::text, valid_to::text, above_fen, up_to_fen, rate_bp, fixed_fen, min_fen, max_fen, note
    from dues_rate_rules order by valid_from desc, array_position(array['employed','retired','student','unemployed','relief','rural'], category), above_fen`);
  return {
    items: rows.rows.map((r) => ({
      id: r.id, category: r.category, validFrom: r.valid_from, validTo: r.valid_to, aboveFen: Number(r.above_fen), upToFen: r.up_to_fen == null ? null : Number(r.up_to_fen),
      rateBp: r.rate_bp, fixedFen: r.fixed_fen, minFen: r.min_fen, maxFen: r.max_fen, note: r.note,
    })),
  };
}

type BaseRow = {
  member_id: string; member_name: string; org_id: string; org_name: string; stage: 'probationary' | 'full'; category: DuesCategory | null;
  base_fen: string | null; chosen_fen: number | null; effective_month: string | null; monthly_fen: number | null; changes: number;
} & Row;

/** The month whose rule prices a base for display: this month within the year, else the year's last. */
const previewMonth = (year: number) => {
  const now = currentMonth();
  const month = Number(now.slice(0, 4)) === year ? now : `${year}-12`;
  return monthDate(month);
};

function baseColumns(year: number): SQL {
  const preview = previewMonth(year);
  return sql`m.id::text as member_id, m.name as member_name, m.org_id::text, o.name as org_name, m.stage,
    b.category, b.base_fen, b.chosen_fen, to_char(b.effective_month, 'YYYY-MM') as effective_month,
    ${monthlyFenOf(sql`greatest(b.effective_month, ${preview}::date)`)} as monthly_fen,
    (select count(*) from dues_bases x where x.member_id = m.id and x.year = ${year})::int as changes`;
}
const baseJoin = (year: number) => sql`members m join orgs o on o.id = m.org_id
  left join lateral (select b.* from dues_bases b where b.member_id = m.id and b.year = ${year} and b.effective_month <= ${previewMonth(year)}::date
                      order by b.effective_month desc limit 1) b on true`;

const toBase = (r: BaseRow): MemberBase => ({
  memberId: r.member_id, memberName: r.member_name, orgId: r.org_id, orgName: r.org_name, stage: r.stage, category: r.category,
  baseFen: r.base_fen == null ? null : Number(r.base_fen), chosenFen: r.chosen_fen, effectiveMonth: r.effective_month,
  monthlyFen: r.monthly_fen == null ? null : Number(r.monthly_fen), changes: Number(r.changes),
});

/** The paying members of a subtree with the base in force for the year (null when none is set). */
export async function listBases(db: Db, actor: Actor, query: BaseListQuery) {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const conditions: SQL[] = [sql`m.org_path <@ ${org.path}::ltree`, sql`m.left_at is null and m.stage in ('probationary', 'full')`];
  if (query.q) conditions.push(sql`m.search_text like ${likeContaining(query.q.toLowerCase())}`);
  if (query.filter === 'missing') conditions.push(sql`b.category is null`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<BaseRow>(sql`select ${baseColumns(query.year)} from ${baseJoin(query.year)} where ${where} order by m.name_sort, m.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from ${baseJoin(query.year)} where ${where}`),
  ]);
  return { items: rows.rows.map(toBase), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

type MemberRow = { id: string; name: string; org_id: string; org_path: string; stage: string; left_at: string | null } & Row;

/** A member the actor keeps dues for (400 on `field` otherwise, so existence never leaks). */
export async function duesMember(q: Queryable, actor: Actor, memberId: string, field = 'memberId'): Promise<MemberRow> {
  const member = (await q.execute<MemberRow>(sql`select id::text, name, org_id::text, org_path::text, stage, left_at::text from members where id = ${memberId}`)).rows[0];
  if (!member || !canKeepDuesOf(actor, { orgPath: member.org_path })) throw invalidField(field, 'dues.member_not_found');
  return member;
}

/** Checks a base against the rule in force on its first month: a rated base needs a bracket, a rural amount the range. */
async function checkAgainstRule(q: Queryable, input: SetBase, month: string, field = 'chosenFen') {
  const rule = (await q.execute<{ id: string; min_fen: number | null; max_fen: number | null } & Row>(sql`
    select r.id::text, r.min_fen, r.max_fen from ${ruleFor(sql`${input.category}`, sql`${input.baseFen ?? 0}::bigint`, sql`${month}::date`)} r`)).rows[0];
  if (!rule) throw invalidField('effectiveMonth', 'dues.no_rule');
  if (input.category === 'rural' && rule.min_fen != null && rule.max_fen != null && (input.chosenFen! < rule.min_fen || input.chosenFen! > rule.max_fen)) {
    throw invalidField(field, 'dues.chosen_out_of_range', { min: yuan(rule.min_fen), max: yuan(rule.max_fen) });
  }
}

/**
 * Sets a member's base from a month of a year (January unless the branch decided a change). Bills
 * already made from that month on and not yet paid are re-priced; paid ones stand (corrected, if
 * need be, by a reversal and a new payment).
 */
export async function setBase(db: Db, actor: Actor, memberId: string, input: SetBase): Promise<MemberBase> {
  await db.transaction(async (tx) => {
    const member = await duesMember(tx, actor, memberId);
    if (member.left_at !== null || !['probationary', 'full'].includes(member.stage)) throw invalidField('memberId', 'dues.not_a_payer');
    await saveBase(tx, actor, member, input);
  });
  const row = (await db.execute<BaseRow>(sql`select ${baseColumns(input.year)} from ${baseJoin(input.year)} where m.id = ${memberId}`)).rows[0]!;
  return toBase(row);
}

async function saveBase(tx: Queryable, actor: Actor, member: MemberRow, input: SetBase): Promise<void> {
  const month = monthDate(input.effectiveMonth ?? `${input.year}-01`);
  await checkAgainstRule(tx, input, month);
  const rated = RATED_CATEGORIES.includes(input.category);
  await tx.execute(sql`
    insert into dues_bases (member_id, year, effective_month, category, base_fen, chosen_fen, decided_on, note, set_by)
    values (${member.id}, ${input.year}, ${month}, ${input.category}, ${rated ? input.baseFen! : null}, ${input.category === 'rural' ? input.chosenFen! : null},
            ${input.decidedOn ?? null}, ${input.note ?? null}, ${actor.userId})
    on conflict (member_id, effective_month) do update set category = excluded.category, base_fen = excluded.base_fen, chosen_fen = excluded.chosen_fen,
      decided_on = excluded.decided_on, note = excluded.note, set_by = excluded.set_by, set_at = now()`);
  await repriceUnpaidBills(tx, sql`b.member_id = ${member.id} and b.month >= ${month}::date and b.month <= ${`${input.year}-12-01`}::date`);
  await audit(tx, actor, { action: 'dues.set_base', targetType: 'member', targetId: member.id, orgPath: member.org_path, detail: { ...input } });
}

/** Re-prices the bills matching `where` (alias b) on which nothing is paid, by the one pricing rule. */
export async function repriceUnpaidBills(tx: Queryable, where: SQL): Promise<void> {
  await tx.execute(sql`
    update dues_bills t set due_fen = p.due_fen, category = p.category, base_fen = p.base_fen, rate_bp = p.rate_bp, rule_id = p.rule_id, reduction_id = p.reduction_id
      from (${pricedMonths(sql`select b.id, b.member_id, b.month from dues_bills b where ${where} and b.paid_fen = 0`)}) p
     where t.id = p.id and p.due_fen is not null
       and (t.due_fen, t.category, t.reduction_id) is distinct from (p.due_fen, p.category, p.reduction_id)`);
}

/* ---------- the spreadsheet: a template listing the members, filled in and imported ---------- */

const TEMPLATE_COLUMNS = ['党员编号', '姓名', '所在党组织', '类别', '月收入（元）', '农民党员月交纳（元）', '备注'] as const;
const CATEGORY_BY_LABEL = new Map<string, DuesCategory>(Object.entries(DUES_CATEGORY_LABELS).flatMap(([code, label]) =>
  [[label, code as DuesCategory], [code, code as DuesCategory], ...label.split('/').map((part) => [part, code as DuesCategory] as [string, DuesCategory])]));
export const MAX_BASE_ROWS = 20_000;

/** The year's template: every paying member of the subtree with the base set so far, ready to be filled in. */
export async function baseTemplate(db: Db, actor: Actor, orgId: string, year: number): Promise<Readable> {
  const org = await managedOrg(db, actor, orgId, { allowDissolved: true });
  const rows = await db.execute<BaseRow & { org_full: string }>(sql`select ${baseColumns(year)} from ${baseJoin(year)}
    where m.org_path <@ ${org.path}::ltree and m.left_at is null and m.stage in ('probationary', 'full') order by m.org_path, m.name_sort, m.id`);
  const output = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(`${year}年党费基数`, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = TEMPLATE_COLUMNS.map((header, i) => ({ header, width: [12, 12, 28, 12, 14, 18, 20][i] }));
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  for (const r of rows.rows) {
    sheet.addRow(safeRow([r.member_id, r.member_name, r.org_name, r.category ? DUES_CATEGORY_LABELS[r.category] : '',
      r.base_fen == null ? '' : yuan(Number(r.base_fen)), r.chosen_fen == null ? '' : yuan(r.chosen_fen), ''])).commit();
  }
  sheet.commit();
  void workbook.commit();
  return output;
}

const cellText = (value: unknown): string => {
  if (value == null) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (v.richText) return v.richText.map((t) => t.text).join('').trim();
    if ('result' in v) return cellText(v.result);
    if (v.text !== undefined) return cellText(v.text);
  }
  return '';
};

/** A spreadsheet number as typed: 3000.01 stays 3000.01 (exceljs gives a double; two decimals are all money has). */
const moneyText = (value: unknown): string => (typeof value === 'number' ? String(Math.round(value * 100) / 100) : cellText(value));

/**
 * Imports the year's bases: each row is checked on its own and reported (a row's error does not stop
 * the others); the good rows are saved in one transaction.
 */
export async function importBases(db: Db, actor: Actor, orgId: string, year: number, file: Buffer, lang: Lang): Promise<BaseImportResult> {
  const org = await managedOrg(db, actor, orgId, { allowDissolved: true, field: 'orgId' });
  const badFile = () => invalidField('file', 'dues.bad_file');
  let header: string[] | null = null;
  type Parsed = { row: number; memberId: string | null; name: string | null; input?: SetBase; error?: string };
  const parsed: Parsed[] = [];
  const text = (key: string, params?: Record<string, string | number>) => translate(key, lang, params);
  for await (const { number, values } of readSheetRows(file, { notWorkbook: badFile })) {
    if (!header) {
      header = values.slice(1).map((v) => cellText(v));
      if (!['党员编号', '类别'].every((h) => header!.includes(h))) throw badFile();
      continue;
    }
    const columns = header;
    const raw = (name: string) => (columns.includes(name) ? values[columns.indexOf(name) + 1] : undefined);
    const get = (name: string) => cellText(raw(name));
    if (TEMPLATE_COLUMNS.every((c) => get(c) === '')) continue;
    if (parsed.length >= MAX_BASE_ROWS) throw invalidField('file', 'dues.too_many_rows', { max: MAX_BASE_ROWS });
    const memberId = get('党员编号') || null;
    const name = get('姓名') || null;
    const category = CATEGORY_BY_LABEL.get(get('类别'));
    if (!category) { parsed.push({ row: number, memberId, name, error: text('dues.import_category_unknown') }); continue; }
    const baseText = moneyText(raw('月收入（元）'));
    const chosenText = moneyText(raw('农民党员月交纳（元）'));
    const baseFen = baseText ? fenFromYuanText(baseText) : null;
    const chosenFen = chosenText ? fenFromYuanText(chosenText) : null;
    if ((baseText && (baseFen == null || baseFen < 0)) || (chosenText && (chosenFen == null || chosenFen < 0))) {
      parsed.push({ row: number, memberId, name, error: text('dues.import_amount_invalid') });
      continue;
    }
    const candidate = { year, category, baseFen: RATED_CATEGORIES.includes(category) ? baseFen : null, chosenFen: category === 'rural' ? chosenFen : null, note: get('备注') || null };
    const check = SetBaseSchema.safeParse(candidate);
    if (!check.success) {
      const issue = check.error.issues[0]!;
      parsed.push({ row: number, memberId, name, error: `${TEMPLATE_COLUMNS[issue.path[0] === 'chosenFen' ? 5 : 4]}：${text(issue.message)}` });
      continue;
    }
    parsed.push({ row: number, memberId, name, input: check.data });
  }
  if (!header) throw badFile();

  const rows: BaseImportResult['rows'] = [];
  let imported = 0;
  await db.transaction(async (tx) => {
    const ids = parsed.map((p) => p.memberId).filter((id): id is string => !!id && /^[1-9]\d{0,17}$/.test(id));
    const members = new Map((await tx.execute<MemberRow>(sql`select id::text, name, org_id::text, org_path::text, stage, left_at::text from members
      where id = any(${textArray(ids)}::bigint[]) and org_path <@ ${org.path}::ltree and left_at is null and stage in ('probationary', 'full')`)).rows.map((m) => [m.id, m]));
    for (const p of parsed) {
      const member = p.memberId ? members.get(p.memberId) : undefined;
      let error = p.error ?? null;
      if (!error && !member) error = text('dues.import_member_unknown');
      if (!error && member && p.name && p.name !== member.name) error = text('dues.import_name_mismatch');
      if (!error && member && p.input) {
        try {
          await tx.execute(sql`savepoint dues_import_row`);
          await saveBase(tx, actor, member, p.input);
          await tx.execute(sql`release savepoint dues_import_row`);
        } catch (e) {
          await tx.execute(sql`rollback to savepoint dues_import_row`);
          const field = e instanceof AppError && e.fields ? Object.values(e.fields)[0] : undefined;
          if (!field) throw e;
          error = text(field.key, field.params);
        }
      }
      const monthly = !error && member ? await monthlyOf(tx, member.id, year) : null;
      if (!error) imported += 1;
      rows.push({ row: p.row, memberId: p.memberId, name: p.name ?? member?.name ?? null, ok: !error, message: error, monthlyFen: monthly });
    }
  });
  return { imported, rows };
}

async function monthlyOf(q: Queryable, memberId: string, year: number): Promise<number | null> {
  const r = (await q.execute<{ due_fen: number | null } & Row>(sql`select due_fen from (${pricedMonths(sql`select ${memberId}::bigint as member_id, ${previewMonth(year)}::date as month`)}) p`)).rows[0];
  return r?.due_fen == null ? null : Number(r.due_fen);
}
