import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import type { ExamResults } from '../../../../contracts/exams.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { finalizeExpiredAttempts, findManagedExam } from './service.js';
import { safeRow } from '../../platform/spreadsheet-cells.js';

type N = number | string;
const ratio = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);
const average = (values: number[]) => (values.length === 0 ? null : Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 100) / 100);

/**
 * Results of an exam, counting its make-up: a member who sat the make-up has participated, and
 * their best score over both counts. Pass rate is passed / participated.
 */
export async function examResults(db: Db, actor: Actor, examId: string): Promise<ExamResults> {
  const exam = await findManagedExam(db, actor, examId);
  const examIds = [examId, ...(exam.make_up_id ? [exam.make_up_id] : [])];
  await finalizeExpiredAttempts(db, examIds);
  const inExams = sql.join(examIds.map((x) => sql`${x}`), sql`, `);
  const people = await db.execute<{
    member_id: string; member_name: string; org_id: string | null; org_name: string | null; in_main: boolean; in_make_up: boolean; best: N | null; passed: boolean | null;
  } & Record<string, unknown>>(sql`
    select p.member_id::text, m.name as member_name, o.id::text as org_id, o.name as org_name,
           exists (select 1 from exam_attempts a where a.exam_id = ${examId} and a.member_id = p.member_id) as in_main,
           exists (select 1 from exam_attempts a where a.exam_id <> ${examId} and a.exam_id in (${inExams}) and a.member_id = p.member_id) as in_make_up,
           (select max(a.score) from exam_attempts a where a.exam_id in (${inExams}) and a.member_id = p.member_id) as best,
           (select bool_or(a.is_passed) from exam_attempts a where a.exam_id in (${inExams}) and a.member_id = p.member_id) as passed
      from exam_participants p join members m on m.id = p.member_id left join orgs o on o.path = p.org_path
     where p.exam_id = ${examId} order by p.org_path, p.member_id`);
  const rows = people.rows.map((r) => ({
    memberId: r.member_id, memberName: r.member_name, orgId: r.org_id ?? '', orgName: r.org_name ?? '', hasAttempted: r.in_main || r.in_make_up,
    viaMakeUp: !r.in_main && r.in_make_up, bestScore: r.best == null ? null : Number(r.best), isPassed: r.best == null ? null : r.passed === true,
  }));
  const summarize = (list: typeof rows) => {
    const participated = list.filter((r) => r.hasAttempted);
    const scored = participated.filter((r) => r.bestScore != null);
    return {
      participants: list.length, participated: participated.length, participationRate: ratio(participated.length, list.length),
      averageScore: average(scored.map((r) => r.bestScore!)), passRate: scored.length ? ratio(scored.filter((r) => r.isPassed).length, scored.length) : null,
    };
  };
  const orgIds = [...new Set(rows.map((r) => r.orgId))];
  const questions = await db.execute<{ question_id: string; stem: string; attempts: N; correct: N } & Record<string, unknown>>(sql`
    select x->>'id' as question_id, x->>'stem' as stem, count(*)::int as attempts, count(*) filter (where ans.is_correct)::int as correct
      from exam_attempts a join exam_variants v on v.exam_id = a.exam_id and v.variant_no = a.variant_no
      cross join lateral jsonb_array_elements(v.questions) x
      left join exam_answers ans on ans.attempt_id = a.id and ans.question_id = (x->>'id')::bigint
     where a.exam_id in (${inExams}) and a.submitted_at is not null
     group by 1, 2 order by (x->>'id')::bigint`);
  return {
    examId, makeUpId: exam.make_up_id,
    summary: summarize(rows),
    people: rows.map(({ orgId: _o, ...r }) => r),
    orgs: orgIds.map((orgId) => {
      const list = rows.filter((r) => r.orgId === orgId);
      return { orgId, orgName: list[0]!.orgName, ...summarize(list) };
    }).filter((o) => o.orgId !== ''),
    questions: questions.rows.map((q) => ({
      questionId: q.question_id, stem: q.stem, attempts: Number(q.attempts), correct: Number(q.correct), accuracy: Number(q.attempts) ? ratio(Number(q.correct), Number(q.attempts)) : null,
    })),
  };
}

/** The same results as a workbook: people, orgs, questions. The export is audited (it lists people). */
export async function exportExamResults(db: Db, actor: Actor, examId: string): Promise<{ filename: string; body: Buffer }> {
  const exam = await findManagedExam(db, actor, examId);
  const results = await examResults(db, actor, examId);
  const book = new ExcelJS.Workbook();
  const pct = (v: number | null) => (v == null ? '' : `${Math.round(v * 1000) / 10}%`);
  const people = book.addWorksheet('人员成绩');
  people.addRow(['姓名', '所在组织', '是否参考', '参加补考', '最高分', '是否合格']);
  for (const p of results.people) people.addRow(safeRow([p.memberName, p.orgName, p.hasAttempted ? '是' : '否', p.viaMakeUp ? '是' : '', p.bestScore ?? '', p.isPassed == null ? '' : p.isPassed ? '合格' : '不合格']));
  const orgs = book.addWorksheet('组织统计');
  orgs.addRow(['组织', '应考人数', '实考人数', '参考率', '平均分', '合格率']);
  for (const o of [...results.orgs, { orgName: '合计', ...results.summary }]) orgs.addRow(safeRow([o.orgName, o.participants, o.participated, pct(o.participationRate), o.averageScore ?? '', pct(o.passRate)]));
  const questions = book.addWorksheet('试题正确率');
  questions.addRow(['试题编号', '题干', '作答人次', '答对人次', '正确率']);
  for (const q of results.questions) questions.addRow(safeRow([q.questionId, q.stem, q.attempts, q.correct, pct(q.accuracy)]));
  for (const sheet of [people, orgs, questions]) sheet.getRow(1).font = { bold: true };
  await audit(db, actor, { action: 'exam.export_results', targetType: 'exam', targetId: examId, orgPath: exam.org_path, detail: { rows: results.people.length } });
  return { filename: `exam-${examId}-results.xlsx`, body: Buffer.from(await book.xlsx.writeBuffer()) };
}
