import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Grid, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { BRAND_STATUSES, type Brand, type BrandListItem, type BrandPage, type BrandStatus, type CreateBrand } from '../../../../contracts/brands.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { BrandLevel } from './BrandLevel.js';

const PAGE_SIZE = 20;
export const statusColor: Record<BrandStatus, string> = { draft: 'default', active: 'green', archived: 'default' };

/** 党建品牌库: the brands of the viewer's subtree, searched by name, with their levels. */
export default function BrandsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [creating, setCreating] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: PAGE_SIZE, q: params.get('q') ?? undefined, status: params.get('status') ?? undefined, orgId: params.get('orgId') ?? undefined };
  const list = useQuery({ queryKey: ['brands', 'list', query], queryFn: () => api.get<BrandPage>('/brands', query), placeholderData: keepPreviousData });
  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.brands')}</h1>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="brand-new">{t('brand.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t('brand.search')} defaultValue={query.q} style={{ width: 220 }} aria-label={t('brand.search')}
          onSearch={(q) => set({ q: q || undefined })} />
        <OrgTreeSelect value={query.orgId} onChange={(orgId) => set({ orgId })} placeholder={t('brand.org')} style={{ width: 220 }} />
        <Select allowClear placeholder={t('brand.status')} style={{ width: 120 }} value={query.status} aria-label={t('brand.status')}
          onChange={(status?: string) => set({ status })} options={BRAND_STATUSES.map((s) => ({ value: s, label: t(`brand.status.${s}`) }))} />
      </Space>
      <Table<BrandListItem>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('brand.none') }} data-testid="brand-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('brand.name'), dataIndex: 'name', render: (name: string, b) => <Link to={`/brands/${b.id}`}>{name}</Link> },
          { title: t('brand.slogan'), dataIndex: 'slogan', responsive: ['md'] },
          { title: t('brand.org'), dataIndex: 'orgName', responsive: ['sm'] },
          { title: t('brand.level'), key: 'level', render: (_, b) => <BrandLevel starLevel={b.starLevel} title={b.title} /> },
          { title: t('brand.status'), dataIndex: 'status', width: 90, render: (s: BrandStatus) => <Tag color={statusColor[s]}>{t(`brand.status.${s}`)}</Tag> },
        ]}
      />
      {creating && <CreateBrandModal onClose={() => setCreating(false)} />}
    </Card>
  );
}

function CreateBrandModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const own = useOwnOrg();
  const [form] = Form.useForm<CreateBrand>();
  const { saving, run } = useFormSubmit(form);
  const submit = (values: CreateBrand) => run(async () => {
    const saved = await api.post<Brand>('/brands', values);
    void queryClient.invalidateQueries({ queryKey: ['brands'] });
    void message.success(t('brand.saved'));
    onClose();
    void navigate(`/brands/${saved.id}`);
  });
  const required = [{ required: true, message: t('brand.required') }];
  return (
    <Modal open title={t('brand.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<CreateBrand> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ orgId: own.orgId, status: 'draft' }}>
        <Form.Item name="orgId" label={t('brand.org')} rules={required}><OrgTreeSelect placeholder={t('brand.pick_org')} allowClear={false} /></Form.Item>
        <Form.Item name="name" label={t('brand.name')} rules={required}><Input maxLength={60} data-testid="brand-name" /></Form.Item>
        <Form.Item name="slogan" label={t('brand.slogan')}><Input maxLength={120} /></Form.Item>
        <Form.Item name="distinctive" label={t('brand.distinctive')}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Form.Item name="status" label={t('brand.status')}>
          <Select options={(['draft', 'active'] as const).map((s) => ({ value: s, label: t(`brand.status.${s}`) }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
