import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, InputNumber, List, Modal, Space, Switch, Tag, Typography } from 'antd';
import { ClockCircleOutlined, EditOutlined, EnvironmentOutlined, PhoneOutlined, PlusOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { Station, StationPageSchema } from '../../../../contracts/venues.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState, errorMessage } from '../../platform/status.js';

type StationPage = z.infer<typeof StationPageSchema>;
const PAGE_SIZE = 20;

/**
 * The map link: a marker at the station's coordinates (GCJ-02, as 高德 expects) when known, otherwise
 * a search for its address. Opens the 高德 app on a phone, the web map elsewhere.
 */
export function mapLinkOf(s: Pick<Station, 'name' | 'address' | 'longitude' | 'latitude'>): string {
  if (s.longitude !== null && s.latitude !== null) {
    return `https://uri.amap.com/marker?position=${s.longitude},${s.latitude}&name=${encodeURIComponent(s.name)}&src=dangjian-cloud&coordinate=gaode&callnative=1`;
  }
  return `https://uri.amap.com/search?keyword=${encodeURIComponent(s.address)}&src=dangjian-cloud&callnative=1`;
}

/** 服务站点: every member finds a station near them (phone first); the org's admins keep the register. */
export default function StationPage() {
  const t = useT();
  const { audiences } = useSession();
  const [q, setQ] = useState('');
  const [pages, setPages] = useState(1);
  const [editing, setEditing] = useState<Station | 'new' | null>(null);
  const list = useQuery({
    queryKey: ['service-stations', q, pages], placeholderData: keepPreviousData,
    queryFn: () => api.get<StationPage>('/service-stations', { q: q || undefined, page: 1, pageSize: PAGE_SIZE * pages }),
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.service_stations')}</Typography.Title>
        {audiences.has('admin') && <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="station-new">{t('station.new')}</Button>}
      </Space>
      <Input.Search allowClear enterButton placeholder={t('station.search')} maxLength={50} data-testid="station-search"
        onSearch={(value) => { setQ(value.trim()); setPages(1); }} />
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        <List<Station>
          dataSource={items} data-testid="station-list" loading={list.isFetching && !list.isLoading}
          locale={{ emptyText: <Empty description={q ? t('station.none_found') : t('station.none')} /> }}
          renderItem={(s) => (
            <List.Item style={{ padding: '6px 0', border: 'none' }}>
              <Card size="small" style={{ width: '100%' }} data-testid="station-card"
                title={<Space wrap size={4}><span style={{ whiteSpace: 'normal' }}>{s.name}</span>{!s.isActive && <Tag>{t('station.inactive')}</Tag>}</Space>}
                extra={s.canManage && <Button type="text" size="small" icon={<EditOutlined />} aria-label={`${t('station.edit')} ${s.name}`} onClick={() => setEditing(s)} />}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Typography.Text><EnvironmentOutlined /> {s.address}</Typography.Text>
                  {s.hours && <Typography.Text type="secondary"><ClockCircleOutlined /> {s.hours}</Typography.Text>}
                  {(s.contactName || s.contactPhone) && (
                    <Typography.Text type="secondary">
                      <PhoneOutlined /> {s.contactName}{s.contactName && s.contactPhone ? ' · ' : ''}
                      {s.contactPhone && <a href={`tel:${s.contactPhone.replace(/[^\d+]/g, '')}`}>{s.contactPhone}</a>}
                    </Typography.Text>
                  )}
                  {s.description && <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }} ellipsis={{ rows: 3, expandable: true }}>{s.description}</Typography.Paragraph>}
                  <Space wrap size={8}>
                    <a href={mapLinkOf(s)} target="_blank" rel="noreferrer" data-testid="station-map">{t('station.map')}</a>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{s.orgName}</Typography.Text>
                  </Space>
                </Space>
              </Card>
            </List.Item>
          )}
        />
        {items.length < total && <Button block onClick={() => setPages((n) => n + 1)} loading={list.isFetching}>{t('station.more', { n: total - items.length })}</Button>}
      </QueryState>
      {editing && <StationDialog station={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Space>
  );
}

interface StationForm {
  orgId?: string; name: string; address: string; longitude?: number | null; latitude?: number | null; hours?: string; contactName?: string;
  contactPhone?: string; description?: string; isActive?: boolean;
}

/** Create (org, name, address …) or edit a station; the coordinates are optional and go together. */
function StationDialog({ station, onClose }: { station: Station | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<StationForm>();
  const initial: Partial<StationForm> = station ? {
    name: station.name, address: station.address, longitude: station.longitude, latitude: station.latitude, hours: station.hours ?? '',
    contactName: station.contactName ?? '', contactPhone: station.contactPhone ?? '', description: station.description ?? '', isActive: station.isActive,
  } : {};
  return (
    <Modal open title={station ? `${t('station.edit')} · ${station.name}` : t('station.new')} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden width={560}
      okButtonProps={{ 'data-testid': 'station-save' }}>
      <Form<StationForm> form={form} layout="vertical" initialValues={initial} onFinish={async (v) => {
        const common = {
          name: v.name, address: v.address, longitude: v.longitude ?? null, latitude: v.latitude ?? null, hours: v.hours || null,
          contactName: v.contactName || null, contactPhone: v.contactPhone || null, description: v.description || null,
        };
        try {
          if (station) await api.patch(`/service-stations/${station.id}`, { ...common, isActive: v.isActive });
          else await api.post('/service-stations', { orgId: v.orgId, ...common });
          message.success(station ? t('common.saved') : t('station.created'));
          await queryClient.invalidateQueries({ queryKey: ['service-stations'] });
          onClose();
        } catch (error) {
          const { handled, unplaced } = showFieldErrors(form, error);
          if (!handled || unplaced.length) message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
        }
      }}>
        {!station && <Form.Item name="orgId" label={t('venue.org')} rules={[{ required: true }]}><OrgTreeSelect /></Form.Item>}
        <Form.Item name="name" label={t('venue.name')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="address" label={t('venue.address')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
        <Space wrap>
          <Form.Item name="longitude" label={t('station.longitude')}><InputNumber min={-180} max={180} step={0.000001} style={{ width: 160 }} /></Form.Item>
          <Form.Item name="latitude" label={t('station.latitude')}><InputNumber min={-90} max={90} step={0.000001} style={{ width: 160 }} /></Form.Item>
        </Space>
        <Typography.Paragraph type="secondary" style={{ marginTop: -12 }}>{t('station.coordinates_hint')}</Typography.Paragraph>
        <Form.Item name="hours" label={t('station.hours')}><Input maxLength={200} placeholder={t('station.hours_placeholder')} /></Form.Item>
        <Space wrap>
          <Form.Item name="contactName" label={t('venue.contact')}><Input maxLength={50} /></Form.Item>
          <Form.Item name="contactPhone" label={t('venue.phone')}><Input maxLength={30} /></Form.Item>
        </Space>
        <Form.Item name="description" label={t('common.details')}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        {station && <Form.Item name="isActive" label={t('station.active')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}
