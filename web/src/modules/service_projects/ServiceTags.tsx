import { Progress, Tag } from 'antd';
import type { ServiceStatus } from '../../../../contracts/service_projects.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<ServiceStatus, string> = { planned: 'default', in_progress: 'processing', done: 'success', stalled: 'warning' };

export function ServiceStatusTag({ status }: { status: ServiceStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`service.status.${status}`)}</Tag>;
}

/** Progress as a bar; a done project is green, an overdue one red. */
export function ServiceProgress({ progress, status, isOverdue, size = 'small' }: { progress: number; status: ServiceStatus; isOverdue?: boolean; size?: 'small' | 'default' }) {
  const t = useT();
  return (
    <Progress
      aria-label={t('service.progress')}
      percent={progress}
      size={size}
      status={status === 'done' ? 'success' : isOverdue ? 'exception' : 'normal'}
      style={{ minWidth: 100, margin: 0 }}
    />
  );
}
