// A member's row as the module reads it, the rules of the pipeline's dates, and the row locks every write starts from.
import { sql } from 'drizzle-orm';
import { MEMBER_STAGES, STAGE_DATE_FIELD, addYears, type LeaveReason, type Member, type MemberStage, type StageDateField } from '../../../../contracts/members.js';
import type { Actor } from '../../platform/actor.js';
import type { Queryable } from '../../platform/db.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { canManageMember, visibleMembers } from './policy.js';
import './messages.js';

export type Row<T> = T & Record<string, unknown>;

export type MemberRow = Row<{
  id: string; org_id: string; org_name: string; org_path: string; name: string; gender: 'male' | 'female'; ethnicity: string;
  birth_date: string | null; id_number_masked: string | null; phone_masked: string | null; education: string | null;
  work_unit: string | null; post: string | null; stage: MemberStage; applied_on: string | null; activist_on: string | null;
  candidate_on: string | null; joined_on: string | null; converted_on: string | null; residence_community: string | null;
  left_at: Date | string | null; left_on: string | null; left_reason: LeaveReason | null; left_note: string | null;
  created_at: Date | string; updated_at: Date | string;
}>;

export const memberColumns = sql`
  m.id::text, m.org_id::text, o.name as org_name, m.org_path::text, m.name, m.gender, m.ethnicity, m.birth_date::text,
  m.id_number_masked, m.phone_masked, m.education, m.work_unit, m.post, m.stage,
  m.applied_on::text, m.activist_on::text, m.candidate_on::text, m.joined_on::text, m.converted_on::text,
  m.residence_community, m.left_at, m.left_on::text, m.left_reason, m.left_note, m.created_at, m.updated_at`;

/** Record field (camelCase, as in the contract) → column. */
export const STAGE_DATE_COLUMN: Record<StageDateField, string> = {
  appliedOn: 'applied_on', activistOn: 'activist_on', candidateOn: 'candidate_on', joinedOn: 'joined_on', convertedOn: 'converted_on',
};

export const iso = (t: Date | string) => new Date(t).toISOString();

export function toMember(row: MemberRow): Member {
  return {
    id: row.id,
    orgId: row.org_id,
    orgName: row.org_name,
    name: row.name,
    gender: row.gender,
    ethnicity: row.ethnicity,
    birthDate: row.birth_date,
    idNumberMasked: row.id_number_masked,
    phoneMasked: row.phone_masked,
    education: row.education,
    workUnit: row.work_unit,
    post: row.post,
    stage: row.stage,
    joinedOn: row.joined_on,
    convertedOn: row.converted_on,
    residenceCommunity: row.residence_community,
    leftAt: row.left_at == null ? null : iso(row.left_at),
  };
}

export function stageDatesOf(row: Pick<MemberRow, 'applied_on' | 'activist_on' | 'candidate_on' | 'joined_on' | 'converted_on'>): Record<StageDateField, string | null> {
  return { appliedOn: row.applied_on, activistOn: row.activist_on, candidateOn: row.candidate_on, joinedOn: row.joined_on, convertedOn: row.converted_on };
}

/** The step that may come next and the earliest day for it (the rules of advanceStage). */
export function nextStep(stage: MemberStage, dates: Record<StageDateField, string | null>): { stage: MemberStage | null; earliest: string | null } {
  const next = MEMBER_STAGES[MEMBER_STAGES.indexOf(stage) + 1];
  if (!next) return { stage: null, earliest: null };
  let earliest = latestStepDate(stage, dates);
  const byRule = next === 'candidate' && dates.activistOn ? addYears(dates.activistOn, 1) : next === 'full' && dates.joinedOn ? addYears(dates.joinedOn, 1) : null;
  if (byRule && (!earliest || byRule > earliest)) earliest = byRule;
  return { stage: next, earliest };
}

/** The date of the latest step taken (old records may lack the dates of early steps). */
export function latestStepDate(stage: MemberStage, dates: Record<StageDateField, string | null>): string | null {
  for (let i = MEMBER_STAGES.indexOf(stage); i >= 0; i--) {
    const date = dates[STAGE_DATE_FIELD[MEMBER_STAGES[i]!]];
    if (date) return date;
  }
  return null;
}

export type LockedMember = Row<{
  id: string; org_path: string; stage: MemberStage; birth_date: string | null; id_number_enc: string | null; id_number_hash: string | null;
  applied_on: string | null; activist_on: string | null; candidate_on: string | null; joined_on: string | null; converted_on: string | null;
  left_at: Date | string | null;
}>;

/** A member the actor may see, locked for the rest of the transaction; 404 otherwise. */
export async function lockVisibleMember(tx: Queryable, actor: Actor, id: string): Promise<LockedMember> {
  const result = await tx.execute<LockedMember>(sql`
    select m.id::text, m.org_path::text, m.stage, m.birth_date::text, m.id_number_enc, m.id_number_hash,
           m.applied_on::text, m.activist_on::text, m.candidate_on::text, m.joined_on::text, m.converted_on::text, m.left_at
      from members m where m.id = ${id} and ${visibleMembers(actor)} for update`);
  const row = result.rows[0];
  if (!row) throw notFound('member.not_found');
  return row;
}

/** As lockVisibleMember, and the actor administers the member's org (a member viewing themself gets 403). */
export async function lockManagedMember(tx: Queryable, actor: Actor, id: string): Promise<LockedMember> {
  const row = await lockVisibleMember(tx, actor, id);
  if (!canManageMember(actor, { orgPath: row.org_path })) throw forbidden('member.not_manageable');
  return row;
}
