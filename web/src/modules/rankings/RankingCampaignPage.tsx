import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Grid, Popconfirm, Space, Table, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined } from '@ant-design/icons';
import type { PeerGroup, RankingCampaign, RankingDimension, RankingPeriod } from '../../../../contracts/rankings.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { PeriodStatusTag } from './RankingTags.js';

/** One campaign: its dimensions, peer groups and periods, each period opening its scoring and its board. */
export default function RankingCampaignPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { id = '' } = useParams();
  const campaign = useQuery({ queryKey: ['rankings', 'campaign', id], queryFn: () => api.get<RankingCampaign>(`/rankings/campaigns/${id}`) });
  const c = campaign.data;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  // the server is the guard; these follow its rules: set-up changes until a period is computed, deletion until one is published
  const isEditable = c?.periods.every((p) => p.status === 'open') ?? false;
  const isDeletable = c?.periods.every((p) => p.status !== 'published') ?? false;
  const remove = async () => {
    try {
      await api.delete(`/rankings/campaigns/${id}`);
      queryClient.removeQueries({ queryKey: ['rankings', 'campaign', id] });
      void queryClient.invalidateQueries({ queryKey: ['rankings', 'campaigns'] });
      void message.success(t('ranking.deleted'));
      void navigate('/rankings');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const size = screens.md ? 'middle' : 'small';
  return (
    <QueryState isLoading={campaign.isLoading} error={campaign.error}>
      {c && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }} data-testid="ranking-title">{c.name}</Typography.Title>}
            extra={
              <Space wrap>
                {isEditable && <Link to={`/rankings/campaigns/${c.id}/edit`}><Button icon={<EditOutlined />}>{t('ranking.edit')}</Button></Link>}
                {isDeletable && (
                  <Popconfirm title={t('ranking.delete_confirm')} okText={t('ranking.delete')} onConfirm={remove}>
                    <Button danger icon={<DeleteOutlined />}>{t('ranking.delete')}</Button>
                  </Popconfirm>
                )}
                <Link to="/rankings"><Button icon={<ArrowLeftOutlined />} aria-label={t('ranking.back')} /></Link>
              </Space>
            }
            styles={{ body: { padding: 16 } }}
          >
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} items={[
              { key: 'org', label: t('ranking.org'), children: c.orgName },
              { key: 'year', label: t('ranking.year'), children: c.year },
              { key: 'kind', label: t('ranking.period_kind'), children: t(`ranking.period_kind.${c.periodKind}`) },
            ]} />
          </Card>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('ranking.periods')}</h2>} styles={{ body: { padding: screens.md ? 16 : 8 } }}>
            <Table<RankingPeriod> rowKey="id" size={size} pagination={false} dataSource={c.periods} scroll={{ x: 'max-content' }} data-testid="ranking-periods"
              columns={[
                { title: t('ranking.period'), dataIndex: 'label', render: (label: string, p) => <Link to={`/rankings/periods/${p.id}`}>{label}</Link> },
                { title: t('ranking.status'), dataIndex: 'status', render: (_: unknown, p) => <PeriodStatusTag status={p.status} /> },
                { title: t('ranking.board'), key: 'board', render: (_: unknown, p) => (p.status === 'open' ? '—' : <Link to={`/rankings/periods/${p.id}/board`}>{t('ranking.open_board')}</Link>) },
              ]} />
          </Card>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('ranking.dimensions')}</h2>} styles={{ body: { padding: screens.md ? 16 : 8 } }}>
            <Table<RankingDimension> rowKey="id" size={size} pagination={false} dataSource={c.dimensions} scroll={{ x: 'max-content' }}
              columns={[
                { title: t('ranking.dimension_name'), dataIndex: 'name' },
                { title: t('ranking.weight'), dataIndex: 'weight' },
                { title: t('ranking.source'), dataIndex: 'source', render: (s: RankingDimension['source'], d) => `${t(`ranking.source.${s}`)}${d.indicatorCode ? `（${d.indicatorCode}）` : ''}` },
                { title: t('ranking.higher_is_better'), dataIndex: 'higherIsBetter', render: (v: boolean) => (v ? t('ranking.higher_is_better') : t('ranking.lower_is_better')) },
              ]} />
          </Card>
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('ranking.peer_groups')}</h2>} styles={{ body: { padding: screens.md ? 16 : 8 } }}>
            <Table<PeerGroup> rowKey="id" size={size} pagination={false} dataSource={c.peerGroups} scroll={{ x: 'max-content' }}
              columns={[
                { title: t('ranking.group_name'), dataIndex: 'name' },
                { title: t('ranking.rule'), dataIndex: 'ruleKind', render: (k: PeerGroup['ruleKind'], g) => `${t(`ranking.rule.${k}`)}${g.depth ? ` · ${g.depth}` : ''}${g.orgType ? ` · ${t(`org_type.${g.orgType as 'branch'}`)}` : ''}` },
                { title: t('ranking.org_count'), dataIndex: 'orgCount' },
              ]} />
          </Card>
        </Space>
      )}
    </QueryState>
  );
}
