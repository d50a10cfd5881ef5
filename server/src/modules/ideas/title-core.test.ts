import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../../test/harness.js';
import { titleCore, trigrams, trigramSimilarity } from './title-core.js';

/** The server's core of a title follows the rules of the SQL function idea_title_core, which the bench's seed uses. */
const CASES: [string, string][] = [
  ['关于优化机关食堂就餐管理的建议', '优化机关食堂就餐管理'],
  ['建议优化机关食堂的就餐管理', '优化机关食堂的就餐管理'],
  ['进一步规范党费收缴的几点思考', '规范党费收缴'],
  ['关于推行「无纸化」会议的意见！', '推行无纸化会议的'],
  ['建立 OA 系统　流程（试行）', '建立oa系统流程试行'],
  ['Party-Building, 2027: A Plan', 'partybuilding2027aplan'],
];

let ctx: TestContext;
beforeAll(async () => { ctx = await startTestApp(); });
afterAll(async () => ctx?.close());

describe('a title’s core', () => {
  it('drops the wrapping words, punctuation and spaces, lower-cased', () => {
    for (const [title, core] of CASES) expect(titleCore(title), title).toBe(core);
  });

  it('is what idea_title_core gives in the database', async () => {
    for (const [title] of CASES) {
      const row = (await ctx.database.db.execute<{ core: string } & Record<string, unknown>>(sql`select idea_title_core(${title}) as core`)).rows[0]!;
      expect(titleCore(title), title).toBe(row.core);
    }
  });
});

describe('trigram similarity', () => {
  const PAIRS: [string, string][] = [
    ['优化机关食堂就餐管理', '优化机关食堂的就餐管理'],
    ['优化机关食堂就餐管理', '优化机关食堂管理办法'],
    ['建立党员志愿服务积分制度', '建立党员志愿服务积分激励制度'],
    ['开展廉政警示教育', '优化机关食堂就餐管理'],
    ['推行无纸化会议的', '推行无纸化会议'],
    ['建立oa系统流程试行', '建立oa系统'],
    ['Party building 2027 plan', 'party-building plan 2027'],
    ['a', 'ab'],
    ['机', '机关'],
  ];

  it('is pg_trgm’s similarity, so the embedded database ranks alike titles as PostgreSQL does', async () => {
    for (const [a, b] of PAIRS) {
      const row = (await ctx.database.db.execute<{ s: number | string } & Record<string, unknown>>(sql`select similarity(${a}, ${b}) as s`)).rows[0]!;
      expect(trigramSimilarity(trigrams(a), trigrams(b)), `${a} ~ ${b}`).toBe(Math.fround(Number(row.s)));
    }
  });
});
