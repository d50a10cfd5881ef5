import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Grid, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { NOTICE_STATUSES, type NoticePage, type NoticeSummary } from '../../../../contracts/notices.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { NoticeStatusTag, ReadRate } from './NoticeTags.js';

/** The notices of the orgs the viewer runs: drafts, scheduled, published (with their read rates) and withdrawn. */
export default function NoticeListPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const status = NOTICE_STATUSES.find((s) => s === params.get('status'));
  const page = Number(params.get('page') ?? '1');
  const query = { status, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['notices', 'list', query], queryFn: () => api.get<NoticePage>('/notices', query), placeholderData: keepPreviousData });

  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.notices')}</h1>}
      extra={<Link to="/notices/new"><Button type="primary" icon={<PlusOutlined />} data-testid="notice-new">{t('notice.create')}</Button></Link>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('notice.filter_status')} allowClear placeholder={t('notice.filter_status')} style={{ width: 160 }} value={status}
          onChange={(v?: string) => set({ status: v })}
          options={NOTICE_STATUSES.map((s) => ({ value: s, label: t(`notice.status.${s}`) }))} />
      </Space>
      <Table<NoticeSummary>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('notice.none') }} data-testid="notice-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          {
            title: t('notice.title'), dataIndex: 'title', width: 260,
            render: (title: string, n) => <Space size={4} wrap><Link to={`/notices/${n.id}`}>{title}</Link>{n.mustRead && <Tag color="red">{t('notice.must_read')}</Tag>}</Space>,
          },
          { title: t('notice.status'), dataIndex: 'status', width: 90, render: (_: unknown, n) => <NoticeStatusTag status={n.status} /> },
          { title: t('notice.read_rate'), key: 'rate', width: 200, render: (_: unknown, n) => (n.status === 'published' || n.status === 'withdrawn' ? <ReadRate read={n.read} recipients={n.recipients} /> : '—') },
          { title: t('notice.org'), dataIndex: 'orgName', width: 180, responsive: ['md'] },
          { title: t('notice.published_at'), key: 'when', width: 150, render: (_: unknown, n) => formatTime(n.publishedAt ?? n.publishAt) },
          { title: t('notice.read_deadline'), dataIndex: 'readDeadline', width: 150, responsive: ['lg'], render: (v: string | null) => formatTime(v) },
        ]}
      />
    </Card>
  );
}
