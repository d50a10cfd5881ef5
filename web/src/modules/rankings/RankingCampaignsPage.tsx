import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Grid, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { RankingCampaignPage, RankingCampaignSummary } from '../../../../contracts/rankings.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';

/** The 赛马 campaigns of the orgs the viewer runs. */
export default function RankingCampaignsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: 20 };
  const list = useQuery({ queryKey: ['rankings', 'campaigns', query], queryFn: () => api.get<RankingCampaignPage>('/rankings/campaigns', query), placeholderData: keepPreviousData });
  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.rankings')}</h1>}
      extra={<Link to="/rankings/new"><Button type="primary" icon={<PlusOutlined />} data-testid="ranking-new">{t('ranking.create')}</Button></Link>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Table<RankingCampaignSummary>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('ranking.none') }} data-testid="ranking-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('ranking.name'), dataIndex: 'name', render: (name: string, c) => <Link to={`/rankings/campaigns/${c.id}`}>{name}</Link> },
          { title: t('ranking.year'), dataIndex: 'year', width: 80 },
          { title: t('ranking.period_kind'), dataIndex: 'periodKind', width: 90, render: (k: string) => t(`ranking.period_kind.${k as 'monthly'}`) },
          { title: t('ranking.org'), dataIndex: 'orgName', responsive: ['md'] },
          { title: t('ranking.published_periods'), dataIndex: 'publishedPeriods', width: 110, responsive: ['sm'] },
        ]}
      />
    </Card>
  );
}
