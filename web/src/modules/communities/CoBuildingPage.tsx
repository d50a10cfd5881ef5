import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Grid, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Agreement, AgreementPage } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useSearchState } from '../../platform/search-state.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { AgreementFormDialog, AgreementPeriod } from './AgreementParts.js';

/** 共驻共建: the agreements of the orgs the viewer runs with communities, each with its joint projects. */
export default function CoBuildingPage() {
  const t = useT();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const orgId = params.get('orgId') ?? undefined;
  const active = params.get('active') === '1';
  const page = Number(params.get('page') ?? '1');
  const [creating, setCreating] = useState(false);
  const query = { orgId, active: active ? '1' : undefined, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['co-building', 'list', query],
    queryFn: ({ signal }) => api.get<AgreementPage>('/co-building/agreements', query, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Card
      title={t('co_building.title')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="agreement-new">{t('co_building.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={orgId} onChange={(v) => set({ orgId: v })} placeholder={t('service.filter_org')} style={{ width: 240 }} />
        <Checkbox checked={active} onChange={(e) => set({ active: e.target.checked ? '1' : undefined })}>{t('co_building.only_active')}</Checkbox>
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
      <Table<Agreement>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('co_building.none') }} data-testid="agreement-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('co_building.agreement_title'), dataIndex: 'title', width: 220, render: (title: string, a) => <Link to={`/service/co-building/${a.id}`}>{title}</Link> },
          { title: t('co_building.org'), dataIndex: 'orgName', width: 180 },
          { title: t('co_building.community'), dataIndex: 'communityName', width: 160, render: (name: string, a) => <Link to={`/service/communities/${a.communityId}`}>{name}</Link> },
          { title: t('co_building.signed_on'), dataIndex: 'signedOn', width: 110, responsive: ['md'] },
          { title: t('co_building.period'), key: 'period', width: 240, render: (_: unknown, a) => <AgreementPeriod agreement={a} /> },
          { title: t('co_building.project_count'), dataIndex: 'projectCount', width: 90, align: 'right' },
        ]}
      />
      <AgreementFormDialog open={creating} onClose={() => setCreating(false)} onSaved={(a) => { setCreating(false); void navigate(`/service/co-building/${a.id}`); }} />
    </Card>
  );
}
