import { useNavigate, useSearchParams } from 'react-router';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Badge, Button, Card, Empty, List, Segmented, Select, Space, Tag, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import { INBOX_KINDS, type InboxItem, type InboxKind, type InboxPage } from '../../../../contracts/inbox.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';

const PAGE_SIZE = 20;
const KIND_COLORS: Record<InboxKind, string> = { notice: 'red', notice_reminder: 'volcano', activity: 'blue', exam: 'purple', reminder: 'gold' };

/**
 * 我的消息 on a phone first: notices, activity notifications, exam openings and reminders, newest first.
 * Opening an item marks it read and goes where it is acted on; the header's bell counts the unread.
 */
export default function InboxPage() {
  const t = useT();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const unreadOnly = params.get('unread') === 'true';
  const kind = INBOX_KINDS.find((k) => k === params.get('kind'));
  const setFilter = (next: { unread?: boolean; kind?: InboxKind }) => {
    const merged = { unread: unreadOnly, kind, ...next };
    const search: Record<string, string> = {};
    if (merged.unread) search.unread = 'true';
    if (merged.kind) search.kind = merged.kind;
    setParams(search, { replace: true });
  };

  const list = useInfiniteQuery({
    queryKey: ['inbox', 'list', { unreadOnly, kind }],
    queryFn: ({ pageParam }) => api.get<InboxPage>('/inbox', { unread: unreadOnly ? 'true' : undefined, kind, before: pageParam, limit: PAGE_SIZE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['inbox'] });

  const markRead = useMutation({ mutationFn: (id: string) => api.post<InboxItem>(`/inbox/${id}/read`), onSuccess: refresh });
  const readAll = useMutation({
    mutationFn: () => api.post<{ marked: number }>('/inbox/read-all', kind ? { kind } : {}),
    onSuccess: async (r) => {
      void message.success(t('inbox.read_all_done', { n: r.marked }));
      await refresh();
    },
  });

  const open = async (item: InboxItem) => {
    if (!item.readAt) await markRead.mutateAsync(item.id).catch(() => undefined);
    void navigate(item.link);
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="inbox-page">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('inbox.title')}</Typography.Title>
        <Button onClick={() => readAll.mutate()} loading={readAll.isPending} data-testid="inbox-read-all">{t('inbox.read_all')}</Button>
      </Space>
      <Segmented<'all' | 'unread'> block value={unreadOnly ? 'unread' : 'all'} onChange={(v) => setFilter({ unread: v === 'unread' })}
        options={[{ value: 'all', label: t('inbox.all') }, { value: 'unread', label: <span data-testid="inbox-filter-unread">{t('inbox.unread')}</span> }]} />
      <Select<InboxKind | 'all'> value={kind ?? 'all'} onChange={(v) => setFilter({ kind: v === 'all' ? undefined : v })} style={{ width: '100%' }}
        aria-label={t('inbox.kind_filter')} data-testid="inbox-kind"
        options={[{ value: 'all', label: t('inbox.kind.all') }, ...INBOX_KINDS.map((k) => ({ value: k, label: t(`inbox.kind.${k}`) }))]} />
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {items.length === 0 ? <Card><Empty description={t(unreadOnly ? 'inbox.none_unread' : 'inbox.none')} /></Card> : (
          <List
            dataSource={items}
            data-testid="inbox-list"
            renderItem={(item) => (
              <CardItem>
                <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="inbox-item">
                  <Space orientation="vertical" size={6} style={{ width: '100%', minWidth: 0 }}>
                    <Space size={6} wrap>
                      {!item.readAt && <Badge status="error" text={t('inbox.new')} />}
                      <Tag color={KIND_COLORS[item.kind]}>{t(`inbox.kind.${item.kind}`)}</Tag>
                      <Typography.Text type="secondary">{formatTime(item.createdAt)}</Typography.Text>
                    </Space>
                    <Typography.Text strong={!item.readAt} style={{ fontSize: 16, overflowWrap: 'anywhere' }}>{item.title}</Typography.Text>
                    {item.body && <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>{item.body}</Typography.Text>}
                    <Space style={{ width: '100%', justifyContent: 'flex-end' }} wrap>
                      {item.readAt
                        ? <Typography.Text type="secondary">{t('inbox.is_read')}</Typography.Text>
                        : <Button size="middle" onClick={() => markRead.mutate(item.id)} data-testid="inbox-mark-read">{t('inbox.mark_read')}</Button>}
                      <Button type="primary" size="middle" onClick={() => void open(item)} data-testid="inbox-open"
                        aria-label={`${t('inbox.open')}：${item.title}`}>
                        {t('inbox.open')} <RightOutlined />
                      </Button>
                    </Space>
                  </Space>
                </Card>
              </CardItem>
            )}
          />
        )}
        {list.hasNextPage && (
          <Button block onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="inbox-more">{t('inbox.more')}</Button>
        )}
      </QueryState>
    </Space>
  );
}
