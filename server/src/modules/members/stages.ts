// The development pipeline (入党申请人 → 积极分子 → 发展对象 → 预备党员 → 正式党员), one step at a time.
import { sql } from 'drizzle-orm';
import {
  MEMBER_STAGES, STAGE_DATE_FIELD, addYears, type AdvanceStage, type MemberDetail, type MemberStage
} from '../../../../contracts/members.js';
import { todayInChina } from '../../../../contracts/china-time.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, invalidField } from '../../platform/errors.js';
import { STAGE_DATE_COLUMN, latestStepDate, lockManagedMember, stageDatesOf } from './member-record.js';
import { getMember } from './detail.js';

/**
 * Records the next step of the development pipeline. Refused, naming the field: a stage that is
 * not the next one (skipped, backwards, the same), a date before the previous step or in the
 * future, 发展对象 before a year as 积极分子, 转正 before a year of probation.
 */
export async function advanceStage(db: Db, actor: Actor, id: string, input: AdvanceStage): Promise<MemberDetail> {
  await db.transaction(async (tx) => {
    const current = await lockManagedMember(tx, actor, id);
    if (current.left_at) throw conflict('member.has_left');
    const from = MEMBER_STAGES.indexOf(current.stage);
    const to = MEMBER_STAGES.indexOf(input.stage);
    const stageName = (s: MemberStage) => `member_stage.${s}`;
    if (to === from) throw invalidField('stage', 'member.stage_same', { stage: stageName(current.stage) });
    if (to < from) throw invalidField('stage', 'member.stage_backwards', { from: stageName(current.stage), to: stageName(input.stage) });
    if (to > from + 1) throw invalidField('stage', 'member.stage_skipped', { next: stageName(MEMBER_STAGES[from + 1]!) });

    const dates = stageDatesOf(current);
    const previous = latestStepDate(current.stage, dates);
    if (input.date > todayInChina()) throw invalidField('date', 'member.date_in_future');
    if (previous && input.date < previous) throw invalidField('date', 'member.stage_date_before', { stage: stageName(current.stage), previous });
    if (input.stage === 'candidate' && dates.activistOn && input.date < addYears(dates.activistOn, 1)) {
      throw invalidField('date', 'member.candidate_too_early_since', { date: addYears(dates.activistOn, 1) });
    }
    if (input.stage === 'full' && dates.joinedOn && input.date < addYears(dates.joinedOn, 1)) {
      throw invalidField('date', 'member.conversion_too_early_since', { date: addYears(dates.joinedOn, 1) });
    }
    const column = sql.identifier(STAGE_DATE_COLUMN[STAGE_DATE_FIELD[input.stage]]);
    await tx.execute(sql`update members set stage = ${input.stage}, ${column} = ${input.date}::date, updated_at = now() where id = ${id}`);
    await tx.execute(sql`insert into member_stage_events (member_id, stage, occurred_on, recorded_by) values (${id}, ${input.stage}, ${input.date}::date, ${actor.userId})`);
    await audit(tx, actor, { action: 'member.advance_stage', targetType: 'member', targetId: id, orgPath: current.org_path, detail: { from: current.stage, to: input.stage, date: input.date } });
  });
  return getMember(db, actor, id);
}
