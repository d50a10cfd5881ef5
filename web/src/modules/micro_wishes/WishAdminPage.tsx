import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Form, Grid, Input, Modal, Select, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { WISH_STATUSES, type CreateWish, type Wish, type WishPage } from '../../../../contracts/micro_wishes.js';
import type { CommunityPage } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { WishAgeTag, WishStatusTag } from './WishTags.js';

/** Every wish of the orgs the viewer runs, by status; communities post for residents here (published at once). */
export default function WishAdminPage() {
  const t = useT();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const status = WISH_STATUSES.find((s) => s === params.get('status'));
  const stale = params.get('stale') === '1';
  const page = Number(params.get('page') ?? '1');
  const [creating, setCreating] = useState(false);
  const orgId = params.get('orgId') ?? undefined;
  const query = { status, stale: stale ? '1' : undefined, orgId, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['micro-wishes', 'list', query], queryFn: () => api.get<WishPage>('/micro-wishes', query), placeholderData: keepPreviousData });

  return (
    <Card
      title={t('menu.wishes')}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="wish-new">{t('wish.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('wish.view_all')} allowClear placeholder={t('wish.view_all')} style={{ width: 160 }} value={status} onChange={(v?: string) => set({ status: v })}
          options={WISH_STATUSES.map((s) => ({ value: s, label: t(`wish.status.${s}`) }))} />
        <OrgTreeSelect value={orgId} onChange={(id) => set({ orgId: id })} placeholder={t('activity.org')} aria-label={t('activity.org')} style={{ width: 200, maxWidth: '100%' }} />
        <Checkbox checked={stale} onChange={(e) => set({ stale: e.target.checked ? '1' : undefined })}>{t('wish.stale')}</Checkbox>
      </Space>
      <Table<Wish>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('wish.none') }} data-testid="wish-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('wish.title'), dataIndex: 'title', width: 200, render: (title: string, w) => <Link to={`/service/wishes/${w.id}`}>{title}</Link> },
          { title: t('wish.status'), dataIndex: 'status', width: 120, render: (_: unknown, w) => <Space size={2} wrap><WishStatusTag status={w.status} /><WishAgeTag ageDays={w.ageDays} isStale={w.isStale} /></Space> },
          { title: t('wish.community'), dataIndex: 'communityName', width: 140, render: (c: string | null) => c ?? '—' },
          { title: t('wish.poster'), dataIndex: 'posterName', width: 100, render: (n: string, w) => <Typography.Text>{n} <Typography.Text type="secondary">{w.posterContactMasked}</Typography.Text></Typography.Text> },
          { title: t('wish.claimant'), dataIndex: 'claimant', width: 160, render: (c: Wish['claimant']) => (c ? `${c.name}（${c.orgName}）` : '—') },
          { title: t('wish.published_at'), dataIndex: 'publishedAt', width: 140, render: (v: string | null) => formatTime(v) },
          { title: t('service.source'), dataIndex: 'source', width: 100, responsive: ['lg'], render: (s: Wish['source']) => t(`wish.source.${s}`) },
        ]}
      />
      <CreateWishDialog open={creating} onClose={() => setCreating(false)} onSaved={(w) => { setCreating(false); void navigate(`/service/wishes/${w.id}`); }} />
    </Card>
  );
}

function CreateWishDialog({ open, onClose, onSaved }: { open: boolean; onClose: () => void; onSaved: (w: Wish) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<CreateWish>();
  const { saving, run } = useFormSubmit(form);
  const communities = useQuery({ queryKey: ['communities', 'all'], queryFn: () => api.get<CommunityPage>('/communities', { pageSize: 200 }), enabled: open });
  const submit = (values: CreateWish) => run(async () => {
    onSaved(await api.post<Wish>('/micro-wishes', values));
    void message.success(t('wish.created'));
    form.resetFields();
  });
  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal open={open} title={t('wish.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form<CreateWish> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="communityId" label={t('wish.community')} rules={required}>
          <Select showSearch optionFilterProp="label" loading={communities.isLoading}
            options={(communities.data?.items ?? []).filter((c) => c.canManage && !c.archived).map((c) => ({ value: c.id, label: `${c.name}（${c.street}）` }))} />
        </Form.Item>
        <Form.Item name="title" label={t('public.wish_title')} rules={required}><Input maxLength={50} /></Form.Item>
        <Form.Item name="content" label={t('public.wish_content')} rules={required}><Input.TextArea maxLength={500} autoSize={{ minRows: 3 }} /></Form.Item>
        <Form.Item name="posterName" label={t('wish.poster')} rules={required}><Input maxLength={20} /></Form.Item>
        <Form.Item name="posterContact" label={t('wish.contact')} rules={required}><Input maxLength={20} inputMode="tel" /></Form.Item>
      </Form>
    </Modal>
  );
}
