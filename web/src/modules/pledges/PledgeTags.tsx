import { Tag } from 'antd';
import type { PledgePhase, PledgeStatus, Satisfaction } from '../../../../contracts/pledges.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<PledgeStatus, string> = { draft: 'default', submitted: 'processing', returned: 'warning', published: 'success' };
const PHASE_COLORS: Record<PledgePhase, string> = { before: 'default', pledge: 'red', fulfil: 'orange', review: 'blue', ended: 'default' };

export function PledgeStatusTag({ status }: { status: PledgeStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`pledge.status.${status}`)}</Tag>;
}

export function PhaseTag({ phase }: { phase: PledgePhase }) {
  const t = useT();
  return <Tag color={PHASE_COLORS[phase]}>{t(`pledge.phase.${phase}`)}</Tag>;
}

/** 满意率 with the number of ratings behind it. */
export function SatisfactionText({ satisfaction }: { satisfaction: Satisfaction }) {
  const t = useT();
  return <span>{satisfaction.rate == null ? '—' : `${satisfaction.rate}%`}（{t('pledge.satisfaction_count', { count: satisfaction.total })}）</span>;
}
