import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Grid, Input, InputNumber, Modal, Select, Space, Table, Tabs, Tag } from 'antd';
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { DISCIPLINE_KINDS, HONOUR_KINDS, type DisciplineRecord, type Honour, type HonourPage } from '../../../../contracts/commendations.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { MemberPicker } from '../communities/MemberPicker.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface DisciplinePage { items: DisciplineRecord[]; total: number }

/** 荣誉与奖惩: the honours by year and kind (export), 微星光 per org per month, and 党纪处分. */
export default function HonoursPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const tab = params.get('tab') ?? 'history';
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.honours')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <Tabs activeKey={tab} onChange={(key) => set({ tab: key === 'history' ? undefined : key, page: undefined })} items={[
        { key: 'history', label: t('commendation.tab.history'), children: <History /> },
        { key: 'stars', label: t('commendation.tab.micro_stars'), children: <MicroStars /> },
        { key: 'discipline', label: t('commendation.tab.discipline'), children: <Discipline /> },
      ]} />
    </Card>
  );
}

function HonourTable({ data, loading, page, onPage, testId }: { data?: HonourPage; loading: boolean; page: number; onPage: (p: number) => void; testId: string }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  return (
    <Table<Honour> rowKey="id" size={screens.md ? 'middle' : 'small'} loading={loading} dataSource={data?.items ?? []} scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('commendation.no_honours') }} data-testid={testId}
      pagination={{ current: page, pageSize: 20, total: data?.total ?? 0, onChange: onPage, showTotal: (total) => t('common.total', { total }) }}
      columns={[
        { title: t('commendation.recipient'), dataIndex: 'recipientName' },
        { title: t('commendation.honour'), key: 'title', render: (_: unknown, h) => <>{h.title}{h.month && <Tag style={{ marginLeft: 4 }}>{h.month}</Tag>}</> },
        { title: t('commendation.recipient_org'), dataIndex: 'recipientOrgName', responsive: ['md'] },
        { title: t('commendation.awarded_by'), dataIndex: 'awardedByOrgName', responsive: ['lg'] },
        { title: t('commendation.reason'), dataIndex: 'reason', responsive: ['lg'], ellipsis: true, width: 220 },
        { title: t('commendation.awarded_on'), dataIndex: 'awardedOn', width: 110 },
        {
          title: t('commendation.certificate'), key: 'certificate', width: 90,
          render: (_: unknown, h) => h.hasCertificate && <a href={`/api/commendations/honours/${h.id}/certificate`} target="_blank" rel="noreferrer" aria-label={`PDF ${t('commendation.certificate')} ${h.recipientName}`}>PDF</a>,
        },
      ]} />
  );
}

function History() {
  const t = useT();
  const { message } = App.useApp();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const year = params.get('year') ? Number(params.get('year')) : undefined;
  const kind = params.get('kind') ?? undefined;
  const query = { year, kind, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['commendations', 'honours', query], queryFn: () => api.get<HonourPage>('/commendations/honours', query), placeholderData: keepPreviousData });
  const exportList = async () => {
    try {
      await api.download('/commendations/honours/export', { year, kind }, 'honours.xlsx');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <InputNumber aria-label={t('commendation.year')} placeholder={t('commendation.all_years')} min={1900} max={2199} value={year} style={{ width: 120 }}
          onChange={(v) => set({ year: v ? String(v) : undefined, page: undefined })} />
        <Select aria-label={t('commendation.kinds')} allowClear placeholder={t('commendation.all_kinds')} style={{ width: 180 }} value={kind}
          onChange={(v: string | undefined) => set({ kind: v, page: undefined })} options={HONOUR_KINDS.map((k) => ({ value: k, label: t(`commendation.kind.${k}`) }))} />
        <Button icon={<DownloadOutlined />} onClick={() => void exportList()}>{t('commendation.export')}</Button>
      </Space>
      <HonourTable data={list.data} loading={list.isFetching} page={page} onPage={(p) => set({ page: String(p) })} testId="honour-table" />
    </>
  );
}

function MicroStars() {
  const t = useT();
  const [params, set] = useSearchState();
  const [open, setOpen] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const orgId = params.get('orgId') ?? undefined;
  const month = params.get('month') ?? undefined;
  const query = { orgId, month, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['commendations', 'honours', 'stars', query], queryFn: () => api.get<HonourPage>('/commendations/micro-stars', query), placeholderData: keepPreviousData });
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect aria-label={t('commendation.org')} placeholder={t('commendation.org')} value={orgId} onChange={(v) => set({ orgId: v ?? undefined, page: undefined })} style={{ width: 240 }} />
        <DatePicker picker="month" aria-label={t('commendation.month')} placeholder={t('commendation.month')} onChange={(d: Dayjs | null) => set({ month: d ? d.format('YYYY-MM') : undefined, page: undefined })} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="star-new">{t('commendation.give_star')}</Button>
      </Space>
      <HonourTable data={list.data} loading={list.isFetching} page={page} onPage={(p) => set({ page: String(p) })} testId="star-table" />
      {open && <MicroStarDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function MicroStarDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ memberId: string; month: Dayjs; reason: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { memberId: string; month: Dayjs; reason: string }) => run(async () => {
    await api.post<Honour>('/commendations/micro-stars', { memberId: v.memberId, month: v.month.format('YYYY-MM'), reason: v.reason });
    void message.success(t('commendation.saved'));
    void queryClient.invalidateQueries({ queryKey: ['commendations', 'honours'] });
    onClose();
  });
  const required = [{ required: true, message: t('commendation.required') }];
  return (
    <Modal open title={t('commendation.give_star')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ month: todayInChina() }}>
        <Form.Item name="memberId" label={t('commendation.member')} rules={required}><MemberPicker placeholder={t('commendation.member')} /></Form.Item>
        <Form.Item name="month" label={t('commendation.month')} rules={required}><DatePicker picker="month" /></Form.Item>
        <Form.Item name="reason" label={t('commendation.star_reason')} rules={required}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

function Discipline() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [open, setOpen] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const memberId = params.get('memberId') ?? undefined;
  const query = { memberId, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['commendations', 'discipline', query], queryFn: () => api.get<DisciplinePage>('/commendations/discipline', query), placeholderData: keepPreviousData });
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <MemberPicker placeholder={t('commendation.member')} value={memberId} onChange={(v) => set({ memberId: v, page: undefined })} style={{ width: 240 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('commendation.record_discipline')}</Button>
      </Space>
      <DisciplineTable items={list.data?.items ?? []} loading={list.isFetching} size={screens.md ? 'middle' : 'small'}
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p: number) => set({ page: String(p) }) }} />
      {open && <DisciplineDialog onClose={() => setOpen(false)} />}
    </>
  );
}

export function DisciplineTable({ items, loading, size = 'small', pagination = false }: {
  items: DisciplineRecord[]; loading?: boolean; size?: 'small' | 'middle'; pagination?: false | { current: number; pageSize: number; total: number; onChange: (p: number) => void };
}) {
  const t = useT();
  return (
    <Table<DisciplineRecord> rowKey="id" size={size} loading={loading} dataSource={items} pagination={pagination} scroll={{ x: 'max-content' }}
      locale={{ emptyText: t('commendation.no_discipline') }}
      columns={[
        { title: t('commendation.member'), dataIndex: 'memberName' },
        { title: t('commendation.discipline_kind'), dataIndex: 'kind', render: (k: DisciplineRecord['kind']) => t(`commendation.discipline.${k}`) },
        { title: t('commendation.decided_on'), dataIndex: 'decidedOn', width: 110 },
        { title: t('commendation.discipline_ends_on'), dataIndex: 'endsOn', width: 110, render: (v: string | null) => v ?? '—' },
        { title: t('commendation.status'), dataIndex: 'inForce', render: (v: boolean) => (v ? <Tag color="red">{t('commendation.in_force')}</Tag> : <Tag>{t('commendation.expired')}</Tag>) },
        { title: t('commendation.note'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
      ]} />
  );
}

function DisciplineDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  type Values = { memberId: string; kind: DisciplineRecord['kind']; decidedOn: Dayjs; endsOn?: Dayjs | null; note?: string };
  const [form] = Form.useForm<Values>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: Values) => run(async () => {
    await api.post<DisciplineRecord>('/commendations/discipline', { memberId: v.memberId, kind: v.kind, decidedOn: isoDay(v.decidedOn), endsOn: isoDay(v.endsOn), note: v.note ?? null });
    void message.success(t('commendation.saved'));
    void queryClient.invalidateQueries({ queryKey: ['commendations', 'discipline'] });
    onClose();
  });
  const required = [{ required: true, message: t('commendation.required') }];
  return (
    <Modal open title={t('commendation.record_discipline')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="memberId" label={t('commendation.member')} rules={required}><MemberPicker placeholder={t('commendation.member')} /></Form.Item>
        <Form.Item name="kind" label={t('commendation.discipline_kind')} rules={required}>
          <Select options={DISCIPLINE_KINDS.map((k) => ({ value: k, label: t(`commendation.discipline.${k}`) }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="decidedOn" label={t('commendation.decided_on')} rules={required}><DatePicker /></Form.Item>
          <Form.Item name="endsOn" label={t('commendation.discipline_ends_on')}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="note" label={t('commendation.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
    </Modal>
  );
}
