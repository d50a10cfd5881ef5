import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Space, Statistic, Tag, Typography } from 'antd';
import { FilePdfOutlined, RollbackOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { Payment, PaymentPage, ReversePayment } from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { yuan } from './money.js';
import { DuesList, Section, paymentLines, type DuesColumn } from './parts.js';

const PAGE_SIZE = 20;

export function ReceiptLink({ payment }: { payment: Pick<Payment, 'id' | 'receiptNo'> }) {
  const t = useT();
  // a plain link: the browser opens the PDF itself (its viewer, or a download on a phone)
  return (
    <a href={`/api/dues/payments/${payment.id}/receipt.pdf`} target="_blank" rel="noreferrer" data-testid="receipt-link" aria-label={`${t('dues.receipt_pdf')} ${payment.receiptNo}`}>
      <FilePdfOutlined /> {payment.receiptNo}
    </a>
  );
}

/** 缴纳记录: the receipts of the org's subtree, append-only — a mistake is answered by a reversal entry, never an edit. */
export default function PaymentsTab({ orgId }: { orgId: string }) {
  const t = useT();
  const [params, set] = useSearchState();
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [reversing, setReversing] = useState<Payment | null>(null);
  const query = { orgId, from, to, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['dues', 'payments', query],
    queryFn: ({ signal }) => api.get<PaymentPage>('/dues/payments', query, signal),
    placeholderData: keepPreviousData,
  });
  const columns: DuesColumn<Payment>[] = [
    { key: 'receipt', title: t('dues.receipt_no'), isHeading: true, render: (p) => <ReceiptLink payment={p} /> },
    {
      key: 'kind', title: t('common.status'), isHeading: true,
      render: (p) => (p.kind === 'reversal' ? <Tag color="red">{t('dues.reversal')}</Tag> : p.reversedById ? <Tag>{t('dues.reversed')}</Tag> : <Tag color="green">{t('dues.valid')}</Tag>),
    },
    { key: 'member', title: t('dues.member'), render: (p) => <Typography.Text strong>{p.memberName}</Typography.Text> },
    { key: 'org', title: t('dues.org'), render: (p) => p.orgName },
    { key: 'paidOn', title: t('dues.paid_on'), render: (p) => p.paidOn },
    { key: 'method', title: t('dues.method'), render: (p) => t(`dues.method.${p.method}`) },
    { key: 'total', title: t('dues.total_yuan'), align: 'right', render: (p) => yuan(p.totalFen) },
    { key: 'lines', title: t('dues.covers'), render: (p) => paymentLines(t, p) || '—' },
    { key: 'proxy', title: t('dues.proxy_name'), render: (p) => p.proxyName ?? '—' },
    {
      key: 'actions', title: t('common.actions'),
      render: (p) => (p.kind === 'payment' && !p.reversedById
        ? <Button size="small" danger icon={<RollbackOutlined />} onClick={() => setReversing(p)} data-testid="payment-reverse">{t('dues.reverse')}</Button>
        : null),
    },
  ];
  return (
    <Section title={t('dues.tab.payments')} testId="dues-payments" toolbar={
      <DatePicker.RangePicker allowEmpty={[true, true]} aria-label={t('dues.paid_between')} value={[from ? dayjs(from) : null, to ? dayjs(to) : null]}
        onChange={(range) => set({ from: isoDay(range?.[0]) ?? undefined, to: isoDay(range?.[1]) ?? undefined })} />
    }>
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      {list.data && <Statistic title={t('dues.payments_total')} value={yuan(list.data.totalFen)} style={{ marginBottom: 12 }} />}
      <DuesList rows={list.data?.items ?? []} rowKey={(p) => p.id} columns={columns} loading={list.isFetching} emptyText={t('dues.no_payments')}
        testId="payment-list" rowTestId="payment-row"
        paging={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }) }} />
      {reversing && <ReverseDialog payment={reversing} onClose={() => setReversing(null)} />}
    </Section>
  );
}

function ReverseDialog({ payment, onClose }: { payment: Payment; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReversePayment>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: ReversePayment) => run(async () => {
    const reversal = await api.post<Payment>(`/dues/payments/${payment.id}/reverse`, v);
    void message.success(t('dues.reversed_done', { receiptNo: reversal.receiptNo }));
    void queryClient.invalidateQueries({ queryKey: ['dues'] });
    onClose();
  });
  return (
    <Modal open title={`${t('dues.reverse')} · ${payment.receiptNo}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ danger: true, 'data-testid': 'payment-reverse-ok' }}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Alert type="warning" showIcon title={t('dues.reverse_hint', { name: payment.memberName, amount: yuan(payment.totalFen) })} />
        <Form<ReversePayment> form={form} layout="vertical" name="dues-reverse" onFinish={(v) => void submit(v)}>
          <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true, message: t('dues.required') }]}>
            <Input.TextArea maxLength={200} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Space>
    </Modal>
  );
}
