import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import type { ResultsExportQuery } from '../../../../contracts/daily_quiz.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { streamSheet } from '../../platform/xlsx-stream.js';
import { canViewParticipation } from './policy.js';

type ResultRow = {
  id: string; quiz_date: string; member_name: string; org_name: string; correct_count: number; question_count: number;
  streak: number; submitted_at: string;
} & Record<string, unknown>;

const COLUMNS = [
  { header: '答题日期', key: 'date', width: 12 }, { header: '姓名', key: 'name', width: 12 }, { header: '所在党组织', key: 'org', width: 30 },
  { header: '答对题数', key: 'correct', width: 10 }, { header: '题数', key: 'questions', width: 8 }, { header: '连续天数', key: 'streak', width: 10 },
  { header: '提交时间', key: 'submittedAt', width: 18 },
] as const;

/**
 * 每日答题记录 of an org's subtree over a period, as a streamed .xlsx: one row per submission, by
 * day then submission. Seen by those who see the org's participation (its admins); audited before
 * any row leaves (members' names and scores are personal data), with the period and the row count,
 * once the download has started.
 */
export async function exportResults(db: Db, actor: Actor, query: ResultsExportQuery, log: FastifyBaseLogger): Promise<{ stream: Readable; fileName: string }> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'daily_quiz.org_not_found' });
  if (!canViewParticipation(actor, org)) throw notFound('daily_quiz.org_not_found');
  const inPeriod = sql`s.org_path <@ ${org.path}::ltree and s.quiz_date between ${query.from}::date and ${query.to}::date`;
  const stream = streamSheet<ResultRow, (typeof COLUMNS)[number]['key']>({
    label: 'daily_quiz.results_export',
    // counted once the download has started: the count scans the whole period (400 ms for a district's year at the bench's scale)
    beforeRows: async () => {
      const count = await db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from daily_quiz_submissions s where ${inPeriod}`);
      await audit(db, actor, {
        action: 'daily_quiz.results_export', targetType: 'org', targetId: org.id, orgPath: org.path,
        detail: { from: query.from, to: query.to, rowCount: Number(count.rows[0]?.n ?? 0) },
      });
    },
    sheetName: '每日答题记录',
    columns: COLUMNS,
    // keyset on (day, submission): each batch is one short query on the day's index
    nextBatch: async (after, batchRows) => (await db.execute<ResultRow>(sql`
      select s.id::text, s.quiz_date::text, m.name as member_name, o.name as org_name, s.correct_count, s.question_count, s.streak,
             to_char(s.submitted_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS') as submitted_at
        from daily_quiz_submissions s join members m on m.id = s.member_id join orgs o on o.id = m.org_id
       where ${inPeriod} and ${after ? sql`(s.quiz_date, s.id) > (${after.quiz_date}::date, ${after.id}::bigint)` : sql`true`}
       order by s.quiz_date, s.id limit ${batchRows}`)).rows,
    cellsOf: (r) => ({
      date: r.quiz_date, name: r.member_name, org: r.org_name, correct: Number(r.correct_count), questions: Number(r.question_count),
      streak: Number(r.streak), submittedAt: r.submitted_at,
    }),
  }, log);
  return { stream, fileName: `每日答题记录-${org.name}-${query.from.replace(/-/g, '')}-${query.to.replace(/-/g, '')}.xlsx` };
}
