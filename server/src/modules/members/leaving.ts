// Taking a person off the party roll.
import { sql } from 'drizzle-orm';
import { MEMBER_STAGES, STAGE_DATE_FIELD, type LeaveMember, type MemberDetail } from '../../../../contracts/members.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, forbidden, invalidField } from '../../platform/errors.js';
import { disableAccountsOfMember } from '../users/service.js';
import { stageDatesOf, lockManagedMember } from './member-record.js';
import { getMember } from './detail.js';

/**
 * Takes a person off the party roll (soft: the record and its history stay, lists skip it); their
 * linked accounts are disabled in the same transaction.
 */
export async function leaveMember(db: Db, actor: Actor, id: string, input: LeaveMember): Promise<MemberDetail> {
  await db.transaction(async (tx) => {
    const current = await lockManagedMember(tx, actor, id);
    if (current.left_at) throw conflict('member.already_left');
    // it would disable the actor's own account mid-request: another admin records it
    if (actor.memberId === id) throw forbidden('member.cannot_leave_self');
    if (input.date > todayInChina()) throw invalidField('date', 'member.date_in_future');
    const firstDate = STAGE_DATE_FIELDS_IN_ORDER.map((f) => stageDatesOf(current)[f]).find((d) => d) ?? current.birth_date;
    if (firstDate && input.date < firstDate) throw invalidField('date', 'member.left_before_record');
    const open = await tx.execute(sql`select 1 from transfers where member_id = ${id} and status = 'issued'`);
    if (open.rows.length > 0) throw conflict('member.transfer_open');
    await tx.execute(sql`update members set left_at = now(), left_on = ${input.date}::date, left_reason = ${input.reason}, left_note = ${input.note ?? null}, updated_at = now()
      where id = ${id}`);
    await audit(tx, actor, { action: 'member.leave', targetType: 'member', targetId: id, orgPath: current.org_path, detail: { ...input } });
    await disableAccountsOfMember(tx, actor, id, current.org_path);
  });
  return getMember(db, actor, id);
}

const STAGE_DATE_FIELDS_IN_ORDER = MEMBER_STAGES.map((s) => STAGE_DATE_FIELD[s]);
