import type { Readable } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db } from '../../platform/db.js';
import { streamSheet } from '../../platform/xlsx-stream.js';
import { findSchemeWithResults, resultsOf, schemeIndicators } from './service.js';

type ExportRow = { rank: number; orgName: string; total: number; offset: number; cells: Record<string, number | null> };

/**
 * 导出: the scheme's results as .xlsx, in rank order — rank, org, total and each indicator's score — for
 * whoever may read them; audited before any row leaves.
 */
export async function exportResults(db: Db, actor: Actor, id: string, log: FastifyBaseLogger): Promise<{ stream: Readable; fileName: string }> {
  const scheme = await findSchemeWithResults(db, actor, id);
  const indicators = await schemeIndicators(db, id);
  const count = await db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from assessment_totals where scheme_id = ${id}`);
  await audit(db, actor, { action: 'assessment.export', targetType: 'assessment_scheme', targetId: id, orgPath: scheme.org_path, detail: { name: scheme.name, rowCount: Number(count.rows[0]?.n ?? 0) } });
  const columns = [
    { header: '名次', key: 'rank', width: 8 }, { header: '党组织', key: 'org', width: 30 }, { header: '总分', key: 'total', width: 10 },
    ...indicators.map((i) => ({ header: `${i.name}（权重 ${Number(i.weight)}）`, key: `i${i.indicator_id}`, width: 18 })),
  ];
  const stream = streamSheet<ExportRow, string>({
    label: 'assessment.export',
    sheetName: scheme.name.slice(0, 31),
    columns,
    nextBatch: async (after, batchRows) => {
      const offset = after ? after.offset + 1 : 0;
      const { items } = await resultsOf(db, id, { offset, limit: batchRows });
      return items.map((r, k) => ({
        rank: r.rank, orgName: r.orgName, total: r.total, offset: offset + k,
        cells: Object.fromEntries(r.scores.map((s) => [`i${s.indicatorId}`, s.score])),
      }));
    },
    cellsOf: (r) => ({ rank: r.rank, org: r.orgName, total: r.total, ...Object.fromEntries(indicators.map((i) => [`i${i.indicator_id}`, r.cells[`i${i.indicator_id}`] ?? null])) }),
  }, log);
  return { stream, fileName: `${scheme.name}-考评结果.xlsx` };
}
