import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Grid, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { Board, BoardRow, OrgBreakdown } from '../../../../contracts/rankings.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { QueryState } from '../../platform/status.js';
import { Movement, PeriodStatusTag } from './RankingTags.js';

const PAGE_SIZE = 50;

/** 排行榜: a peer group's ranks in a period with movement arrows, the viewer's own org's row, and each org's breakdown. */
export default function RankingBoardPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { id = '' } = useParams();
  const [params, set] = useSearchState();
  const groupId = params.get('groupId') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [opened, setOpened] = useState<string | null>(null);
  const query = { groupId, page, pageSize: PAGE_SIZE };
  const board = useQuery({ queryKey: ['rankings', 'board', id, query], queryFn: () => api.get<Board>(`/rankings/periods/${id}/board`, query), placeholderData: keepPreviousData });
  const b = board.data;

  const columns = [
    { title: t('ranking.rank'), dataIndex: 'rank', width: 60, render: (rank: number) => <strong>{rank}</strong> },
    { title: t('ranking.movement'), dataIndex: 'movement', width: 70, render: (m: number | null) => <Movement movement={m} /> },
    {
      title: t('ranking.orgs'), dataIndex: 'orgName',
      render: (name: string, r: BoardRow) => <Button type="link" style={{ padding: 0, height: 'auto', whiteSpace: 'normal', textAlign: 'left' }} onClick={() => setOpened(r.orgId)}>{name}</Button>,
    },
    { title: t('ranking.total'), dataIndex: 'total', width: 80, render: (v: number) => v.toFixed(2) },
    ...(b?.dimensions ?? []).map((d, i) => ({
      title: d.name, key: d.id, width: 110, responsive: ['lg' as const], render: (_: unknown, r: BoardRow) => r.scores[i]?.toFixed(2) ?? '—',
    })),
  ];

  return (
    <QueryState isLoading={board.isLoading} error={board.error}>
      {b && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }}>{b.campaign.name} · {b.period.label} {t('ranking.board')}</Typography.Title>}
            extra={<Link to="/rankings/boards"><Button icon={<ArrowLeftOutlined />} aria-label={t('ranking.back')} /></Link>}
            styles={{ body: { padding: screens.md ? 16 : 8 } }}
          >
            <Space wrap style={{ marginBottom: 12 }}>
              <PeriodStatusTag status={b.period.status} />
              <Typography.Text type="secondary">{b.campaign.orgName}</Typography.Text>
              <Select aria-label={t('ranking.peer_group')} style={{ minWidth: 160 }} value={b.groupId ?? undefined} data-testid="ranking-group"
                onChange={(v: string) => set({ groupId: v, page: undefined })}
                options={b.groups.map((g) => ({ value: g.id, label: `${g.name}（${g.size}）` }))} />
            </Space>
            {b.mine && (
              <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="ranking-mine"
                message={<Space wrap><Tag color="red">{t('ranking.mine')}</Tag>{b.mine.orgName}<span>{t('ranking.rank')} {b.mine.rank}</span><Movement movement={b.mine.movement} /><span>{t('ranking.total')} {b.mine.total.toFixed(2)}</span></Space>} />
            )}
            {b.total === 0 && <Alert type="info" showIcon message={t('ranking.no_results')} style={{ marginBottom: 12 }} />}
            <Table<BoardRow>
              rowKey="orgId" size={screens.md ? 'middle' : 'small'} loading={board.isFetching} dataSource={b.items} scroll={{ x: 'max-content' }} data-testid="ranking-board"
              rowClassName={(r) => (r.orgId === b.mine?.orgId ? 'ant-table-row-selected' : '')}
              pagination={{ current: page, pageSize: PAGE_SIZE, total: b.total, onChange: (p) => set({ page: String(p) }), showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
              columns={columns}
            />
          </Card>
          {opened && <Breakdown periodId={id} orgId={opened} onClose={() => setOpened(null)} />}
        </Space>
      )}
    </QueryState>
  );
}

function Breakdown({ periodId, orgId, onClose }: { periodId: string; orgId: string; onClose: () => void }) {
  const t = useT();
  const row = useQuery({ queryKey: ['rankings', 'breakdown', periodId, orgId], queryFn: () => api.get<OrgBreakdown>(`/rankings/periods/${periodId}/orgs/${orgId}`) });
  const r = row.data;
  return (
    <Modal open title={r ? `${r.orgName} · ${t('ranking.breakdown')}` : t('ranking.breakdown')} onCancel={onClose} footer={null} width={640}>
      <QueryState isLoading={row.isLoading} error={row.error}>
        {r && (
          <>
            <Descriptions size="small" column={{ xs: 1, sm: 3 }} style={{ marginBottom: 12 }} items={[
              { key: 'group', label: t('ranking.peer_group'), children: `${r.groupName}（${r.groupSize}）` },
              { key: 'rank', label: t('ranking.rank'), children: <Space>{r.rank}<Movement movement={r.movement} /></Space> },
              { key: 'total', label: t('ranking.total'), children: r.total.toFixed(2) },
            ]} />
            <Table rowKey="id" size="small" pagination={false} dataSource={r.dimensions} scroll={{ x: 'max-content' }} data-testid="ranking-breakdown"
              columns={[
                { title: t('ranking.dimension'), dataIndex: 'name' },
                { title: t('ranking.weight'), dataIndex: 'weight', width: 60 },
                { title: t('ranking.raw'), dataIndex: 'raw', width: 80, render: (v: number | null) => (v === null ? '—' : v) },
                { title: t('ranking.normalized'), dataIndex: 'score', width: 110, render: (v: number) => v.toFixed(2) },
              ]} />
          </>
        )}
      </QueryState>
    </Modal>
  );
}
