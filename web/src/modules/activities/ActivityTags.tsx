import { Space, Tag } from 'antd';
import type { Activity, ActivityStatus, AttendanceState } from '../../../../contracts/activities.js';
import { useT } from '../../platform/locale.js';

const statusColors: Record<ActivityStatus, string> = { draft: 'default', published: 'processing', closed: 'success', cancelled: 'error' };
const attendanceColors: Record<AttendanceState, string> = { invited: 'default', registered: 'blue', leave: 'orange', present: 'success', late: 'gold', absent: 'error' };

export function ActivityStatusTag({ status }: { status: ActivityStatus }) {
  const t = useT();
  return <Tag color={statusColors[status]} style={{ marginInlineEnd: 0 }}>{t(`activity.status.${status}`)}</Tag>;
}

export function AttendanceTag({ state }: { state: AttendanceState }) {
  const t = useT();
  return <Tag color={attendanceColors[state]} style={{ marginInlineEnd: 0 }}>{t(`attendance.${state}`)}</Tag>;
}

/** 四落实: people, time, content, effect — green when recorded. */
export function FourEnsuredTags({ activity }: { activity: Pick<Activity, 'fourEnsured'> }) {
  const t = useT();
  const f = activity.fourEnsured;
  const rate = f.attendanceRate === null ? '' : ` ${Math.round(f.attendanceRate * 100)}%`;
  return (
    <Space size={4} wrap>
      <Tag color={f.people ? 'success' : 'warning'}>{t('activity.people')}{rate}</Tag>
      <Tag color={f.time ? 'success' : 'warning'}>{t('activity.time_ensured')}</Tag>
      <Tag color={f.content ? 'success' : 'warning'}>{t('activity.content')}</Tag>
      <Tag color={f.effect ? 'success' : 'warning'}>{t('activity.effect')}</Tag>
    </Space>
  );
}
