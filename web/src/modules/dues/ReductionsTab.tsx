import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Radio, Select, Space, Tag, Typography } from 'antd';
import { CheckOutlined, CloseOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Reduction, RequestReduction, ReviewReduction } from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { MemberPicker } from '../communities/MemberPicker.js';
import { fenOf, yuan } from './money.js';
import { DuesList, Section, useYuanRules, type DuesColumn } from './parts.js';
import type { ReductionPage } from './types.js';

const PAGE_SIZE = 20;
const STATUSES = ['all', 'pending', 'approved', 'rejected'] as const;
type ReductionStatus = (typeof STATUSES)[number];
const STATUS_COLORS = { pending: 'gold', approved: 'green', rejected: 'red' } as const;

/** 减免: a branch asks (its committee decided), the level above approves or refuses; approved months are billed at the reduced amount or nothing. */
export default function ReductionsTab({ orgId }: { orgId: string }) {
  const t = useT();
  const [params, set] = useSearchState();
  const status: ReductionStatus = STATUSES.find((s) => s === params.get('rstatus')) ?? 'all';
  const page = Number(params.get('page') ?? '1');
  const [requesting, setRequesting] = useState(false);
  const [reviewing, setReviewing] = useState<{ reduction: Reduction; approve: boolean } | null>(null);
  const query = { orgId, status, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['dues', 'reductions', query],
    queryFn: ({ signal }) => api.get<ReductionPage>('/dues/reductions', query, signal),
    placeholderData: keepPreviousData,
  });
  const columns: DuesColumn<Reduction>[] = [
    { key: 'name', title: t('dues.member'), isHeading: true, render: (r) => <Typography.Text strong>{r.memberName}</Typography.Text> },
    { key: 'status', title: t('common.status'), isHeading: true, render: (r) => <Tag color={STATUS_COLORS[r.status]}>{t(`dues.reduction_status.${r.status}`)}</Tag> },
    { key: 'org', title: t('dues.org'), render: (r) => r.orgName },
    { key: 'kind', title: t('dues.reduction_kind'), render: (r) => (r.kind === 'exempt' ? t('dues.reduction_kind.exempt') : `${t('dues.reduction_kind.reduce')} ${yuan(r.monthlyFen ?? 0)}`) },
    { key: 'months', title: t('dues.period'), render: (r) => `${r.fromMonth} — ${r.toMonth}` },
    { key: 'reason', title: t('common.reason'), render: (r) => r.reason },
    { key: 'decided', title: t('dues.committee_decided_on'), render: (r) => r.decidedOn },
    { key: 'review', title: t('dues.review_note'), render: (r) => r.reviewNote ?? '—' },
    {
      key: 'actions', title: t('common.actions'),
      render: (r) => (r.canReview && r.status === 'pending' ? (
        <Space size={4}>
          <Button size="small" type="primary" icon={<CheckOutlined />} onClick={() => setReviewing({ reduction: r, approve: true })} data-testid="reduction-approve">{t('dues.approve')}</Button>
          <Button size="small" danger icon={<CloseOutlined />} onClick={() => setReviewing({ reduction: r, approve: false })}>{t('dues.reject')}</Button>
        </Space>
      ) : null),
    },
  ];
  return (
    <Section title={t('dues.tab.reductions')} testId="dues-reductions" toolbar={<>
      <Select aria-label={t('common.status')} value={status} style={{ width: 130 }} onChange={(s: ReductionStatus) => set({ rstatus: s === 'all' ? undefined : s })}
        options={STATUSES.map((s) => ({ value: s, label: s === 'all' ? t('common.all') : t(`dues.reduction_status.${s}`) }))} />
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setRequesting(true)} data-testid="reduction-new">{t('dues.request_reduction')}</Button>
    </>}>
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      <DuesList rows={list.data?.items ?? []} rowKey={(r) => r.id} columns={columns} loading={list.isFetching} emptyText={t('dues.no_reductions')}
        testId="reduction-list" rowTestId="reduction-row"
        paging={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }) }} />
      {requesting && <RequestDialog onClose={() => setRequesting(false)} />}
      {reviewing && <ReviewDialog {...reviewing} onClose={() => setReviewing(null)} />}
    </Section>
  );
}

/** The contract's names, so that the server's field errors land under their inputs; the amount is 元 text. */
interface RequestValues {
  memberId?: string; kind: 'reduce' | 'exempt'; monthlyFen?: string; fromMonth?: Dayjs | null; toMonth?: Dayjs | null; reason?: string; decidedOn?: Dayjs | null;
}

function RequestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RequestValues>();
  const { saving, run } = useFormSubmit(form);
  const kind = Form.useWatch('kind', form);
  const amountRules = useYuanRules(true);
  const required = [{ required: true, message: t('dues.required') }];
  const submit = (v: RequestValues) => run(async () => {
    const body: RequestReduction = {
      memberId: v.memberId ?? '', kind: v.kind, monthlyFen: v.kind === 'reduce' ? fenOf(v.monthlyFen) : null,
      fromMonth: v.fromMonth?.format('YYYY-MM') ?? '', toMonth: v.toMonth?.format('YYYY-MM') ?? '', reason: v.reason ?? '', decidedOn: isoDay(v.decidedOn) ?? '',
    };
    await api.post<Reduction>('/dues/reductions', body);
    void message.success(t('dues.reduction_requested'));
    void queryClient.invalidateQueries({ queryKey: ['dues', 'reductions'] });
    onClose();
  });
  return (
    <Modal open title={t('dues.request_reduction')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'reduction-save' }}>
      <Form<RequestValues> form={form} layout="vertical" name="dues-reduction" onFinish={(v) => void submit(v)}
        initialValues={{ kind: 'reduce', fromMonth: todayInChina(), decidedOn: todayInChina() }}>
        <Form.Item name="memberId" label={t('dues.member')} rules={required}><MemberPicker placeholder={t('dues.search_member')} /></Form.Item>
        <Form.Item name="kind" label={t('dues.reduction_kind')} rules={required}>
          <Radio.Group options={(['reduce', 'exempt'] as const).map((k) => ({ value: k, label: t(`dues.reduction_kind.${k}`) }))} />
        </Form.Item>
        {kind === 'reduce' && <Form.Item name="monthlyFen" label={t('dues.reduced_monthly_yuan')} rules={amountRules}><Input inputMode="decimal" maxLength={13} style={{ width: 160 }} /></Form.Item>}
        <Space wrap>
          <Form.Item name="fromMonth" label={t('dues.from_month')} rules={required}><DatePicker picker="month" /></Form.Item>
          <Form.Item name="toMonth" label={t('dues.to_month')} rules={required}><DatePicker picker="month" /></Form.Item>
        </Space>
        <Form.Item name="reason" label={t('common.reason')} rules={required}><Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} /></Form.Item>
        <Form.Item name="decidedOn" label={t('dues.committee_decided_on')} rules={required}><DatePicker /></Form.Item>
      </Form>
    </Modal>
  );
}

function ReviewDialog({ reduction, approve, onClose }: { reduction: Reduction; approve: boolean; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ note?: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { note?: string }) => run(async () => {
    const body: ReviewReduction = { approve, note: v.note || null };
    await api.post<Reduction>(`/dues/reductions/${reduction.id}/review`, body);
    void message.success(t(approve ? 'dues.reduction_approved' : 'dues.reduction_rejected'));
    void queryClient.invalidateQueries({ queryKey: ['dues'] });
    onClose();
  });
  return (
    <Modal open title={`${t(approve ? 'dues.approve' : 'dues.reject')} · ${reduction.memberName}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ danger: !approve, 'data-testid': 'reduction-review-ok' }}>
      <Form form={form} layout="vertical" name="dues-review" onFinish={(v) => void submit(v)}>
        <Typography.Paragraph>{reduction.reason}</Typography.Paragraph>
        <Form.Item name="note" label={t('dues.review_note')}><Input.TextArea maxLength={200} autoSize={{ minRows: 2 }} /></Form.Item>
      </Form>
    </Modal>
  );
}
