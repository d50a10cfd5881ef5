import { sql, type SQL } from 'drizzle-orm';
import type {
  Brand, BrandListItem, BrandListQuery, BrandPage, BrandStatus, BrandTitle, CreateBrand, GalleryCard, GalleryPage, GalleryQuery, UpdateBrand,
} from '../../../../contracts/brands.js';
import type { PageRequest } from '../../platform/sql.js';
import type { Actor } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import type { Db, Queryable } from '../../platform/db.js';
import { invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { likeContaining, pageLimit, partialUpdate, textArray } from '../../platform/sql.js';
import { removeUpload, storeUpload, type Upload } from '../../platform/uploads.js';
import { registerPublicNoticeHandler } from '../public_notices/service.js';
import { brandsInScope, canManageBrand, homeRoots } from './policy.js';
import { withdrawApplication } from './rounds.js';

/**
 * 党建品牌: the registry of each org's brands (kept by the org's administrators and those above), their
 * photos, and the galleries — for the signed-in users of a tree, and for the public without anything
 * personal. The review rounds (星级评审) are in rounds.ts.
 */
type Row = Record<string, unknown>;
const iso = (v: Date | string) => new Date(v).toISOString();
const num = (v: unknown) => (v == null ? null : Number(v));
const ID = /^[1-9]\d{0,17}$/;
/** A brand shows a few photos, not an album. */
export const BRAND_PHOTOS_MAX = 12;

// an objection upheld in a round's 公示 withdraws that brand's result
registerPublicNoticeHandler('brand', { onItemWithdrawn: (tx, item) => withdrawApplication(tx, item.sourceId, item.ref, item.reason) });

type BrandRow = {
  id: string; org_id: string; org_path: string; org_name: string; name: string; slogan: string | null; distinctive: string | null; achievements: string | null;
  status: BrandStatus; star_level: number | null; title: BrandTitle | null; updated_at: Date | string; cover_photo_id: string | null;
} & Row;

const coverPhoto = sql`(select p.id::text from brand_photos p where p.brand_id = b.id order by p.id limit 1)`;
const brandColumns = sql`b.id::text, b.org_id::text, b.org_path::text, o.name as org_name, b.name, b.slogan, b.distinctive, b.achievements,
  b.status, b.star_level, b.title, b.updated_at, ${coverPhoto} as cover_photo_id`;

const toListItem = (r: BrandRow, actor: Actor): BrandListItem => ({
  id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, slogan: r.slogan, status: r.status, starLevel: num(r.star_level), title: r.title,
  canManage: canManageBrand(actor, { orgPath: r.org_path }), updatedAt: iso(r.updated_at), coverPhotoId: r.cover_photo_id,
});

export async function listBrands(db: Db, actor: Actor, query: BrandListQuery): Promise<BrandPage> {
  const conditions: SQL[] = [brandsInScope(actor, sql`b.org_path`)];
  if (query.orgId) {
    const org = await managedOrg(db, actor, query.orgId, { allowDissolved: true, notFoundKey: 'brand.org_not_found' });
    conditions.push(sql`b.org_path <@ ${org.path}::ltree`);
  }
  if (query.q) conditions.push(sql`b.name ilike ${likeContaining(query.q)}`);
  if (query.status) conditions.push(sql`b.status = ${query.status}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<BrandRow>(sql`select ${brandColumns} from brands b join orgs o on o.id = b.org_id where ${where} order by b.id desc ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from brands b where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toListItem(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

/** A brand in the actor's subtree (else 404), optionally locked for a write. */
export async function findBrand(q: Queryable, actor: Actor, id: string, lock = false): Promise<BrandRow> {
  if (!ID.test(id)) throw notFound('brand.not_found');
  const row = (await q.execute<BrandRow>(sql`select ${brandColumns} from brands b join orgs o on o.id = b.org_id
    where b.id = ${id} and ${brandsInScope(actor, sql`b.org_path`)} ${lock ? sql`for update of b` : sql``}`)).rows[0];
  if (!row) throw notFound('brand.not_found');
  return row;
}

export async function getBrand(db: Queryable, actor: Actor, id: string): Promise<Brand> {
  const row = await findBrand(db, actor, id);
  const [photos, history] = await Promise.all([
    db.execute<{ id: string; file_name: string; size_bytes: number } & Row>(sql`select id::text, file_name, size_bytes from brand_photos where brand_id = ${id} order by id`),
    db.execute<{ round_id: string; round_title: string; year: number; star_level: number | null; title: BrandTitle | null; awarded_at: Date | string } & Row>(sql`
      select h.round_id::text, r.title as round_title, h.year, h.star_level, h.title, h.awarded_at from brand_level_history h
        join brand_review_rounds r on r.id = h.round_id where h.brand_id = ${id} order by h.year desc, h.awarded_at desc`),
  ]);
  const { coverPhotoId: _cover, ...item } = toListItem(row, actor);
  return {
    ...item, distinctive: row.distinctive, achievements: row.achievements,
    photos: photos.rows.map((p) => ({ id: p.id, fileName: p.file_name, sizeBytes: Number(p.size_bytes) })),
    history: history.rows.map((h) => ({ roundId: h.round_id, roundTitle: h.round_title, year: Number(h.year), starLevel: num(h.star_level), title: h.title, awardedAt: iso(h.awarded_at) })),
  };
}

export async function createBrand(db: Db, actor: Actor, input: CreateBrand): Promise<Brand> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'brand.org_not_found' });
    const brand = (await tx.execute<{ id: string } & Row>(sql`
      insert into brands (org_id, org_path, name, slogan, distinctive, achievements, status, created_by)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.slogan ?? null}, ${input.distinctive ?? null}, ${input.achievements ?? null}, ${input.status}, ${actor.userId})
      returning id::text`)).rows[0]!;
    await audit(tx, actor, { action: 'brand.create', targetType: 'brand', targetId: brand.id, orgPath: org.path, detail: { name: input.name, status: input.status } });
    return brand.id;
  });
  return getBrand(db, actor, id);
}

export async function updateBrand(db: Db, actor: Actor, id: string, input: UpdateBrand): Promise<Brand> {
  await db.transaction(async (tx) => {
    const brand = await findBrand(tx, actor, id, true);
    const update = partialUpdate();
    update.set('name', input.name);
    update.set('slogan', input.slogan);
    update.set('distinctive', input.distinctive);
    update.set('achievements', input.achievements);
    update.set('status', input.status);
    if (update.isEmpty) return;
    update.add(sql`updated_at = now()`);
    await tx.execute(sql`update brands set ${update.toSql()} where id = ${id}`);
    await audit(tx, actor, { action: 'brand.update', targetType: 'brand', targetId: id, orgPath: brand.org_path,
      detail: { name: input.name ?? brand.name, changed: Object.keys(input).filter((k) => input[k as keyof UpdateBrand] !== undefined) } });
  });
  return getBrand(db, actor, id);
}

/**
 * A photo of the brand (images only): checked, written, then recorded in a transaction that checks
 * again; a refused or failed record removes the file.
 */
export async function addBrandPhoto(db: Db, actor: Actor, dataDir: string, id: string, upload: Upload): Promise<Brand> {
  const check = async (q: Queryable) => {
    const brand = await findBrand(q, actor, id, true);
    if (upload.kind !== 'photo') throw invalidField('file', 'brand.photo_only');
    const count = (await q.execute<{ n: number } & Row>(sql`select count(*)::int as n from brand_photos where brand_id = ${id}`)).rows[0]!;
    if (Number(count.n) >= BRAND_PHOTOS_MAX) throw invalidField('file', 'brand.too_many_photos', { max: BRAND_PHOTOS_MAX });
    return brand;
  };
  await db.transaction(check);
  const key = await storeUpload(dataDir, `brands/${id}`, upload);
  try {
    await db.transaction(async (tx) => {
      const brand = await check(tx);
      const photoId = (await tx.execute<{ id: string } & Row>(sql`insert into brand_photos (brand_id, file_name, mime_type, size_bytes, storage_key, uploaded_by)
        values (${id}, ${upload.fileName}, ${upload.mimeType}, ${upload.bytes.length}, ${key}, ${actor.userId}) returning id::text`)).rows[0]!.id;
      await tx.execute(sql`update brands set updated_at = now() where id = ${id}`);
      await audit(tx, actor, { action: 'brand.add_photo', targetType: 'brand', targetId: id, orgPath: brand.org_path,
        detail: { photoId, fileName: upload.fileName, sizeBytes: upload.bytes.length } });
    });
  } catch (error) {
    await removeUpload(dataDir, key);
    throw error;
  }
  return getBrand(db, actor, id);
}

export async function removeBrandPhoto(db: Db, actor: Actor, dataDir: string, id: string, photoId: string): Promise<Brand> {
  const key = await db.transaction(async (tx) => {
    const brand = await findBrand(tx, actor, id, true);
    const photo = (await tx.execute<{ storage_key: string; file_name: string } & Row>(sql`
      delete from brand_photos where id = ${photoId} and brand_id = ${id} returning storage_key, file_name`)).rows[0];
    if (!photo) throw notFound('brand.photo_not_found');
    await audit(tx, actor, { action: 'brand.remove_photo', targetType: 'brand', targetId: id, orgPath: brand.org_path, detail: { photoId, fileName: photo.file_name } });
    return photo.storage_key;
  });
  await removeUpload(dataDir, key);
  return getBrand(db, actor, id);
}

// ---------- galleries ----------

async function memberPathOf(q: Queryable, actor: Actor): Promise<string | null> {
  if (!actor.memberId) return null;
  return (await q.execute<{ path: string } & Row>(sql`select org_path::text as path from members where id = ${actor.memberId} and left_at is null`)).rows[0]?.path ?? null;
}

/** A brand's photo: for its keepers, and for the signed-in users of its tree while it is active. */
export async function findBrandPhoto(db: Queryable, actor: Actor, id: string, photoId: string): Promise<{ fileName: string; mimeType: string; storageKey: string }> {
  const roots = homeRoots(actor, await memberPathOf(db, actor));
  const row = (await db.execute<{ file_name: string; mime_type: string; storage_key: string } & Row>(sql`
    select p.file_name, p.mime_type, p.storage_key from brand_photos p join brands b on b.id = p.brand_id
     where p.id = ${photoId} and p.brand_id = ${id}
       and (${brandsInScope(actor, sql`b.org_path`)} or (b.status = 'active' and b.org_path <@ ${textArray(roots)}::ltree[]))`)).rows[0];
  if (!row) throw notFound('brand.photo_not_found');
  return { fileName: row.file_name, mimeType: row.mime_type, storageKey: row.storage_key };
}

type CardRow = { id: string; name: string; slogan: string | null; org_name: string; star_level: number | null; title: BrandTitle | null; cover_photo_id: string | null } & Row;

const toCard = (r: CardRow): GalleryCard => ({
  id: r.id, name: r.name, slogan: r.slogan, orgName: r.org_name, starLevel: num(r.star_level), title: r.title, photoId: r.cover_photo_id,
});

/** Active brands of a tree, highest level first: 五星 before 四星…, 示范 before 培育, then the newest. */
async function galleryOf(q: Queryable, root: { id: string; path: string; name: string }, query: PageRequest & { q?: string; minStars?: number }): Promise<GalleryPage> {
  const conditions: SQL[] = [sql`b.status = 'active'`, sql`b.org_path <@ ${root.path}::ltree`];
  if (query.q) conditions.push(sql`b.name ilike ${likeContaining(query.q)}`);
  if (query.minStars) conditions.push(sql`b.star_level >= ${query.minStars}`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    q.execute<CardRow>(sql`select b.id::text, b.name, b.slogan, o.name as org_name, b.star_level, b.title, ${coverPhoto} as cover_photo_id
      from brands b join orgs o on o.id = b.org_id where ${where}
      order by b.star_level desc nulls last, case b.title when 'model' then 0 when 'cultivating' then 1 else 2 end, b.id desc ${pageLimit(query)}`),
    q.execute<{ n: number } & Row>(sql`select count(*)::int as n from brands b where ${where}`),
  ]);
  return { items: rows.rows.map(toCard), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize, rootId: root.id, rootName: root.name };
}

async function treeRoot(q: Queryable, rootId: string): Promise<{ id: string; path: string; name: string }> {
  const row = (await q.execute<{ id: string; path: string; name: string } & Row>(sql`
    select id::text, path::text, name from orgs where id = ${rootId} and parent_id is null and dissolved_at is null`)).rows[0];
  if (!row) throw notFound('brand.tree_not_found');
  return row;
}

/** The gallery of the viewer's tree (or, for a platform administrator, any tree). */
export async function gallery(db: Db, actor: Actor, query: GalleryQuery): Promise<GalleryPage> {
  const roots = homeRoots(actor, await memberPathOf(db, actor));
  // a platform administrator belongs to no tree: the first one stands for theirs
  const firstTree = async () => (await db.execute<{ id: string } & Row>(sql`select id::text from orgs where parent_id is null and dissolved_at is null order by id limit 1`)).rows[0]?.id;
  const rootId = query.rootId ?? roots[0] ?? (actor.isPlatformAdmin ? await firstTree() : undefined);
  if (!rootId || (!actor.isPlatformAdmin && !roots.includes(rootId))) throw notFound('brand.tree_not_found');
  return galleryOf(db, await treeRoot(db, rootId), query);
}

/** The public gallery: names, slogans, org names, levels and photos — nothing personal. */
export async function publicGallery(db: Db, rootId: string, query: PageRequest & { q?: string }): Promise<GalleryPage> {
  return galleryOf(db, await treeRoot(db, rootId), query);
}

export async function publicPhoto(db: Db, rootId: string, photoId: string): Promise<{ mimeType: string; storageKey: string }> {
  const root = await treeRoot(db, rootId);
  const row = (await db.execute<{ mime_type: string; storage_key: string } & Row>(sql`
    select p.mime_type, p.storage_key from brand_photos p join brands b on b.id = p.brand_id
     where p.id = ${photoId} and b.status = 'active' and b.org_path <@ ${root.path}::ltree`)).rows[0];
  if (!row) throw notFound('brand.photo_not_found');
  return { mimeType: row.mime_type, storageKey: row.storage_key };
}
