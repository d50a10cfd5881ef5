import { sql } from 'drizzle-orm';
import type { Reconciliation } from '../../../../contracts/dues.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { readSheetRows } from '../../platform/xlsx-guard.js';
import { fenFromYuanText } from './pricing.js';

type Row = Record<string, unknown>;
type Line = Reconciliation['unmatchedLines'][number];
type Record_ = Reconciliation['unmatchedRecords'][number];

/** Column names banks use in their statement exports, by what we read from them. */
const HEADERS = {
  date: ['交易日期', '记账日期', '入账日期', '日期', '交易时间'],
  amount: ['金额', '交易金额', '发生额'],
  credit: ['收入金额', '贷方金额', '收入', '贷方发生额'],
  debit: ['支出金额', '借方金额', '支出', '借方发生额'],
  counterparty: ['对方户名', '对方账户名称', '对方名称', '对方单位'],
  memo: ['摘要', '用途', '附言', '备注'],
  reference: ['流水号', '交易流水号', '凭证号', '交易序号'],
} as const;
export const MAX_STATEMENT_LINES = 10_000;
/** A transfer and its booking may be a few days apart (weekends, bank holidays). */
const DATE_SLACK_DAYS = 3;

const text = (value: unknown): string => {
  if (value == null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; text?: unknown; result?: unknown };
    if (v.richText) return v.richText.map((t) => t.text).join('').trim();
    if ('result' in v) return text(v.result);
    if (v.text !== undefined) return text(v.text);
    return '';
  }
  return String(value).trim();
};

function dateOf(value: unknown): string | null {
  const t = text(value);
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?(?:[ T].*)?$/.exec(t);
  if (!m) return null;
  const iso = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

function fenOf(value: unknown): number | null {
  if (value == null || value === '') return 0;
  // a spreadsheet number is a double: two decimals are all money has
  const t = typeof value === 'number' ? (Math.round(value * 100) / 100).toFixed(2) : text(value);
  return t === '' ? 0 : fenFromYuanText(t);
}

/** The statement's lines within the period: credits positive, debits negative. */
async function statementLines(file: Buffer, from: string, to: string): Promise<Line[]> {
  const badFile = () => invalidField('file', 'dues.bad_file');
  let columns: Partial<Record<keyof typeof HEADERS, number>> | null = null;
  const lines: Line[] = [];
  for await (const { number, values } of readSheetRows(file, { notWorkbook: badFile })) {
    const cells = values.slice(1).map(text);
    if (!columns) {
      // banks put a title and the account above the header: the header is the first row naming a date and an amount
      const find = (names: readonly string[]) => { const i = cells.findIndex((c) => names.includes(c)); return i < 0 ? undefined : i + 1; };
      const found = Object.fromEntries(Object.entries(HEADERS).map(([key, names]) => [key, find(names)])) as Partial<Record<keyof typeof HEADERS, number>>;
      if (found.date && (found.amount || found.credit || found.debit)) columns = found;
      else if (number > 20) throw badFile();
      continue;
    }
    const get = (key: keyof typeof HEADERS) => (columns![key] ? values[columns![key]!] : undefined);
    if (cells.every((c) => c === '')) continue;
    const date = dateOf(get('date'));
    const amount = columns.amount ? fenOf(get('amount')) : (() => {
      const credit = fenOf(get('credit'));
      const debit = fenOf(get('debit'));
      return credit === null || debit === null ? null : credit - Math.abs(debit);
    })();
    if (!date || amount === null) {
      // a closing line (合计, 本页小计) has no date: it ends the statement's lines
      if (!date && /合计|小计|总计/.test(cells.join(''))) continue;
      throw invalidField('file', 'dues.statement_line_invalid', { row: number });
    }
    if (date < from || date > to || amount === 0) continue;
    if (lines.length >= MAX_STATEMENT_LINES) throw invalidField('file', 'dues.too_many_rows', { max: MAX_STATEMENT_LINES });
    lines.push({ row: number, date, amountFen: amount, counterparty: text(get('counterparty')) || null, reference: text(get('reference')) || null, memo: text(get('memo')) || null });
  }
  if (!columns) throw badFile();
  return lines;
}

/** What the org's own bank account should show in the period: transfers received and paid. */
async function recordsOf(q: Queryable, orgId: string, from: string, to: string): Promise<Record_[]> {
  const rows = await q.execute<{ type: Record_['type']; id: string; date: string; amount: string; label: string; reference: string | null } & Row>(sql`
    select 'remittance_received' as type, r.id::text, r.remitted_on::text as date, r.amount_fen as amount,
           f.name || ' ' || to_char(r.month, 'YYYY-MM') || ' 上缴党费' as label, r.reference
      from dues_remittances r join orgs f on f.id = r.from_org_id
     where r.to_org_id = ${orgId} and r.method = 'transfer' and r.remitted_on between ${from}::date and ${to}::date
    union all
    select 'remittance_sent', r.id::text, r.remitted_on::text, -r.amount_fen, '上缴 ' || t.name || ' ' || to_char(r.month, 'YYYY-MM'), r.reference
      from dues_remittances r join orgs t on t.id = r.to_org_id
     where r.from_org_id = ${orgId} and r.method = 'transfer' and r.remitted_on between ${from}::date and ${to}::date
    union all
    select 'payment', p.id::text, p.paid_on::text, p.total_fen, m.name || ' 党费 ' || p.receipt_no, p.reference
      from dues_payments p join members m on m.id = p.member_id
     where p.org_id = ${orgId} and p.method = 'transfer' and p.paid_on between ${from}::date and ${to}::date
    union all
    select 'expenditure', e.id::text, e.spent_on::text, -e.amount_fen, e.description, e.voucher_no
      from dues_expenditures e
     where e.org_id = ${orgId} and e.spent_on between ${from}::date and ${to}::date
    order by 3, 1, 2`);
  return rows.rows.map((r) => ({ type: r.type, id: r.id, date: r.date, amountFen: Number(r.amount), label: r.label, reference: r.reference }));
}

const dayDiff = (a: string, b: string) => Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
const sameRef = (a: string | null, b: string | null) => !!a && !!b && a.trim().toUpperCase() === b.trim().toUpperCase();

/**
 * Pairs statement lines with records: first by reference (a pair with different amounts is a
 * difference), then by amount within a few days, nearest date first. What is left on either side
 * is listed; the three sums tell whether the books and the bank agree.
 */
export function matchStatement(lines: Line[], records: Record_[]): Omit<Reconciliation, 'id' | 'orgId' | 'fromDate' | 'toDate' | 'fileName' | 'createdAt'> {
  const used = new Set<number>();
  const matched: Reconciliation['matched'] = [];
  const differences: Reconciliation['differences'] = [];
  const rest: Line[] = [];
  for (const line of lines) {
    const i = records.findIndex((r, k) => !used.has(k) && sameRef(r.reference, line.reference));
    if (i < 0) { rest.push(line); continue; }
    used.add(i);
    const record = records[i]!;
    if (record.amountFen === line.amountFen) matched.push({ line, record });
    else differences.push({ line, record, differenceFen: line.amountFen - record.amountFen });
  }
  const unmatchedLines: Line[] = [];
  for (const line of rest) {
    let best = -1;
    for (let k = 0; k < records.length; k++) {
      const r = records[k]!;
      if (used.has(k) || r.amountFen !== line.amountFen || dayDiff(r.date, line.date) > DATE_SLACK_DAYS) continue;
      if (best < 0 || dayDiff(r.date, line.date) < dayDiff(records[best]!.date, line.date)) best = k;
    }
    if (best < 0) { unmatchedLines.push(line); continue; }
    used.add(best);
    matched.push({ line, record: records[best]! });
  }
  const sum = (xs: { amountFen: number }[]) => xs.reduce((s, x) => s + x.amountFen, 0);
  return {
    matched, differences, unmatchedLines,
    unmatchedRecords: records.filter((_, k) => !used.has(k)),
    statementNetFen: sum(lines), recordsNetFen: sum(records), matchedNetFen: sum(matched.map((m) => m.line)),
  };
}

export async function reconcile(db: Db, actor: Actor, query: { orgId: string; from: string; to: string }, file: Buffer, fileName: string): Promise<Reconciliation> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, field: 'orgId' });
  const lines = await statementLines(file, query.from, query.to);
  const id = await db.transaction(async (tx) => {
    const result = matchStatement(lines, await recordsOf(tx, org.id, query.from, query.to));
    const inserted = await tx.execute<{ id: string } & Row>(sql`insert into dues_reconciliations (org_id, org_path, from_date, to_date, file_name, result, created_by)
      values (${org.id}, ${org.path}::ltree, ${query.from}, ${query.to}, ${fileName.slice(0, 200)}, ${JSON.stringify(result)}::jsonb, ${actor.userId}) returning id::text`);
    await audit(tx, actor, {
      action: 'dues.reconcile', targetType: 'org', targetId: org.id, orgPath: org.path,
      detail: { ...query, fileName, lines: lines.length, matched: result.matched.length, differences: result.differences.length, unmatchedLines: result.unmatchedLines.length, unmatchedRecords: result.unmatchedRecords.length },
    });
    return inserted.rows[0]!.id;
  });
  return getReconciliation(db, actor, id);
}

export async function getReconciliation(db: Queryable, actor: Actor, id: string): Promise<Reconciliation> {
  const row = (await db.execute<{ id: string; org_id: string; from_date: string; to_date: string; file_name: string; result: unknown; created_at: string } & Row>(sql`
    select id::text, org_id::text, from_date::text, to_date::text, file_name, result, created_at::text from dues_reconciliations where id = ${id}`)).rows[0];
  if (!row) throw notFound('not_found');
  await managedOrg(db, actor, row.org_id, { allowDissolved: true, notFoundKey: 'not_found' });
  const result = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as ReturnType<typeof matchStatement>;
  return { id: row.id, orgId: row.org_id, fromDate: row.from_date, toDate: row.to_date, fileName: row.file_name, createdAt: new Date(row.created_at).toISOString(), ...result };
}
