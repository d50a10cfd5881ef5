import { Link, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Badge, Card, Empty, List, Segmented, Space, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import type { Wish, WishPage } from '../../../../contracts/micro_wishes.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { WishAgeTag, WishStatusTag } from './WishTags.js';
import { CardItem } from '../../platform/CardItem.js';

type Tab = 'open' | 'mine';

/**
 * 微心愿 for a member on a phone: the open wishes of the own tree, the longest-waiting first, and
 * the ones I claimed. One column of cards, large touch targets.
 */
export default function MyWishesPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'mine' ? 'mine' : 'open';
  const open = useQuery({ queryKey: ['micro-wishes', 'list', { status: 'open' }], queryFn: () => api.get<WishPage>('/micro-wishes', { status: 'open', pageSize: 100 }) });
  const mine = useQuery({ queryKey: ['micro-wishes', 'list', { mine: 1 }], queryFn: () => api.get<WishPage>('/micro-wishes', { mine: 1, pageSize: 100 }) });
  const current = tab === 'open' ? open : mine;
  const serving = (mine.data?.items ?? []).filter((w) => w.status === 'claimed').length;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-wishes">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_wishes')}</Typography.Title>
      <Segmented<Tab> block value={tab} onChange={(v) => setParams(v === 'open' ? {} : { tab: v }, { replace: true })}
        options={[
          { value: 'open', label: <Badge count={open.data?.total ?? 0} size="small" offset={[8, -2]} color="#c0161b">{t('wish.open_tab')}</Badge> },
          { value: 'mine', label: <Badge count={serving} size="small" offset={[8, -2]}>{t('wish.mine_tab')}</Badge> },
        ]} />
      <QueryState isLoading={current.isLoading} error={current.error} retry={() => void current.refetch()}>
        {(current.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('wish.none')} /></Card> : (
          <List dataSource={current.data?.items ?? []} data-testid="wish-list" renderItem={(w) => <CardItem><WishCard wish={w} /></CardItem>} />
        )}
      </QueryState>
    </Space>
  );
}

function WishCard({ wish: w }: { wish: Wish }) {
  return (
    <Link to={`/service/my-wishes/${w.id}`} style={{ display: 'block', marginBottom: 12, color: 'inherit' }} data-testid={`wish-card-${w.id}`}>
      <Card size="small" hoverable styles={{ body: { padding: 14 } }}>
        <Space align="start" style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space orientation="vertical" size={4} style={{ minWidth: 0 }}>
            <Typography.Text strong style={{ fontSize: 16 }}>{w.title}</Typography.Text>
            <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{w.content}</Typography.Paragraph>
            {w.communityName && <Typography.Text type="secondary">{w.communityName}</Typography.Text>}
            <Space size={4} wrap>
              <WishStatusTag status={w.status} />
              <WishAgeTag ageDays={w.ageDays} isStale={w.isStale} />
            </Space>
          </Space>
          <RightOutlined style={{ color: '#bbb', marginTop: 4 }} />
        </Space>
      </Card>
    </Link>
  );
}
