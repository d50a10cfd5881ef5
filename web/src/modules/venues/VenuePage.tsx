import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, Col, DatePicker, Empty, Form, Input, InputNumber, Modal, Row, Select, Space, Table, Tag, TimePicker, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { BOOKING_PURPOSES, VenueKindSchema, type Booking, type BookingStatus, type Venue } from '../../../../contracts/venues.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { useSearchState } from '../../platform/search-state.js';

const BOOKING_STATUSES = ['pending', 'confirmed', 'declined', 'cancelled', 'visited'] as const satisfies readonly BookingStatus[];
const statusColors: Record<BookingStatus, string> = { pending: 'processing', confirmed: 'blue', declined: 'error', cancelled: 'default', visited: 'success' };
type BookingPage = { items: Booking[]; total: number };
/** What each decision on a booking did, said as such. */
const BOOKING_DONE = {
  confirm: 'venue.booking_confirmed', decline: 'venue.booking_declined', cancel: 'venue.booking_cancelled', visit: 'venue.visit_recorded',
} as const;

/** Venues with their halls, booking a batch, and the bookings the viewer may see (staff: all of their venues'). */
export default function VenuePage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [booking, setBooking] = useState<Venue | null>(null);
  const [addingHall, setAddingHall] = useState<Venue | null>(null);
  const [creating, setCreating] = useState(false);
  // the bookings' filters live in the URL: a 工作台 to-do opens exactly the bookings it counted
  const [params, update] = useSearchState();
  const mine = params.get('mine') === '1';
  const status = BOOKING_STATUSES.find((s) => s === params.get('status'));
  const orgId = params.get('orgId') ?? undefined;
  const page = { current: Number(params.get('page') ?? '1') || 1, pageSize: Number(params.get('pageSize') ?? '20') || 20 };
  const venues = useQuery({ queryKey: ['venues'], queryFn: () => api.get<{ items: Venue[] }>('/venues') });
  const bookings = useQuery({
    queryKey: ['venue-bookings', status, mine, orgId, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<BookingPage>('/venue-bookings', { status, mine: mine ? 1 : undefined, orgId, page: page.current, pageSize: page.pageSize }),
  });
  async function decide(b: Booking, path: 'confirm' | 'decline' | 'cancel' | 'visit', body: unknown = {}) {
    try {
      await api.post(`/venue-bookings/${b.id}/${path}`, body);
      message.success(t(BOOKING_DONE[path]));
      await queryClient.invalidateQueries({ queryKey: ['venue-bookings'] });
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    }
  }
  function ask(title: string, input: (set: (v: string) => void) => React.ReactNode, then: (v: string) => Promise<void>) {
    let value = '';
    Modal.confirm({ title, content: input((v) => { value = v; }), onOk: () => then(value) });
  }

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.venues')}</Typography.Title>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="venue-new">{t('venue.new')}</Button>
      </Space>
      {venues.data && venues.data.items.length === 0 && <Card><Empty description={t('venue.none')} /></Card>}
      <Row gutter={[16, 16]}>
        {(venues.data?.items ?? []).map((v) => (
          <Col key={v.id} xs={24} md={12} xl={8}>
            <Card title={<Space>{v.name}<Tag>{t(`venue.kind.${v.kind}`)}</Tag></Space>} data-testid="venue-card" extra={
              <Space size={4}>
                {v.canManage && <Button size="small" onClick={() => setAddingHall(v)}>{t('venue.add_hall')}</Button>}
                <Button type="primary" size="small" onClick={() => setBooking(v)} disabled={!v.isActive}>{t('venue.book')}</Button>
              </Space>
            }>
              <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>{v.address ?? '—'} · {t('venue.hours')} {v.opensAt}–{v.closesAt}</Typography.Paragraph>
              <Space wrap size={4}>{v.halls.filter((h) => h.isActive).map((h) => <Tag key={h.id}>{h.name} · {h.capacity}</Tag>)}</Space>
            </Card>
          </Col>
        ))}
      </Row>
      <Card title={t('venue.bookings')} extra={
        <Space wrap>
        <Checkbox checked={mine} onChange={(e) => update({ mine: e.target.checked ? '1' : undefined })}>{t('venue.mine')}</Checkbox>
        <OrgTreeSelect value={orgId} onChange={(id) => update({ orgId: id })} placeholder={t('activity.org')} aria-label={t('activity.org')} style={{ width: 200, maxWidth: '100%' }} />
        <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} value={status} style={{ width: 120 }} onChange={(s?: BookingStatus) => update({ status: s })}
          options={BOOKING_STATUSES.map((s) => ({ value: s, label: t(`venue.booking_status.${s}`) }))} />
        </Space>
      }>
        <Table<Booking> rowKey="id" size="middle" loading={bookings.isFetching} dataSource={bookings.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="booking-table"
          pagination={{ ...page, total: bookings.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => update({ page: String(current), pageSize: String(pageSize) }) }}
          columns={[
            { title: t('venue.unit'), dataIndex: 'unitName' },
            { title: t('venue.title'), dataIndex: 'venueName', render: (name: string, b) => <>{name}<div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{b.halls.map((h) => h.name).join('、')}</Typography.Text></div></> },
            { title: t('venue.slot'), key: 'slot', render: (_: unknown, b) => `${formatTime(b.startsAt)}–${formatTime(b.endsAt).slice(11)}` },
            { title: t('venue.purpose'), dataIndex: 'purpose', render: (p: Booking['purpose']) => t(`venue.purpose.${p}`) },
            { title: `${t('venue.expected')}/${t('venue.actual')}`, key: 'n', render: (_: unknown, b) => `${b.expectedHeadcount}/${b.actualHeadcount ?? '—'}` },
            { title: t('common.status'), dataIndex: 'status', render: (s: BookingStatus, b) => <><Tag color={statusColors[s]}>{t(`venue.booking_status.${s}`)}</Tag>{b.decisionNote && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{b.decisionNote}</Typography.Text></div>}</> },
            { title: t('common.actions'), key: 'actions', render: (_: unknown, b) => (
              <Space size={4} wrap>
                {b.canDecide && b.status === 'pending' && <Button size="small" type="primary" onClick={() => void decide(b, 'confirm')}>{t('venue.confirm')}</Button>}
                {b.canDecide && (b.status === 'pending' || b.status === 'confirmed') && (
                  <Button size="small" danger onClick={() => ask(t('venue.decline_reason'), (set) => <Input.TextArea rows={2} aria-label={t('venue.decline_reason')} onChange={(e) => set(e.target.value)} />, (note) => decide(b, 'decline', { note }))}>{t('venue.decline')}</Button>
                )}
                {b.canDecide && (b.status === 'confirmed' || b.status === 'visited') && (
                  <Button size="small" onClick={() => ask(t('venue.actual'), (set) => <InputNumber min={0} aria-label={t('venue.actual')} onChange={(v) => set(String(v ?? ''))} />, (n) => decide(b, 'visit', { actualHeadcount: Number(n) }))}>{t('venue.visit')}</Button>
                )}
                {!b.canDecide && (b.status === 'pending' || b.status === 'confirmed') && <Button size="small" onClick={() => void decide(b, 'cancel')}>{t('common.cancel')}</Button>}
              </Space>
            ) },
          ]} />
      </Card>
      {creating && <VenueDialog onClose={() => setCreating(false)} />}
      {addingHall && <HallDialog venue={addingHall} onClose={() => setAddingHall(null)} />}
      {booking && <BookingDialog venue={booking} onClose={() => setBooking(null)} onBooked={() => queryClient.invalidateQueries({ queryKey: ['venue-bookings'] })} />}
    </Space>
  );
}

interface BookingForm {
  hallIds: string[]; date?: Dayjs; slot?: [Dayjs, Dayjs]; expectedHeadcount?: number; purpose: string; unitName?: string; contactName?: string; contactPhone?: string; note?: string;
}

function BookingDialog({ venue, onClose, onBooked }: { venue: Venue; onClose: () => void; onBooked: () => Promise<void> }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<BookingForm>();
  const [saving, setSaving] = useState(false);
  return (
    <Modal open title={`${t('venue.book')} · ${venue.name}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden width={560}>
      <Form<BookingForm> form={form} layout="vertical" initialValues={{ purpose: 'visit', hallIds: [] }} onFinish={async (v) => {
        setSaving(true);
        try {
          await api.post('/venue-bookings', {
            venueId: venue.id, hallIds: v.hallIds, date: v.date?.format('YYYY-MM-DD'), startTime: v.slot?.[0].format('HH:mm'), endTime: v.slot?.[1].format('HH:mm'),
            expectedHeadcount: v.expectedHeadcount, purpose: v.purpose, unitName: v.unitName, contactName: v.contactName, contactPhone: v.contactPhone, note: v.note || undefined,
          });
          message.success(t('venue.booked'));
          await onBooked();
          onClose();
        } catch (error) {
          const fields = (error as { fields?: Record<string, string> }).fields ?? {};
          const slotError = fields.startTime ?? fields.endTime;
          if (slotError) form.setFields([{ name: 'slot', errors: [slotError] }]);
          const { handled } = showFieldErrors(form, error);
          if (!handled && !slotError) message.error(errorMessage(error, t('app.error')));
        } finally {
          setSaving(false);
        }
      }}>
        <Form.Item name="hallIds" label={t('venue.halls')} rules={[{ required: true }]}>
          <Select mode="multiple" options={venue.halls.filter((h) => h.isActive).map((h) => ({ value: h.id, label: `${h.name}（${t('venue.capacity')} ${h.capacity}，${h.opensAt}–${h.closesAt}）` }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="date" label={t('venue.date')} rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="slot" label={t('venue.slot')} rules={[{ required: true }]}><TimePicker.RangePicker format="HH:mm" minuteStep={15} /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="expectedHeadcount" label={t('venue.expected')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>
          <Form.Item name="purpose" label={t('venue.purpose')} rules={[{ required: true }]} style={{ width: 160 }}>
            <Select options={BOOKING_PURPOSES.map((p) => ({ value: p, label: t(`venue.purpose.${p}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="unitName" label={t('venue.unit')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Space wrap>
          <Form.Item name="contactName" label={t('venue.contact')} rules={[{ required: true }]}><Input maxLength={50} /></Form.Item>
          <Form.Item name="contactPhone" label={t('venue.phone')} rules={[{ required: true }]}><Input maxLength={30} /></Form.Item>
        </Space>
        <Form.Item name="note" label={t('common.details')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** A new venue of an org the viewer administers, with its opening hours (China time). */
function VenueDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ orgId?: string; name: string; kind: string; address?: string; contactName?: string; contactPhone?: string; hours?: [Dayjs, Dayjs]; description?: string }>();
  return (
    <Modal open title={t('venue.new')} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden width={560}>
      <Form form={form} layout="vertical" initialValues={{ kind: 'tempering_centre' }} onFinish={async (v) => {
        try {
          await api.post('/venues', {
            orgId: v.orgId, name: v.name, kind: v.kind, address: v.address || undefined, contactName: v.contactName || undefined, contactPhone: v.contactPhone || undefined,
            description: v.description || undefined, opensAt: v.hours?.[0].format('HH:mm'), closesAt: v.hours?.[1].format('HH:mm'),
          });
          message.success(t('venue.created'));
          await queryClient.invalidateQueries({ queryKey: ['venues'] });
          onClose();
        } catch (error) {
          if (!showFieldErrors(form, error).handled) message.error(errorMessage(error, t('app.error')));
        }
      }}>
        <Form.Item name="orgId" label={t('venue.org')} rules={[{ required: true }]}><OrgTreeSelect /></Form.Item>
        <Space wrap>
          <Form.Item name="name" label={t('venue.name')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="kind" label={t('venue.kind')} rules={[{ required: true }]} style={{ width: 160 }}>
            <Select options={VenueKindSchema.options.map((k) => ({ value: k, label: t(`venue.kind.${k}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="address" label={t('venue.address')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="hours" label={t('venue.hours')}><TimePicker.RangePicker format="HH:mm" minuteStep={15} /></Form.Item>
        <Space wrap>
          <Form.Item name="contactName" label={t('venue.contact')}><Input maxLength={50} /></Form.Item>
          <Form.Item name="contactPhone" label={t('venue.phone')}><Input maxLength={30} /></Form.Item>
        </Space>
        <Form.Item name="description" label={t('common.details')}><Input.TextArea rows={2} maxLength={5000} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** A bookable hall or area of a venue: its capacity limits a batch's headcount. */
function HallDialog({ venue, onClose }: { venue: Venue; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ name: string; kind: 'hall' | 'area'; capacity?: number; hours?: [Dayjs, Dayjs] }>();
  return (
    <Modal open title={`${t('venue.add_hall')} · ${venue.name}`} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ kind: 'hall' }} onFinish={async (v) => {
        try {
          await api.post(`/venues/${venue.id}/halls`, { name: v.name, kind: v.kind, capacity: v.capacity, opensAt: v.hours?.[0].format('HH:mm'), closesAt: v.hours?.[1].format('HH:mm') });
          message.success(t('venue.hall_added'));
          await queryClient.invalidateQueries({ queryKey: ['venues'] });
          onClose();
        } catch (error) {
          if (!showFieldErrors(form, error).handled) message.error(errorMessage(error, t('app.error')));
        }
      }}>
        <Form.Item name="name" label={t('venue.hall_name')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={t('venue.kind')} style={{ width: 120 }}>
            <Select options={(['hall', 'area'] as const).map((k) => ({ value: k, label: t(`venue.hall_kind.${k}`) }))} />
          </Form.Item>
          <Form.Item name="capacity" label={t('venue.capacity')} rules={[{ required: true }]}><InputNumber min={1} max={100_000} /></Form.Item>
          <Form.Item name="hours" label={t('venue.hours')}><TimePicker.RangePicker format="HH:mm" minuteStep={15} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
