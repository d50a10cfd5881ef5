import { Tag } from 'antd';
import type { TransferStatus } from '../../../../contracts/transfers.js';
import { useT } from '../../platform/locale.js';

const colors: Record<TransferStatus, string> = { issued: 'processing', accepted: 'success', returned: 'error', cancelled: 'default' };

export function TransferStatusTag({ status }: { status: TransferStatus }) {
  const t = useT();
  return <Tag color={colors[status]} style={{ marginInlineEnd: 0 }}>{t(`transfer.status.${status}`)}</Tag>;
}
