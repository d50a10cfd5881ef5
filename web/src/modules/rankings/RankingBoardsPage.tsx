import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Grid, List, Typography } from 'antd';
import type { PublishedBoardPage } from '../../../../contracts/rankings.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';

/** 对表晒绩: the published boards of the campaigns the viewer's orgs take part in, newest first. */
export default function RankingBoardsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: 20 };
  const list = useQuery({ queryKey: ['rankings', 'boards', query], queryFn: () => api.get<PublishedBoardPage>('/rankings/boards', query), placeholderData: keepPreviousData });
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.ranking_boards')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <List
        loading={list.isFetching} dataSource={list.data?.items ?? []} locale={{ emptyText: t('ranking.boards_none') }} data-testid="ranking-boards"
        pagination={list.data && list.data.total > 20 ? { current: page, pageSize: 20, total: list.data.total, onChange: (p) => set({ page: String(p) }) } : false}
        renderItem={(b) => (
          <List.Item>
            <List.Item.Meta
              title={<Link to={`/rankings/periods/${b.periodId}/board`}>{b.campaignName} · {b.label}</Link>}
              description={<Typography.Text type="secondary">{b.orgName} · {t('ranking.published_at')} {formatTime(b.publishedAt)}</Typography.Text>}
            />
          </List.Item>
        )}
      />
    </Card>
  );
}
