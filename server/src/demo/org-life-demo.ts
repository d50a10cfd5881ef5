import { sql } from 'drizzle-orm';
import type { DemoContext } from './context.js';

/**
 * 组织生活会 with its 批评与自我批评 in the demo branch (held five weeks ago, closed, with the record),
 * the bureau's 民主生活会 and 中心组学习, and the 第一议题 marker on the branch's 支委会. Other branches
 * of the bureau have held no 组织生活会 this year, so the annual check lists them.
 */
export async function seedOrgLifeDemo(context: DemoContext): Promise<void> {
  const { tx, committee, branch, users, today, members } = context;
  const at = (daysAgo: number, hour: number) => sql`((${today}::date - ${daysAgo}::int) + make_interval(hours => ${hour - 8}))::timestamptz`;
  const rows = (await tx.execute<{ id: string; type: string } & Record<string, unknown>>(sql`
    insert into activities (org_id, org_path, type, title, topic, agenda, starts_at, ends_at, place, host_name, status, is_first_topic,
                            check_in_opens_at, check_in_closes_at, check_in_code, minutes, summary, search_text, created_by, published_at, closed_at)
    select v.org_id, o.path, v.type, v.title, v.topic, v.agenda, v.starts_at, v.starts_at + interval '2 hours', '机关三楼会议室', v.host, 'closed', v.first_topic,
           v.starts_at - interval '30 minutes', v.starts_at + interval '2 hours', '260315', v.minutes, v.summary, v.title, v.by, v.starts_at - interval '7 days', v.starts_at + interval '3 hours'
      from (values
        (${branch.id}::bigint, 'org_life_meeting', ${`${branch.name}年度组织生活会`}, '对照党章党规，查摆问题，开展批评与自我批评', '一、学习习近平总书记最新重要讲话精神（第一议题）；二、支部书记代表支委会对照检查；三、党员逐一对照检查，开展批评与自我批评；四、民主评议党员',
         ${at(35, 14)}, '支部书记', true, '会议首先学习了最新重要讲话精神。支部书记代表支委会作对照检查，党员逐一发言，开展批评与自我批评。', '查摆问题 18 条，制定整改措施 21 项，明确整改时限。', ${users.secretary}::bigint),
        (${committee.id}::bigint, 'democratic_life_meeting', '机关党委领导班子民主生活会', '深入学习贯彻党的创新理论，加强党性锤炼', '一、学习第一议题；二、通报上年度整改落实情况；三、班子对照检查；四、班子成员个人对照检查和相互批评',
         ${at(50, 9)}, '机关党委书记', true, '班子成员逐一作个人对照检查，开展相互批评。', '形成班子整改清单 12 项。', ${users.bureau}::bigint),
        (${committee.id}::bigint, 'study_group', '理论学习中心组集体学习', '学习贯彻全会精神', '一、第一议题学习；二、专题辅导；三、交流研讨',
         ${at(12, 9)}, '机关党委书记', true, '中心组成员围绕专题交流研讨。', '形成学习心得 9 篇。', ${users.bureau}::bigint)
      ) as v (org_id, type, title, topic, agenda, starts_at, host, first_topic, minutes, summary, by)
      join orgs o on o.id = v.org_id
    returning id::text, type`)).rows;
  const meeting = rows.find((r) => r.type === 'org_life_meeting')!.id;
  await tx.execute(sql`insert into activity_participants (activity_id, member_id, state, checked_in_at, check_in_method)
    select a.id, m.id, case when m.id % 11 = 0 then 'leave' else 'present' end, case when m.id % 11 = 0 then null else a.starts_at end,
           case when m.id % 11 = 0 then null else 'code' end
      from activities a join members m on m.org_path <@ (select path from orgs where id = a.org_id) and m.left_at is null and m.stage in ('full', 'probationary')
     where a.id = any(${`{${rows.map((r) => r.id).join(',')}}`}::bigint[])`);
  const statements = [
    ['理论学习系统性不够，有时以干代学，学用结合不够紧密。', '联系服务基层的主动性还要增强。', '每月精读一本原著，每季度到基层调研一次。'],
    ['对新业务规则钻研不深，遇到复杂问题有畏难情绪。', '工作中有时只求过得去，标准不够高。', '年底前完成预算管理专题学习，牵头梳理一项业务流程。'],
    ['参加组织生活有时准备不充分，发言不够深入。', '批评别人时顾虑较多。', '每次组织生活前准备发言提纲，主动开展谈心谈话。'],
    ['担当作为意识不够强，创新办法不多。', null, '主动承担一项重点攻坚任务。'],
  ] as const;
  const speakers = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    select p.member_id::text as id from activity_participants p where p.activity_id = ${meeting} and p.state = 'present'
     order by p.member_id <> ${members.secretary}, p.member_id <> ${members.member}, p.member_id limit ${statements.length}`)).rows;
  await tx.execute(sql`insert into activity_criticisms (activity_id, member_id, self_criticism, criticisms_received, rectification, recorded_by, updated_at) values
    ${sql.join(speakers.map((s, i) => sql`(${meeting}, ${s.id}, ${statements[i]![0]}, ${statements[i]![1]}, ${statements[i]![2]}, ${users.secretary}, ${at(34, 10)})`), sql`, `)}`);
  // 第一议题 on the branch's 支委会
  await tx.execute(sql`update activities set is_first_topic = true where org_id = ${branch.id} and type = 'branch_committee_meeting'`);
}
