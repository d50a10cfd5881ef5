import { EDUCATION_ALIASES, ETHNICITIES, GENDER_LABELS, MEMBER_SHEET_COLUMNS, STAGE_ALIASES, STAGE_LABELS, type MemberSheetColumn, type MemberSheetField } from '../../../../../contracts/member_import.js';
import { CreateMemberSchema, type CreateMember } from '../../../../../contracts/members.js';
import { simplify } from '../../../platform/i18n.js';
import { fieldProblemsOf } from '../../../platform/validation.js';
import { type DataRow, cellText, isoDateOf } from './sheet-reader.js';
import type { OrgDirectory } from './org-directory.js';
import './messages.js';

// ---------------------------------------------------------------------------------------------
// Rows → CreateMember inputs

export const COLUMN_OF = new Map<string, MemberSheetColumn>(MEMBER_SHEET_COLUMNS.map((c) => [c.field, c]));
export const COLUMN_ORDER = new Map<string, number>(MEMBER_SHEET_COLUMNS.map((c, i) => [c.header, i]));
const DATE_PATTERN = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/** Excel date, 2015-07-01, 2015/7/1, 2015.07.01, 2015年7月1日 or 20150701 → 2015-07-01. */
function normalizeDate(value: unknown): string | null {
  if (value instanceof Date) return isoDateOf(value) || null;
  if (typeof value === 'number') {
    // an Excel serial day number in a cell without a date format (1900 date system)
    if (value < 1 || value > 2_958_465) return null;
    return isoDateOf(new Date(Date.UTC(1899, 11, 30) + Math.round(value) * 86_400_000)) || null;
  }
  const text = cellText(value);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  const parts = compact ?? DATE_PATTERN.exec(text);
  if (!parts) return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : null;
  return `${parts[1]}-${parts[2]!.padStart(2, '0')}-${parts[3]!.padStart(2, '0')}`;
}

interface RowCheck { problems: { column: string; key: string; params?: Record<string, string | number> }[]; input: CreateMember | null }

export function checkRow(row: DataRow, orgs: OrgDirectory, defaultOrgId: string | undefined): RowCheck {
  const problems: RowCheck['problems'] = [];
  const flagged = new Set<string>();
  const flag = (field: MemberSheetField, key: string, params?: Record<string, string | number>) => {
    const column = COLUMN_OF.get(field)!.header;
    if (flagged.has(column)) return;
    flagged.add(column);
    problems.push({ column, key, params });
  };
  const input: Record<string, unknown> = {};
  for (const [field, value] of row.raw) {
    if (value && typeof value === 'object' && 'error' in value) {
      flag(field, 'member_import.cell_error', { value: String((value as { error: unknown }).error) });
      continue;
    }
    const text = cellText(value);
    if (text === '') continue;
    const column = COLUMN_OF.get(field)!;
    switch (field) {
      case 'gender': {
        const gender = Object.entries(GENDER_LABELS).find(([code, label]) => text === label || text === code)?.[0];
        if (gender) input.gender = gender; else flag(field, 'member_import.gender_invalid');
        break;
      }
      case 'stage': {
        const stage = STAGE_ALIASES[simplify(text).replace(/\s/g, '')] ?? (text in STAGE_LABELS ? text : undefined);
        if (stage) input.stage = stage; else flag(field, 'member_import.stage_invalid');
        break;
      }
      case 'idNumber':
        if (typeof value === 'number' && value >= 1e15) flag(field, 'member_import.id_number_as_number');
        else input.idNumber = text.replace(/\s/g, '').toUpperCase();
        break;
      case 'phone':
        input.phone = text.replace(/[\s-]/g, '');
        break;
      case 'orgId': {
        const org = orgs.resolve(text);
        if ('id' in org) input.orgId = org.id; else flag(field, org.key, org.params);
        break;
      }
      case 'ethnicity':
        input.ethnicity = (ETHNICITIES as readonly string[]).includes(`${text}族`) ? `${text}族` : text;
        break;
      case 'education':
        input.education = EDUCATION_ALIASES[text.replace(/\s/g, '')] ?? text;
        break;
      default:
        if (column.kind === 'date') {
          const date = normalizeDate(value);
          if (date) input[field] = date; else flag(field, 'member_import.date_invalid');
        } else {
          input[field] = text;
        }
    }
  }
  if (input.orgId === undefined && !flagged.has(COLUMN_OF.get('orgId')!.header)) {
    if (defaultOrgId) input.orgId = defaultOrgId; else flag('orgId', 'member_import.org_required');
  }
  const parsed = CreateMemberSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    for (const [path, problem] of Object.entries(fieldProblemsOf(parsed.error.issues))) {
      const field = path.split('.')[0] as MemberSheetField;
      const column = COLUMN_OF.get(field)?.header ?? '';
      if (flagged.has(column)) continue;
      flagged.add(column);
      problems.push({ column, key: problem.key, params: problem.params });
    }
  }
  return { problems, input: problems.length === 0 && parsed.success ? parsed.data : null };
}
