import { sql } from 'drizzle-orm';
import type { DemoContext } from './context.js';

/**
 * 换届 of the demo tree: for every org with a term, the current term as the tree has it (elected on its
 * term start, ending on its term end) and the one before it — elected on time, except one org in five
 * whose election came three weeks after the term ended — each with its committee (书记, 副书记, 委员
 * from the org's own members) and votes; and an election under way in the demo secretary's branch:
 * 请示 sent, 批复 received from the bureau, the congress next. Set-based: a few statements.
 */
export async function seedElectionsDemo(context: DemoContext): Promise<void> {
  const { tx, root, committee, branch, users, today } = context;
  const years = sql`greatest(1, round((o.term_end - o.term_start) / 365.0))::int`;
  const voters = sql`greatest(7, (select count(*) from members m where m.org_id = o.id and m.left_at is null))::int`;
  const termed = sql`orgs o where o.path <@ ${root.path}::ltree and o.term_start is not null and o.term_end is not null and o.dissolved_at is null`;
  // the term before: ended on the current term's start (one org in five: three weeks before it)
  await tx.execute(sql`
    insert into org_terms (org_id, org_path, elected_on, term_years, ends_on, method, voters_count, votes_cast, created_by, note)
    select o.id, o.path, (o.term_start - make_interval(years => ${years}) - case when o.id % 5 = 0 then interval '21 days' else interval '0 days' end)::date,
           ${years}, (o.term_start - case when o.id % 5 = 0 then interval '21 days' else interval '0 days' end)::date,
           case when o.id % 3 = 0 then 'equal' else 'competitive' end, ${voters}, ${voters} - (o.id % 3)::int, ${users.admin}, '据档案补录'
      from ${termed}`);
  await tx.execute(sql`
    insert into org_terms (org_id, org_path, elected_on, term_years, ends_on, method, voters_count, votes_cast, created_by)
    select o.id, o.path, o.term_start, ${years}, o.term_end, case when o.id % 4 = 0 then 'equal' else 'competitive' end, ${voters}, ${voters} - (o.id % 2)::int, ${users.admin}
      from ${termed}`);
  // the committee: the org's first five members (the next five for the term before), 书记 first
  await tx.execute(sql`
    insert into org_term_members (term_id, member_id, name, role, votes, sort_order)
    select t.id, m.id, m.name, case m.rn when 1 then 'secretary' when 2 then 'deputy_secretary' else 'committee_member' end,
           greatest(0, t.votes_cast - m.rn::int + 1), m.rn - 1
      from org_terms t
     cross join lateral (
       select mm.id, mm.name, row_number() over (order by mm.id) - case when t.elected_on < (select o.term_start from orgs o where o.id = t.org_id) then 5 else 0 end as rn
         from (select id, name from members where org_id = t.org_id and left_at is null order by id limit 10) mm
     ) m
     where t.org_path <@ ${root.path}::ltree and m.rn between 1 and 5`);
  const procedure = (await tx.execute<{ id: string } & Record<string, unknown>>(sql`
    insert into election_procedures (org_id, org_path, replaces_term_end, note, created_by, created_at)
    select o.id, o.path, o.term_end, '本届任期将满，按期启动换届', ${users.secretary}, ${today}::date - 20 from orgs o where o.id = ${branch.id}
    returning id::text`)).rows[0]!;
  await tx.execute(sql`insert into election_steps (procedure_id, step, done_on, document_no, document_title, recorded_by) values
    (${procedure.id}, 'request', ${today}::date - 18, '预算支〔2026〕3号', ${`关于${branch.name}换届选举的请示`}, ${users.secretary}),
    (${procedure.id}, 'approval', ${today}::date - 9, '财机党〔2026〕12号', ${`关于同意${branch.name}进行换届选举的批复`}, ${users.bureau})`);
  await tx.execute(sql`insert into audit_log (user_id, username, action, target_type, target_id, org_path, detail) values
    (${users.secretary}, 'secretary', 'election.start', 'election_procedure', ${procedure.id}, ${branch.path}::ltree, '{}'::jsonb),
    (${users.secretary}, 'secretary', 'election.request', 'election_procedure', ${procedure.id}, ${branch.path}::ltree, '{}'::jsonb),
    (${users.bureau}, 'bureau', 'election.approval', 'election_procedure', ${procedure.id}, ${committee.path}::ltree, '{}'::jsonb)`);
}
