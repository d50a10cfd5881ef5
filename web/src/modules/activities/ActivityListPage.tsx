import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ACTIVITY_TYPES, type Activity, type ActivityPage, type ActivityStatus, type ActivityType } from '../../../../contracts/activities.js';
import type { Booking, Venue } from '../../../../contracts/venues.js';
import { ApiError, api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ActivityStatusTag, FourEnsuredTags } from './ActivityTags.js';
import { ParticipantFields, participantDefaults, selectionOf, type ParticipantValues } from './ParticipantFields.js';

/** 组织生活: the activities of the viewer's scope, with those that ended without the 四落实 flagged. */
export default function ActivityListPage() {
  const t = useT();
  const [filters, setFilters] = useState<{ type?: ActivityType; status?: ActivityStatus; incomplete?: boolean; firstTopic?: boolean; q?: string }>({});
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [exportingAttendance, setExportingAttendance] = useState(false);
  const list = useQuery({
    queryKey: ['activities', 'list', filters, page],
    queryFn: () => api.get<ActivityPage>('/activities', {
      ...filters, incomplete: filters.incomplete ? 1 : undefined, firstTopic: filters.firstTopic ? 1 : undefined, page: page.current, pageSize: page.pageSize,
    }),
    placeholderData: keepPreviousData,
  });
  const set = (patch: typeof filters) => { setFilters((f) => ({ ...f, ...patch })); setPage((p) => ({ ...p, current: 1 })); };

  return (
    <Card
      title={t('menu.activities')}
      extra={<Space>
        <Button onClick={() => setExportingAttendance(true)} data-testid="attendance-export">{t('activity.export_attendance')}</Button>
        <Button type="primary" onClick={() => setCreating(true)} data-testid="activity-new">{t('activity.new')}</Button>
      </Space>}
    >
      {exportingAttendance && <AttendanceExportDialog onClose={() => setExportingAttendance(false)} />}
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('common.search')} onSearch={(q) => set({ q: q || undefined })} style={{ width: 200 }} />
        <Select aria-label={t('activity.type')} allowClear placeholder={t('activity.type')} style={{ width: 180 }} value={filters.type} onChange={(type?: ActivityType) => set({ type })}
          options={ACTIVITY_TYPES.map((type) => ({ value: type, label: t(`activity.type.${type}`) }))} />
        <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} style={{ width: 120 }} value={filters.status} onChange={(status?: ActivityStatus) => set({ status })}
          options={(['draft', 'published', 'closed', 'cancelled'] as const).map((s) => ({ value: s, label: t(`activity.status.${s}`) }))} />
        <Checkbox checked={!!filters.incomplete} onChange={(e) => set({ incomplete: e.target.checked })}>{t('activity.only_incomplete')}</Checkbox>
        <Checkbox checked={!!filters.firstTopic} onChange={(e) => set({ firstTopic: e.target.checked })} data-testid="activity-first-topic-filter">{t('activity.only_first_topic')}</Checkbox>
      </Space>
      <Table<Activity>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('activity.none') }}
        data-testid="activity-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('activity.title'), dataIndex: 'title', render: (title: string, a) => (
            <Space>
              <Link to={`/activities/${a.id}`}>{title}</Link>
              {a.isFirstTopic && <Tooltip title={t('activity.first_topic_hint')}><Tag color="red">{t('activity.first_topic')}</Tag></Tooltip>}
              {a.isIncomplete && <Tooltip title={<FourEnsuredTags activity={a} />}><Tag color="warning">{t('activity.incomplete')}</Tag></Tooltip>}
            </Space>
          ) },
          { title: t('activity.type'), dataIndex: 'type', render: (type: ActivityType) => t(`activity.type.${type}`) },
          { title: t('activity.org'), dataIndex: 'orgName' },
          { title: t('activity.time'), dataIndex: 'startsAt', render: (v: string) => formatTime(v) },
          { title: t('activity.place'), dataIndex: 'place', render: (v: string | null) => v ?? '—' },
          { title: t('common.status'), dataIndex: 'status', render: (s: ActivityStatus) => <ActivityStatusTag status={s} /> },
          { title: t('activity.attendance'), key: 'attendance', render: (_: unknown, a: Activity) => `${a.attendance.present + a.attendance.late}/${a.attendance.total}` },
        ]}
      />
      {creating && <CreateActivityDialog onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface CreateForm extends ParticipantValues {
  orgId?: string; type: ActivityType; title: string; time?: [Dayjs, Dayjs]; place?: string; venueId?: string; venueBookingId?: string; hostName?: string; topic?: string; agenda?: string;
  streamUrl?: string; repeatWeeks?: number; asksBringAndTake?: boolean; isFirstTopic?: boolean;
}

/** Plan: when, where (a place or a confirmed venue booking), who hosts, topic and agenda, and who takes part. Saved as a draft until published. */
function CreateActivityDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<CreateForm>();
  const [saving, setSaving] = useState(false);
  const type = Form.useWatch('type', form);
  const venues = useQuery({ queryKey: ['venues'], queryFn: () => api.get<{ items: Venue[] }>('/venues') });
  const bookings = useQuery({ queryKey: ['venue-bookings', 'mine', 'confirmed'], queryFn: () => api.get<{ items: Booking[] }>('/venue-bookings', { mine: 1, status: 'confirmed', pageSize: 100 }) });

  async function submit(values: CreateForm) {
    const participants = selectionOf({ ...values, participantOrgId: values.participantOrgId ?? values.orgId });
    setSaving(true);
    try {
      const created = await api.post<Activity>('/activities', {
        orgId: values.orgId, type: values.type, title: values.title, place: values.place || undefined, venueId: values.venueId || undefined, venueBookingId: values.venueBookingId || undefined,
        hostName: values.hostName || undefined, topic: values.topic || undefined, agenda: values.agenda || undefined, streamUrl: values.streamUrl || undefined,
        repeatWeeks: values.repeatWeeks, startsAt: values.time?.[0].toISOString(), endsAt: values.time?.[1].toISOString(), asksBringAndTake: values.asksBringAndTake,
        isFirstTopic: values.isFirstTopic,
        // named persons only: the org field then says where the activity belongs, not who is invited
        participants: values.memberIds?.length && !values.participantOrgId ? { ...participants, orgIds: [] } : participants,
      });
      message.success(t('activity.created_ok'));
      void navigate(`/activities/${created.id}`);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      // the contract's startsAt / endsAt are one range input here, and its participants.* are the picker's fields
      const fields = error instanceof ApiError ? error.fields : {};
      const timeError = fields.endsAt ?? fields.startsAt;
      if (timeError) form.setFields([{ name: 'time', errors: [timeError] }]);
      const pickerErrors = [['participants.orgIds', 'participantOrgId'], ['participants.memberIds', 'memberIds']] as const;
      for (const [path, name] of pickerErrors) if (fields[path]) form.setFields([{ name, errors: [fields[path]] }]);
      const rest = unplaced.filter((m) => m !== timeError && !pickerErrors.some(([path]) => fields[path] === m));
      if (!handled && !timeError && !pickerErrors.some(([path]) => fields[path])) message.error(errorMessage(error, t('app.error')));
      else if (rest.length) message.error(rest[0]);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t('activity.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={680} destroyOnHidden
      okButtonProps={{ 'data-testid': 'activity-create-ok' }}>
      <Form<CreateForm> form={form} layout="vertical" onFinish={submit} initialValues={{ type: 'theme_day', ...participantDefaults }} data-testid="activity-form">
        <Space.Compact block>
          <Form.Item name="orgId" label={t('activity.org')} rules={[{ required: true }]} style={{ flex: 1 }}><OrgTreeSelect /></Form.Item>
          <Form.Item name="type" label={t('activity.type')} rules={[{ required: true }]} style={{ width: 220 }}>
            <Select options={ACTIVITY_TYPES.map((v) => ({ value: v, label: t(`activity.type.${v}`) }))} />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="title" label={t('activity.title')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="time" label={t('activity.time')} rules={[{ required: true }]}><DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} /></Form.Item>
        <Space.Compact block>
          <Form.Item name="place" label={t('activity.place')} style={{ flex: 1 }}><Input maxLength={200} /></Form.Item>
          <Form.Item name="hostName" label={t('activity.host')} style={{ width: 200 }}><Input maxLength={50} /></Form.Item>
        </Space.Compact>
        {!!bookings.data?.items.length && (
          <Form.Item name="venueBookingId" label={t('activity.venue_booking')} extra={t('activity.venue_booking_hint')}>
            <Select allowClear options={bookings.data.items.map((b) => ({ value: b.id, label: `${b.venueName} · ${b.halls.map((h) => h.name).join('、')} · ${formatTime(b.startsAt)}` }))}
              onChange={(bookingId?: string) => {
                const b = bookings.data.items.find((x) => x.id === bookingId);
                if (b) form.setFieldsValue({ place: `${b.venueName} ${b.halls.map((h) => h.name).join('、')}`, venueId: b.venueId, time: [dayjs(b.startsAt), dayjs(b.endsAt)] });
              }} />
          </Form.Item>
        )}
        {!!venues.data?.items.length && (
          <Form.Item name="venueId" label={t('activity.venue')} extra={t('activity.venue_hint')}>
            <Select allowClear showSearch optionFilterProp="label" options={venues.data.items.filter((v) => v.isActive).map((v) => ({ value: v.id, label: v.name }))} />
          </Form.Item>
        )}
        {type === 'live_lesson' && (
          <Space.Compact block>
            <Form.Item name="streamUrl" label={t('activity.stream_url')} rules={[{ required: true }]} style={{ flex: 1 }}><Input placeholder="https://" /></Form.Item>
            <Form.Item name="repeatWeeks" label={t('activity.repeat_weeks')} style={{ width: 160 }}><InputNumber min={1} max={52} /></Form.Item>
          </Space.Compact>
        )}
        <Form.Item name="topic" label={t('activity.topic')}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
        <Form.Item name="agenda" label={t('activity.agenda')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
        <ParticipantFields />
        <Form.Item name="asksBringAndTake" label={t('activity.bring_and_take')} valuePropName="checked"><Switch /></Form.Item>
        <Form.Item name="isFirstTopic" label={t('activity.first_topic')} extra={t('activity.first_topic_hint')} valuePropName="checked"><Switch data-testid="activity-first-topic-switch" /></Form.Item>
      </Form>
    </Modal>
  );
}

/** 导出出勤记录: an org (with those under it) and a year; the server streams the sheet and audits the export. */
function AttendanceExportDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ orgId: string; year: Dayjs }>();
  const [busy, setBusy] = useState(false);
  async function submit(values: { orgId: string; year: Dayjs }) {
    setBusy(true);
    try {
      await api.download('/activities/attendance/export', { orgId: values.orgId, year: values.year.year() }, 'attendance.xlsx');
      onClose();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal open title={t('activity.export_attendance')} okText={t('activity.export_attendance')} confirmLoading={busy} onOk={() => form.submit()} onCancel={onClose} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={{ year: dayjs() }} onFinish={(v) => void submit(v)}>
        <Form.Item name="orgId" label={t('activity.org')} rules={[{ required: true }]}><OrgTreeSelect /></Form.Item>
        <Form.Item name="year" label={t('activity.export_year')} rules={[{ required: true }]} extra={t('activity.export_attendance_hint')}>
          <DatePicker picker="year" disabledDate={(d) => d.isAfter(dayjs(), 'year')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
