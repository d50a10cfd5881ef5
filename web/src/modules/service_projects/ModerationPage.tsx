import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Card, Rate, Segmented, Space, Table, Tabs, Typography } from 'antd';
import type { FeedbackPage, Moderate } from '../../../../contracts/service_projects.js';
import type { WishPage } from '../../../../contracts/micro_wishes.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { WishModerationList } from '../micro_wishes/WishModerationList.js';

type FeedbackStatus = 'pending' | 'approved' | 'rejected';
type Feedback = FeedbackPage['items'][number];

/**
 * What citizens submit without an account is seen by no one until an admin of the org approves it:
 * ratings and comments on projects, and micro-wishes.
 */
export default function ModerationPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'feedback' ? 'feedback' : 'wishes';
  const pendingWishes = useQuery({ queryKey: ['micro-wishes', 'list', { status: 'pending_review', count: true }], queryFn: () => api.get<WishPage>('/micro-wishes', { status: 'pending_review', pageSize: 1 }) });
  const pendingFeedback = useQuery({ queryKey: ['service-projects', 'feedback', { status: 'pending', count: true }], queryFn: () => api.get<FeedbackPage>('/service-projects/feedback', { status: 'pending', pageSize: 1 }) });
  return (
    <Card title={t('menu.service_moderation')} data-testid="moderation-page">
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'wishes' ? {} : { tab: key }, { replace: true })}
        items={[
          { key: 'wishes', label: <Badge count={pendingWishes.data?.total ?? 0} size="small" offset={[10, 0]}>{t('service.wishes_tab')}</Badge>, children: <WishModerationList /> },
          { key: 'feedback', label: <Badge count={pendingFeedback.data?.total ?? 0} size="small" offset={[10, 0]}>{t('service.feedback_tab')}</Badge>, children: <FeedbackQueue /> },
        ]}
      />
    </Card>
  );
}

function FeedbackQueue() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<FeedbackStatus>('pending');
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['service-projects', 'feedback', { status, page }],
    queryFn: () => api.get<FeedbackPage>('/service-projects/feedback', { status, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  const moderate = async (f: Feedback, decision: Moderate['decision']) => {
    setBusy(f.id);
    try {
      await api.post(`/service-projects/feedback/${f.id}/moderate`, { decision } satisfies Moderate);
      void message.success(decision === 'approve' ? t('service.approved') : t('service.rejected'));
      await queryClient.invalidateQueries({ queryKey: ['service-projects'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Segmented<FeedbackStatus> value={status} onChange={(v) => { setStatus(v); setPage(1); }}
        options={(['pending', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`service.feedback.${s}`) }))} />
      <Table<Feedback>
        rowKey="id" size="small" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('service.queue_empty') }}
        data-testid="feedback-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('service.feedback_project'), dataIndex: 'projectTitle', width: 200 },
          { title: t('service.feedback_rating'), dataIndex: 'rating', width: 140, render: (r: number) => <Rate disabled value={r} style={{ fontSize: 14 }} /> },
          { title: t('service.feedback_comment'), dataIndex: 'comment', render: (c: string | null) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{c ?? '—'}</Typography.Text> },
          { title: t('service.feedback_nickname'), dataIndex: 'nickname', width: 100, render: (n: string | null) => n ?? '—' },
          { title: t('service.feedback_time'), dataIndex: 'createdAt', width: 140, render: (v: string) => formatTime(v) },
          {
            title: t('common.actions'), key: 'actions', width: 160,
            render: (_: unknown, f) => f.status === 'pending' ? (
              <Space>
                <Button size="small" type="primary" loading={busy === f.id} onClick={() => void moderate(f, 'approve')}>{t('service.approve')}</Button>
                <Button size="small" danger disabled={busy === f.id} onClick={() => void moderate(f, 'reject')}>{t('service.reject')}</Button>
              </Space>
            ) : t(`service.feedback.${f.status}`),
          },
        ]}
      />
    </Space>
  );
}
