import { Tag } from 'antd';
import type { ProcedureStatus } from '../../../../contracts/elections.js';
import { useT } from '../../platform/locale.js';

const colors: Record<ProcedureStatus, string> = { in_progress: 'processing', completed: 'success', cancelled: 'default' };

export function ProcedureStatusTag({ status }: { status: ProcedureStatus }) {
  const t = useT();
  return <Tag color={colors[status]}>{t(`election.status.${status}`)}</Tag>;
}
