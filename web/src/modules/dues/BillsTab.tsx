import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, DatePicker, Empty, Form, Input, Modal, Select, Space, Statistic, Typography } from 'antd';
import { DownloadOutlined, PlusOutlined, ThunderboltOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  PaymentMethodSchema, type Bill, type BillPage, type GenerateBillsResult, type Payment, type PaymentMethod, type RecordPayment,
} from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { MemberPicker } from '../communities/MemberPicker.js';
import { fenOf, yuan } from './money.js';
import { BillStatusTag, DuesList, MonthPicker, SearchBox, Section, thisMonth, useDownload, useYuanRules, type DuesColumn } from './parts.js';

const PAGE_SIZE = 20;
type BillStatusFilter = 'all' | 'unpaid' | 'paid';

/** 月度账单: a month's bills of the org's subtree, generated from the bases, with what was paid and the desk's "record a payment". */
export default function BillsTab({ orgId }: { orgId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, set] = useSearchState();
  const month = params.get('month') ?? thisMonth();
  const status = (['unpaid', 'paid'] as const).find((s) => s === params.get('status')) ?? 'all';
  const q = params.get('q') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [paying, setPaying] = useState<{ id: string; name: string } | null | undefined>(undefined);
  const [generating, setGenerating] = useState(false);
  const [generated, setGenerated] = useState<GenerateBillsResult | null>(null);
  const { busy, download } = useDownload();
  const query = { orgId, month, status, q, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['dues', 'bills', query],
    queryFn: ({ signal }) => api.get<BillPage>('/dues/bills', query, signal),
    placeholderData: keepPreviousData,
  });

  async function generate() {
    setGenerating(true);
    try {
      setGenerated(await api.post<GenerateBillsResult>('/dues/bills/generate', { orgId, fromMonth: month }));
      void queryClient.invalidateQueries({ queryKey: ['dues'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setGenerating(false);
    }
  }

  const columns: DuesColumn<Bill>[] = [
    { key: 'name', title: t('dues.member'), isHeading: true, render: (b) => <Typography.Text strong>{b.memberName}</Typography.Text> },
    { key: 'status', title: t('common.status'), isHeading: true, render: (b) => <BillStatusTag bill={b} /> },
    { key: 'org', title: t('dues.org'), render: (b) => b.orgName },
    { key: 'month', title: t('dues.month'), render: (b) => b.month },
    { key: 'category', title: t('dues.category'), render: (b) => t(`dues.category.${b.category}`) },
    { key: 'base', title: t('dues.base_yuan'), align: 'right', render: (b) => (b.baseFen == null ? '—' : yuan(b.baseFen)) },
    { key: 'due', title: t('dues.due_yuan'), align: 'right', render: (b) => yuan(b.dueFen) },
    { key: 'paid', title: t('dues.paid_yuan'), align: 'right', render: (b) => yuan(b.paidFen) },
    {
      key: 'actions', title: t('common.actions'),
      render: (b) => (b.status === 'unpaid'
        ? <Button size="small" onClick={() => setPaying({ id: b.memberId, name: b.memberName })} data-testid="bill-pay">{t('dues.record_payment')}</Button>
        : null),
    },
  ];
  const totals = list.data;

  return (
    <Section title={t('dues.tab.bills')} testId="dues-bills" toolbar={<>
      <MonthPicker value={month} onChange={(m) => { setGenerated(null); set({ month: m }); }} label={t('dues.month')} testId="bills-month" />
      <Select aria-label={t('common.status')} value={status} style={{ width: 120 }} onChange={(s: BillStatusFilter) => set({ status: s === 'all' ? undefined : s })}
        options={(['all', 'unpaid', 'paid'] as const).map((s) => ({ value: s, label: t(`dues.bill_filter.${s}`) }))} />
      <SearchBox value={q} onSearch={(v) => set({ q: v })} placeholder={t('dues.search_member')} />
      <Button type="primary" icon={<ThunderboltOutlined />} loading={generating} onClick={() => void generate()} data-testid="bills-generate">{t('dues.generate', { month })}</Button>
      <Button icon={<PlusOutlined />} onClick={() => setPaying(null)} data-testid="payment-new">{t('dues.record_payment')}</Button>
      <Button icon={<DownloadOutlined />} loading={busy === 'bills'} onClick={() => void download('bills', '/dues/bills.xlsx', { orgId, month, status, q })}>{t('dues.export')}</Button>
    </>}>
      {generated && (
        <Alert type={generated.missingBase ? 'warning' : 'success'} showIcon closable={{ onClose: () => setGenerated(null) }} style={{ marginBottom: 12 }} data-testid="bills-generated"
          title={t('dues.generated', { created: generated.created, existing: generated.existing, missing: generated.missingBase, amount: yuan(generated.dueFen) })} />
      )}
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      {totals && (
        <Space size={24} wrap style={{ marginBottom: 12 }} data-testid="bills-totals">
          <Statistic title={t('dues.due_yuan')} value={yuan(totals.dueFen)} />
          <Statistic title={t('dues.paid_yuan')} value={yuan(totals.paidFen)} />
          <Statistic title={t('dues.unpaid_yuan')} value={yuan(Math.max(0, totals.dueFen - totals.paidFen))} />
        </Space>
      )}
      <DuesList rows={list.data?.items ?? []} rowKey={(b) => b.id} columns={columns} loading={list.isFetching} emptyText={t('dues.no_bills')}
        testId="bill-list" rowTestId="bill-row"
        paging={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }) }} />
      {paying !== undefined && <RecordPaymentDialog orgId={orgId} member={paying} onClose={() => setPaying(undefined)} />}
    </Section>
  );
}

/** The contract's names, so that the server's field errors land under their inputs; amounts are 元 text. */
interface PaymentValues {
  memberId?: string; billIds: string[]; method: Exclude<PaymentMethod, 'online'>; paidOn: Dayjs | null; proxyName?: string;
  extraFen?: string; specialFen?: string; reference?: string; note?: string;
}

/**
 * A receipt at the desk: one member's unpaid months (several at once, each in full), how it was paid,
 * who handed it in for a member away (代缴), and any voluntary extra or one-off special amount.
 */
function RecordPaymentDialog({ orgId, member, onClose }: { orgId: string; member: { id: string; name: string } | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PaymentValues>();
  const { saving, run } = useFormSubmit(form);
  const amountRules = useYuanRules(false);
  const [receipt, setReceipt] = useState<Payment | null>(null);
  const pickedMember = Form.useWatch('memberId', form);
  const memberId = member?.id ?? pickedMember;
  const billIds = Form.useWatch('billIds', form) ?? [];
  const extra = fenOf(Form.useWatch('extraFen', form)) ?? 0;
  const special = fenOf(Form.useWatch('specialFen', form)) ?? 0;
  const unpaid = useQuery({
    queryKey: ['dues', 'bills', 'unpaid-of', orgId, memberId],
    queryFn: ({ signal }) => api.get<BillPage>('/dues/bills', { orgId, memberId, status: 'unpaid', pageSize: 200 }, signal),
    enabled: !!memberId,
  });
  const bills = [...(unpaid.data?.items ?? [])].sort((a, b) => a.month.localeCompare(b.month));
  const owed = (b: Bill) => b.dueFen - b.paidFen;
  const totalFen = bills.filter((b) => billIds.includes(b.id)).reduce((sum, b) => sum + owed(b), 0) + extra + special;
  useEffect(() => { form.setFieldsValue({ billIds: [] }); }, [memberId, form]);

  const submit = (v: PaymentValues) => run(async () => {
    const body: RecordPayment = {
      memberId: memberId ?? '', billIds: v.billIds ?? [], method: v.method, paidOn: isoDay(v.paidOn) ?? '',
      extraFen: fenOf(v.extraFen) ?? 0, specialFen: fenOf(v.specialFen) ?? 0,
      proxyName: v.proxyName || null, reference: v.reference || null, note: v.note || null,
    };
    const saved = await api.post<Payment>('/dues/payments', body);
    setReceipt(saved);
    void message.success(t('dues.payment_recorded', { receiptNo: saved.receiptNo }));
    void queryClient.invalidateQueries({ queryKey: ['dues'] });
  });

  if (receipt) {
    return (
      <Modal open title={t('dues.record_payment')} onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: 'none' } }} okButtonProps={{ 'data-testid': 'payment-done' }}>
        <Alert type="success" showIcon data-testid="payment-receipt"
          title={t('dues.payment_recorded', { receiptNo: receipt.receiptNo })}
          description={<Space orientation="vertical" size={4}>
            <span>{t('dues.total_yuan')}：{yuan(receipt.totalFen)}</span>
            <a href={`/api/dues/payments/${receipt.id}/receipt.pdf`} target="_blank" rel="noreferrer">{t('dues.receipt_pdf')}</a>
          </Space>} />
      </Modal>
    );
  }
  return (
    <Modal open title={member ? `${t('dues.record_payment')} · ${member.name}` : t('dues.record_payment')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      destroyOnHidden okText={t('dues.record_payment_ok', { amount: yuan(totalFen) })} okButtonProps={{ 'data-testid': 'payment-save' }}>
      <Form<PaymentValues> form={form} layout="vertical" name="dues-payment" onFinish={(v) => void submit(v)}
        initialValues={{ billIds: [], method: 'cash', paidOn: todayInChina() }}>
        {!member && (
          <Form.Item name="memberId" label={t('dues.member')} rules={[{ required: true, message: t('dues.required') }]}>
            <MemberPicker placeholder={t('dues.search_member')} />
          </Form.Item>
        )}
        <Form.Item label={t('dues.unpaid_months')} required>
          {!memberId && <Typography.Text type="secondary">{t('dues.pick_member_first')}</Typography.Text>}
          {!!memberId && bills.length === 0 && !unpaid.isFetching && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dues.no_unpaid')} />}
          <Form.Item name="billIds" noStyle>
            <Checkbox.Group style={{ display: bills.length ? 'flex' : 'none', flexDirection: 'column', gap: 4 }} data-testid="payment-bills"
              options={bills.map((b) => ({ value: b.id, label: `${b.month} · ${yuan(owed(b))} ${t('dues.yuan')}` }))} />
          </Form.Item>
          {bills.length > 1 && (
            <Button size="small" style={{ marginTop: 8 }} onClick={() => form.setFieldsValue({ billIds: bills.map((b) => b.id) })}>{t('dues.select_all_months')}</Button>
          )}
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="method" label={t('dues.method')} rules={[{ required: true, message: t('dues.required') }]}>
            <Select style={{ width: 140 }} options={PaymentMethodSchema.options.filter((m) => m !== 'online').map((m) => ({ value: m, label: t(`dues.method.${m}`) }))} />
          </Form.Item>
          <Form.Item name="paidOn" label={t('dues.paid_on')} rules={[{ required: true, message: t('dues.required') }]}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="proxyName" label={t('dues.proxy_name')} extra={t('dues.proxy_hint')}><Input maxLength={40} /></Form.Item>
        <Space wrap align="start">
          <Form.Item name="extraFen" label={t('dues.extra_yuan')} rules={amountRules}><Input inputMode="decimal" maxLength={13} style={{ width: 150 }} /></Form.Item>
          <Form.Item name="specialFen" label={t('dues.special_yuan')} rules={amountRules} extra={t('dues.special_hint')}><Input inputMode="decimal" maxLength={13} style={{ width: 150 }} /></Form.Item>
        </Space>
        <Form.Item name="reference" label={t('dues.reference')}><Input maxLength={60} /></Form.Item>
        <Form.Item name="note" label={t('dues.note')}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}
