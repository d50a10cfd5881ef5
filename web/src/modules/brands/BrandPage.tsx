import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Image, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined } from '@ant-design/icons';
import { BRAND_STATUSES, type Brand, type BrandLevelRecord, type BrandStatus, type UpdateBrand } from '../../../../contracts/brands.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { BrandLevel } from './BrandLevel.js';
import { statusColor } from './BrandsPage.js';
import { UploadButton } from './UploadButton.js';

/** One brand: its description (editable by its keepers), photos and the levels it was given over the years. */
export default function BrandPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const brand = useQuery({ queryKey: ['brands', 'one', id], queryFn: () => api.get<Brand>(`/brands/${id}`) });
  const update = (saved: Brand) => {
    queryClient.setQueryData(['brands', 'one', id], saved);
    void queryClient.invalidateQueries({ queryKey: ['brands', 'list'] });
  };
  return (
    <QueryState isLoading={brand.isLoading} error={brand.error} retry={() => void brand.refetch()}>
      {brand.data && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>{brand.data.name}</Typography.Title>}
            extra={<Link to="/brands"><Button icon={<ArrowLeftOutlined />}>{t('brand.back')}</Button></Link>}
          >
            <Descriptions size="small" column={{ xs: 1, md: 3 }} style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('brand.org')}>{brand.data.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('brand.level')}><BrandLevel starLevel={brand.data.starLevel} title={brand.data.title} /></Descriptions.Item>
              <Descriptions.Item label={t('brand.status')}><Tag color={statusColor[brand.data.status]}>{t(`brand.status.${brand.data.status}`)}</Tag></Descriptions.Item>
            </Descriptions>
            {brand.data.canManage ? <BrandForm brand={brand.data} onSaved={update} /> : (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label={t('brand.slogan')}>{brand.data.slogan}</Descriptions.Item>
                <Descriptions.Item label={t('brand.distinctive')}>{brand.data.distinctive}</Descriptions.Item>
                <Descriptions.Item label={t('brand.achievements')}>{brand.data.achievements}</Descriptions.Item>
              </Descriptions>
            )}
          </Card>
          <Photos brand={brand.data} onChanged={update} />
          <Card title={t('brand.history')} size="small">
            <Table<BrandLevelRecord> rowKey="roundId" size="small" pagination={false} dataSource={brand.data.history} locale={{ emptyText: t('brand.no_level') }}
              columns={[
                { title: t('brand.round.year'), dataIndex: 'year', width: 80 },
                { title: t('brand.round.title'), dataIndex: 'roundTitle' },
                { title: t('brand.level'), key: 'level', render: (_, h) => <BrandLevel starLevel={h.starLevel} title={h.title} /> },
                { title: t('brand.round.status.finalized'), dataIndex: 'awardedAt', responsive: ['md'], render: (v: string) => formatTime(v) },
              ]} />
          </Card>
        </Space>
      )}
    </QueryState>
  );
}

function BrandForm({ brand, onSaved }: { brand: Brand; onSaved: (b: Brand) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<UpdateBrand>();
  const { saving, run } = useFormSubmit(form);
  useEffect(() => form.setFieldsValue({ name: brand.name, slogan: brand.slogan, distinctive: brand.distinctive, achievements: brand.achievements, status: brand.status }), [brand, form]);
  const submit = (values: UpdateBrand) => run(async () => {
    onSaved(await api.patch<Brand>(`/brands/${brand.id}`, values));
    void message.success(t('brand.saved'));
  });
  return (
    <Form<UpdateBrand> form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 760 }}>
      <Form.Item name="name" label={t('brand.name')} rules={[{ required: true, message: t('brand.required') }]}><Input maxLength={60} /></Form.Item>
      <Form.Item name="slogan" label={t('brand.slogan')}><Input maxLength={120} /></Form.Item>
      <Form.Item name="distinctive" label={t('brand.distinctive')}><Input.TextArea rows={4} maxLength={4000} /></Form.Item>
      <Form.Item name="achievements" label={t('brand.achievements')}><Input.TextArea rows={4} maxLength={4000} /></Form.Item>
      <Form.Item name="status" label={t('brand.status')}>
        <Select style={{ width: 160 }} options={BRAND_STATUSES.map((s: BrandStatus) => ({ value: s, label: t(`brand.status.${s}`) }))} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="brand-save">{t('common.save')}</Button>
    </Form>
  );
}

function Photos({ brand, onChanged }: { brand: Brand; onChanged: (b: Brand) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const remove = async (photoId: string) => {
    try {
      onChanged(await api.delete<Brand>(`/brands/${brand.id}/photos/${photoId}`));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Card title={t('brand.photos')} size="small"
      extra={brand.canManage && <UploadButton<Brand> url={`/brands/${brand.id}/photos`} accept=".jpg,.jpeg,.png,.webp" label={t('brand.add_photo')} onUploaded={onChanged} testId="brand-photo-upload" />}>
      <Space wrap size={12}>
        {brand.photos.map((p) => (
          <Space key={p.id} orientation="vertical" size={4} style={{ alignItems: 'center' }}>
            <Image width={160} height={120} style={{ objectFit: 'cover', borderRadius: 6 }} src={`/api/brands/${brand.id}/photos/${p.id}`} alt={p.fileName} />
            {brand.canManage && (
              <Popconfirm title={t('brand.remove_photo')} onConfirm={() => void remove(p.id)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button size="small" danger icon={<DeleteOutlined />} aria-label={`${t('brand.remove_photo')} ${p.fileName}`} />
              </Popconfirm>
            )}
          </Space>
        ))}
      </Space>
    </Card>
  );
}
