import { Tag } from 'antd';
import type { Org, OrgType } from '../../../../contracts/orgs.js';
import { useT } from '../../platform/locale.js';

const typeColors: Record<OrgType, string> = {
  work_committee: 'red',
  party_committee: 'volcano',
  organ_committee: 'orange',
  general_branch: 'gold',
  branch: 'blue',
  group: 'cyan',
  temporary_branch: 'purple',
};

export function OrgTypeTag({ type }: { type: OrgType }) {
  const t = useT();
  return <Tag color={typeColors[type]} style={{ marginInlineEnd: 0 }}>{t(`org_type.${type}`)}</Tag>;
}

/** 换届 reminders: overdue (term ended) in red, due (within 90 days) in orange. */
export function ElectionBadge({ org }: { org: Pick<Org, 'isElectionDue' | 'isElectionOverdue' | 'dissolvedAt'> }) {
  const t = useT();
  if (org.dissolvedAt) return <Tag>{t('org.dissolved')}</Tag>;
  if (org.isElectionOverdue) return <Tag color="error" data-testid="election-overdue">{t('org.election_overdue')}</Tag>;
  if (org.isElectionDue) return <Tag color="warning" data-testid="election-due">{t('org.election_due')}</Tag>;
  return null;
}
