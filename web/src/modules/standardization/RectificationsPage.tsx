import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Pagination, Segmented, Space, Typography } from 'antd';
import type { RectificationPage } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { RectificationCard } from './RectificationCard.js';

const PAGE_SIZE = 20;
type Filter = 'open' | 'closed' | 'all';

/** 整改任务: the tasks of the branches graded low in the viewer's scope, reported on and closed. */
export default function RectificationsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState(1);
  const status = (['open', 'closed', 'all'] as Filter[]).find((s) => s === params.get('status')) ?? 'open';
  const orgId = params.get('orgId');
  // the 工作台's to-do: open tasks past their deadline
  const overdue = params.get('overdue') === '1' ? '1' : undefined;
  const set = (key: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value); else next.delete(key);
    setParams(next, { replace: true });
    setPage(1);
  };
  const tasks = useQuery({
    queryKey: ['standardization', 'rectifications', status, orgId, overdue, page],
    queryFn: () => api.get<RectificationPage>('/standardization/rectifications', { status: status === 'all' ? undefined : status, orgId, overdue, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="standardization-rectifications">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('std.rectifications_title')}</Typography.Title>
      <Space wrap>
        <Segmented<Filter> value={status} onChange={(v) => set('status', v)}
          options={[{ value: 'open', label: t('std.task_open') }, { value: 'closed', label: t('std.task_closed') }, { value: 'all', label: t('std.view.all') }]} />
        <OrgTreeSelect aria-label={t('std.org_filter')} placeholder={t('std.org_filter')} value={orgId ?? undefined} onChange={(v) => set('orgId', v ?? null)} style={{ minWidth: 220, maxWidth: '100%' }} />
        {overdue && <Button size="small" onClick={() => set('overdue', null)}>{`${t('std.task_overdue')} · ${t('std.clear_filter')}`}</Button>}
      </Space>
      <QueryState isLoading={tasks.isLoading} error={tasks.error} retry={() => void tasks.refetch()}>
        <Typography.Text type="secondary" data-testid="standardization-task-total">{t('common.total', { total: tasks.data?.total ?? 0 })}</Typography.Text>
        {(tasks.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('std.no_tasks')} /></Card> : (
          <Space orientation="vertical" size={8} style={{ width: '100%' }}>
            {tasks.data?.items.map((task) => <RectificationCard key={task.id} task={task} showRound />)}
          </Space>
        )}
        {(tasks.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={tasks.data?.total ?? 0} onChange={setPage} />}
      </QueryState>
    </Space>
  );
}
