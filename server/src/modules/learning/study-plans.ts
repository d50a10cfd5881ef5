// Study plans (学习计划): chapters with due dates, each marked done by a member.
import { sql } from 'drizzle-orm';
import type { ContentListQuery, ProgressPage, CreateStudyPlan, StudyPlan, UpdateStudyPlan } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { forbidden, invalidField, notFound } from '../../platform/errors.js';
import { type MemberContext, requireMember } from '../points/member-context.js';
import { awardPoints } from '../points/service.js';
import { isAddressedTo, visibleContent, canPublish } from './policy.js';
import { likeContaining, pageLimit } from '../../platform/sql.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import { iso, viewerOf, lockOwned, present, setList, type N, type Time, type PageArgs } from './content.js';

type PlanRow = { id: string; org_id: string; org_name: string; org_path: string; title: string; description: string | null; starts_on: string; ends_on: string; item_count: N; done_count: N; total?: N } & Record<string, unknown>;
const planColumns = (memberId: string | null) => sql`p.id::text, p.org_id::text, o.name as org_name, p.org_path::text, p.title, p.description, p.starts_on::text, p.ends_on::text,
  (select count(*) from study_plan_items i where i.plan_id = p.id)::int as item_count,
  (select count(*) from study_plan_progress g where g.plan_id = p.id and g.member_id = ${memberId})::int as done_count`;
const toPlan = (r: PlanRow): StudyPlan => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, description: r.description, startsOn: r.starts_on, endsOn: r.ends_on, itemCount: Number(r.item_count), doneCount: Number(r.done_count),
});

export async function listPlans(db: Db, actor: Actor, query: ContentListQuery) {
  const me = await viewerOf(db, actor);
  const search = query.q ? sql` and p.title ilike ${likeContaining(query.q)}` : sql``;
  const r = await db.execute<PlanRow>(sql`select ${planColumns(me?.id ?? null)}, count(*) over () as total from study_plans p join orgs o on o.id = p.org_id
    where ${visibleContent(actor, me, sql`p.org_path`)}${search} order by p.starts_on desc, p.id desc ${pageLimit(query)}`);
  return { items: r.rows.map(toPlan), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findPlan(db: Queryable, actor: Actor, me: MemberContext | null, id: string): Promise<PlanRow> {
  const r = await db.execute<PlanRow>(sql`select ${planColumns(me?.id ?? null)} from study_plans p join orgs o on o.id = p.org_id
    where p.id = ${id} and ${visibleContent(actor, me, sql`p.org_path`)}`);
  if (!r.rows[0]) throw notFound('learning.plan_not_found');
  return r.rows[0];
}

export async function getPlan(db: Db, actor: Actor, id: string) {
  const me = await viewerOf(db, actor);
  const plan = await findPlan(db, actor, me, id);
  const items = await db.execute<{ id: string; position: N; title: string; content: string | null; due_on: string; done_at: Time | null } & Record<string, unknown>>(sql`
    select i.id::text, i.position, i.title, i.content, i.due_on::text,
           (select g.done_at from study_plan_progress g where g.item_id = i.id and g.member_id = ${me?.id ?? null}) as done_at
      from study_plan_items i where i.plan_id = ${id} order by i.position`);
  return { ...toPlan(plan), items: items.rows.map((i) => ({ id: i.id, position: Number(i.position), title: i.title, content: i.content, dueOn: i.due_on, doneAt: iso(i.done_at) })) };
}

export async function createPlan(db: Db, actor: Actor, input: CreateStudyPlan) {
  const id = await db.transaction(async (tx) => {
    const { path: orgPath } = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'learning.org_not_found', dissolvedKey: 'learning.org_not_found' });
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into study_plans (org_id, org_path, title, description, starts_on, ends_on, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.title}, ${input.description ?? null}, ${input.startsOn}::date, ${input.endsOn}::date, ${actor.userId}) returning id::text`);
    const planId = r.rows[0]!.id;
    await tx.execute(sql`insert into study_plan_items (plan_id, position, title, content, due_on) values
      ${sql.join(input.items.map((item, i) => sql`(${planId}, ${i + 1}, ${item.title}, ${item.content ?? null}, ${item.dueOn}::date)`), sql`, `)}`);
    await audit(tx, actor, { action: 'study_plan.create', targetType: 'study_plan', targetId: planId, orgPath, detail: { title: input.title, items: input.items.length } });
    return planId;
  });
  return getPlan(db, actor, id);
}

export async function markItemDone(db: Db, actor: Actor, planId: string, itemId: string, note: string | null | undefined) {
  const me = await requireMember(db, actor);
  const plan = await findPlan(db, actor, me, planId);
  if (!isAddressedTo(me, plan.org_path)) throw forbidden('learning.not_addressed');
  return db.transaction(async (tx) => {
    const item = await tx.execute(sql`select 1 from study_plan_items where id = ${itemId} and plan_id = ${planId}`);
    if (item.rows.length === 0) throw notFound('learning.item_not_found');
    const done = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into study_plan_progress (item_id, plan_id, member_id, note)
      values (${itemId}, ${planId}, ${me.id}, ${note ?? null}) on conflict (item_id, member_id) do nothing returning id::text`);
    const points = done.rows[0] ? (await awardPoints(tx, { memberId: me.id, rule: 'study_plan_item', sourceType: 'study_plan_progress', sourceId: done.rows[0].id })).points : 0;
    return { points, isFirstRead: Boolean(done.rows[0]) };
  });
}

/** Each member of the plan's org subtree: items done, and items past their date not yet done. */
export async function planProgress(db: Db, actor: Actor, planId: string, page: PageArgs): Promise<ProgressPage> {
  const plan = await findPlan(db, actor, null, planId);
  if (!canPublish(actor, plan.org_path)) throw notFound('learning.plan_not_found');
  const today = todayInChina();
  const r = await db.execute<{ member_id: string; name: string; org_name: string; done: N; overdue: N; last_done: Time | null; total: N } & Record<string, unknown>>(sql`
    select m.id::text as member_id, m.name, o.name as org_name,
           (select count(*) from study_plan_progress g where g.plan_id = ${planId} and g.member_id = m.id)::int as done,
           (select count(*) from study_plan_items i where i.plan_id = ${planId} and i.due_on < ${today}::date
               and not exists (select 1 from study_plan_progress g where g.item_id = i.id and g.member_id = m.id))::int as overdue,
           (select max(g.done_at) from study_plan_progress g where g.plan_id = ${planId} and g.member_id = m.id) as last_done,
           count(*) over () as total
      from members m join orgs o on o.id = m.org_id
     where m.org_path <@ ${plan.org_path}::ltree and m.left_at is null
     order by done desc, m.id ${pageLimit(page)}`);
  const itemCount = Number(plan.item_count);
  return {
    items: r.rows.map((x) => ({ memberId: x.member_id, memberName: x.name, orgName: x.org_name, done: Number(x.done), total: itemCount, overdue: Number(x.overdue),
      completedAt: Number(x.done) >= itemCount ? iso(x.last_done) : null })),
    total: Number(r.rows[0]?.total ?? 0), page: page.page, pageSize: page.pageSize,
  };
}

/** New dates must still hold every chapter's date. */
export async function updatePlan(db: Db, actor: Actor, id: string, input: UpdateStudyPlan) {
  await db.transaction(async (tx) => {
    const plan = await lockOwned<{ starts_on: string; ends_on: string; first_due: string; last_due: string }>(tx, actor, sql`
      select p.org_path::text, p.starts_on::text, p.ends_on::text,
             (select min(i.due_on) from study_plan_items i where i.plan_id = p.id)::text as first_due,
             (select max(i.due_on) from study_plan_items i where i.plan_id = p.id)::text as last_due
        from study_plans p where p.id = ${id} for update`, 'learning.plan_not_found');
    const startsOn = input.startsOn ?? plan.starts_on;
    const endsOn = input.endsOn ?? plan.ends_on;
    if (endsOn < startsOn) throw invalidField(input.endsOn ? 'endsOn' : 'startsOn', 'learning.ends_before_starts');
    if (startsOn > plan.first_due) throw invalidField('startsOn', 'learning.item_outside_plan');
    if (endsOn < plan.last_due) throw invalidField('endsOn', 'learning.item_outside_plan');
    const changes = present([['title', input.title], ['description', input.description], ['starts_on', input.startsOn], ['ends_on', input.endsOn]]);
    if (changes.length === 0) return;
    await tx.execute(sql`update study_plans set ${setList(changes)} where id = ${id}`);
    await audit(tx, actor, { action: 'study_plan.update', targetType: 'study_plan', targetId: id, orgPath: plan.org_path, detail: { fields: changes.map(([c]) => c) } });
  });
  return getPlan(db, actor, id);
}
