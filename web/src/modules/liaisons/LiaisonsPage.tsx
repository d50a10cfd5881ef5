import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Grid, Input, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { LIAISON_STATUSES, type CreateLiaison, type Liaison, type LiaisonPage, type SitIn, type SitInPage } from '../../../../contracts/liaisons.js';
import type { UserPage } from '../../../../contracts/users.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { useSession } from '../../platform/session.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface FormValues { orgId: string; userId: string; duty?: string; fromDate?: Dayjs | null; untilDate?: Dayjs | null }

/** 委员联系支部 for the committee above: who liaises with which branch, and what they saw when sitting in. */
export default function LiaisonsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const tab = params.get('tab') === 'sit-ins' ? 'sit-ins' : 'assignments';
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.liaisons')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <Tabs activeKey={tab} onChange={(key) => set({ tab: key === 'sit-ins' ? 'sit-ins' : undefined, page: undefined })} items={[
        { key: 'assignments', label: t('liaison.tab.assignments'), children: <Assignments /> },
        { key: 'sit-ins', label: t('liaison.tab.sit_ins'), children: <SitIns /> },
      ]} />
    </Card>
  );
}

function Assignments() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { me } = useSession();
  // an inspector reads this page too; assigning is for the administrators above a branch (the server decides which)
  const administers = !!me?.user.roles.some((r) => r.role === 'org_admin' || r.role === 'platform_admin');
  const [params, set] = useSearchState();
  const [open, setOpen] = useState(false);
  const status = LIAISON_STATUSES.find((s) => s === params.get('status')) ?? 'active';
  const orgId = params.get('orgId') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const query = { status, orgId, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['liaisons', 'list', query], queryFn: () => api.get<LiaisonPage>('/liaisons', query), placeholderData: keepPreviousData });
  const end = async (l: Liaison) => {
    try {
      await api.post(`/liaisons/${l.id}/end`, {});
      void message.success(t('liaison.ended'));
      void queryClient.invalidateQueries({ queryKey: ['liaisons'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const statusTag = (l: Liaison) => (l.active ? <Tag color="green">{t('liaison.status.active')}</Tag>
    : l.endedAt || (l.untilDate !== null && l.untilDate < new Date().toISOString().slice(0, 10)) ? <Tag>{t('liaison.status.ended')}</Tag>
      : <Tag color="blue">{t('liaison.status.pending')}</Tag>);
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('liaison.status')} style={{ width: 140 }} value={status} onChange={(v: string) => set({ status: v === 'active' ? undefined : v, page: undefined })}
          options={LIAISON_STATUSES.map((s) => ({ value: s, label: t(`liaison.status.${s}`) }))} />
        <OrgTreeSelect aria-label={t('liaison.branch')} placeholder={t('liaison.branch')} value={orgId} onChange={(v) => set({ orgId: v ?? undefined, page: undefined })} style={{ width: 240 }} />
        {administers && <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="liaison-new">{t('liaison.assign')}</Button>}
      </Space>
      <Table<Liaison>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('liaison.none') }} data-testid="liaison-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('liaison.branch'), dataIndex: 'orgName', width: 200 },
          { title: t('liaison.user'), key: 'user', width: 160, render: (_: unknown, l) => <span>{l.userName} <Typography.Text type="secondary">{l.username}</Typography.Text></span> },
          { title: t('liaison.duty'), dataIndex: 'duty', width: 110, responsive: ['md'], render: (v: string | null) => v ?? '—' },
          { title: t('liaison.from'), key: 'dates', width: 190, render: (_: unknown, l) => `${l.fromDate} ~ ${l.untilDate ?? t('liaison.until_open')}` },
          { title: t('liaison.status'), key: 'status', width: 90, render: (_: unknown, l) => statusTag(l) },
          { title: t('liaison.sit_ins'), dataIndex: 'sitIns', width: 90 },
          {
            title: '', key: 'actions', width: 100,
            render: (_: unknown, l) => l.canManage && (
              <Popconfirm title={t('liaison.end_confirm')} onConfirm={() => void end(l)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                <Button size="small" danger aria-label={`${t('liaison.end')} ${l.userName} ${l.orgName}`}>{t('liaison.end')}</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {open && <AssignDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function AssignDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const [q, setQ] = useState('');
  const users = useQuery({ queryKey: ['users', 'pick', q], queryFn: () => api.get<UserPage>('/users', { q: q || undefined, pageSize: 20, disabled: '0' }), placeholderData: keepPreviousData });
  const submit = (v: FormValues) => run(async () => {
    const body: CreateLiaison = { orgId: v.orgId, userId: v.userId, duty: v.duty ?? null, fromDate: isoDay(v.fromDate) ?? undefined, untilDate: isoDay(v.untilDate) };
    await api.post<Liaison>('/liaisons', body);
    void message.success(t('liaison.saved'));
    void queryClient.invalidateQueries({ queryKey: ['liaisons'] });
    onClose();
  });
  const required = [{ required: true, message: t('liaison.required') }];
  return (
    <Modal open title={t('liaison.assign')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('liaison.assign_hint')}</Typography.Paragraph>
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="orgId" label={t('liaison.branch')} rules={required}><OrgTreeSelect placeholder={t('liaison.branch')} /></Form.Item>
        <Form.Item name="userId" label={t('liaison.user')} rules={required}>
          <Select showSearch={{ filterOption: false, onSearch: setQ }} placeholder={t('liaison.user_search')} loading={users.isFetching}
            options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        </Form.Item>
        <Form.Item name="duty" label={t('liaison.duty')}><Input maxLength={30} placeholder={t('liaison.duty_placeholder')} /></Form.Item>
        <Space wrap>
          <Form.Item name="fromDate" label={t('liaison.from')}><DatePicker /></Form.Item>
          <Form.Item name="untilDate" label={t('liaison.until')}><DatePicker placeholder={t('liaison.until_open')} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function SitIns() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const orgId = params.get('orgId') ?? undefined;
  const query = { orgId, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['liaisons', 'sit-ins', query], queryFn: () => api.get<SitInPage>('/liaisons/sit-ins', query), placeholderData: keepPreviousData });
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect aria-label={t('sit_in.org')} placeholder={t('sit_in.org')} value={orgId} onChange={(v) => set({ orgId: v ?? undefined, page: undefined })} style={{ width: 240 }} />
      </Space>
      <Table<SitIn>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('sit_in.none') }} data-testid="sit-in-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        expandable={{ expandedRowRender: (s) => <SitInText sitIn={s} /> }}
        columns={[
          { title: t('sit_in.date'), dataIndex: 'satInOn', width: 110 },
          { title: t('sit_in.activity'), key: 'activity', width: 240, render: (_: unknown, s) => <span>{s.activityTitle} <Typography.Text type="secondary">{formatTime(s.activityStartsAt)}</Typography.Text></span> },
          { title: t('sit_in.org'), dataIndex: 'orgName', width: 180, responsive: ['md'] },
          { title: t('sit_in.liaison'), dataIndex: 'userName', width: 100 },
        ]}
      />
    </>
  );
}

export function SitInText({ sitIn }: { sitIn: SitIn }) {
  const t = useT();
  return (
    <div>
      <Typography.Text strong>{t('sit_in.observations')}</Typography.Text>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{sitIn.observations}</Typography.Paragraph>
      {sitIn.suggestions && <>
        <Typography.Text strong>{t('sit_in.suggestions')}</Typography.Text>
        <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{sitIn.suggestions}</Typography.Paragraph>
      </>}
    </div>
  );
}
