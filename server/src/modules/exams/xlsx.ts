import ExcelJS from 'exceljs';
import { CreateQuestionSchema, type AnswerKey, type CreateQuestion, type Question, type QuestionListQuery, type QuestionType } from '../../../../contracts/exams.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { invalidField, type FieldProblem } from '../../platform/errors.js';
import { fieldProblemsOf } from '../../platform/validation.js';
import { canFlagDaily } from './policy.js';
import { insertQuestion, listQuestions } from './questions.js';
import { managedOrg } from '../../platform/org-scope.js';
import { readSheetRows } from '../../platform/xlsx-guard.js';

/** One sheet, one question a row; the export uses the same columns, so it re-imports as is. */
const COLUMNS = ['题型', '题干', '选项A', '选项B', '选项C', '选项D', '选项E', '选项F', '选项G', '选项H', '答案', '标签', '难度', '解析', '每日答题'] as const;
const OPTION_KEYS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H'] as const;
const TYPE_NAMES: Record<QuestionType, string> = { single: '单选', multiple: '多选', true_false: '判断', fill_blank: '填空' };
const DIFFICULTY_NAMES = { easy: '易', medium: '中', hard: '难' } as const;
export const MAX_IMPORT_ROWS = 2000;

const typeOf = (text: string): QuestionType | undefined =>
  (Object.entries(TYPE_NAMES).find(([code, name]) => text === name || text === `${name}题` || text === code)?.[0] as QuestionType | undefined);
const difficultyOf = (text: string) =>
  (Object.entries(DIFFICULTY_NAMES).find(([code, name]) => text === name || text === code || text === `${name}等`)?.[0] as keyof typeof DIFFICULTY_NAMES | undefined);

/** 单选 "A"; 多选 "ABC" or "A,C"; 判断 对/错; 填空 "答案一|同义；答案二" (blanks by ；, alternatives by |). */
function answerOf(type: QuestionType | undefined, text: string): AnswerKey {
  switch (type) {
    case 'single': return text.toUpperCase();
    case 'multiple': return text.toUpperCase().replace(/[^A-H]/g, '').split('');
    case 'true_false': return /^(对|正确|是|√|true|t|y)$/i.test(text) ? true : /^(错|错误|否|×|x|false|f|n)$/i.test(text) ? false : text;
    case 'fill_blank': return text.split(/[;；]/).map((blank) => blank.split('|').map((a) => a.trim()).filter(Boolean)).filter((b) => b.length > 0);
    default: return text;
  }
}

function answerText(q: Question): string {
  if (q.type === 'true_false') return q.answer ? '对' : '错';
  if (q.type === 'multiple') return (q.answer as string[]).join('');
  if (q.type === 'fill_blank') return (q.answer as string[][]).map((b) => b.join('|')).join('；');
  return String(q.answer);
}

function cellText(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'object' && 'richText' in v) return (v.richText as { text: string }[]).map((r) => r.text).join('').trim();
  if (typeof v === 'object' && 'text' in v) return String(v.text).trim();
  if (typeof v === 'object' && 'result' in v) return String(v.result ?? '').trim();
  return String(v).trim();
}

const COLUMN_OF_FIELD: Record<string, string> = { type: '题型', stem: '题干', options: '选项', answer: '答案', tags: '标签', difficulty: '难度', explanation: '解析', isDaily: '每日答题' };

export interface ImportRowProblem { row: number; problems: Record<string, FieldProblem> }

/**
 * Imports the valid rows and reports every row: created with its id, or failed with the
 * problem of each column. The sheet is read (under the upload limits of platform/xlsx-guard.ts)
 * and checked row by row before the transaction, which inserts the good rows and is audited once.
 */
export async function importQuestions(db: Db, actor: Actor, orgId: string, file: Buffer) {
  const orgOptions = { field: 'orgId', notFoundKey: 'question.org_not_found', dissolvedKey: 'question.org_not_found' };
  // the scope first: a file is read only for someone who may import into this org
  await managedOrg(db, actor, orgId, orgOptions);
  const badFile = () => invalidField('file', 'question.import_bad_file');
  type Checked = { row: number; errors: Record<string, FieldProblem>; question?: CreateQuestion };
  const checked: Checked[] = [];
  let header: string[] | null = null;
  for await (const { number, values } of readSheetRows(file, { notWorkbook: badFile })) {
    if (number === 1) {
      header = values.slice(1).map((v) => String(v ?? '').trim());
      if (!['题型', '题干', '答案'].every((name) => header!.includes(name))) throw badFile();
      continue;
    }
    if (!header) throw badFile();
    const columns = header;
    const get = (name: string) => (columns.includes(name) ? cellText(values[columns.indexOf(name) + 1]) : '');
    if (COLUMNS.every((c) => get(c) === '')) continue;
    if (checked.length >= MAX_IMPORT_ROWS) throw invalidField('file', 'question.import_too_many_rows', { max: MAX_IMPORT_ROWS });
    checked.push(checkRow(actor, orgId, number, get));
  }
  if (!header) throw badFile();
  return db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, orgId, { ...orgOptions, lock: 'share' });
    const rows: { row: number; status: 'created' | 'failed'; id: string | null; errors: Record<string, FieldProblem> }[] = [];
    for (const { row, errors, question } of checked) {
      if (!question) rows.push({ row, status: 'failed', id: null, errors });
      else rows.push({ row, status: 'created', id: await insertQuestion(tx, actor, question, orgPath), errors: {} });
    }
    const created = rows.filter((x) => x.status === 'created').length;
    await audit(tx, actor, { action: 'question.import', targetType: 'question', orgPath, detail: { created, failed: rows.length - created } });
    return { created, failed: rows.length - created, rows };
  });
}

function checkRow(actor: Actor, orgId: string, row: number, get: (column: string) => string): { row: number; errors: Record<string, FieldProblem>; question?: CreateQuestion } {
  const type = typeOf(get('题型'));
  const options = OPTION_KEYS.map((key) => ({ key, text: get(`选项${key}`) })).filter((o) => o.text !== '');
  const candidate = {
    orgId, type: type ?? get('题型'), stem: get('题干'), options, answer: answerOf(type, get('答案')),
    tags: get('标签').split(/[,，、;；\s]+/).filter(Boolean), difficulty: difficultyOf(get('难度')) ?? (get('难度') || 'medium'),
    explanation: get('解析') || null, isDaily: /^(是|y|yes|true|1)$/i.test(get('每日答题')),
  };
  const parsed = CreateQuestionSchema.safeParse(candidate, { reportInput: true });
  const errors: Record<string, FieldProblem> = {};
  if (!parsed.success) {
    for (const [path, problem] of Object.entries(fieldProblemsOf(parsed.error.issues))) errors[COLUMN_OF_FIELD[path.split('.')[0]!] ?? path] ??= problem;
  }
  if (!type) errors['题型'] = { key: 'question.import_bad_type' };
  if (get('难度') && !difficultyOf(get('难度'))) errors['难度'] = { key: 'question.import_bad_difficulty' };
  if (candidate.isDaily && !canFlagDaily(actor)) errors['每日答题'] = { key: 'question.daily_admin_only' };
  if (Object.keys(errors).length > 0 || !parsed.success) return { row, errors };
  return { row, errors, question: parsed.data };
}

export async function exportQuestions(db: Db, actor: Actor, query: QuestionListQuery): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('题库');
  sheet.addRow([...COLUMNS]);
  sheet.getRow(1).font = { bold: true };
  const pageSize = 200;
  for (let page = 1; page <= 50; page++) {
    const result = await listQuestions(db, actor, { ...query, page, pageSize });
    for (const q of result.items) {
      sheet.addRow([
        TYPE_NAMES[q.type], q.stem, ...OPTION_KEYS.map((k) => q.options.find((o) => o.key === k)?.text ?? ''), answerText(q), q.tags.join('、'),
        DIFFICULTY_NAMES[q.difficulty], q.explanation ?? '', q.isDaily ? '是' : '',
      ]);
    }
    if (page * pageSize >= result.total) break;
  }
  await audit(db, actor, { action: 'question.export', targetType: 'question', detail: { rows: sheet.rowCount - 1 } });
  return Buffer.from(await book.xlsx.writeBuffer());
}
