import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Pagination, Select, Space, Typography } from 'antd';
import type { NewsColumnList, NewsItemPage } from '../../../../contracts/news.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';

const PAGE_SIZE = 10;

/** 资讯 as a reader sees it (phone first): the published items of the columns on the reader's path, newest first. */
export default function NewsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const columnId = params.get('column') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const columns = useQuery({ queryKey: ['news', 'columns'], queryFn: () => api.get<NewsColumnList>('/news/columns') });
  const items = useQuery({
    queryKey: ['news', 'items', 'published', columnId, page],
    queryFn: () => api.get<NewsItemPage>('/news/items', { view: 'published', columnId, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const set = (changes: Record<string, string | undefined>) => setParams(() => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    return next;
  }, { replace: true });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="news-page">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('news.title')}</Typography.Title>
      <Select aria-label={t('news.column_filter')} style={{ width: '100%', maxWidth: 320 }} value={columnId ?? ''} loading={columns.isLoading}
        onChange={(v) => set({ column: v || undefined, page: undefined })}
        options={[{ value: '', label: t('news.all_columns') }, ...(columns.data?.items ?? []).filter((c) => !c.archived).map((c) => ({ value: c.id, label: `${c.name}（${c.orgName}）` }))]} />
      <QueryState isLoading={items.isLoading} error={items.error} retry={() => void items.refetch()}>
        {(items.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('news.none')} /></Card> : (
          <List dataSource={items.data?.items ?? []} data-testid="news-list" renderItem={(item) => (
            <CardItem>
              <Card size="small" style={{ marginBottom: 8 }}>
              <Link to={`/news/${item.id}`} style={{ display: 'flex', gap: 12, alignItems: 'flex-start', minWidth: 0 }}>
                {item.coverUrl && <img src={item.coverUrl} alt="" style={{ width: 96, height: 64, objectFit: 'cover', borderRadius: 4, flexShrink: 0 }} />}
                <span style={{ minWidth: 0 }}>
                  <Typography.Text strong style={{ display: 'block', overflowWrap: 'anywhere' }}>{item.title}</Typography.Text>
                  {item.summary && <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{item.summary}</Typography.Paragraph>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{item.columnName} · {formatTime(item.publishedAt)}</Typography.Text>
                </span>
              </Link>
              </Card>
            </CardItem>
          )} />
        )}
        {(items.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={items.data?.total ?? 0} onChange={(p) => set({ page: String(p) })} />
        )}
      </QueryState>
    </Space>
  );
}
