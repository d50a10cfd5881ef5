import { Tag } from 'antd';
import type { ObjectionStatus, PublicNoticeStatus } from '../../../../contracts/public_notices.js';
import { useT } from '../../platform/locale.js';

const statusColor: Record<PublicNoticeStatus, string> = { scheduled: 'default', open: 'processing', ended: 'default' };
const objectionColor: Record<ObjectionStatus, string> = { pending: 'warning', upheld: 'error', dismissed: 'success' };

export function NoticeStatusTag({ status }: { status: PublicNoticeStatus }) {
  const t = useT();
  return <Tag color={statusColor[status]} data-testid="notice-status">{t(`pn.status.${status}`)}</Tag>;
}

export function ObjectionStatusTag({ status }: { status: ObjectionStatus }) {
  const t = useT();
  return <Tag color={objectionColor[status]} data-testid="objection-status">{t(`pn.objection.${status}`)}</Tag>;
}
