import { Tag, Tooltip } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import type { RankingPeriodStatus } from '../../../../contracts/rankings.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<RankingPeriodStatus, string> = { open: 'default', computed: 'blue', published: 'green' };

export function PeriodStatusTag({ status }: { status: RankingPeriodStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`ranking.status.${status}`)}</Tag>;
}

/** ↑ n, ↓ n, – (held), or nothing shown for a first ranking; the words are the arrow's name. */
export function Movement({ movement }: { movement: number | null }) {
  const t = useT();
  if (movement === null) return <span aria-label={t('ranking.new')} title={t('ranking.new')} style={{ color: '#8c8c8c' }}>·</span>;
  const label = movement > 0 ? t('ranking.up', { n: movement }) : movement < 0 ? t('ranking.down', { n: -movement }) : t('ranking.same');
  const color = movement > 0 ? '#cf1322' : movement < 0 ? '#237804' : '#595959';
  const icon = movement > 0 ? <ArrowUpOutlined /> : movement < 0 ? <ArrowDownOutlined /> : <MinusOutlined />;
  return (
    <Tooltip title={label}>
      <span role="img" aria-label={label} style={{ color, whiteSpace: 'nowrap' }} data-movement={movement}>{icon}{movement !== 0 && <span aria-hidden> {Math.abs(movement)}</span>}</span>
    </Tooltip>
  );
}
