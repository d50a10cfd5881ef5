import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Grid, Input, InputNumber, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { MEDAL_FILTERS, type FiftyYearMedal, type FiftyYearsMember, type FiftyYearsPage, type IssueMedal } from '../../../../contracts/fifty_years.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

/** 光荣在党50年: the members reaching 50 years of membership in a year, with the 纪念章 recorded. */
export default function FiftyYearsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const [params, set] = useSearchState();
  const year = Number(params.get('year') ?? todayInChina().year());
  const orgId = params.get('orgId') ?? undefined;
  const issued = MEDAL_FILTERS.find((f) => f === params.get('issued')) ?? 'all';
  const page = Number(params.get('page') ?? '1');
  const query = { year, orgId, issued, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['fifty-years', query], queryFn: () => api.get<FiftyYearsPage>('/fifty-years', query), placeholderData: keepPreviousData });
  const [issuing, setIssuing] = useState<FiftyYearsMember | null>(null);
  const [revoking, setRevoking] = useState<FiftyYearMedal | null>(null);
  const download = async () => {
    try {
      await api.download('/fifty-years/export', { year, orgId, issued }, 'fifty-years.xlsx');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const counts = list.data?.counts;
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.fifty_years')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}
      extra={<Button icon={<DownloadOutlined />} onClick={() => void download()} data-testid="fifty-years-export">{t('fifty_years.export')}</Button>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <InputNumber aria-label={t('fifty_years.year')} min={1950} max={2199} value={year} onChange={(v) => v && set({ year: String(v), page: undefined })} addonBefore={t('fifty_years.year')} />
        <OrgTreeSelect aria-label={t('fifty_years.org')} placeholder={t('fifty_years.org')} value={orgId} onChange={(v) => set({ orgId: v ?? undefined, page: undefined })} style={{ width: 240 }} />
        <Segmented value={issued} onChange={(v) => set({ issued: v === 'all' ? undefined : String(v), page: undefined })}
          options={MEDAL_FILTERS.map((f) => ({ value: f, label: t(`fifty_years.filter.${f}`) }))} />
      </Space>
      {counts && <Typography.Paragraph data-testid="fifty-years-counts">{t('fifty_years.counts', { year, total: counts.total, issued: counts.issued, notIssued: counts.notIssued })}</Typography.Paragraph>}
      {list.data && list.data.byOrg.length > 1 && (
        <Space wrap style={{ marginBottom: 16 }}>
          {list.data.byOrg.map((o) => (
            <Tag key={o.orgId} style={{ cursor: 'pointer' }} onClick={() => set({ orgId: o.orgId, page: undefined })}>{o.orgName} {o.issued}/{o.total}</Tag>
          ))}
        </Space>
      )}
      <Table<FiftyYearsMember>
        rowKey="memberId" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('fifty_years.none') }} data-testid="fifty-years-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('fifty_years.name'), key: 'name', width: 120, render: (_: unknown, m) => <span>{m.name}{!m.onRoll && <Tag style={{ marginLeft: 4 }}>{t('fifty_years.left')}</Tag>}</span> },
          { title: t('fifty_years.member_org'), dataIndex: 'orgName', width: 180 },
          { title: t('fifty_years.joined_on'), dataIndex: 'joinedOn', width: 110, responsive: ['md'] },
          { title: t('fifty_years.anniversary_on'), dataIndex: 'anniversaryOn', width: 110 },
          { title: t('fifty_years.phone'), dataIndex: 'phoneMasked', width: 120, responsive: ['lg'], render: (v: string | null) => v ?? '—' },
          {
            title: t('fifty_years.medal'), key: 'medal', width: 220,
            render: (_: unknown, m) => (m.medal
              ? <Tag color="red">{t('fifty_years.issued_on_by', { date: m.medal.issuedOn, org: m.medal.orgName })}</Tag>
              : <Tag>{t('fifty_years.not_issued')}</Tag>),
          },
          {
            title: '', key: 'actions', width: 110,
            render: (_: unknown, m) => (m.medal
              ? <Button size="small" danger onClick={() => setRevoking(m.medal)} aria-label={`${t('fifty_years.revoke')} ${m.name}`}>{t('fifty_years.revoke')}</Button>
              : m.onRoll && <Button size="small" type="primary" onClick={() => setIssuing(m)} aria-label={`${t('fifty_years.issue')} ${m.name}`}>{t('fifty_years.issue')}</Button>),
          },
        ]}
      />
      {issuing && <IssueDialog member={issuing} defaultOrgId={orgId ?? issuing.orgId} onClose={() => setIssuing(null)} />}
      {revoking && <RevokeDialog medal={revoking} onClose={() => setRevoking(null)} />}
    </Card>
  );
}

interface IssueValues { orgId: string; issuedOn: Dayjs; note?: string }

function IssueDialog({ member, defaultOrgId, onClose }: { member: FiftyYearsMember; defaultOrgId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<IssueValues>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: IssueValues) => run(async () => {
    const body: IssueMedal = { memberId: member.memberId, orgId: v.orgId, issuedOn: isoDay(v.issuedOn)!, note: v.note ?? null };
    await api.post<FiftyYearMedal>('/fifty-years/medals', body);
    void message.success(t('fifty_years.issued'));
    void queryClient.invalidateQueries({ queryKey: ['fifty-years'] });
    onClose();
  });
  const required = [{ required: true, message: t('fifty_years.required') }];
  return (
    <Modal open title={t('fifty_years.issue_title', { name: member.name })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<IssueValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ orgId: defaultOrgId, issuedOn: todayInChina() }}>
        <Form.Item name="orgId" label={t('fifty_years.issuing_org')} rules={required}><OrgTreeSelect placeholder={t('fifty_years.issuing_org')} /></Form.Item>
        <Form.Item name="issuedOn" label={t('fifty_years.issued_on')} rules={required}><DatePicker /></Form.Item>
        <Form.Item name="note" label={t('fifty_years.note')}><Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} /></Form.Item>
      </Form>
    </Modal>
  );
}

function RevokeDialog({ medal, onClose }: { medal: FiftyYearMedal; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { reason: string }) => run(async () => {
    await api.post<FiftyYearMedal>(`/fifty-years/medals/${medal.id}/revoke`, v);
    void message.success(t('fifty_years.revoked'));
    void queryClient.invalidateQueries({ queryKey: ['fifty-years'] });
    onClose();
  });
  return (
    <Modal open title={t('fifty_years.revoke')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.confirm')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<{ reason: string }> form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="reason" label={t('fifty_years.revoke_reason')} rules={[{ required: true, message: t('fifty_years.required') }]}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}
