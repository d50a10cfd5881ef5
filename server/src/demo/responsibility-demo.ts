import { sql, type SQL } from 'drizzle-orm';
import { partyMembersUnder } from '../modules/members/party-members.js';
import type { DemoContext, DemoPlace } from './context.js';

type Row = Record<string, unknown>;

interface DemoTemplate {
  org: DemoPlace;
  by: string;
  level: string;
  title: string;
  /** task, days from today to the deadline, evidence required */
  items: [string, number, string][];
}

/**
 * 党建工作责任清单 and 述职评议 of the demo tree, all dated from today so the demo looks the same on any
 * day: the 工委's list to the organ committees; the finance bureau's list to its branches with items in
 * every state (closed after inspection, under rectification, reported, open and overdue); the bureau's
 * 党员 list to its members, and the demo branch's own not yet issued; last year's 述职评议 closed with
 * scores and grades, this year's collecting reports. Each step is one set-based statement.
 */
export async function seedResponsibilityDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, branch, users } = context;
  const year = Number(context.today.slice(0, 4));
  const today = context.today;

  const template = async (t: DemoTemplate): Promise<string> => {
    const id = (await tx.execute<{ id: string } & Row>(sql`
      insert into responsibility_templates (org_id, org_path, level, year, title, created_by, created_at)
      values (${t.org.id}, ${t.org.path}::ltree, ${t.level}, ${year}, ${t.title}, ${t.by}, ${today}::date - 90) returning id::text`)).rows[0]!.id;
    await tx.execute(sql`insert into responsibility_template_items (template_id, sort_order, task, deadline, evidence_required) values
      ${sql.join(t.items.map(([task, days, evidence], i) => sql`(${id}, ${i}, ${task}, ${today}::date + ${days}::int, ${evidence})`), sql`, `)}`);
    return id;
  };
  /** Lists for the targets (a select of org_id, org_path, member_id) and their items, in one statement. */
  const issue = async (templateId: string, t: DemoTemplate, targets: SQL) => {
    await tx.execute(sql`
      with new_lists as (
        insert into responsibility_lists (org_id, org_path, member_id, template_id, level, year, title, issued_by, issued_at)
        select org_id, org_path, member_id, ${templateId}, ${t.level}, ${year}, ${t.title}, ${t.by}, ${today}::date - 85 from (${targets}) x
        returning id
      )
      insert into responsibility_items (list_id, sort_order, task, deadline, evidence_required)
      select l.id, ti.sort_order, ti.task, ti.deadline, ti.evidence_required from new_lists l cross join responsibility_template_items ti where ti.template_id = ${templateId}`);
  };

  const toCommittees: DemoTemplate = {
    org: root, by: users.admin, level: 'organ_committee', title: `${year}年度机关党委全面从严治党主体责任清单`,
    items: [
      ['研究部署年度党建工作，召开专题会议不少于2次', -40, '会议纪要'],
      ['开展基层党组织书记抓党建述职评议', 45, '述职评议结果'],
      ['督促所属党支部按期换届', 120, '换届批复'],
    ],
  };
  const toBranches: DemoTemplate = {
    org: committee, by: users.bureau, level: 'branch_secretary', title: `${year}年度党支部书记抓党建工作责任清单`,
    items: [
      ['每季度至少讲一次党课', -60, '党课讲稿、签到表'],
      ['落实“三会一课”制度，按月召开支委会', -20, '会议记录'],
      ['开展谈心谈话，覆盖全体党员', -5, '谈心谈话记录'],
      ['组织党员参加主题党日活动', 30, '活动照片、记录'],
      ['年底前召开专题组织生活会', 90, '会议记录、整改清单'],
    ],
  };
  const toMembers: DemoTemplate = {
    org: committee, by: users.bureau, level: 'member', title: `${year}年度党员责任清单`,
    items: [
      ['按时足额交纳党费', 20, '交纳记录'],
      ['每月参加支部主题党日', 40, '签到记录'],
      ['完成年度学习任务', -10, '学习记录截图'],
    ],
  };

  const committeesTemplate = await template(toCommittees);
  await issue(committeesTemplate, toCommittees, sql`select o.id as org_id, o.path as org_path, null::bigint as member_id from orgs o
    where o.parent_id = ${root.id} and o.type = 'organ_committee'`);
  const branchesTemplate = await template(toBranches);
  await issue(branchesTemplate, toBranches, sql`select o.id as org_id, o.path as org_path, null::bigint as member_id from orgs o
    where o.path <@ ${committee.path}::ltree and o.type in ('branch', 'temporary_branch') and o.dissolved_at is null`);
  const membersTemplate = await template(toMembers);
  await issue(membersTemplate, toMembers, partyMembersUnder(committee.path));
  // the branch's own list for its members, written and not yet issued
  await template({
    org: branch, by: users.secretary, level: 'member', title: `${year}年度预算处党支部党员先锋岗责任清单`,
    items: [['每名党员认领一项业务攻坚任务', 60, '认领表'], ['党员先锋岗亮牌亮诺', 30, '照片']],
  });

  // the states: the demo branch's and the demo member's set out; the others by a stable spread
  await tx.execute(sql`
    update responsibility_items i set status = s.status, rectify_deadline = s.rectify_deadline
      from (
        select i2.id,
               case
                 when l.template_id = ${branchesTemplate} and l.org_id = ${branch.id} then (array['closed', 'rectifying', 'open', 'reported', 'open'])[i2.sort_order + 1]
                 when l.template_id = ${membersTemplate} and l.member_id = ${context.members.member} then (array['reported', 'open', 'closed'])[i2.sort_order + 1]
                 when i2.deadline < ${today}::date then (array['closed', 'closed', 'reported', 'rectifying', 'open'])[((l.id * 7 + i2.sort_order * 3) % 5) + 1]
                 when (l.id + i2.sort_order) % 3 = 0 then 'reported'
                 else 'open'
               end as status,
               null::date as rectify_deadline
          from responsibility_items i2 join responsibility_lists l on l.id = i2.list_id
         where l.template_id in (${committeesTemplate}, ${branchesTemplate}, ${membersTemplate})
      ) s
     where i.id = s.id`);
  await tx.execute(sql`update responsibility_items i set rectify_deadline = ${today}::date + 10
    from responsibility_lists l where l.id = i.list_id and i.status = 'rectifying' and l.template_id in (${committeesTemplate}, ${branchesTemplate}, ${membersTemplate})`);
  const ours = sql`(select i.id, i.status, i.task, i.deadline, l.org_id, l.member_id from responsibility_items i join responsibility_lists l on l.id = i.list_id
    where l.template_id in (${committeesTemplate}, ${branchesTemplate}, ${membersTemplate}))`;
  await tx.execute(sql`insert into responsibility_progress_reports (item_id, body, reported_by, reporter_name, created_at)
    select x.id, '已按要求落实：' || x.task || '。佐证材料已整理归档。',
           case when x.member_id = ${context.members.member} then ${users.member}::bigint when x.org_id = ${branch.id} and x.member_id is null then ${users.secretary}::bigint end,
           coalesce((select m.name from members m where m.id = x.member_id), o.name || '书记'),
           least(x.deadline, ${today}::date) - 3
      from ${ours} x join orgs o on o.id = x.org_id where x.status in ('reported', 'rectifying', 'closed')`);
  await tx.execute(sql`insert into responsibility_inspections (item_id, inspected_on, inspectors, findings, rectification_required, rectify_deadline, recorder_name, recorded_by, created_at)
    select x.id, least(x.deadline, ${today}::date) - 1, '王建国、李晓梅',
           case when x.status = 'rectifying' then '记录不完整，部分党员未覆盖，需补充完善' else '资料齐全，落实到位' end,
           x.status = 'rectifying', case when x.status = 'rectifying' then ${today}::date + 10 end, '机关党委组织委员', ${users.bureau}, least(x.deadline, ${today}::date) - 1
      from ${ours} x where x.status in ('rectifying', 'closed')`);
  await tx.execute(sql`update responsibility_items i set closed_at = least(i.deadline, ${today}::date), closed_by = ${users.bureau}, close_note = '经检查落实到位，予以销号'
    from responsibility_lists l where l.id = i.list_id and i.status = 'closed' and l.template_id in (${committeesTemplate}, ${branchesTemplate}, ${membersTemplate})`);
  await tx.execute(sql`update responsibility_lists l set status = 'closed'
    where l.template_id in (${committeesTemplate}, ${branchesTemplate}, ${membersTemplate})
      and not exists (select 1 from responsibility_items i where i.list_id = l.id and i.status <> 'closed')`);

  // 述职评议: last year's closed with each branch's score, rank and grade; this year's collecting
  const round = async (y: number, status: string) => (await tx.execute<{ id: string } & Row>(sql`
    insert into duty_review_rounds (org_id, org_path, year, title, status, created_by, created_at)
    values (${committee.id}, ${committee.path}::ltree, ${y}, ${`${y}年度党支部书记抓基层党建工作述职评议`}, ${status}, ${users.bureau}, ${today}::date - ${status === 'closed' ? 300 : 20}::int)
    returning id::text`)).rows[0]!.id;
  const branchesBelow = sql`select o.id, o.path, o.name from orgs o where o.path <@ ${committee.path}::ltree and o.type in ('branch', 'temporary_branch') and o.dissolved_at is null`;
  const body = (name: SQL) => sql`'一、履行第一责任人职责情况：' || ${name} || '全年召开支部党员大会4次、支委会12次，讲党课4次。二、存在的问题：理论学习的深度不够。三、下一步打算：抓好整改落实。'`;
  const closed = await round(year - 1, 'closed');
  await tx.execute(sql`
    insert into duty_reports (round_id, org_id, org_path, secretary_name, body, submitted_at, score, rank, grade)
    select ${closed}, b.id, b.path, b.name || '书记', ${body(sql`b.name`)}, ${today}::date - 280, b.score,
           rank() over (order by b.score desc), case when b.score >= 90 then 'good' when b.score >= 80 then 'fairly_good' when b.score >= 60 then 'average' else 'poor' end
      from (select o.*, round((72 + (o.id * 37 % 25) + (o.id * 13 % 100) / 100.0)::numeric, 2) as score from (${branchesBelow}) o) b`);
  const open = await round(year, 'collecting');
  await tx.execute(sql`
    insert into duty_reports (round_id, org_id, org_path, secretary_name, body, submitted_at, submitted_by)
    select ${open}, o.id, o.path, case when o.submitted then o.name || '书记' end, case when o.submitted then ${body(sql`o.name`)} end,
           case when o.submitted then ${today}::date - 2 end, case when o.id = ${branch.id} then ${users.secretary}::bigint end
      from (select b.*, (b.id = ${branch.id} or b.id % 2 = 0) as submitted from (${branchesBelow}) b) o`);
}
