// One member with the stage history, and the audited look at the full ID or phone number.
import { sql } from 'drizzle-orm';
import type { MemberDetail, MemberStage, Reveal, Revealed } from '../../../../contracts/members.js';
import type { Actor } from '../../platform/actor.js';
import { executePrepared, type Db, type Queryable } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { notFound } from '../../platform/errors.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { canManageMember, canRevealMember, visibleMembers } from './policy.js';
import { type Row, type MemberRow, memberColumns, iso, nextStep, toMember, stageDatesOf } from './member-record.js';

export async function getMember(db: Queryable, actor: Actor, id: string): Promise<MemberDetail> {
  // one statement: the member and, aggregated, the stage history
  const [row] = await executePrepared<MemberRow & Row<{ events: string }>>(db, sql`select ${memberColumns},
      (select coalesce(json_agg(json_build_object('id', e.id::text, 'stage', e.stage, 'occurred_on', e.occurred_on::text,
                 'recorded_by_name', u.display_name, 'created_at', e.created_at) order by e.occurred_on, e.id), '[]')::text
         from member_stage_events e left join users u on u.id = e.recorded_by where e.member_id = m.id) as events
    from members m join orgs o on o.id = m.org_id
    where m.id = ${id} and ${visibleMembers(actor)}`);
  if (!row) throw notFound('member.not_found');
  const events = JSON.parse(row.events) as { id: string; stage: MemberStage; occurred_on: string; recorded_by_name: string | null; created_at: string }[];
  const dates = stageDatesOf(row);
  const next = row.left_at ? { stage: null, earliest: null } : nextStep(row.stage, dates);
  const member = { id: row.id, orgPath: row.org_path };
  return {
    ...toMember(row),
    orgPath: row.org_path,
    appliedOn: row.applied_on,
    activistOn: row.activist_on,
    candidateOn: row.candidate_on,
    leftOn: row.left_on,
    leftReason: row.left_reason,
    leftNote: row.left_note,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    stageHistory: events.map((e) => ({ id: e.id, stage: e.stage, occurredOn: e.occurred_on, recordedByName: e.recorded_by_name, recordedAt: iso(e.created_at) })),
    nextStage: next.stage,
    nextStageEarliest: next.earliest,
    canManage: canManageMember(actor, member),
    canReveal: canRevealMember(actor, member),
  };
}


/** The full ID or phone number, for the member's org admins and the member themself; each look is audited. */
export async function revealPersonalData(db: Db, actor: Actor, cipher: PersonalDataCipher, id: string, input: Reveal): Promise<Revealed> {
  return db.transaction(async (tx) => {
    const result = await tx.execute<Row<{ id: string; org_path: string; id_number_enc: string | null; phone_enc: string | null }>>(sql`
      select m.id::text, m.org_path::text, m.id_number_enc, m.phone_enc from members m where m.id = ${id} and ${visibleMembers(actor)}`);
    const row = result.rows[0];
    if (!row || !canRevealMember(actor, { id: row.id, orgPath: row.org_path })) throw notFound('member.not_found');
    const sealed = input.field === 'idNumber' ? row.id_number_enc : row.phone_enc;
    await audit(tx, actor, {
      action: input.field === 'idNumber' ? 'member.reveal_id_number' : 'member.reveal_phone',
      targetType: 'member', targetId: id, orgPath: row.org_path, detail: { field: input.field, self: actor.memberId === id },
    });
    return { value: sealed ? cipher.decrypt(sealed) : null };
  });
}
