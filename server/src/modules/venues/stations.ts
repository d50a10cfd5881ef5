import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { CreateStation, Station, StationListQuerySchema, UpdateStation } from '../../../../contracts/venues.js';
import type { Actor } from '../../platform/actor.js';
import { managedOrg } from '../../platform/org-scope.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import { simplify } from '../../platform/i18n.js';
import { canManageVenue, visibleStations as visible } from './policy.js';
import { likeContaining, pageLimit, partialUpdate } from '../../platform/sql.js';

/** The register of service stations: every signed-in member browses the active ones; the org's admins keep it. */
type StationRow = {
  id: string; org_id: string; org_name: string; org_path: string; name: string; address: string; longitude: string | number | null;
  latitude: string | number | null; hours: string | null; contact_name: string | null; contact_phone: string | null; description: string | null; is_active: boolean;
} & Record<string, unknown>;

const stationSelect = sql`select s.id::text, s.org_id::text, o.name as org_name, s.org_path::text, s.name, s.address, s.longitude, s.latitude, s.hours,
  s.contact_name, s.contact_phone, s.description, s.is_active from service_stations s join orgs o on o.id = s.org_id`;

function toStation(r: StationRow, actor: Actor): Station {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, name: r.name, address: r.address,
    longitude: r.longitude === null ? null : Number(r.longitude), latitude: r.latitude === null ? null : Number(r.latitude),
    hours: r.hours, contactName: r.contact_name, contactPhone: r.contact_phone, description: r.description, isActive: r.is_active,
    canManage: canManageVenue(actor, { orgPath: r.org_path }),
  };
}

export async function listStations(db: Db, actor: Actor, query: z.infer<typeof StationListQuerySchema>) {
  const conditions: SQL[] = [visible(actor)];
  if (query.q) conditions.push(sql`s.search_text like ${likeContaining(simplify(query.q))}`);
  if (query.orgId) conditions.push(sql`s.org_path <@ (select path from orgs where id = ${query.orgId})`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<StationRow>(sql`${stationSelect} where ${where} order by s.org_path, s.id ${pageLimit(query)}`),
    db.execute<{ n: number } & Record<string, unknown>>(sql`select count(*)::int as n from service_stations s where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toStation(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

export async function getStation(db: Queryable, actor: Actor, id: string): Promise<Station> {
  const row = (await db.execute<StationRow>(sql`${stationSelect} where s.id = ${id} and ${visible(actor)}`)).rows[0];
  if (!row) throw notFound('station.not_found');
  return toStation(row, actor);
}

export async function createStation(db: Db, actor: Actor, input: CreateStation): Promise<Station> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share', notFoundKey: 'venue.org_not_found', dissolvedKey: 'venue.org_not_found' });
    const r = await tx.execute<{ id: string } & Record<string, unknown>>(sql`
      insert into service_stations (org_id, org_path, name, address, longitude, latitude, hours, contact_name, contact_phone, description, search_text)
      values (${org.id}, ${org.path}::ltree, ${input.name}, ${input.address}, ${input.longitude ?? null}, ${input.latitude ?? null}, ${input.hours ?? null},
              ${input.contactName ?? null}, ${input.contactPhone ?? null}, ${input.description ?? null}, ${simplify(`${input.name} ${input.address}`)})
      returning id::text`);
    const newId = r.rows[0]!.id;
    await audit(tx, actor, { action: 'station.create', targetType: 'service_station', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getStation(db, actor, id);
}

export async function updateStation(db: Db, actor: Actor, id: string, input: UpdateStation): Promise<Station> {
  await db.transaction(async (tx) => {
    const row = (await tx.execute<{ org_path: string; name: string; address: string } & Record<string, unknown>>(sql`
      select org_path::text, name, address from service_stations where id = ${id} for update`)).rows[0];
    if (!row || !canManageVenue(actor, { orgPath: row.org_path })) throw notFound('station.not_found');
    const update = partialUpdate();
    update.set('name', input.name);
    update.set('address', input.address);
    update.set('longitude', input.longitude);
    update.set('latitude', input.latitude);
    update.set('hours', input.hours);
    update.set('contact_name', input.contactName);
    update.set('contact_phone', input.contactPhone);
    update.set('description', input.description);
    update.set('is_active', input.isActive);
    update.add(sql`search_text = ${simplify(`${input.name ?? row.name} ${input.address ?? row.address}`)}`);
    await tx.execute(sql`update service_stations set ${update.toSql()}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'station.update', targetType: 'service_station', targetId: id, orgPath: row.org_path, detail: { ...input } });
  });
  return getStation(db, actor, id);
}
