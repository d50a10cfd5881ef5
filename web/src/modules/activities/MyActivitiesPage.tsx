import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Empty, List, Segmented, Space, Tag, Typography } from 'antd';
import { EnvironmentOutlined, RightOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { InboxSchema, MakeUpTaskPageSchema } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ActivityStatusTag, AttendanceTag } from './ActivityTags.js';
import { MakeUpTaskList } from './MakeUpTasks.js';
import { CardItem } from '../../platform/CardItem.js';

type Inbox = z.infer<typeof InboxSchema>;
type MakeUpPage = z.infer<typeof MakeUpTaskPageSchema>;
type Tab = 'upcoming' | 'past' | 'make-up';

/**
 * 我的活动 on a phone first: the notices of the activities I am invited to (unread first), the past
 * ones, and the make-up study (补学) I owe. One column of cards, large touch targets, no tables.
 */
export default function MyActivitiesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = (['upcoming', 'past', 'make-up'] as const).find((v) => v === params.get('tab')) ?? 'upcoming';
  const [makeUpStatus, setMakeUpStatus] = useState<'open' | 'done'>('open');
  const inbox = useQuery({ queryKey: ['activities', 'inbox'], queryFn: () => api.get<Inbox>('/activities/inbox') });
  const openTasks = useQuery({ queryKey: ['activities', 'make-up', 'mine', 'open'], queryFn: () => api.get<MakeUpPage>('/make-up-tasks', { status: 'open', pageSize: 100 }) });
  const items = (inbox.data?.items ?? []).filter((i) => (tab === 'upcoming' ? i.status === 'published' : i.status === 'closed' || i.status === 'cancelled'));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-activities">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_activities')}</Typography.Title>
      <Segmented<Tab> block value={tab} onChange={(v) => setParams(v === 'upcoming' ? {} : { tab: v }, { replace: true })}
        options={[
          { value: 'upcoming', label: <Badge count={inbox.data?.unread ?? 0} size="small" offset={[8, -2]}>{t('activity.upcoming')}</Badge> },
          { value: 'past', label: t('activity.past') },
          { value: 'make-up', label: <Badge count={openTasks.data?.total ?? 0} size="small" offset={[8, -2]} data-testid="make-up-tab">{t('activity.make_up')}</Badge> },
        ]} />
      {tab === 'make-up' ? (
        <>
          <Segmented<'open' | 'done'> value={makeUpStatus} onChange={setMakeUpStatus}
            options={[{ value: 'open', label: t('activity.make_up_open') }, { value: 'done', label: t('activity.make_up_finished') }]} />
          <MakeUpTaskList status={makeUpStatus} />
        </>
      ) : (
        <QueryState isLoading={inbox.isLoading} error={inbox.error} retry={() => void inbox.refetch()}>
          {items.length === 0 ? <Card><Empty description={t('activity.none')} /></Card> : (
            <List
              dataSource={items}
              data-testid="my-activity-list"
              renderItem={(item) => (<CardItem>
                <Link to={`/me/activities/${item.activityId}`} style={{ display: 'block', marginBottom: 12, color: 'inherit' }}>
                  <Card size="small" hoverable styles={{ body: { padding: 14 } }}>
                    <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
                      <Space orientation="vertical" size={4} style={{ minWidth: 0 }}>
                        <Space size={6} wrap>
                          {!item.isRead && item.status === 'published' && <Badge status="error" />}
                          <Typography.Text strong style={{ fontSize: 16 }}>{item.title}</Typography.Text>
                        </Space>
                        <Typography.Text type="secondary">{t(`activity.type.${item.type}`)} · {item.orgName}</Typography.Text>
                        <Typography.Text>{formatTime(item.startsAt)}</Typography.Text>
                        {item.place && <Typography.Text type="secondary"><EnvironmentOutlined /> {item.place}</Typography.Text>}
                        <Space size={4} wrap>
                          <ActivityStatusTag status={item.status} />
                          <AttendanceTag state={item.myState} />
                        </Space>
                      </Space>
                      <RightOutlined style={{ color: '#bbb', marginTop: 4 }} />
                    </Space>
                  </Card>
                </Link></CardItem>
              )}
            />
          )}
        </QueryState>
      )}
      {tab !== 'make-up' && !!openTasks.data?.total && (
        <Tag color="warning" style={{ whiteSpace: 'normal' }} onClick={() => setParams({ tab: 'make-up' })}>{t('activity.make_up')} · {openTasks.data.total}</Tag>
      )}
    </Space>
  );
}
