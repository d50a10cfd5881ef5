import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Grid, Input, Space, Table, Tag, Typography } from 'antd';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import type { Community, CommunityPage } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useSearchState } from '../../platform/search-state.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { CommunityFormDialog } from './CommunityFormDialog.js';

/** 社区名册 of the tree: every admin sees it (to sign with a community or record reports); its keepers edit it. */
export default function CommunityListPage() {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const q = params.get('q') ?? undefined;
  const includeArchived = params.get('includeArchived') === '1';
  const page = Number(params.get('page') ?? '1');
  const [editing, setEditing] = useState<Community | 'new' | null>(null);
  const query = { q, includeArchived: includeArchived ? '1' : undefined, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['communities', 'list', query],
    queryFn: ({ signal }) => api.get<CommunityPage>('/communities', query, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Card
      title={t('menu.communities')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="community-new">{t('community.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search key={q ?? ''} defaultValue={q} allowClear placeholder={t('community.search_placeholder')} onSearch={(v) => set({ q: v || undefined })}
          style={{ width: screens.sm ? 260 : '100%' }} data-testid="community-search" />
        <Checkbox checked={includeArchived} onChange={(e) => set({ includeArchived: e.target.checked ? '1' : undefined })}>{t('community.include_archived')}</Checkbox>
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
      <Table<Community>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('community.none') }} data-testid="community-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          {
            title: t('community.name'), dataIndex: 'name', width: 180,
            render: (name: string, c) => <Space size={4}><Link to={`/service/communities/${c.id}`}>{name}</Link>{c.archived && <Tag>{t('community.archived')}</Tag>}</Space>,
          },
          { title: t('community.street'), dataIndex: 'street', width: 140 },
          { title: t('community.contact_name'), dataIndex: 'contactName', width: 100, render: (v: string | null) => v ?? '—' },
          { title: t('community.contact_phone'), dataIndex: 'contactPhone', width: 130, render: (v: string | null) => v ?? '—' },
          { title: t('community.keeper'), dataIndex: 'orgName', width: 160, responsive: ['lg'] },
          { title: t('community.reported_count'), dataIndex: 'reportedCount', width: 100, align: 'right' },
          {
            title: t('common.actions'), key: 'actions', width: 80,
            render: (_: unknown, c) => c.canManage
              ? <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(c)}>{t('common.edit')}</Button>
              : <Typography.Text type="secondary">—</Typography.Text>,
          },
        ]}
      />
      <CommunityFormDialog
        open={editing !== null}
        community={editing === 'new' || editing === null ? undefined : editing}
        onClose={() => setEditing(null)}
        onSaved={(c) => {
          const wasNew = editing === 'new';
          setEditing(null);
          void queryClient.invalidateQueries({ queryKey: ['communities'] });
          if (wasNew) void navigate(`/service/communities/${c.id}`);
        }}
      />
    </Card>
  );
}
