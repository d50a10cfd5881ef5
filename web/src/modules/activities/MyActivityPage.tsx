import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import type { Activity } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ActivityStatusTag } from './ActivityTags.js';
import { Attachments, isSafeUrl } from './Attachments.js';
import { MakeUpTaskList } from './MakeUpTasks.js';
import { MyParticipation } from './MyParticipation.js';

const pre = { whiteSpace: 'pre-wrap', marginBottom: 0 } as const;

/** An activity as the invited member sees it on a phone: the notice, their part, and afterwards the record (for 补学). */
export default function MyActivityPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const activity = useQuery({ queryKey: ['activities', id], queryFn: () => api.get<Activity>(`/activities/${id}`) });
  const a = activity.data;
  const markedRead = useRef(false);
  useEffect(() => {
    // opening the notice is reading it (the organizer sees who has read it)
    if (!a || a.myState === null || markedRead.current) return;
    markedRead.current = true;
    void api.post(`/activities/${a.id}/read`).then(() => queryClient.invalidateQueries({ queryKey: ['activities', 'inbox'] })).catch(() => undefined);
  }, [a, queryClient]);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['activities'] });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-activity">
      <Link to="/me/activities"><Button type="link" icon={<LeftOutlined />} style={{ paddingInline: 0 }}>{t('activity.back_to_mine')}</Button></Link>
      <QueryState isLoading={activity.isLoading} error={activity.error} retry={() => void activity.refetch()}>
        {a && (
          <>
            <Card>
              <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                <Space wrap><ActivityStatusTag status={a.status} /><Typography.Text type="secondary">{t(`activity.type.${a.type}`)}</Typography.Text></Space>
                <Typography.Title level={4} style={{ margin: 0 }} data-testid="activity-title">{a.title}</Typography.Title>
                {a.status === 'cancelled' && <Alert type="warning" showIcon message={t('activity.cancelled_because', { reason: a.cancelReason ?? '' })} />}
                <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 64 } }}>
                  <Descriptions.Item label={t('activity.time')}>{formatTime(a.startsAt)} – {formatTime(a.endsAt).slice(11)}</Descriptions.Item>
                  <Descriptions.Item label={t('activity.place')}>{a.place ?? '—'}</Descriptions.Item>
                  <Descriptions.Item label={t('activity.org')}>{a.orgName}</Descriptions.Item>
                  {a.hostName && <Descriptions.Item label={t('activity.host')}>{a.hostName}</Descriptions.Item>}
                  {a.streamUrl && <Descriptions.Item label={t('activity.stream_url')}>{isSafeUrl(a.streamUrl) ? <a href={a.streamUrl} target="_blank" rel="noreferrer">{a.streamUrl}</a> : a.streamUrl}</Descriptions.Item>}
                  {a.topic && <Descriptions.Item label={t('activity.topic')}>{a.topic}</Descriptions.Item>}
                </Descriptions>
                {a.agenda && <><Typography.Text strong>{t('activity.agenda')}</Typography.Text><Typography.Paragraph style={pre}>{a.agenda}</Typography.Paragraph></>}
              </Space>
            </Card>
            {a.myState !== null && a.status !== 'cancelled' && <MyParticipation activity={a} onChange={refresh} />}
            {a.myState !== null && <MakeUpTaskList activityId={a.id} />}
            {(a.minutes || a.resolutions || a.summary || a.recordingUrl || a.attachments.length > 0 || a.files.length > 0) && (
              <Card title={t('activity.record')} data-testid="activity-record">
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  {a.recordingUrl && isSafeUrl(a.recordingUrl) && <a href={a.recordingUrl} target="_blank" rel="noreferrer">{t('activity.watch_recording')}</a>}
                  {a.minutes && <><Typography.Text strong>{t('activity.minutes')}</Typography.Text><Typography.Paragraph style={pre}>{a.minutes}</Typography.Paragraph></>}
                  {a.resolutions && <><Typography.Text strong>{t('activity.resolutions')}</Typography.Text><Typography.Paragraph style={pre}>{a.resolutions}</Typography.Paragraph></>}
                  {a.summary && <><Typography.Text strong>{t('activity.summary')}</Typography.Text><Typography.Paragraph style={pre}>{a.summary}</Typography.Paragraph></>}
                  <Attachments items={a.attachments} files={a.files} />
                </Space>
              </Card>
            )}
          </>
        )}
      </QueryState>
    </Space>
  );
}
