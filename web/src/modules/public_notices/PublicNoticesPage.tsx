import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Card, Grid, Select, Space, Table } from 'antd';
import {
  PUBLIC_NOTICE_KINDS, PUBLIC_NOTICE_STATUSES, type PublicNoticeKind, type PublicNoticePage, type PublicNoticeStatus, type PublicNoticeSummary,
} from '../../../../contracts/public_notices.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { NoticeStatusTag } from './NoticeTags.js';

const PAGE_SIZE = 20;

/** 公示管理: the notices of the viewer's subtree, those with objections awaiting an answer easy to spot. */
export default function PublicNoticesPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const status = (params.get('status') ?? undefined) as PublicNoticeStatus | undefined;
  const kind = (params.get('kind') ?? undefined) as PublicNoticeKind | undefined;
  const query = { page, pageSize: PAGE_SIZE, status, kind };
  const list = useQuery({ queryKey: ['public-notices', 'list', query], queryFn: () => api.get<PublicNoticePage>('/public-notices', query), placeholderData: keepPreviousData });
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.public_notices')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select<PublicNoticeStatus | ''> value={status ?? ''} style={{ width: 140 }} aria-label={t('pn.all_statuses')} onChange={(v) => set({ status: v || undefined })}
          options={[{ value: '', label: t('pn.all_statuses') }, ...PUBLIC_NOTICE_STATUSES.map((s) => ({ value: s, label: t(`pn.status.${s}`) }))]} />
        <Select<PublicNoticeKind | ''> value={kind ?? ''} style={{ width: 140 }} aria-label={t('pn.all_kinds')} onChange={(v) => set({ kind: v || undefined })}
          options={[{ value: '', label: t('pn.all_kinds') }, ...PUBLIC_NOTICE_KINDS.map((k) => ({ value: k, label: t(`pn.kind.${k}`) }))]} />
      </Space>
      <Table<PublicNoticeSummary>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('pn.none') }} data-testid="public-notice-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('pn.title'), dataIndex: 'title', render: (title: string, n) => <Link to={`/public-notices/${n.id}`}>{title}</Link> },
          { title: t('pn.kind'), dataIndex: 'kind', width: 100, render: (k: PublicNoticeKind) => t(`pn.kind.${k}`) },
          { title: t('pn.status_col'), dataIndex: 'status', width: 90, render: (s: PublicNoticeStatus) => <NoticeStatusTag status={s} /> },
          { title: t('pn.period'), key: 'period', render: (_: unknown, n) => t('pn.period_value', { start: n.startsOn, end: n.endsOn }), responsive: ['sm'] },
          { title: t('pn.org'), dataIndex: 'orgName', responsive: ['md'] },
          { title: t('pn.items'), dataIndex: 'itemCount', width: 90, render: (c: number, n) => (n.withdrawnCount ? `${c}（${t('pn.withdrawn')} ${n.withdrawnCount}）` : c) },
          {
            title: t('pn.objections'), key: 'objections', render: (_: unknown, n) => (
              <Space size={4}>
                <Badge count={n.objectionCounts.pending} title={t('pn.objection.pending')} />
                <span style={{ fontSize: 12 }}>{t('pn.objection_counts', n.objectionCounts)}</span>
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
