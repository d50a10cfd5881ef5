import { sql, type SQL } from 'drizzle-orm';
import {
  ADOPTED_STATUSES, IDEA_SIMILAR_LIMIT, IDEA_SIMILARITY_THRESHOLD,
  type CreateIdea, type Idea, type IdeaCategory, type IdeaListItem, type IdeaDetail, type IdeaListQuery, type IdeaPage, type IdeaProgress, type IdeaStats,
  type IdeaStatsQuery, type IdeaStatus, type IdeaStatusFilter, type IdeaTargets, type MyIdeaListQuery, type RecordIdeaProgress,
  type ReviewIdea, type SimilarIdeas, type SimilarIdeasQuery,
} from '../../../../contracts/ideas.js';
import { chinaDate, startOfChinaDay, todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, isEmbedded, type Db, type Queryable } from '../../platform/db.js';
import { epochOf, readEpochs, rowsKeptUnder, type Epochs } from '../../platform/epochs.js';
import { titleCore, trigrams, trigramSimilarity } from './title-core.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg, managedOrgAt } from '../../platform/org-scope.js';
import { inSubtreeByKey, likeContaining, pageOffset, textArray } from '../../platform/sql.js';
import { TurnBatch, batchesPer } from '../../platform/turn-batch.js';
import { canReviewIdea, ideasInScope, ideasInScopeByKey, ownIdeas } from './policy.js';

type Row = Record<string, unknown>;
type Time = Date | string | null;
const iso = (v: Time) => (v == null ? null : new Date(v).toISOString());
const DAY_MS = 86_400_000;

type IdeaRow = {
  id: string; title: string; category: IdeaCategory; status: IdeaStatus; org_id: string; org_name: string; org_path: string;
  member_id: string; member_name: string; member_org_name: string; similar_to_id: string | null; similar_to_title: string | null;
  similarity: number | string | null; reply: string | null; reviewed_by_name: string | null; reviewed_at: Time; shelved_reason: string | null;
  implemented_on: string | null; submitted_at: Time;
} & Row;

// names by scalar subqueries rather than joins: the same index lookups, and a plan of one table (six
// joined tables cost PostgreSQL ~3 ms of planning a request, ten times the page's execution)
// a list's columns: all but the content (IdeaListItemSchema), which only the detail reads
const ideaListColumns = sql`i.id::text, i.title, i.category, i.status, i.org_id::text, (select o.name from orgs o where o.id = i.org_id) as org_name,
  i.org_path::text, i.member_id::text, (select m.name from members m where m.id = i.member_id) as member_name,
  (select mo.name from orgs mo where mo.id = i.member_org_id) as member_org_name, i.similar_to_id::text,
  (select st.title from ideas st where st.id = i.similar_to_id) as similar_to_title, i.similarity, i.reply,
  (select ru.display_name from users ru where ru.id = i.reviewed_by) as reviewed_by_name, i.reviewed_at, i.shelved_reason, i.implemented_on::text, i.submitted_at`;
const ideaColumns = sql`${ideaListColumns}, i.content`;
const ideaFrom = sql`ideas i`;

type IdeaDetailRow = IdeaRow & { content: string };

const toIdea = (actor: Actor, r: IdeaDetailRow): Idea => ({ ...toListItem(actor, r), content: r.content });

/** An idea as every viewer sees it: all of the list item but what the viewer may do with it. */
const toSharedItem = (r: IdeaRow): Omit<IdeaListItem, 'canReview'> => ({
  id: r.id, title: r.title, category: r.category, status: r.status, orgId: r.org_id, orgName: r.org_name,
  memberId: r.member_id, memberName: r.member_name, memberOrgName: r.member_org_name, similarToId: r.similar_to_id, similarToTitle: r.similar_to_title,
  similarity: r.similarity == null ? null : Math.round(Number(r.similarity) * 100) / 100, reply: r.reply, reviewedByName: r.reviewed_by_name,
  reviewedAt: iso(r.reviewed_at), shelvedReason: r.shelved_reason, implementedOn: r.implemented_on, submittedAt: iso(r.submitted_at)!,
});
const toListItem = (actor: Actor, r: IdeaRow): IdeaListItem => ({ ...toSharedItem(r), canReview: canReviewIdea(actor, r.org_path) });

/**
 * A kept page's items, made once per kept rows (rowsKeptUnder answers the same array while they stand), each in its
 * two versions, with and without `canReview`: a request picks one per idea by what the viewer administers. The
 * reviewers of a district opening page 1 no longer convert its 20 ideas each time (`new Date` of PostgreSQL's text
 * and `toISOString`, ~1 µs a time: 57–69 µs a page in a micro-benchmark, 0.2–0.5 µs now). The items are frozen: shared.
 */
const keptItems = new WeakMap<object, readonly (readonly [IdeaListItem, IdeaListItem])[]>();
function listItemsOf(actor: Actor, rows: IdeaRow[], shown: IdeaRow[]): IdeaListItem[] {
  let items = keptItems.get(rows);
  if (!items) {
    items = shown.map((r) => {
      const item = toSharedItem(r);
      return [Object.freeze({ ...item, canReview: false }), Object.freeze({ ...item, canReview: true })] as const;
    });
    keptItems.set(rows, items);
  }
  return items.map((versions, k) => versions[canReviewIdea(actor, shown[k]!.org_path) ? 1 : 0]);
}

// ---------- the member ----------

interface MemberPlace { memberId: string; orgId: string; orgPath: string }

/** The actor's member record on the roll: only party members submit ideas. */
async function memberPlace(q: Queryable, actor: Actor): Promise<MemberPlace> {
  const row = actor.memberId ? (await q.execute<{ id: string; org_id: string; org_path: string } & Row>(sql`
    select id::text, org_id::text, org_path::text from members where id = ${actor.memberId} and left_at is null`)).rows[0] : undefined;
  if (!row) throw forbidden('idea.not_member');
  return { memberId: row.id, orgId: row.org_id, orgPath: row.org_path };
}

/** The orgs on the member's path (their own and each above it), nearest first. */
async function targetsOf(q: Queryable, place: MemberPlace, lock = false): Promise<{ id: string; name: string; path: string }[]> {
  return (await q.execute<{ id: string; name: string; path: string } & Row>(sql`
    select id::text, name, path::text from orgs where path @> ${place.orgPath}::ltree and dissolved_at is null
     order by nlevel(path) desc ${lock ? sql`for share` : sql``}`)).rows;
}

export async function ideaTargets(db: Db, actor: Actor): Promise<IdeaTargets> {
  const place = await memberPlace(db, actor);
  return { items: (await targetsOf(db, place)).map((o) => ({ id: o.id, name: o.name, isOwn: o.id === place.orgId })) };
}

async function targetOrg(q: Queryable, place: MemberPlace, orgId: string, lock = false) {
  const target = (await targetsOf(q, place, lock)).find((o) => o.id === orgId);
  if (!target) throw invalidField('orgId', 'idea.org_not_allowed');
  return target;
}

type SimilarRow = {
  members: number; targets: number; id: string | null; title: string; status: IdeaStatus; category: IdeaCategory; org_name: string;
  submitted_at: Time; similarity: number | string;
} & Row;

/**
 * The ideas of a tree (its root's path) whose title cores (titleCore) are most alike `title`, on PostgreSQL:
 * pg_trgm's `%` above the threshold every connection holds (IDEA_SIMILARITY_THRESHOLD, set in platform/db.ts),
 * ideas_alike walking the GiST index nearest first and stopping after the few wanted (migration 20261212000100:
 * the planner, left to itself, chose a bitmap scan and a sort, ten times slower), on a plan it keeps (migration
 * 20261214000100: planned again on every call, the function took twice the time of its query).
 */
const alikeInTree = (tree: SQL, title: string, limit: number) =>
  sql`select a.id, a.similarity from ideas_alike(${titleCore(title)}, ${tree}, ${limit}) a`;

/**
 * The same on the embedded PGlite, where no pg_trgm code runs for ideas (no trigram index either: migration
 * 20261212000100): the tree's title cores are ranked in the server by trigramSimilarity, pg_trgm's measure. There,
 * after pg_trgm had compared titles in the (one) session, an insert into ideas now and then never returned or
 * answered no row (PGlite 0.5.16: the ideas tests hung in 2 of 8 runs; the demo's seed of ideas failed in 2 of 6
 * and again on 2026-12-06 with the comparison sorted rather than walked). An embedded site's tree holds hundreds
 * or a few thousand ideas: one index-free read of their cores.
 */
async function alikeInTreeEmbedded(q: Queryable, treePath: string, title: string, limit: number): Promise<{ id: string; similarity: number }[]> {
  const wanted = trigrams(titleCore(title));
  const rows = (await q.execute<{ id: string; title_core: string } & Row>(sql`
    select i.id::text, i.title_core from ideas i where i.org_path <@ ${treePath}::ltree`)).rows;
  return rows.map((r) => ({ id: r.id, similarity: trigramSimilarity(wanted, trigrams(r.title_core)) }))
    .filter((r) => r.similarity >= IDEA_SIMILARITY_THRESHOLD)
    .sort((a, b) => b.similarity - a.similarity || Number(b.id) - Number(a.id))
    .slice(0, limit);
}

const rounded = (similarity: number | string) => Math.round(Number(similarity) * 100) / 100;

/**
 * As the member types a title: the alike ideas of the same tree, to spare a duplicate. One statement: the
 * member on the roll, the org the idea would be for (their own or one above it) and the most alike titles.
 * On PostgreSQL the titles asked in one turn of the event loop share that statement (similarAsked).
 */
export async function similarIdeas(db: Db, actor: Actor, query: SimilarIdeasQuery): Promise<SimilarIdeas> {
  if (!actor.memberId) throw forbidden('idea.not_member');
  const checked = (row: { members: number; targets: number } | undefined) => {
    if (!row?.members) throw forbidden('idea.not_member');
    if (!row.targets) throw invalidField('orgId', 'idea.org_not_allowed');
  };
  if (isEmbedded(db)) {
    const place = sql`
      with place as (select m.org_path from members m where m.id = ${actor.memberId} and m.left_at is null),
           target as (select o.path from orgs o, place p where o.id = ${query.orgId} and o.dissolved_at is null and o.path @> p.org_path)`;
    return similarIdeasEmbedded(db, place, checked, query.title);
  }
  const rows = await similarAsked(db).ask({ memberId: actor.memberId, orgId: query.orgId, core: titleCore(query.title) });
  checked(rows[0]);
  return {
    items: rows.filter((r) => r.id !== null).map((r) => ({
      id: r.id!, title: r.title, status: r.status, category: r.category, orgName: r.org_name, submittedAt: iso(r.submitted_at)!,
      similarity: rounded(r.similarity),
    })),
  };
}

/** At most this many titles' walks in one statement (one backend walks them one after the other). */
const SIMILAR_ASKED_AT_ONCE = 8;

/**
 * The similar titles asked in one turn, in one statement (platform/turn-batch.ts): each question's member on the
 * roll, its target org above them, and the walk of its tree (ideas_alike), answered as rows numbered by question.
 * A question whose member or org fails gets one row saying so and no walk.
 */
const similarAsked = batchesPer((db: Db) => new TurnBatch<{ memberId: string; orgId: string; core: string }, SimilarRow[]>(async (questions) => {
  // the limit tells the planner what the walk returns (a function is taken for 1,000 rows): without it, the ideas
  // and their orgs were joined by a scan of the whole table (300 ms, EXPLAIN on the bench's 100,000 ideas)
  const rows = await executePrepared<SimilarRow & { k: number }>(db, sql`
    with asked as (
      select q.k, q.core, m.org_path is not null as is_member, o.path as target
        from unnest(${textArray(questions.map((q) => q.memberId))}::bigint[], ${textArray(questions.map((q) => q.orgId))}::bigint[],
                    ${textArray(questions.map((q) => q.core))}::text[]) with ordinality as q(member_id, org_id, core, k)
        left join members m on m.id = q.member_id and m.left_at is null
        left join orgs o on o.id = q.org_id and o.dissolved_at is null and o.path @> m.org_path)
    select q.k::int, q.is_member::int as members, (q.target is not null)::int as targets,
           n.id::text, n.title, n.status, n.category, og.name as org_name, n.submitted_at, a.similarity
      from asked q
      left join lateral (select a.id, a.similarity from ideas_alike(q.core, subpath(q.target, 0, 1), ${IDEA_SIMILAR_LIMIT}) a
                          where q.target is not null limit ${IDEA_SIMILAR_LIMIT}) a on true
      left join ideas n on n.id = a.id
      left join orgs og on og.id = n.org_id
     order by q.k, a.similarity desc, a.id desc`);
  const answers = questions.map((): SimilarRow[] => []);
  for (const row of rows) answers[row.k - 1]!.push(row);
  return answers;
}, SIMILAR_ASKED_AT_ONCE));

async function similarIdeasEmbedded(db: Db, place: SQL, checked: (row: { members: number; targets: number } | undefined) => void, title: string): Promise<SimilarIdeas> {
  const head = (await db.execute<{ members: number; targets: number; tree: string | null } & Row>(sql`${place}
    select (select count(*) from place)::int as members, (select count(*) from target)::int as targets,
           (select subpath(t.path, 0, 1)::text from target t) as tree`)).rows[0];
  checked(head);
  const alike = await alikeInTreeEmbedded(db, head!.tree!, title, IDEA_SIMILAR_LIMIT);
  if (alike.length === 0) return { items: [] };
  const rows = (await db.execute<{ id: string; title: string; status: IdeaStatus; category: IdeaCategory; org_name: string; submitted_at: Time } & Row>(sql`
    select n.id::text, n.title, n.status, n.category, o.name as org_name, n.submitted_at
      from ideas n join orgs o on o.id = n.org_id where n.id = any(${textArray(alike.map((a) => a.id))}::bigint[])`)).rows;
  const byId = new Map(rows.map((r) => [r.id, r]));
  return {
    items: alike.flatMap((a) => {
      const r = byId.get(a.id);
      return r ? [{ id: a.id, title: r.title, status: r.status, category: r.category, orgName: r.org_name, submittedAt: iso(r.submitted_at)!, similarity: rounded(a.similarity) }] : [];
    }),
  };
}

/** The most alike idea of the tree, if any is above the threshold. */
async function mostAlike(q: Queryable, treePath: string, title: string): Promise<{ id: string; similarity: number } | undefined> {
  if (isEmbedded(q)) return (await alikeInTreeEmbedded(q, treePath, title, 1))[0];
  const row = (await q.execute<{ id: string; similarity: number | string } & Row>(alikeInTree(sql`${treePath}::ltree`, title, 1))).rows[0];
  return row && { id: String(row.id), similarity: Number(row.similarity) };
}

const treeOf = (path: string) => path.split('.')[0]!;

/** A near-duplicate is accepted, and remembers the idea it resembles. */
export async function createIdea(db: Db, actor: Actor, input: CreateIdea): Promise<IdeaDetail> {
  const id = await db.transaction(async (tx) => {
    const place = await memberPlace(tx, actor);
    const target = await targetOrg(tx, place, input.orgId, true);
    const alike = await mostAlike(tx, treeOf(target.path), input.title);
    const row = (await tx.execute<{ id: string } & Row>(sql`
      insert into ideas (member_id, org_id, org_path, member_org_id, title, title_core, content, category, similar_to_id, similarity)
      values (${place.memberId}, ${target.id}, ${target.path}::ltree, ${place.orgId}, ${input.title}, ${titleCore(input.title)}, ${input.content}, ${input.category},
              ${alike?.id ?? null}, ${alike?.similarity ?? null})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, {
      action: 'idea.submit', targetType: 'idea', targetId: row.id, orgPath: target.path,
      detail: { title: input.title, orgId: target.id, category: input.category, similarToId: alike?.id ?? null },
    });
    return row.id;
  });
  return getMyIdea(db, actor, id);
}

// ---------- lists ----------

function statusCondition(status: IdeaStatusFilter): SQL {
  return status === 'adopted_any' ? sql`i.status = any(${textArray(ADOPTED_STATUSES)}::text[])` : sql`i.status = ${status}`;
}

/** Submitted on the China days from..to (an instant range, so the index on submitted_at serves it). */
function periodConditions(from: string | undefined, to: string | undefined): SQL[] {
  const conditions: SQL[] = [];
  if (from) conditions.push(sql`i.submitted_at >= ${startOfChinaDay(from).toISOString()}::timestamptz`);
  if (to) conditions.push(sql`i.submitted_at < ${new Date(startOfChinaDay(to).getTime() + DAY_MS).toISOString()}::timestamptz`);
  return conditions;
}

/** What a page of ideas reads: the ideas, and the names of their orgs, members and reviewers. */
const LIST_SOURCES = ['ideas', 'orgs', 'members', 'users'] as const;

/**
 * A page newest first by id: keyset after `cursor` (however deep), else by offset; one row more than
 * the page tells whether another follows. The total counts the same conditions without the cursor.
 * The scope comes twice, equal: by path for the rows (checked on each row the id order walks through)
 * and by subtree key for the count (one range of ideas_subtree_key, read index-only).
 */
async function pageOfIdeas(db: Db, actor: Actor, epochs: Epochs | null, scope: { rows: SQL; count: SQL }, conditions: SQL[], query: { page: number; pageSize: number; cursor?: string | undefined }): Promise<IdeaPage> {
  const where = sql.join([scope.rows, ...conditions], sql` and `);
  const countWhere = sql.join([scope.count, ...conditions], sql` and `);
  const walk = query.cursor ? sql` and i.id < ${query.cursor}::bigint` : sql``;
  const offset = query.cursor ? 0 : pageOffset(query);
  // the total and the page in one statement (one round trip); a page past the end is the total alone
  const statement = sql`
    select c.total, p.* from (select count(*)::int as total from ideas i where ${countWhere}) c
      left join lateral (select i.id as ord, ${ideaListColumns} from ${ideaFrom} where ${where}${walk} order by i.id desc limit ${query.pageSize + 1} offset ${offset}) p on true
     order by p.ord desc`;
  // with `epochs`, kept under the version numbers of what it reads: every reviewer of a district opens the same page 1,
  // which cost 0.4 ms of planning and 1.1 ms of execution (a district's 6,500 ideas counted: EXPLAIN, 100,000 ideas)
  type PageRow = IdeaRow & { total: number; ord: string | null };
  const rows = epochs ? await rowsKeptUnder<PageRow>(db, epochOf(epochs, LIST_SOURCES), statement) : await executePrepared<PageRow>(db, statement);
  const found = rows.filter((r) => r.ord !== null);
  const shown = found.slice(0, query.pageSize);
  return {
    // a page not kept (the member's own list) is read for this request only: its items are made once, here
    items: epochs ? listItemsOf(actor, rows, shown) : shown.map((r) => toListItem(actor, r)), total: Number(rows[0]?.total ?? 0), page: query.page, pageSize: query.pageSize,
    nextCursor: found.length > query.pageSize ? shown[shown.length - 1]!.id : null,
  };
}

export async function listIdeas(db: Db, actor: Actor, query: IdeaListQuery): Promise<IdeaPage> {
  // read before anything they number (platform/epochs.ts): the org and the page are kept under them
  const epochs = await readEpochs(db);
  let scope = { rows: ideasInScope(actor), count: ideasInScopeByKey(actor) };
  if (query.orgId) {
    // an org the actor administers: its subtree lies in the actor's scope, which needs no second condition
    const org = await managedOrgAt(db, actor, query.orgId, epochOf(epochs, ['orgs']), { allowDissolved: true });
    scope = query.scope === 'org' ? { rows: sql`i.org_id = ${org.id}`, count: sql`i.org_id = ${org.id}` }
      : { rows: sql`i.org_path <@ ${org.path}::ltree`, count: inSubtreeByKey(sql.raw('i.subtree_key'), org.path) };
  }
  const conditions: SQL[] = [];
  if (query.status) conditions.push(statusCondition(query.status));
  if (query.category) conditions.push(sql`i.category = ${query.category}`);
  conditions.push(...periodConditions(query.from, query.to));
  if (query.q) conditions.push(sql`(i.title ilike ${likeContaining(query.q)} or i.content ilike ${likeContaining(query.q)})`);
  return pageOfIdeas(db, actor, epochs, scope, conditions, query);
}

export async function listMyIdeas(db: Db, actor: Actor, query: MyIdeaListQuery): Promise<IdeaPage> {
  const conditions: SQL[] = [];
  if (query.status) conditions.push(statusCondition(query.status));
  // a member's own list has one reader: not kept (it would cost a query of the numbers and crowd out the shared pages)
  return pageOfIdeas(db, actor, null, { rows: ownIdeas(actor), count: ownIdeas(actor) }, conditions, query);
}

// ---------- one idea ----------

type ProgressRow = { id: string; status: IdeaStatus | null; note: string; occurred_on: string; recorded_by_name: string | null; created_at: Time } & Row;

async function progressOf(q: Queryable, id: string): Promise<IdeaProgress[]> {
  return (await q.execute<ProgressRow>(sql`
    select p.id::text, p.status, p.note, p.occurred_on::text, u.display_name as recorded_by_name, p.created_at
      from idea_progress p left join users u on u.id = p.recorded_by where p.idea_id = ${id} order by p.id`)).rows
    .map((p) => ({ id: p.id, status: p.status, note: p.note, occurredOn: p.occurred_on, recordedByName: p.recorded_by_name, createdAt: iso(p.created_at)! }));
}

async function findIdea(q: Queryable, visible: SQL, id: string, lock = false): Promise<IdeaDetailRow> {
  const row = (await q.execute<IdeaDetailRow>(sql`select ${ideaColumns} from ${ideaFrom} where i.id = ${id} and ${visible} ${lock ? sql`for update of i` : sql``}`)).rows[0];
  if (!row) throw notFound('idea.not_found');
  return row;
}

async function detailOf(q: Queryable, actor: Actor, visible: SQL, id: string): Promise<IdeaDetail> {
  const row = await findIdea(q, visible, id);
  return { ...toIdea(actor, row), progress: await progressOf(q, id) };
}

export const getIdea = (db: Db, actor: Actor, id: string) => detailOf(db, actor, ideasInScope(actor), id);
export const getMyIdea = (db: Db, actor: Actor, id: string) => detailOf(db, actor, ownIdeas(actor), id);

/** 采纳 / 不采纳 with a reply: once (409 after). */
export async function reviewIdea(db: Db, actor: Actor, id: string, input: ReviewIdea): Promise<IdeaDetail> {
  await db.transaction(async (tx) => {
    const row = await findIdea(tx, ideasInScope(actor), id, true);
    if (!canReviewIdea(actor, row.org_path)) throw notFound('idea.not_found');
    if (row.status !== 'submitted') throw conflict('idea.already_reviewed');
    const status: IdeaStatus = input.decision === 'adopt' ? 'adopted' : 'declined';
    await tx.execute(sql`update ideas set status = ${status}, reply = ${input.reply}, reviewed_by = ${actor.userId}, reviewed_at = now(), updated_at = now()
      where id = ${id}`);
    await audit(tx, actor, {
      action: input.decision === 'adopt' ? 'idea.adopt' : 'idea.decline', targetType: 'idea', targetId: id, orgPath: row.org_path,
      detail: { title: row.title, member: row.member_name },
    });
  });
  return getIdea(db, actor, id);
}

/** A step of an adopted idea still open: a note, or a move to 实施中 / 已实施 / 搁置 (the note then the reason). */
export async function recordIdeaProgress(db: Db, actor: Actor, id: string, input: RecordIdeaProgress): Promise<IdeaDetail> {
  await db.transaction(async (tx) => {
    const row = await findIdea(tx, ideasInScope(actor), id, true);
    if (!canReviewIdea(actor, row.org_path)) throw notFound('idea.not_found');
    if (row.status !== 'adopted' && row.status !== 'implementing') throw conflict('idea.not_adopted');
    const occurredOn = input.occurredOn ?? todayInChina();
    if (occurredOn < chinaDate(row.reviewed_at!)) throw invalidField('occurredOn', 'idea.before_adoption');
    const status = input.status ?? null;
    await tx.execute(sql`insert into idea_progress (idea_id, status, note, occurred_on, recorded_by)
      values (${id}, ${status}, ${input.note}, ${occurredOn}::date, ${actor.userId})`);
    if (status) {
      await tx.execute(sql`update ideas set status = ${status}, updated_at = now(),
          implemented_on = ${status === 'implemented' ? occurredOn : null}::date,
          shelved_reason = ${status === 'shelved' ? input.note : null}
        where id = ${id}`);
    } else {
      await tx.execute(sql`update ideas set updated_at = now() where id = ${id}`);
    }
    await audit(tx, actor, {
      action: 'idea.progress', targetType: 'idea', targetId: id, orgPath: row.org_path,
      detail: { title: row.title, from: row.status, to: status ?? row.status, occurredOn },
    });
  });
  return getIdea(db, actor, id);
}

// ---------- counts ----------

type CountRow = { key: string; submitted: number; adopted: number; implemented: number } & Row;

/**
 * Per org of the next level (its subtree) and the org itself (its own ideas), in one GROUP BY over the
 * subtree; each figure is the total of the list opened with the same org, scope, period and status.
 */
export async function ideaStats(db: Db, actor: Actor, query: IdeaStatsQuery): Promise<IdeaStats> {
  const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true });
  const depth = org.path.split('.').length;
  const where = sql.join([sql`i.org_path <@ ${org.path}::ltree`, ...periodConditions(query.from, query.to)], sql` and `);
  const [counts, orgs] = await Promise.all([
    db.execute<CountRow>(sql`
      select case when nlevel(i.org_path) > ${depth} then subpath(i.org_path, 0, ${depth + 1}) else i.org_path end::text as key,
             count(*)::int as submitted,
             count(*) filter (where ${statusCondition('adopted_any')})::int as adopted,
             count(*) filter (where i.status = 'implemented')::int as implemented
        from ideas i where ${where} group by 1`),
    db.execute<{ id: string; name: string; path: string; dissolved: boolean } & Row>(sql`
      select id::text, name, path::text, dissolved_at is not null as dissolved from orgs where parent_id = ${org.id} order by sort_order, id`),
  ]);
  const byKey = new Map(counts.rows.map((r) => [r.key, r]));
  const figures = (key: string) => {
    const r = byKey.get(key);
    return { submitted: Number(r?.submitted ?? 0), adopted: Number(r?.adopted ?? 0), implemented: Number(r?.implemented ?? 0) };
  };
  const rows: IdeaStats['rows'] = [{ orgId: org.id, orgName: org.name, scope: 'org', ...figures(org.path) }];
  for (const child of orgs.rows) {
    // a dissolved org keeps a row only while ideas of the period are filed under it
    if (child.dissolved && !byKey.has(child.path)) continue;
    rows.push({ orgId: child.id, orgName: child.name, scope: 'subtree', ...figures(child.path) });
  }
  const sum = (k: 'submitted' | 'adopted' | 'implemented') => counts.rows.reduce((n, r) => n + Number(r[k]), 0);
  return {
    orgId: org.id, orgName: org.name, from: query.from ?? null, to: query.to ?? null, rows,
    total: { orgId: org.id, orgName: org.name, scope: 'subtree', submitted: sum('submitted'), adopted: sum('adopted'), implemented: sum('implemented') },
  };
}
