import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Card, Empty, List, Pagination, Space, Tag, Typography } from 'antd';
import type { MyNotice, MyNoticePage } from '../../../../contracts/notices.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

/** The notices I was asked to read, on a phone: the unread first, each a card that opens it. */
export default function MyNoticesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const list = useQuery({
    queryKey: ['notices', 'mine', page],
    queryFn: () => api.get<MyNoticePage>('/me/notices', { page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-notices">
      <Space align="center" wrap>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_notices')}</Typography.Title>
        {!!list.data?.unread && <Badge count={t('notice.unread_count', { n: list.data.unread })} style={{ backgroundColor: '#c0161b' }} />}
      </Space>
      <QueryState isLoading={list.isLoading} error={list.error}>
        {list.data && list.data.items.length === 0 ? <Empty description={t('notice.none')} /> : (
          <List<MyNotice> dataSource={list.data?.items ?? []} split={false} renderItem={(n) => (
            <CardItem>
              <Link to={`/me/notices/${n.id}`} style={{ display: 'block', marginBottom: 12 }} data-testid="my-notice-item">
                <Card size="small" hoverable styles={{ body: { padding: 14 } }}>
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    <Space size={6} wrap>
                      {!n.readAt && <Tag color="red">{t('notice.new')}</Tag>}
                      {n.mustRead && <Tag color="orange">{t('notice.must_read')}</Tag>}
                      <Typography.Text strong style={{ fontSize: 16 }}>{n.title}</Typography.Text>
                    </Space>
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{n.excerpt}</Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                      {n.orgName} · {formatTime(n.publishedAt)}{n.mustRead && n.readDeadline ? ` · ${t('notice.deadline', { time: formatTime(n.readDeadline) })}` : ''}
                    </Typography.Text>
                  </Space>
                </Card>
              </Link>
            </CardItem>
          )} />
        )}
        {(list.data?.total ?? 0) > 20 && (
          <Pagination simple current={page} pageSize={20} total={list.data?.total ?? 0} onChange={(p) => setParams(p === 1 ? {} : { page: String(p) })} />
        )}
      </QueryState>
    </Space>
  );
}
