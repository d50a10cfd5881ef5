import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, Pagination, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { ListPage, ListSummary, TemplatePage } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

const PAGE_SIZE = 20;

/**
 * 责任清单进度: one row per owner (org, or member for 党员 lists) with its figures; the overdue figure
 * opens the overdue items of that list, whose total it is (the same query on the server).
 */
export default function ProgressPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const templateId = params.get('templateId') ?? undefined;
  const overdue = params.get('overdue') === 'true';
  const page = Number(params.get('page') ?? 1) || 1;
  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  const templates = useQuery({ queryKey: ['responsibility', 'templates', 'all'], queryFn: () => api.get<TemplatePage>('/responsibility/templates', { pageSize: 200 }) });
  const lists = useQuery({
    queryKey: ['responsibility', 'lists', templateId, overdue, page],
    queryFn: () => api.get<ListPage>('/responsibility/lists', { templateId, overdue: overdue ? 'true' : undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="responsibility-progress">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('resp.progress_title')}</Typography.Title>
      <Space wrap>
        <Select aria-label={t('resp.filter_template')} placeholder={t('resp.filter_template')} allowClear style={{ minWidth: 260, maxWidth: '100%' }} value={templateId}
          onChange={(v: string | undefined) => set({ templateId: v })}
          options={(templates.data?.items ?? []).map((tpl) => ({ value: tpl.id, label: `${tpl.year} ${tpl.title}` }))} />
        <label style={{ display: 'inline-flex', gap: 8, alignItems: 'center' }}>
          <Switch checked={overdue} onChange={(v) => set({ overdue: v ? 'true' : undefined })} aria-label={t('resp.only_overdue')} />
          {t('resp.only_overdue')}
        </label>
      </Space>
      <QueryState isLoading={lists.isLoading} error={lists.error} retry={() => void lists.refetch()}>
        {(lists.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('resp.no_lists')} /></Card> : (
          <Table<ListSummary> rowKey="id" size="small" dataSource={lists.data?.items ?? []} pagination={false} scroll={{ x: true }} data-testid="responsibility-lists"
            columns={[
              {
                title: t('resp.owner'), key: 'owner',
                render: (_: unknown, l) => <Link to={`/responsibility/lists/${l.id}`}>{l.memberName ? `${l.memberName}（${l.orgName}）` : l.orgName}</Link>,
              },
              { title: t('resp.title'), key: 'title', render: (_: unknown, l) => <Space wrap size={4}><span>{l.title}</span><Tag>{t(`resp.level.${l.level}`)}</Tag></Space> },
              { title: t('resp.items'), dataIndex: 'itemCount' },
              { title: t('resp.reported'), dataIndex: 'reportedCount' },
              { title: t('resp.closed'), dataIndex: 'closedCount' },
              {
                title: t('resp.overdue'), key: 'overdue',
                render: (_: unknown, l) => l.overdueCount > 0
                  ? <Link to={`/responsibility/items?listId=${l.id}&overdue=true`}><Tag color="error">{t('resp.overdue_n', { n: l.overdueCount })}</Tag></Link>
                  : <span>0</span>,
              },
              { title: '', key: 'status', render: (_: unknown, l) => <Tag color={l.status === 'closed' ? 'success' : 'processing'}>{t(`resp.list_status.${l.status}`)}</Tag> },
            ]} />
        )}
        {(lists.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={lists.data?.total ?? 0} onChange={(p) => set({ page: String(p) })} />}
      </QueryState>
    </Space>
  );
}
