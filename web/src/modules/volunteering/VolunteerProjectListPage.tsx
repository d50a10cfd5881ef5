import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Grid, Space, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { VolunteerProject, VolunteerProjectPage } from '../../../../contracts/volunteering.js';
import { api } from '../../platform/api.js';
import { useSearchState } from '../../platform/search-state.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { PhaseTag, VolunteerProjectDialog, timeRange } from './VolunteerParts.js';

/** 志愿服务 projects the viewer organizes (their subtree's), newest first: post one, open one to confirm attendance. */
export default function VolunteerProjectListPage() {
  const t = useT();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const orgId = params.get('orgId') ?? undefined;
  const upcoming = params.get('upcoming') === '1';
  const page = Number(params.get('page') ?? '1');
  const [creating, setCreating] = useState(false);
  const query = { orgId, upcoming: upcoming ? '1' : undefined, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['volunteering', 'list', query],
    queryFn: ({ signal }) => api.get<VolunteerProjectPage>('/volunteering/projects', query, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Card
      title={t('volunteer.title')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="volunteer-new">{t('volunteer.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={orgId} onChange={(v) => set({ orgId: v })} placeholder={t('volunteer.filter_org')} style={{ width: 240 }} />
        <Checkbox checked={upcoming} onChange={(e) => set({ upcoming: e.target.checked ? '1' : undefined })}>{t('volunteer.only_upcoming')}</Checkbox>
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
      <Table<VolunteerProject>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('volunteer.none') }} data-testid="volunteer-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('volunteer.project_title'), dataIndex: 'title', width: 220, render: (title: string, p) => <Link to={`/service/volunteering/${p.id}`}>{title}</Link> },
          { title: t('volunteer.org'), dataIndex: 'orgName', width: 160 },
          { title: t('volunteer.community'), dataIndex: 'communityName', width: 130, responsive: ['lg'], render: (c: string | null) => c ?? '—' },
          { title: t('volunteer.place'), dataIndex: 'place', width: 160, responsive: ['md'] },
          { title: t('volunteer.time'), key: 'time', width: 220, render: (_: unknown, p) => timeRange(p) },
          { title: t('volunteer.signed_up'), key: 'signedUp', width: 90, align: 'right', render: (_: unknown, p) => `${p.signedUp} / ${p.capacity}` },
          { title: t('common.status'), key: 'phase', width: 90, render: (_: unknown, p) => <PhaseTag project={p} /> },
        ]}
      />
      <VolunteerProjectDialog open={creating} onClose={() => setCreating(false)} onSaved={(p) => { setCreating(false); void navigate(`/service/volunteering/${p.id}`); }} />
    </Card>
  );
}
