import { Progress, Tag } from 'antd';
import type { NoticeStatus } from '../../../../contracts/notices.js';
import { useT } from '../../platform/locale.js';

const COLORS: Record<NoticeStatus, string> = { draft: 'default', scheduled: 'processing', published: 'success', withdrawn: 'warning' };

export function NoticeStatusTag({ status }: { status: NoticeStatus }) {
  const t = useT();
  return <Tag color={COLORS[status]}>{t(`notice.status.${status}`)}</Tag>;
}

/** Read rate as a bar with the counts beside it (the counts, not only a colour, carry the figure). */
export function ReadRate({ read, recipients }: { read: number; recipients: number }) {
  const t = useT();
  const percent = recipients ? Math.round((read / recipients) * 100) : 0;
  return (
    <span style={{ display: 'inline-flex', alignItems: 'center', gap: 8, minWidth: 0 }}>
      <Progress percent={percent} size="small" showInfo={false} style={{ width: 64, margin: 0 }} aria-hidden />
      <span>{t('notice.read_count', { read, recipients })}</span>
    </span>
  );
}
