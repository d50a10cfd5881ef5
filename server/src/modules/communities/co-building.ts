import { sql, type SQL } from 'drizzle-orm';
import type {
  Agreement, AgreementDetail, AgreementListQuery, AgreementPage, CreateAgreement, JointProject, JointProjectInput, UpdateAgreement, UpdateJointProject,
} from '../../../../contracts/communities.js';
import type { Actor } from '../../platform/actor.js';
import type { Db, Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { forbidden, invalidField, notFound } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { canManageCommunity, visibleAgreements } from './policy.js';
import { findCommunityInTree } from './lookup.js';
import { pageLimit } from '../../platform/sql.js';

/** 共驻共建: an org's agreements with communities and the joint projects under each. */
type Row = Record<string, unknown>;
type AgreementRow = {
  id: string; org_id: string; org_path: string; org_name: string; community_id: string; community_name: string; title: string; content: string;
  signed_on: string; starts_on: string; ends_on: string | null; is_active: boolean; project_count: number;
} & Row;

const agreementColumns = sql`a.id::text, a.org_id::text, a.org_path::text, o.name as org_name, a.community_id::text, c.name as community_name, a.title, a.content,
  a.signed_on::text, a.starts_on::text, a.ends_on::text, (a.starts_on <= current_date and (a.ends_on is null or a.ends_on >= current_date)) as is_active,
  (select count(*) from co_building_projects p where p.agreement_id = a.id)::int as project_count`;
const agreementFrom = sql`co_building_agreements a join orgs o on o.id = a.org_id join communities c on c.id = a.community_id`;

function toAgreement(r: AgreementRow, actor: Actor): Agreement {
  return {
    id: r.id, orgId: r.org_id, orgName: r.org_name, communityId: r.community_id, communityName: r.community_name, title: r.title, content: r.content,
    signedOn: r.signed_on, startsOn: r.starts_on, endsOn: r.ends_on, isActive: r.is_active, projectCount: Number(r.project_count), canManage: canManageCommunity(actor, { orgPath: r.org_path }),
  };
}

export async function listAgreements(db: Db, actor: Actor, query: AgreementListQuery): Promise<AgreementPage> {
  const conditions: SQL[] = [visibleAgreements(actor)];
  if (query.orgId) conditions.push(sql`a.org_path <@ (select path from orgs where id = ${query.orgId})`);
  if (query.communityId) conditions.push(sql`a.community_id = ${query.communityId}`);
  if (query.active) conditions.push(sql`a.starts_on <= current_date and (a.ends_on is null or a.ends_on >= current_date)`);
  const where = sql.join(conditions, sql` and `);
  const [rows, total] = await Promise.all([
    db.execute<AgreementRow>(sql`select ${agreementColumns} from ${agreementFrom} where ${where} order by a.signed_on desc, a.id desc
      ${pageLimit(query)}`),
    db.execute<{ n: number } & Row>(sql`select count(*)::int as n from co_building_agreements a where ${where}`),
  ]);
  return { items: rows.rows.map((r) => toAgreement(r, actor)), total: Number(total.rows[0]?.n ?? 0), page: query.page, pageSize: query.pageSize };
}

async function findVisibleAgreement(q: Queryable, actor: Actor, id: string, lock = false): Promise<AgreementRow> {
  const row = (await q.execute<AgreementRow>(sql`select ${agreementColumns} from ${agreementFrom} where a.id = ${id} and ${visibleAgreements(actor)} ${lock ? sql`for update of a` : sql``}`)).rows[0];
  if (!row) throw notFound('co_building.not_found');
  return row;
}

async function findManagedAgreement(q: Queryable, actor: Actor, id: string): Promise<AgreementRow> {
  const row = await findVisibleAgreement(q, actor, id, true);
  if (!canManageCommunity(actor, { orgPath: row.org_path })) throw forbidden('co_building.not_manager');
  return row;
}

export async function getAgreement(db: Queryable, actor: Actor, id: string): Promise<AgreementDetail> {
  const row = await findVisibleAgreement(db, actor, id);
  const projects = await db.execute<{ id: string; title: string; description: string | null; planned_on: string | null; done_on: string | null } & Row>(sql`
    select id::text, title, description, planned_on::text, done_on::text from co_building_projects where agreement_id = ${id} order by planned_on nulls last, id`);
  return { ...toAgreement(row, actor), projects: projects.rows.map((p) => ({ id: p.id, agreementId: id, title: p.title, description: p.description, plannedOn: p.planned_on, doneOn: p.done_on })) };
}

export async function createAgreement(db: Db, actor: Actor, input: CreateAgreement): Promise<AgreementDetail> {
  const id = await db.transaction(async (tx) => {
    const org = await managedOrg(tx, actor, input.orgId, { field: 'orgId', lock: 'share' });
    const community = await findCommunityInTree(tx, input.communityId, org.path.split('.')[0]!);
    if (!community) throw invalidField('communityId', 'community.not_found');
    const inserted = await tx.execute<{ id: string } & Row>(sql`
      insert into co_building_agreements (org_id, org_path, community_id, title, content, signed_on, starts_on, ends_on)
      values (${org.id}, ${org.path}::ltree, ${community.id}, ${input.title}, ${input.content}, ${input.signedOn}, ${input.startsOn}, ${input.endsOn ?? null})
      returning id::text`);
    const newId = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'co_building.create', targetType: 'co_building_agreement', targetId: newId, orgPath: org.path, detail: { ...input } });
    return newId;
  });
  return getAgreement(db, actor, id);
}

export async function updateAgreement(db: Db, actor: Actor, id: string, input: UpdateAgreement): Promise<AgreementDetail> {
  await db.transaction(async (tx) => {
    const row = await findManagedAgreement(tx, actor, id);
    const startsOn = input.startsOn ?? row.starts_on;
    const endsOn = input.endsOn === undefined ? row.ends_on : input.endsOn;
    if (endsOn && endsOn < startsOn) throw invalidField('endsOn', 'co_building.ends_before_start');
    await tx.execute(sql`update co_building_agreements set title = ${input.title ?? row.title}, content = ${input.content ?? row.content},
      signed_on = ${input.signedOn ?? row.signed_on}, starts_on = ${startsOn}, ends_on = ${endsOn} where id = ${id}`);
    await audit(tx, actor, { action: 'co_building.update', targetType: 'co_building_agreement', targetId: id, orgPath: row.org_path, detail: { ...input } });
  });
  return getAgreement(db, actor, id);
}

export async function addJointProject(db: Db, actor: Actor, agreementId: string, input: JointProjectInput): Promise<JointProject> {
  return db.transaction(async (tx) => {
    const row = await findManagedAgreement(tx, actor, agreementId);
    const inserted = await tx.execute<{ id: string } & Row>(sql`insert into co_building_projects (agreement_id, title, description, planned_on, done_on)
      values (${agreementId}, ${input.title}, ${input.description ?? null}, ${input.plannedOn ?? null}, ${input.doneOn ?? null}) returning id::text`);
    const id = inserted.rows[0]!.id;
    await audit(tx, actor, { action: 'co_building.add_project', targetType: 'co_building_agreement', targetId: agreementId, orgPath: row.org_path, detail: { projectId: id, ...input } });
    return { id, agreementId, title: input.title, description: input.description ?? null, plannedOn: input.plannedOn ?? null, doneOn: input.doneOn ?? null };
  });
}

export async function updateJointProject(db: Db, actor: Actor, projectId: string, input: UpdateJointProject): Promise<JointProject> {
  return db.transaction(async (tx) => {
    const project = (await tx.execute<{ agreement_id: string; title: string; description: string | null; planned_on: string | null; done_on: string | null } & Row>(sql`
      select agreement_id::text, title, description, planned_on::text, done_on::text from co_building_projects where id = ${projectId} for update`)).rows[0];
    if (!project) throw notFound('co_building.project_not_found');
    const agreement = await findManagedAgreement(tx, actor, project.agreement_id).catch((e: unknown) => {
      throw e instanceof Error && 'status' in e && e.status === 404 ? notFound('co_building.project_not_found') : e;
    });
    const next = {
      title: input.title ?? project.title,
      description: input.description === undefined ? project.description : input.description,
      plannedOn: input.plannedOn === undefined ? project.planned_on : input.plannedOn,
      doneOn: input.doneOn === undefined ? project.done_on : input.doneOn,
    };
    await tx.execute(sql`update co_building_projects set title = ${next.title}, description = ${next.description}, planned_on = ${next.plannedOn}, done_on = ${next.doneOn} where id = ${projectId}`);
    await audit(tx, actor, { action: 'co_building.update_project', targetType: 'co_building_agreement', targetId: project.agreement_id, orgPath: agreement.org_path, detail: { projectId, ...input } });
    return { id: projectId, agreementId: project.agreement_id, ...next };
  });
}
