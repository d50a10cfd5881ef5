import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Input, List, Space, Tag, Typography } from 'antd';
import type { z } from 'zod';
import type { MakeUpTaskPageSchema, MakeUpTaskSchema } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';

type MakeUpPage = z.infer<typeof MakeUpTaskPageSchema>;
type MakeUpTask = z.infer<typeof MakeUpTaskSchema>;

/** The viewer's own make-up study (补学): read the minutes or watch the recording, then confirm. */
export function MakeUpTaskList({ status, activityId }: { status?: 'open' | 'done'; activityId?: string }) {
  const t = useT();
  const tasks = useQuery({
    queryKey: ['activities', 'make-up', 'mine', status ?? 'all', activityId ?? ''],
    queryFn: () => api.get<MakeUpPage>('/make-up-tasks', { status, activityId, pageSize: 100 }),
  });
  return (
    <QueryState isLoading={tasks.isLoading} error={tasks.error} retry={() => void tasks.refetch()}>
      {!tasks.data?.items.length ? (activityId ? null : <Card><Empty description={t('activity.make_up_none')} /></Card>) : (
        <List dataSource={tasks.data.items} data-testid="make-up-list" renderItem={(task) => <CardItem key={task.id}><MakeUpCard task={task} showActivity={!activityId} /></CardItem>} />
      )}
    </QueryState>
  );
}

function MakeUpCard({ task, showActivity }: { task: MakeUpTask; showActivity: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  async function complete() {
    setSaving(true);
    try {
      await api.post(`/make-up-tasks/${task.id}/complete`, { note: note.trim() || undefined });
      message.success(t('activity.make_up_confirmed'));
      await queryClient.invalidateQueries({ queryKey: ['activities', 'make-up'] });
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="make-up-task" title={showActivity ? <Typography.Text strong>{t('activity.make_up')}</Typography.Text> : t('activity.make_up')}
      extra={task.status === 'done' ? <Tag color="success">{t('activity.make_up_finished')}</Tag> : <Tag color="warning">{t('activity.make_up_open')}</Tag>}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {showActivity && <Link to={`/me/activities/${task.activityId}`}><Typography.Text strong style={{ fontSize: 16 }}>{task.activityTitle}</Typography.Text></Link>}
        <Typography.Text type="secondary">{t(`activity.type.${task.activityType}`)} · {formatTime(task.startsAt)}</Typography.Text>
        <Typography.Text>{t('activity.make_up_reason', { reason: t(`attendance.${task.reason}`) })}</Typography.Text>
        {task.status === 'done' ? (
          <Typography.Text type="secondary">{formatTime(task.doneAt)}{task.note ? ` · ${task.note}` : ''}</Typography.Text>
        ) : (
          <>
            {showActivity && (
              <Link to={`/me/activities/${task.activityId}`}>{task.hasRecording ? t('activity.watch_recording') : t('activity.read_minutes')}</Link>
            )}
            <Input.TextArea rows={2} maxLength={2000} placeholder={t('activity.make_up_note')} value={note} onChange={(e) => setNote(e.target.value)} />
            <Button type="primary" block size="large" loading={saving} onClick={() => void complete()} data-testid="make-up-complete">{t('activity.make_up_done')}</Button>
          </>
        )}
      </Space>
    </Card>
  );
}
