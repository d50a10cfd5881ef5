// Reading shares (读书分享): members' notes on what they read, and likes.
import { sql } from 'drizzle-orm';
import type { CreateShare, Share } from '../../../../contracts/learning.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { requireMember } from '../points/member-context.js';
import { awardPoints } from '../points/service.js';
import { visibleShares } from './policy.js';
import { pageLimit } from '../../platform/sql.js';
import { iso, viewerOf, type N, type Time, type PageArgs } from './content.js';

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
    order by s.created_at desc, s.id desc ${pageLimit(query)}`);
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
