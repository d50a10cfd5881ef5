// A member's own record: read it, and keep the contact and work details current.
import { sql } from 'drizzle-orm';
import type { MemberDetail, UpdateOwnProfile } from '../../../../contracts/members.js';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { audit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { PersonalDataCipher } from '../../platform/personal-data.js';
import { partialUpdate } from '../../platform/sql.js';
import { lockVisibleMember } from './member-record.js';
import { getMember } from './detail.js';
import { auditDetailOf, setProfile } from './service.js';

function ownMemberId(actor: Actor): string {
  if (!actor.memberId) throw notFound('member.no_profile');
  return actor.memberId;
}

export async function getOwnProfile(db: Db, actor: Actor): Promise<MemberDetail> {
  return getMember(db, actor, ownMemberId(actor));
}

/** A member updates their own contact and work details; identity and party record stay with the org. */
export async function updateOwnProfile(db: Db, actor: Actor, cipher: PersonalDataCipher, input: UpdateOwnProfile): Promise<MemberDetail> {
  const id = ownMemberId(actor);
  await db.transaction(async (tx) => {
    const current = await lockVisibleMember(tx, actor, id);
    if (current.left_at) throw conflict('member.has_left');
    const update = partialUpdate();
    setProfile(update.set, cipher, input);
    if (update.isEmpty) return;
    await tx.execute(sql`update members set ${update.toSql()}, updated_at = now() where id = ${id}`);
    await audit(tx, actor, { action: 'member.update_self', targetType: 'member', targetId: id, orgPath: current.org_path, detail: auditDetailOf(input) });
  });
  return getMember(db, actor, id);
}
