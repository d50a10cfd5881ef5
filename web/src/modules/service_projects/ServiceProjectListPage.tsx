import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Grid, Input, Select, Space, Table, Tag, Tooltip, Typography, type TableProps } from 'antd';
import { ExportOutlined, PlusOutlined, WarningOutlined } from '@ant-design/icons';
import { SERVICE_STATUSES, type ServiceProject, type ServiceProjectPage } from '../../../../contracts/service_projects.js';
import { api, type Query } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ProjectFormDialog, useCategories } from './ProjectFormDialog.js';
import { ServiceProgress, ServiceStatusTag } from './ServiceTags.js';

/** The filters live in the address: a filtered ledger can be bookmarked and sent on. */
function useListParams() {
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? undefined;
  const query: Query = {
    q: get('q'), orgId: get('orgId'), status: get('status'), category: get('category'), overdue: get('overdue'), returned: get('returned'),
    page: get('page') ?? '1', pageSize: get('pageSize') ?? '20',
  };
  const update = (changes: Query) => setParams((current) => {
    const next = new URLSearchParams(current);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined || v === null || v === '' || v === false) next.delete(k);
      else next.set(k, String(v));
    }
    if (!('page' in changes)) next.delete('page');
    return next;
  });
  return { query, update };
}

/**
 * 我为群众办实事 ledger of the orgs the viewer runs: what the people asked for, who answers for it,
 * by when, how far it is, and what came of it.
 */
export default function ServiceProjectListPage() {
  const t = useT();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const { query, update } = useListParams();
  const [creating, setCreating] = useState(false);
  const orgId = query.orgId === undefined ? undefined : String(query.orgId);

  const list = useQuery({
    queryKey: ['service-projects', 'list', query],
    queryFn: ({ signal }) => api.get<ServiceProjectPage>('/service-projects', query, signal),
    placeholderData: keepPreviousData,
  });
  // the categories (and the tree's public page) of the chosen org, or of the first project's org
  const categories = useCategories(orgId ?? list.data?.items[0]?.orgId);
  const rootId = categories.data?.rootOrgId;

  const columns = useMemo<TableProps<ServiceProject>['columns']>(() => [
    {
      title: t('service.project_title'), dataIndex: 'title', key: 'title', width: 220, fixed: screens.md ? 'left' : undefined,
      render: (title: string, p) => (
        <Space orientation="vertical" size={0}>
          <Link to={`/service/projects/${p.id}`}>{title}</Link>
          <Space size={2} wrap>
            {p.isMajorProblem && <Tag color="red" icon={<WarningOutlined />}>{t('service.major')}</Tag>}
            {p.isReturned && <Tag color="orange">{t('service.returned_mark')}</Tag>}
            {p.isOverdue && <Tag color="error">{t('service.overdue')}</Tag>}
          </Space>
        </Space>
      ),
    },
    { title: t('service.org'), dataIndex: 'orgName', key: 'orgName', width: 160, ellipsis: true },
    { title: t('service.category'), dataIndex: 'category', key: 'category', width: 120 },
    { title: t('service.source'), dataIndex: 'source', key: 'source', width: 100, responsive: ['lg'], render: (s: ServiceProject['source']) => t(`service.source.${s}`) },
    {
      title: t('service.need'), dataIndex: 'need', key: 'need', width: 220, responsive: ['lg'],
      render: (need: string) => <Tooltip title={need}><Typography.Text ellipsis style={{ maxWidth: 200 }}>{need}</Typography.Text></Tooltip>,
    },
    { title: t('service.owner'), dataIndex: 'ownerName', key: 'ownerName', width: 90 },
    { title: t('service.planned_completion'), dataIndex: 'plannedCompletion', key: 'plannedCompletion', width: 110 },
    { title: t('service.progress'), dataIndex: 'progress', key: 'progress', width: 150, render: (_: number, p) => <ServiceProgress progress={p.progress} status={p.status} isOverdue={p.isOverdue} /> },
    { title: t('service.status'), dataIndex: 'status', key: 'status', width: 90, render: (s: ServiceProject['status']) => <ServiceStatusTag status={s} /> },
    {
      title: t('service.result'), dataIndex: 'result', key: 'result', width: 200, responsive: ['xl'],
      render: (r: string | null) => (r ? <Tooltip title={r}><Typography.Text ellipsis style={{ maxWidth: 180 }}>{r}</Typography.Text></Tooltip> : '—'),
    },
  ], [t, screens.md]);

  return (
    <Card
      title={t('service.title')}
      extra={(
        <Space wrap>
          {rootId && (
            <a href={`/public/${rootId}`} target="_blank" rel="noreferrer" data-testid="public-page-link">
              <Button icon={<ExportOutlined />}>{t('service.public_page')}</Button>
            </a>
          )}
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="project-new">{t('service.create')}</Button>
        </Space>
      )}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search
          key={String(query.q ?? '')}
          defaultValue={query.q === undefined ? undefined : String(query.q)}
          placeholder={t('service.search_placeholder')}
          allowClear
          onSearch={(q) => update({ q })}
          style={{ width: screens.sm ? 260 : '100%' }}
          data-testid="project-search"
        />
        <OrgTreeSelect value={orgId} onChange={(v) => update({ orgId: v, category: undefined })} placeholder={t('service.filter_org')} style={{ width: 240 }} />
        <Select aria-label={t('service.status')} allowClear placeholder={t('service.status')} style={{ width: 120 }} value={query.status as string | undefined}
          onChange={(status?: string) => update({ status })} options={SERVICE_STATUSES.map((s) => ({ value: s, label: t(`service.status.${s}`) }))} />
        <Select aria-label={t('service.category')} allowClear placeholder={t('service.category')} style={{ width: 150 }} value={query.category as string | undefined}
          onChange={(category?: string) => update({ category })} options={(categories.data?.names ?? []).map((n) => ({ value: n, label: n }))} />
        <Checkbox checked={!!query.overdue} onChange={(e) => update({ overdue: e.target.checked ? '1' : undefined })}>{t('service.only_overdue')}</Checkbox>
        <Checkbox checked={!!query.returned} onChange={(e) => update({ returned: e.target.checked ? '1' : undefined })}>{t('service.only_returned')}</Checkbox>
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
      <Table<ServiceProject>
        rowKey="id"
        size={screens.md ? 'middle' : 'small'}
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        columns={columns}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('service.none') }}
        onChange={(pagination) => update({ page: pagination.current, pageSize: pagination.pageSize })}
        pagination={{
          current: Number(query.page), pageSize: Number(query.pageSize), total: list.data?.total ?? 0,
          showSizeChanger: true, pageSizeOptions: [20, 50, 100], showTotal: (total) => t('common.total', { total }), simple: !screens.sm,
        }}
        data-testid="project-table"
      />
      <ProjectFormDialog
        open={creating}
        defaultOrgId={orgId}
        onClose={() => setCreating(false)}
        onSaved={(p) => { setCreating(false); void navigate(`/service/projects/${p.id}`); }}
      />
    </Card>
  );
}
