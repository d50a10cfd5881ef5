import { Tag } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import type { WishStatus } from '../../../../contracts/micro_wishes.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<WishStatus, string> = {
  pending_review: 'gold', rejected: 'default', open: 'red', claimed: 'processing', fulfilled: 'cyan', confirmed: 'success',
};

export function WishStatusTag({ status }: { status: WishStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]} data-testid="wish-status">{t(`wish.status.${status}`)}</Tag>;
}

/** How long an open wish has waited: unclaimed wishes age visibly. */
export function WishAgeTag({ ageDays, isStale }: { ageDays: number | null; isStale: boolean }) {
  const t = useT();
  if (ageDays == null) return null;
  return (
    <Tag icon={<ClockCircleOutlined />} color={isStale ? 'error' : 'default'} data-testid="wish-age">
      {ageDays === 0 ? t('wish.age_today') : t('wish.age', { n: ageDays })}{isStale ? ` · ${t('wish.stale')}` : ''}
    </Tag>
  );
}
