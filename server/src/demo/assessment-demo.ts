import { sql } from 'drizzle-orm';
import type { Actor } from '../platform/actor.js';
import { textArray } from '../platform/sql.js';
import { computeSchemeIn } from '../modules/assessment/service.js';
import type { DemoContext } from './context.js';

/**
 * 考评 of the demo tree: the 工委's indicator library (三会一课 completion and 四落实 computed from the
 * demo's meetings, a manual 特色亮点工作 score), the finance bureau's annual 综合考核 over its branches —
 * computed from the activities demo, frozen and published, so the secretary reads the ranking — and its
 * draft 第四季度 scheme where the secretary's own score waits for the bureau's review.
 */
export async function seedAssessmentDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, branch, branches, users, today } = context;
  const year = Number(today.slice(0, 4));
  const under = branches.filter((b) => b.path.startsWith(`${committee.path}.`));
  if (under.length === 0) return;
  const ids = (await tx.execute<{ id: string; code: string } & Record<string, unknown>>(sql`
    insert into assessment_indicators (org_id, org_path, code, kind, source_code, name, formula, unit, period_kind, default_weight, created_by) values
      (${root.id}, ${root.path}::ltree, 'three_meetings', 'computed', 'activities.three_meetings_completion', '三会一课完成率',
       '期内已按期召开的三会一课要求数 ÷ 期内应召开的要求数', 'rate', 'annual', 40, ${users.admin}),
      (${root.id}, ${root.path}::ltree, 'four_implementations', 'computed', 'activities.four_implementations_rate', '四落实达标率',
       '人员、时间、内容、效果均已落实的会议数 ÷ 已召开的会议数', 'rate', 'annual', 30, ${users.admin}),
      (${root.id}, ${root.path}::ltree, 'highlights', 'manual', null, '特色亮点工作',
       '按特色做法、示范效果、群众评价评 0–100 分，须附佐证材料', 'score', 'annual', 30, ${users.admin})
    returning id::text, code`)).rows;
  const id = (code: string) => ids.find((i) => i.code === code)!.id;
  const [annual, quarter] = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into assessment_schemes (org_id, org_path, name, period_start, period_end, created_by) values
      (${committee.id}, ${committee.path}::ltree, ${`${year}年度党建工作综合考核`}, ${`${year}-01-01`}::date, ${`${year}-12-31`}::date, ${users.bureau}),
      (${committee.id}, ${committee.path}::ltree, ${`${year}年第四季度党建考核`}, ${`${year}-10-01`}::date, ${`${year}-12-31`}::date, ${users.bureau})
    returning id::text`)).rows.map((r) => r.id) as [string, string];
  await tx.execute(sql`insert into scheme_indicators (scheme_id, indicator_id, position, weight, target)
    select s.id, x.indicator_id, x.position, x.weight, x.target
      from unnest(${textArray([annual, quarter])}::bigint[]) as s(id)
      cross join (values (${id('three_meetings')}::bigint, 0, 40, 1), (${id('four_implementations')}::bigint, 1, 30, 0.9), (${id('highlights')}::bigint, 2, 30, 100))
                 as x(indicator_id, position, weight, target)`);
  await tx.execute(sql`insert into scheme_orgs (scheme_id, org_id, org_path)
    select s.id, o.id, o.path from unnest(${textArray([annual, quarter])}::bigint[]) as s(id)
      cross join orgs o where o.id = any(${textArray(under.map((b) => b.id))}::bigint[])`);
  // the annual scheme's 特色 scores, entered by the bureau and approved by the 工委; a spread with one tie
  const values = under.map((_, k) => (k === 1 ? 80 : 60 + ((k * 17) % 40)));
  await tx.execute(sql`insert into manual_scores (scheme_id, indicator_id, org_id, org_path, value, evidence_text, entered_by, review_status, reviewed_by, reviewed_at)
    select ${annual}, ${id('highlights')}, o.id, o.path, x.value, '年度特色工作总结及照片材料', ${users.bureau}, 'approved', ${users.admin}, now()
      from unnest(${textArray(under.map((b) => b.id))}::bigint[], ${textArray(values.map(String))}::numeric[]) as x(org_id, value)
      join orgs o on o.id = x.org_id`);
  await tx.execute(sql`insert into manual_scores (scheme_id, indicator_id, org_id, org_path, value, evidence_text, evidence_links, entered_by)
    values (${quarter}, ${id('highlights')}, ${branch.id}, ${branch.path}::ltree, 85, '第四季度开展“党建+业务”融合项目，形成经验材料一篇', '["https://www.12371.cn/"]'::jsonb, ${users.secretary})`);
  const bureau: Actor = { userId: users.bureau, username: 'bureau', displayName: '机关党委', memberId: null, isPlatformAdmin: false, isJudge: false, adminPaths: [committee.path], ip: '127.0.0.1' };
  await computeSchemeIn(tx, bureau, annual);
  await tx.execute(sql`update assessment_schemes set status = 'published', frozen_at = now(), published_at = now() where id = ${annual}`);
}
