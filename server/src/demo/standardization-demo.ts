import { sql } from 'drizzle-orm';
import { computedValues, meetsThreshold, periodOfYear } from '../modules/standardization/grading.js';
import { insertChecks } from '../modules/standardization/schemes.js';
import type { DemoContext, DemoPlace } from './context.js';

type Row = Record<string, unknown>;

const GRADES = [
  { level: 1, name: '先进', isLow: false, minPoints: 40 },
  { level: 2, name: '达标', isLow: false, minPoints: null },
  { level: 3, name: '后进', isLow: true, minPoints: null },
];

const CRITERIA: { text: string; kind: 'computed' | 'evidenced'; code?: string; threshold?: number; requiredFor: number | null; points: number }[] = [
  { text: '“三会一课”按期召开，完成率不低于80%', kind: 'computed', code: 'activities.three_meetings_completion', threshold: 0.8, requiredFor: 2, points: 10 },
  { text: '已召开的会议人员、时间、内容、效果“四落实”比例不低于80%', kind: 'computed', code: 'activities.four_implementations_rate', threshold: 0.8, requiredFor: 1, points: 10 },
  { text: '支部委员会健全，按期换届，书记、委员分工明确', kind: 'evidenced', requiredFor: 2, points: 10 },
  { text: '党员教育管理规范，党费按时足额交纳', kind: 'evidenced', requiredFor: 2, points: 10 },
  { text: '党建与业务深度融合，形成支部特色品牌', kind: 'evidenced', requiredFor: 1, points: 10 },
];

/** What each demo branch's round shows: every state of the flow once, the secretary's branch assessing itself. */
type Stage = 'self_assessing' | 'submitted' | 'graded' | 'appealed' | 'published_good' | 'published_low';
const STAGES: Stage[] = ['submitted', 'graded', 'appealed', 'published_good', 'published_low', 'published_good', 'submitted'];

/**
 * 达标定级: the bureau's scheme for the current year with computed and evidenced criteria, a round for
 * each branch under it — the secretary's branch assessing itself, others submitted, graded, appealed,
 * published, one 后进 with open rectification tasks — and a draft scheme of the work committee.
 */
export async function seedStandardizationDemo(context: DemoContext): Promise<void> {
  const { tx, committee, root, branch, users } = context;
  const year = Number(context.today.slice(0, 4));
  const scheme = (await tx.execute<{ id: string } & Row>(sql`insert into grading_schemes (org_id, org_path, year, name, grades, status, created_by, activated_at)
    values (${committee.id}, ${committee.path}::ltree, ${year}, ${`${year}年度党支部达标定级`}, ${JSON.stringify(GRADES)}::jsonb, 'active', ${users.bureau}, now() - interval '40 days')
    returning id::text`)).rows[0]!.id;
  await tx.execute(sql`insert into grading_schemes (org_id, org_path, year, name, grades, status, created_by)
    values (${root.id}, ${root.path}::ltree, ${year + 1}, ${`${year + 1}年度市直机关党支部星级评定（草稿）`},
            ${JSON.stringify([1, 2, 3, 4, 5].map((n) => ({ level: n, name: `${'★'.repeat(6 - n)}${['五', '四', '三', '二', '一'][n - 1]}星`, isLow: n === 5, minPoints: null })))}::jsonb,
            'draft', ${users.admin})`);
  const criteria = (await tx.execute<{ id: string } & Row>(sql`insert into grading_criteria (scheme_id, position, text, kind, indicator_code, threshold, required_for_level, points) values
    ${sql.join(CRITERIA.map((c, i) => sql`(${scheme}, ${i + 1}, ${c.text}, ${c.kind}, ${c.code ?? null}, ${c.threshold ?? null}, ${c.requiredFor}, ${c.points})`), sql`, `)}
    returning id::text`)).rows.map((r, i) => ({ id: r.id, indicatorCode: CRITERIA[i]!.code ?? null, threshold: CRITERIA[i]!.threshold ?? null, kind: CRITERIA[i]!.kind }));

  const others = context.branches.filter((b) => b.path.startsWith(`${committee.path}.`) && b.id !== branch.id).slice(0, STAGES.length);
  const plan: { place: DemoPlace; stage: Stage }[] = [{ place: branch, stage: 'self_assessing' }, ...others.map((place, i) => ({ place, stage: STAGES[i]! }))];
  const rounds = (await tx.execute<{ id: string; org_id: string } & Row>(sql`insert into grading_rounds (scheme_id, org_id, org_path, created_by, created_at)
    values ${sql.join(plan.map((p) => sql`(${scheme}, ${p.place.id}, ${p.place.path}::ltree, ${users.bureau}, now() - interval '30 days')`), sql`, `)}
    returning id::text, org_id::text`)).rows;
  await insertChecks(tx, rounds.map((r) => r.id));
  const period = periodOfYear(year);

  for (const [i, p] of plan.entries()) {
    const roundId = rounds[i]!.id;
    const evidenced = criteria.filter((c) => c.kind === 'evidenced');
    const low = p.stage === 'published_low';
    if (p.stage === 'self_assessing') {
      // the secretary has answered the first two evidenced criteria and not yet submitted
      await tx.execute(sql`update grading_checks g set self_met = true, evidence = v.evidence
        from (values (${evidenced[0]!.id}::bigint, '支委会5人，2024年按期换届，分工见支委会会议记录'::text), (${evidenced[1]!.id}::bigint, '党费按月交纳，台账见党费管理模块'::text)) v (criterion_id, evidence)
       where g.round_id = ${roundId} and g.criterion_id = v.criterion_id`);
      continue;
    }
    const values = await computedValues(tx, criteria, p.place, period);
    await tx.execute(sql`update grading_checks g set
        computed_numerator = v.numerator, computed_denominator = v.denominator, computed_value = v.value,
        self_met = v.self_met, evidence = v.evidence, review_met = case when ${p.stage !== 'submitted'}::boolean then v.review_met end
      from (values ${sql.join(criteria.map((c, k) => {
        const v = values.get(c.id);
        const computedMet = meetsThreshold(v?.value ?? null, c.threshold);
        const selfMet = c.kind === 'computed' ? computedMet : !(low && k === 4);
        return sql`(${c.id}::bigint, ${c.kind === 'computed' ? v?.numerator ?? 0 : null}::numeric, ${c.kind === 'computed' ? (v ? v.denominator : 0) : null}::numeric,
          ${c.kind === 'computed' ? v?.value ?? null : null}::numeric, ${selfMet}::boolean,
          ${c.kind === 'evidenced' ? '相关制度、记录和照片已整理归档' : null}::text, ${low ? k < 2 && computedMet : selfMet}::boolean)`;
      }), sql`, `)}) v (criterion_id, numerator, denominator, value, self_met, evidence, review_met)
     where g.round_id = ${roundId} and g.criterion_id = v.criterion_id`);
    const grade = p.stage === 'published_good' ? GRADES[i % 2 === 0 ? 0 : 1]! : low ? GRADES[2]! : GRADES[1]!;
    await tx.execute(sql`update grading_rounds set
        status = ${{ submitted: 'submitted', graded: 'graded', appealed: 'appealed', published_good: 'published', published_low: 'published', self_assessing: 'self_assessing' }[p.stage]},
        proposed_level = ${low ? 2 : 1}, self_summary = '全年严格落实组织生活制度，党员作用发挥明显。', submitted_at = now() - interval '20 days',
        grade_level = ${p.stage === 'submitted' ? null : grade.level}, grade_name = ${p.stage === 'submitted' ? null : grade.name}, grade_is_low = ${p.stage === 'submitted' ? null : grade.isLow},
        review_comment = ${p.stage === 'submitted' ? null : low ? '组织生活落实不到位，支部特色不明显' : '各项标准落实较好'},
        reviewed_at = ${p.stage === 'submitted' ? null : sql`now() - interval '12 days'`}, reviewed_by = ${p.stage === 'submitted' ? null : users.bureau},
        reviewer_name = ${p.stage === 'submitted' ? null : sql`(select display_name from users where id = ${users.bureau})`},
        appeal_reason = ${p.stage === 'appealed' ? '支部特色品牌材料已于评定后补充上报，请予复核' : null},
        appealed_at = ${p.stage === 'appealed' ? sql`now() - interval '5 days'` : null},
        final_at = ${p.stage.startsWith('published') ? sql`now() - interval '8 days'` : null},
        published_at = ${p.stage.startsWith('published') ? sql`now() - interval '7 days'` : null},
        published_by = ${p.stage.startsWith('published') ? users.bureau : null}
      where id = ${roundId}`);
    if (low) {
      const tasks = (await tx.execute<{ id: string } & Row>(sql`insert into grading_rectifications (round_id, org_id, org_path, task, deadline, owner_name, created_by, created_at) values
        (${roundId}, ${p.place.id}, ${p.place.path}::ltree, '按月召开支委会、按季召开党员大会和讲党课，补齐会议记录', (${context.today}::date + 60), '支部书记', ${users.bureau}, now() - interval '6 days'),
        (${roundId}, ${p.place.id}, ${p.place.path}::ltree, '结合业务工作提炼支部特色做法，形成品牌方案', (${context.today}::date + 90), '支部组织委员', ${users.bureau}, now() - interval '6 days')
        returning id::text`)).rows;
      await tx.execute(sql`insert into grading_rectification_progress (rectification_id, note, evidence, created_by, author_name, created_at)
        values (${tasks[0]!.id}, '已制定全年组织生活计划，本月支委会已召开', '支委会会议记录', ${users.bureau}, '支部书记', now() - interval '2 days')`);
    }
  }
}
