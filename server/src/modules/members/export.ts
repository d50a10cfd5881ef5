import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql, type SQL } from 'drizzle-orm';
import { GENDER_LABELS, MEMBER_SHEET_COLUMNS, STAGE_LABELS, type MemberSheetField } from '../../../../contracts/member_import.js';
import { MemberExportQuerySchema, type MemberExportQuery, type MemberStage } from '../../../../contracts/members.js';
import { isAdmin, type Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { OrgDirectory } from './import/org-directory.js';
import { commonRoot } from './import/jobs.js';
import { memberFilter } from './list.js';
import { canExportFullIds, canManageMember, fullIdRows } from './policy.js';
import { chinaDate } from '../../../../contracts/china-time.js';
import { streamSheet } from '../../platform/xlsx-stream.js';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export { MemberExportQuerySchema, type MemberExportQuery };

/** `attachment` with an ASCII fallback and the real (Chinese) name in RFC 5987 form. */
export function contentDisposition(fileName: string, asciiFallback: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

/** 党员名册-20261123.xlsx, dated in China's time. */
export function exportFileName(now = Date.now()): string {
  return `党员名册-${chinaDate(now).replace(/-/g, '')}.xlsx`;
}

type ExportRow = {
  id: string; org_path: string; name: string; gender: 'male' | 'female'; ethnicity: string; birth_date: string | null;
  id_number_enc: string | null; id_number_masked: string | null; phone_enc: string | null; phone_masked: string | null;
  education: string | null; work_unit: string | null; post: string | null; stage: MemberStage;
  applied_on: string | null; activist_on: string | null; candidate_on: string | null; joined_on: string | null; converted_on: string | null;
  residence_community: string | null; name_sort: string; left_on: string | null;
} & Record<string, unknown>;

const EXTRA_HEADERS = ['出党/离开日期'];

/**
 * The member roll as an .xlsx stream: the same columns as the import template (so a corrected
 * file can be imported again), the org as its full path, personal data masked. With `reveal=1`
 * (导出完整身份证号) the full ID and phone numbers of the rows the viewer administers — the same
 * people who may reveal one member's numbers — and only for an org the viewer administers,
 * with a reason. Audited before any row leaves: 'member.export' (filters, row count) or
 * 'member.export_full_id' (also the reason and how many rows carry full numbers), counted once the
 * download has started (the scope and the right to reveal are checked before). Rows are read
 * in keyset batches of 2,000 in the list's name order and written through exceljs's streaming
 * writer, waiting for the client between batches, so memory stays flat whatever the size of the roll.
 */
export async function exportMembers(db: Db, cipher: PersonalDataCipher, actor: Actor, query: MemberExportQuery, log: FastifyBaseLogger): Promise<Readable> {
  if (!isAdmin(actor)) throw new AppError(403, 'member_import.not_admin');
  const reveal = query.reveal === '1';
  const orgs = await OrgDirectory.load(db, actor);
  if (reveal) {
    const org = query.orgId ? await db.execute<{ path: string } & Record<string, unknown>>(sql`select path::text from orgs where id = ${query.orgId}`) : null;
    // an org that does not exist is refused like one outside the scope: existence does not leak
    const exportedPath = org ? org.rows[0]?.path ?? '' : null;
    if (!canExportFullIds(actor, exportedPath)) throw new AppError(403, 'member.export_full_id_forbidden');
  }
  // the org's path as a value rather than the list's sub-select: PostgreSQL then knows how much of the
  // tree it covers and walks the roll's (name_sort, id) index for a city, instead of re-reading the
  // whole subtree for every keyset batch (quadratic in its size); a branch still goes by the path index
  const exportedOrg = query.orgId ? orgs.get(query.orgId) : undefined;
  const where = exportedOrg
    ? sql`${memberFilter(actor, { ...query, orgId: undefined }, cipher)} and m.org_path <@ ${exportedOrg.path}::ltree`
    : memberFilter(actor, query, cipher);
  const { page: _page, pageSize: _pageSize, reveal: _reveal, reason, ...filters } = query;
  const orgPath = query.orgId ? orgs.get(query.orgId)?.path ?? commonRoot(actor) : commonRoot(actor);
  // counted and audited once the download has started, before the first batch
  const auditExport = async () => {
    const count = await db.execute<{ n: number; full: number } & Record<string, unknown>>(sql`
      select count(*)::int as n, count(*) filter (where ${fullIdRows(actor)})::int as full from members m where ${where}`);
    const rowCount = Number(count.rows[0]?.n ?? 0);
    await audit(db, actor, reveal
      ? { action: 'member.export_full_id', targetType: 'member', orgPath, detail: { filters, rowCount, fullIdRows: Number(count.rows[0]?.full ?? 0), revealed: true, reason } }
      : { action: 'member.export', targetType: 'member', orgPath, detail: { filters, rowCount, revealed: false } });
  };

  const order = query.sort === 'id' ? 'id' : 'name';
  const dir = sql.raw(query.order === 'desc' ? 'desc' : 'asc');
  const cmp = sql.raw(query.order === 'desc' ? '<' : '>');
  return streamSheet<ExportRow, MemberSheetField | 'leftOn'>({
    label: 'member.export',
    beforeRows: auditExport,
    sheetName: '党员名册',
    columns: [
      ...MEMBER_SHEET_COLUMNS.map((c) => ({ header: c.header, key: c.field, width: c.width })),
      ...EXTRA_HEADERS.map((header) => ({ header, key: 'leftOn' as const, width: 14 })),
    ],
    nextBatch: async (after, batchRows) => {
      const keyset: SQL = !after ? sql`true`
        : order === 'id' ? sql`m.id ${cmp} ${after.id}::bigint`
          : sql`(m.name_sort, m.id) ${cmp} (${after.name_sort}, ${after.id}::bigint)`;
      const orderBy = order === 'id' ? sql`m.id ${dir}` : sql`m.name_sort ${dir}, m.id ${dir}`;
      return (await db.execute<ExportRow>(sql`
        select m.id::text, m.org_path::text, m.name, m.gender, m.ethnicity, m.birth_date::text,
               m.id_number_enc, m.id_number_masked, m.phone_enc, m.phone_masked, m.education, m.work_unit, m.post, m.stage,
               m.applied_on::text, m.activist_on::text, m.candidate_on::text, m.joined_on::text, m.converted_on::text,
               m.residence_community, m.name_sort, m.left_on::text
          from members m where ${where} and ${keyset} order by ${orderBy} limit ${batchRows}`)).rows;
    },
    cellsOf: (row) => cellsOf(row, reveal && canManageMember(actor, { orgPath: row.org_path }), orgs, cipher),
  }, log);
}

function cellsOf(row: ExportRow, isRevealed: boolean, orgs: OrgDirectory, cipher: PersonalDataCipher): Record<MemberSheetField | 'leftOn', string | null> {
  return {
    name: row.name,
    gender: GENDER_LABELS[row.gender],
    ethnicity: row.ethnicity,
    birthDate: row.birth_date,
    idNumber: isRevealed && row.id_number_enc ? cipher.decrypt(row.id_number_enc) : row.id_number_masked,
    phone: isRevealed && row.phone_enc ? cipher.decrypt(row.phone_enc) : row.phone_masked,
    education: row.education,
    workUnit: row.work_unit,
    post: row.post,
    orgId: orgs.fullName(row.org_path),
    stage: STAGE_LABELS[row.stage],
    appliedOn: row.applied_on,
    activistOn: row.activist_on,
    candidateOn: row.candidate_on,
    joinedOn: row.joined_on,
    convertedOn: row.converted_on,
    residenceCommunity: row.residence_community,
    leftOn: row.left_on,
  };
}
