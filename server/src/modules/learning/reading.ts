import { sql, type SQL } from 'drizzle-orm';
import type { ClockInListQuery, ContentListQuery, CreateArticle, CreateShare, CreateStudyPlan, ProgressPage, Share, StudyPlan } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { conflict, forbidden, notFound } from '../../platform/errors.js';
import { requireMember, shanghaiDate, type MemberContext } from '../points/member-context.js';
import { awardPoints } from '../points/service.js';
import { iso, likePattern, publishingOrgPath, viewerOf } from './courses.js';
import { canPublish, isAddressedTo, visibleContent, visibleShares } from './policy.js';

type N = number | string;
type Time = Date | string;
type PageArgs = { page: number; pageSize: number };

// ---------- articles ----------

type ArticleRow = { id: string; org_id: string; org_name: string; org_path: string; title: string; source: string | null; body?: string; published_at: Time; is_read: boolean; read_count: N; total?: N } & Record<string, unknown>;
const articleColumns = (memberId: string | null) => sql`a.id::text, a.org_id::text, o.name as org_name, a.org_path::text, a.title, a.source, a.published_at,
  exists (select 1 from article_reads r where r.article_id = a.id and r.member_id = ${memberId}) as is_read,
  (select count(*) from article_reads r where r.article_id = a.id)::int as read_count`;
const toArticle = (r: ArticleRow) => ({ id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, source: r.source, publishedAt: iso(r.published_at)!, isRead: r.is_read, readCount: Number(r.read_count) });

export async function listArticles(db: Db, actor: Actor, query: ContentListQuery) {
  const me = await viewerOf(db, actor);
  const search = query.q ? sql` and a.title ilike ${likePattern(query.q)}` : sql``;
  const r = await db.execute<ArticleRow>(sql`select ${articleColumns(me?.id ?? null)}, count(*) over () as total from articles a join orgs o on o.id = a.org_id
    where a.archived_at is null and ${visibleContent(actor, me, sql`a.org_path`)}${search}
    order by a.published_at desc, a.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`);
  return { items: r.rows.map(toArticle), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findArticle(db: Queryable, actor: Actor, me: MemberContext | null, id: string): Promise<ArticleRow> {
  const r = await db.execute<ArticleRow>(sql`select ${articleColumns(me?.id ?? null)}, a.body from articles a join orgs o on o.id = a.org_id
    where a.id = ${id} and a.archived_at is null and ${visibleContent(actor, me, sql`a.org_path`)}`);
  if (!r.rows[0]) throw notFound('learning.article_not_found');
  return r.rows[0];
}

export async function getArticle(db: Db, actor: Actor, id: string) {
  const row = await findArticle(db, actor, await viewerOf(db, actor), id);
  return { ...toArticle(row), body: row.body ?? '' };
}

export async function createArticle(db: Db, actor: Actor, input: CreateArticle) {
  const id = await db.transaction(async (tx) => {
    const orgPath = await publishingOrgPath(tx, actor, input.orgId);
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into articles (org_id, org_path, title, body, source, created_by)
      values (${input.orgId}, ${orgPath}::ltree, ${input.title}, ${input.body}, ${input.source ?? null}, ${actor.userId}) returning id::text`);
    await audit(tx, actor, { action: 'article.create', targetType: 'article', targetId: r.rows[0]!.id, orgPath, detail: { title: input.title } });
    return r.rows[0]!.id;
  });
  return getArticle(db, actor, id);
}

/** Reading is recorded once per member and article; the first read earns the rule's points. */
export async function markArticleRead(db: Db, actor: Actor, id: string) {
  const me = await requireMember(db, actor);
  const article = await findArticle(db, actor, me, id);
  if (!isAddressedTo(me, article.org_path)) throw forbidden('learning.not_addressed');
  return db.transaction(async (tx) => {
    const read = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into article_reads (article_id, member_id) values (${id}, ${me.id}) on conflict do nothing returning id::text`);
    if (!read.rows[0]) return { points: 0, isFirstRead: false };
    const award = await awardPoints(tx, { memberId: me.id, rule: 'article_read', sourceType: 'article_read', sourceId: read.rows[0].id });
    return { points: award.points, isFirstRead: true };
  });
}

// ---------- study plans ----------

type PlanRow = { id: string; org_id: string; org_name: string; org_path: string; title: string; description: string | null; starts_on: string; ends_on: string; item_count: N; done_count: N; total?: N } & Record<string, unknown>;
const planColumns = (memberId: string | null) => sql`p.id::text, p.org_id::text, o.name as org_name, p.org_path::text, p.title, p.description, p.starts_on::text, p.ends_on::text,
  (select count(*) from study_plan_items i where i.plan_id = p.id)::int as item_count,
  (select count(*) from study_plan_progress g where g.plan_id = p.id and g.member_id = ${memberId})::int as done_count`;
const toPlan = (r: PlanRow): StudyPlan => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, title: r.title, description: r.description, startsOn: r.starts_on, endsOn: r.ends_on, itemCount: Number(r.item_count), doneCount: Number(r.done_count),
});

export async function listPlans(db: Db, actor: Actor, query: ContentListQuery) {
  const me = await viewerOf(db, actor);
  const search = query.q ? sql` and p.title ilike ${likePattern(query.q)}` : sql``;
  const r = await db.execute<PlanRow>(sql`select ${planColumns(me?.id ?? null)}, count(*) over () as total from study_plans p join orgs o on o.id = p.org_id
    where ${visibleContent(actor, me, sql`p.org_path`)}${search} order by p.starts_on desc, p.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`);
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
    const orgPath = await publishingOrgPath(tx, actor, input.orgId);
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
  const today = shanghaiDate();
  const r = await db.execute<{ member_id: string; name: string; org_name: string; done: N; overdue: N; last_done: Time | null; total: N } & Record<string, unknown>>(sql`
    select m.id::text as member_id, m.name, o.name as org_name,
           (select count(*) from study_plan_progress g where g.plan_id = ${planId} and g.member_id = m.id)::int as done,
           (select count(*) from study_plan_items i where i.plan_id = ${planId} and i.due_on < ${today}::date
               and not exists (select 1 from study_plan_progress g where g.item_id = i.id and g.member_id = m.id))::int as overdue,
           (select max(g.done_at) from study_plan_progress g where g.plan_id = ${planId} and g.member_id = m.id) as last_done,
           count(*) over () as total
      from members m join orgs o on o.id = m.org_id
     where m.org_path <@ ${plan.org_path}::ltree and m.left_at is null
     order by done desc, m.id limit ${page.pageSize} offset ${(page.page - 1) * page.pageSize}`);
  const itemCount = Number(plan.item_count);
  return {
    items: r.rows.map((x) => ({ memberId: x.member_id, memberName: x.name, orgName: x.org_name, done: Number(x.done), total: itemCount, overdue: Number(x.overdue),
      completedAt: Number(x.done) >= itemCount ? iso(x.last_done) : null })),
    total: Number(r.rows[0]?.total ?? 0), page: page.page, pageSize: page.pageSize,
  };
}

// ---------- clock-ins ----------

type ClockInRow = { id: string; member_id: string; member_name: string; day: string; note: string; created_at: Time; points: N; total?: N } & Record<string, unknown>;
const clockInSelect = sql`select c.id::text, c.member_id::text, m.name as member_name, c.day::text, c.note, c.created_at,
  coalesce((select sum(l.points) from points_ledger l where l.rule = 'clock_in' and l.source_type = 'clock_in' and l.source_id = c.id::text), 0)::int as points,
  count(*) over () as total from clock_ins c join members m on m.id = c.member_id`;
const toClockIn = (r: ClockInRow) => ({ id: r.id, memberId: r.member_id, memberName: r.member_name, day: r.day, note: r.note, createdAt: iso(r.created_at)!, points: Number(r.points) });

export async function clockIn(db: Db, actor: Actor, note: string) {
  const me = await requireMember(db, actor);
  const day = shanghaiDate();
  const id = await db.transaction(async (tx) => {
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into clock_ins (member_id, org_path, day, note)
      values (${me.id}, ${me.orgPath}::ltree, ${day}::date, ${note}) on conflict (member_id, day) do nothing returning id::text`);
    if (!r.rows[0]) throw conflict('learning.already_clocked_in');
    await awardPoints(tx, { memberId: me.id, rule: 'clock_in', sourceType: 'clock_in', sourceId: r.rows[0].id, occurredOn: day });
    return r.rows[0].id;
  });
  return toClockIn((await db.execute<ClockInRow>(sql`${clockInSelect} where c.id = ${id}`)).rows[0]!);
}

/** Without orgId: the viewer's own clock-ins. With it: an admin's view of that org's subtree. */
export async function listClockIns(db: Db, actor: Actor, query: ClockInListQuery) {
  const conditions: SQL[] = [];
  if (query.orgId) {
    const org = (await db.execute<{ path: string } & Record<string, unknown>>(sql`select path::text from orgs where id = ${query.orgId}`)).rows[0];
    if (!org || !canPublish(actor, org.path)) throw notFound('learning.org_not_found');
    conditions.push(sql`c.org_path <@ ${org.path}::ltree`);
  } else {
    const me = await requireMember(db, actor);
    conditions.push(sql`c.member_id = ${me.id}`);
  }
  if (query.date) conditions.push(sql`c.day = ${query.date}::date`);
  const r = await db.execute<ClockInRow>(sql`${clockInSelect} where ${sql.join(conditions, sql` and `)}
    order by c.day desc, c.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`);
  return { items: r.rows.map(toClockIn), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

// ---------- reading shares ----------

type ShareRow = { id: string; member_id: string; member_name: string; title: string; content: string; like_count: N; is_liked: boolean; created_at: Time; total?: N } & Record<string, unknown>;
const shareSelect = (viewer: string | null) => sql`select s.id::text, s.member_id::text, m.name as member_name, s.title, s.content, s.like_count, s.created_at,
  exists (select 1 from reading_share_likes k where k.share_id = s.id and k.member_id = ${viewer}) as is_liked, count(*) over () as total
  from reading_shares s join members m on m.id = s.member_id`;
const toShare = (r: ShareRow): Share => ({
  id: r.id, memberId: r.member_id, memberName: r.member_name, title: r.title, content: r.content, likeCount: Number(r.like_count), isLikedByMe: r.is_liked, createdAt: iso(r.created_at)!,
});

export async function createShare(db: Db, actor: Actor, input: CreateShare): Promise<Share> {
  const me = await requireMember(db, actor);
  const id = await db.transaction(async (tx) => {
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`insert into reading_shares (member_id, branch_path, title, content)
      values (${me.id}, ${me.branchPath}::ltree, ${input.title}, ${input.content}) returning id::text`);
    await awardPoints(tx, { memberId: me.id, rule: 'reading_share', sourceType: 'reading_share', sourceId: r.rows[0]!.id });
    return r.rows[0]!.id;
  });
  return toShare((await db.execute<ShareRow>(sql`${shareSelect(me.id)} where s.id = ${id}`)).rows[0]!);
}

export async function listShares(db: Db, actor: Actor, query: PageArgs) {
  const me = await viewerOf(db, actor);
  const r = await db.execute<ShareRow>(sql`${shareSelect(me?.id ?? null)} where s.deleted_at is null and ${visibleShares(actor, me)}
    order by s.created_at desc, s.id desc limit ${query.pageSize} offset ${(query.page - 1) * query.pageSize}`);
  return { items: r.rows.map(toShare), total: Number(r.rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize };
}

/** Likes come from members of the same branch, one each; the count is kept on the share. */
export async function setLike(db: Db, actor: Actor, shareId: string, isLiked: boolean): Promise<Share> {
  const me = await requireMember(db, actor);
  await db.transaction(async (tx) => {
    const share = await tx.execute(sql`select 1 from reading_shares s where s.id = ${shareId} and s.deleted_at is null and s.branch_path = ${me.branchPath}::ltree for update`);
    if (share.rows.length === 0) throw notFound('learning.share_not_found');
    const changed = isLiked
      ? await tx.execute(sql`insert into reading_share_likes (share_id, member_id) values (${shareId}, ${me.id}) on conflict do nothing returning share_id`)
      : await tx.execute(sql`delete from reading_share_likes where share_id = ${shareId} and member_id = ${me.id} returning share_id`);
    if (changed.rows.length) await tx.execute(sql`update reading_shares set like_count = like_count + ${isLiked ? 1 : -1} where id = ${shareId}`);
  });
  return toShare((await db.execute<ShareRow>(sql`${shareSelect(me.id)} where s.id = ${shareId}`)).rows[0]!);
}
