import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Grid, Select, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import { SCHEME_STATUSES, type SchemePageSchema } from '../../../../contracts/assessment.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { SchemeStatusTag } from './SchemeTags.js';

type SchemePage = z.infer<typeof SchemePageSchema>;
type SchemeSummary = SchemePage['items'][number];

/** The schemes the viewer runs, and those assessing the orgs they administer. */
export default function SchemeListPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const status = SCHEME_STATUSES.find((s) => s === params.get('status'));
  const page = Number(params.get('page') ?? '1');
  const query = { status, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['assessment', 'schemes', query], queryFn: () => api.get<SchemePage>('/assessment/schemes', query), placeholderData: keepPreviousData });

  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.assessment_schemes')}</h1>}
      extra={<Link to="/assessment/schemes/new"><Button type="primary" icon={<PlusOutlined />} data-testid="scheme-new">{t('assessment.scheme.create')}</Button></Link>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('assessment.scheme.status')} allowClear placeholder={t('assessment.scheme.status')} style={{ width: 160 }} value={status}
          onChange={(v?: string) => set({ status: v, page: undefined })}
          options={SCHEME_STATUSES.map((s) => ({ value: s, label: t(`assessment.scheme.status.${s}`) }))} />
      </Space>
      <Table<SchemeSummary>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('assessment.scheme.none') }} data-testid="scheme-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('assessment.scheme.name'), dataIndex: 'name', width: 240, render: (name: string, s) => <Link to={`/assessment/schemes/${s.id}`}>{name}</Link> },
          { title: t('assessment.scheme.status'), dataIndex: 'status', width: 90, render: (_: unknown, s) => <SchemeStatusTag status={s.status} /> },
          { title: t('assessment.scheme.period'), key: 'period', width: 200, render: (_: unknown, s) => `${s.periodStart} ~ ${s.periodEnd}` },
          { title: t('assessment.scheme.org_count'), dataIndex: 'orgCount', width: 100, responsive: ['md'] },
          { title: t('assessment.scheme.org'), dataIndex: 'orgName', width: 180, responsive: ['md'] },
        ]}
      />
    </Card>
  );
}
