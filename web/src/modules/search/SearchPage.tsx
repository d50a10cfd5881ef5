import { useSearchParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Card, Empty, Input, Segmented, Space, Typography } from 'antd';
import { SearchSourceTypeSchema, type SearchHit, type SearchResult, type SearchSourceType } from '../../../../contracts/search.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState } from '../../platform/status.js';
import { SearchResults } from './SearchResults.js';

const TYPES = SearchSourceTypeSchema.options;

/** 搜索: notices, news, learning articles and courses the user may read, simplified or traditional alike. */
export default function SearchPage() {
  const t = useT();
  const { me } = useSession();
  const [params, setParams] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const type = TYPES.find((x) => x === params.get('type'));
  const set = (changes: Record<string, string | undefined>) => setParams(() => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    return next;
  }, { replace: true });
  const results = useInfiniteQuery({
    queryKey: ['search', q, type],
    queryFn: ({ pageParam }) => api.get<SearchResult>('/search', { q, type, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: [...q].length >= 2,
  });
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  // a member reads learning content in 我的学习; an administrator manages it
  const isMember = !!me?.user.memberId;
  const linkOf = (hit: SearchHit): string | null => {
    if (hit.sourceType === 'news') return `/news/${hit.sourceId}`;
    if (hit.sourceType === 'article') return isMember ? `/me/learning/articles/${hit.sourceId}` : '/learning';
    if (hit.sourceType === 'course') return isMember ? `/me/learning/courses/${hit.sourceId}` : '/learning';
    return `/me/notices/${hit.sourceId}`;
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 860 }} data-testid="search-page">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('search.title')}</Typography.Title>
      <Input.Search key={q} defaultValue={q} placeholder={t('search.placeholder')} aria-label={t('search.title')} allowClear enterButton size="large"
        onSearch={(v) => set({ q: v.trim() || undefined })} data-testid="search-input" />
      <div style={{ overflowX: 'auto' }}>
        <Segmented<SearchSourceType | 'all'> value={type ?? 'all'} onChange={(v) => set({ type: v === 'all' ? undefined : v })}
          options={[{ value: 'all', label: t('search.type.all') }, ...TYPES.map((x) => ({ value: x, label: t(`search.type.${x}`) }))]} />
      </div>
      {[...q].length < 2 ? <Card><Empty description={t('search.hint')} /></Card> : (
        <QueryState isLoading={results.isLoading} error={results.error} retry={() => void results.refetch()}>
          {items.length === 0 ? <Card><Empty description={t('search.none')} /></Card> : <SearchResults items={items} linkOf={linkOf} />}
          {results.hasNextPage && <Button block loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>{t('search.more')}</Button>}
        </QueryState>
      )}
    </Space>
  );
}
