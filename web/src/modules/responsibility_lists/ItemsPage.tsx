import { Link, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Pagination, Space, Typography } from 'antd';
import type { Item, ItemPage, ListDetail } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ItemTags } from './ItemTags.js';

const PAGE_SIZE = 20;

/** A list's items (/responsibility/lists/:id), or the items a figure opens (/responsibility/items?listId=…&overdue=true). */
export default function ItemsPage() {
  const t = useT();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? 1) || 1;
  const list = useQuery({ queryKey: ['responsibility', 'list', id], queryFn: () => api.get<ListDetail>(`/responsibility/lists/${id}`), enabled: !!id });
  const filter = {
    listId: params.get('listId') ?? undefined, templateId: params.get('templateId') ?? undefined, overdue: params.get('overdue') ?? undefined, status: params.get('status') ?? undefined,
    // the 工作台's to-dos: an org's subtree, and the reported items waiting for its inspection
    orgId: params.get('orgId') ?? undefined, waiting: params.get('waiting') === 'inspection' ? 'inspection' : undefined,
  };
  const items = useQuery({
    queryKey: ['responsibility', 'items', filter, page],
    queryFn: () => api.get<ItemPage>('/responsibility/items', { ...filter, page, pageSize: PAGE_SIZE }),
    enabled: !id,
    placeholderData: keepPreviousData,
  });
  const query = id ? list : items;
  const rows: Item[] = id ? (list.data?.items ?? []) : (items.data?.items ?? []);
  const title = id ? (list.data ? `${list.data.memberName ? `${list.data.memberName}（${list.data.orgName}）` : list.data.orgName} · ${list.data.title}` : '') : t('resp.items_title');
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="responsibility-items">
      <Link to="/responsibility/lists">{t('resp.back')}</Link>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20, overflowWrap: 'anywhere' }}>{title}</Typography.Title>
      {!id && filter.overdue === 'true' && <Typography.Text type="danger">{t('resp.overdue_n', { n: items.data?.total ?? 0 })}</Typography.Text>}
      {!id && filter.waiting && <Typography.Text>{t('resp.waiting_inspection')}</Typography.Text>}
      {!id && <Typography.Text type="secondary" data-testid="responsibility-item-total">{t('common.total', { total: items.data?.total ?? 0 })}</Typography.Text>}
      <QueryState isLoading={query.isLoading} error={query.error} retry={() => void query.refetch()}>
        {rows.length === 0 ? <Card><Empty description={t('resp.no_items')} /></Card> : (
          <List bordered dataSource={rows} style={{ background: 'var(--ant-color-bg-container, #fff)' }}
            renderItem={(item) => (
              <List.Item>
                <Space orientation="vertical" size={2} style={{ minWidth: 0, width: '100%' }}>
                  <Link to={`/responsibility/items/${item.id}`} style={{ overflowWrap: 'anywhere' }}>{item.task}</Link>
                  <Space wrap size={[6, 4]}>
                    <ItemTags item={item} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('resp.deadline')} {item.deadline}{id ? '' : ` · ${item.memberName ?? item.orgName}`}
                    </Typography.Text>
                  </Space>
                </Space>
              </List.Item>
            )} />
        )}
        {!id && (items.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={items.data?.total ?? 0} onChange={(p) => { const next = new URLSearchParams(params); next.set('page', String(p)); setParams(next, { replace: true }); }} />
        )}
      </QueryState>
    </Space>
  );
}
