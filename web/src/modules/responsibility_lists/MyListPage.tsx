import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Progress, Space, Typography } from 'antd';
import type { MyLists } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ItemTags } from './ItemTags.js';

/** 我的责任清单: a member's own 党员 lists, on a phone — each item opens to report progress with evidence. */
export default function MyListPage() {
  const t = useT();
  const lists = useQuery({ queryKey: ['responsibility', 'mine'], queryFn: () => api.get<MyLists>('/me/responsibility') });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-responsibility">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('resp.my_title')}</Typography.Title>
      <QueryState isLoading={lists.isLoading} error={lists.error} retry={() => void lists.refetch()}>
        {(lists.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('resp.my_none')} /></Card> : (lists.data?.items ?? []).map((list) => (
          <Card key={list.id} size="small" title={<h2 style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>{list.year} · {list.title}</h2>}>
            <Progress percent={list.itemCount ? Math.round((100 * list.closedCount) / list.itemCount) : 0} size="small" aria-label={t('resp.closed')} />
            <List size="small" dataSource={list.items}
              renderItem={(item) => (
                <List.Item>
                  <Space orientation="vertical" size={2} style={{ minWidth: 0, width: '100%' }}>
                    <Link to={`/me/responsibility/items/${item.id}`} style={{ overflowWrap: 'anywhere' }}>{item.task}</Link>
                    <Space wrap size={[6, 4]}>
                      <ItemTags item={item} />
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('resp.deadline')} {item.deadline}</Typography.Text>
                    </Space>
                  </Space>
                </List.Item>
              )} />
          </Card>
        ))}
      </QueryState>
    </Space>
  );
}
