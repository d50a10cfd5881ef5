import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Popconfirm, Segmented, Select, Space, Statistic, Tag, Typography } from 'antd';
import { CheckOutlined, DownloadOutlined, PlusOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import {
  ExpenditurePurposeSchema, type Account, type AccountRow, type Expenditure, type RecordExpenditure, type RecordRemittance, type Remittance,
} from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { fenOf, yuan } from './money.js';
import { DuesList, MonthPicker, Section, YearSelect, thisMonth, thisYear, useDownload, useYuanRules, type DuesColumn } from './parts.js';
import type { ExpenditurePage, RemittancePage } from './types.js';

/** 收支台账: the month's collection of the org and of each direct child, what went up to the level above, and what was spent. */
export default function AccountsTab({ orgId }: { orgId: string }) {
  const t = useT();
  const [params, set] = useSearchState();
  const month = params.get('month') ?? thisMonth();
  const { busy, download } = useDownload();
  const account = useQuery({
    queryKey: ['dues', 'accounts', orgId, month],
    queryFn: ({ signal }) => api.get<Account>('/dues/accounts', { orgId, month }, signal),
    placeholderData: keepPreviousData,
  });
  const columns: DuesColumn<AccountRow & { isOwn: boolean }>[] = [
    { key: 'org', title: t('dues.org'), isHeading: true, render: (r) => <Space size={4}><Typography.Text strong>{r.orgName}</Typography.Text>{r.isOwn && <Tag color="blue">{t('dues.with_subtree')}</Tag>}</Space> },
    { key: 'due', title: t('dues.due_yuan'), align: 'right', render: (r) => yuan(r.dueFen) },
    { key: 'collected', title: t('dues.collected_yuan'), align: 'right', render: (r) => yuan(r.collectedFen) },
    { key: 'arrears', title: t('dues.unpaid_yuan'), align: 'right', render: (r) => yuan(r.arrearsFen) },
    { key: 'count', title: t('dues.paid_count'), align: 'right', render: (r) => `${r.paidCount}/${r.billCount}` },
    { key: 'extra', title: t('dues.extra_yuan'), align: 'right', render: (r) => yuan(r.extraFen) },
    { key: 'special', title: t('dues.special_yuan'), align: 'right', render: (r) => yuan(r.specialFen) },
    { key: 'remitted', title: t('dues.remitted_yuan'), align: 'right', render: (r) => `${yuan(r.remittedFen)}（${t('dues.confirmed_amount', { amount: yuan(r.remittedConfirmedFen) })}）` },
    { key: 'received', title: t('dues.received_yuan'), align: 'right', render: (r) => yuan(r.receivedFen) },
  ];
  const rows = account.data ? [{ ...account.data.org, isOwn: true }, ...account.data.children.map((c) => ({ ...c, isOwn: false }))] : [];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Section title={t('dues.account_title')} testId="dues-account" toolbar={<>
        <MonthPicker value={month} onChange={(m) => set({ month: m })} label={t('dues.month')} />
        <Button icon={<DownloadOutlined />} loading={busy === 'account'} onClick={() => void download('account', '/dues/accounts.xlsx', { orgId, month })}>{t('dues.export')}</Button>
      </>}>
        {account.error ? <Alert type="error" showIcon title={errorMessage(account.error, t('app.error'))} /> : (
          <DuesList rows={rows} rowKey={(r) => r.orgId} columns={columns} loading={account.isFetching} emptyText={t('dues.no_account')} testId="account-list" rowTestId="account-row" />
        )}
      </Section>
      <RemittancesCard orgId={orgId} month={month} />
      <ExpendituresCard orgId={orgId} />
    </Space>
  );
}

type Direction = 'sent' | 'received';

/** 上缴: what this org sent to the level above (with whether it was confirmed), and what its children sent here, to confirm. */
function RemittancesCard({ orgId, month }: { orgId: string; month: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, set] = useSearchState();
  const direction: Direction = params.get('direction') === 'received' ? 'received' : 'sent';
  const [page, setPage] = useState(1);
  const [remitting, setRemitting] = useState(false);
  const [confirming, setConfirming] = useState<string | null>(null);
  const query = { orgId, direction, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['dues', 'remittances', query],
    queryFn: ({ signal }) => api.get<RemittancePage>('/dues/remittances', query, signal),
    placeholderData: keepPreviousData,
  });
  async function confirm(r: Remittance) {
    setConfirming(r.id);
    try {
      await api.post<Remittance>(`/dues/remittances/${r.id}/confirm`);
      void message.success(t('dues.remittance_confirmed'));
      void queryClient.invalidateQueries({ queryKey: ['dues'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setConfirming(null);
    }
  }
  const columns: DuesColumn<Remittance>[] = [
    { key: 'org', title: direction === 'sent' ? t('dues.remitted_to') : t('dues.remitted_from'), isHeading: true, render: (r) => <Typography.Text strong>{direction === 'sent' ? r.toOrgName : r.fromOrgName}</Typography.Text> },
    { key: 'status', title: t('common.status'), isHeading: true, render: (r) => <Tag color={r.status === 'confirmed' ? 'green' : 'gold'}>{t(`dues.remittance_status.${r.status}`)}</Tag> },
    { key: 'month', title: t('dues.month'), render: (r) => r.month },
    { key: 'amount', title: t('dues.amount_yuan'), align: 'right', render: (r) => yuan(r.amountFen) },
    { key: 'special', title: t('dues.special_part_yuan'), align: 'right', render: (r) => yuan(r.specialFen) },
    { key: 'on', title: t('dues.remitted_on'), render: (r) => r.remittedOn },
    { key: 'method', title: t('dues.method'), render: (r) => t(`dues.method.${r.method}`) },
    { key: 'reference', title: t('dues.reference'), render: (r) => r.reference ?? '—' },
    {
      key: 'actions', title: t('common.actions'),
      render: (r) => (r.canConfirm && r.status === 'sent'
        ? <Button size="small" type="primary" icon={<CheckOutlined />} loading={confirming === r.id} onClick={() => void confirm(r)} data-testid="remittance-confirm">{t('dues.confirm_received')}</Button>
        : null),
    },
  ];
  return (
    <Section title={t('dues.remittances')} testId="dues-remittances" toolbar={<>
      <Segmented<Direction> aria-label={t('dues.remittances')} value={direction} onChange={(d) => { setPage(1); set({ direction: d === 'sent' ? undefined : d }); }}
        options={[{ value: 'sent', label: t('dues.remittances_sent') }, { value: 'received', label: t('dues.remittances_received') }]} />
      <Button type="primary" icon={<SendOutlined />} onClick={() => setRemitting(true)} data-testid="remittance-new">{t('dues.remit')}</Button>
    </>}>
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      <DuesList rows={list.data?.items ?? []} rowKey={(r) => r.id} columns={columns} loading={list.isFetching} emptyText={t('dues.no_remittances')}
        testId="remittance-list" rowTestId="remittance-row"
        paging={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }} />
      {remitting && <RemitDialog orgId={orgId} month={month} onClose={() => setRemitting(false)} />}
    </Section>
  );
}

/** The contract's names, so that the server's field errors land under their inputs; amounts are 元 text. */
interface RemitValues { month?: Dayjs | null; amountFen?: string; specialFen?: string; remittedOn?: Dayjs | null; method: 'cash' | 'transfer'; reference?: string; note?: string }

function RemitDialog({ orgId, month, onClose }: { orgId: string; month: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<RemitValues>();
  const { saving, run } = useFormSubmit(form);
  const amountRules = useYuanRules(true);
  const specialRules = useYuanRules(false);
  const submit = (v: RemitValues) => run(async () => {
    const body: RecordRemittance = {
      fromOrgId: orgId, month: v.month?.format('YYYY-MM') ?? month, amountFen: fenOf(v.amountFen) ?? 0, specialFen: fenOf(v.specialFen) ?? 0,
      remittedOn: isoDay(v.remittedOn) ?? '', method: v.method, reference: v.reference || null, note: v.note || null,
    };
    const saved = await api.post<Remittance>('/dues/remittances', body);
    void message.success(t('dues.remitted', { org: saved.toOrgName, amount: yuan(saved.amountFen) }));
    void queryClient.invalidateQueries({ queryKey: ['dues'] });
    onClose();
  });
  return (
    <Modal open title={t('dues.remit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'remittance-save' }}>
      <Form<RemitValues> form={form} layout="vertical" name="dues-remit" onFinish={(v) => void submit(v)}
        initialValues={{ month: dayjs(`${month}-01`), remittedOn: todayInChina(), method: 'transfer' }}>
        <Typography.Paragraph type="secondary">{t('dues.remit_hint')}</Typography.Paragraph>
        <Form.Item name="month" label={t('dues.month')} rules={[{ required: true, message: t('dues.required') }]}><DatePicker picker="month" /></Form.Item>
        <Space wrap align="start">
          <Form.Item name="amountFen" label={t('dues.amount_yuan')} rules={amountRules}><Input inputMode="decimal" maxLength={13} style={{ width: 160 }} /></Form.Item>
          <Form.Item name="specialFen" label={t('dues.special_part_yuan')} rules={specialRules}><Input inputMode="decimal" maxLength={13} style={{ width: 160 }} /></Form.Item>
        </Space>
        <Space wrap align="start">
          <Form.Item name="remittedOn" label={t('dues.remitted_on')} rules={[{ required: true, message: t('dues.required') }]}><DatePicker /></Form.Item>
          <Form.Item name="method" label={t('dues.method')}>
            <Select style={{ width: 120 }} options={(['transfer', 'cash'] as const).map((m) => ({ value: m, label: t(`dues.method.${m}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="reference" label={t('dues.reference')}><Input maxLength={60} /></Form.Item>
        <Form.Item name="note" label={t('dues.note')}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** 党费支出: the org's expenses of a year by the permitted purposes; a wrong entry is cancelled by a reversal, not deleted. */
function ExpendituresCard({ orgId }: { orgId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, set] = useSearchState();
  const year = Number(params.get('year') ?? thisYear());
  const [page, setPage] = useState(1);
  const [recording, setRecording] = useState(false);
  const query = { orgId, year, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['dues', 'expenditures', query],
    queryFn: ({ signal }) => api.get<ExpenditurePage>('/dues/expenditures', query, signal),
    placeholderData: keepPreviousData,
  });
  async function reverse(e: Expenditure) {
    try {
      await api.post<Expenditure>(`/dues/expenditures/${e.id}/reverse`);
      void message.success(t('dues.expenditure_reversed'));
      void queryClient.invalidateQueries({ queryKey: ['dues'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  }
  const columns: DuesColumn<Expenditure>[] = [
    { key: 'purpose', title: t('dues.purpose'), isHeading: true, render: (e) => <Typography.Text strong>{t(`dues.purpose.${e.purpose}`)}</Typography.Text> },
    { key: 'state', title: t('common.status'), isHeading: true, render: (e) => (e.reversesId ? <Tag color="red">{t('dues.reversal')}</Tag> : e.reversedById ? <Tag>{t('dues.reversed')}</Tag> : null) },
    { key: 'on', title: t('dues.spent_on'), render: (e) => e.spentOn },
    { key: 'amount', title: t('dues.amount_yuan'), align: 'right', render: (e) => yuan(e.amountFen) },
    { key: 'description', title: t('dues.description'), render: (e) => e.description },
    { key: 'voucher', title: t('dues.voucher_no'), render: (e) => e.voucherNo ?? '—' },
    {
      key: 'actions', title: t('common.actions'),
      render: (e) => (!e.reversesId && !e.reversedById ? (
        <Popconfirm title={t('dues.reverse_expenditure_confirm')} onConfirm={() => reverse(e)}>
          <Button size="small" danger icon={<RollbackOutlined />}>{t('dues.reverse')}</Button>
        </Popconfirm>
      ) : null),
    },
  ];
  return (
    <Section title={t('dues.expenditures')} testId="dues-expenditures" toolbar={<>
      <YearSelect value={year} onChange={(y) => { setPage(1); set({ year: String(y) }); }} label={t('dues.year')} />
      <Button icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="expenditure-new">{t('dues.record_expenditure')}</Button>
    </>}>
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      {list.data && <Statistic title={t('dues.spent_total', { year })} value={yuan(list.data.totalFen)} style={{ marginBottom: 12 }} />}
      <DuesList rows={list.data?.items ?? []} rowKey={(e) => e.id} columns={columns} loading={list.isFetching} emptyText={t('dues.no_expenditures')}
        testId="expenditure-list" rowTestId="expenditure-row"
        paging={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage }} />
      {recording && <ExpenditureDialog orgId={orgId} onClose={() => setRecording(false)} />}
    </Section>
  );
}

interface ExpenditureValues { spentOn?: Dayjs | null; purpose?: RecordExpenditure['purpose']; amountFen?: string; description?: string; voucherNo?: string }

function ExpenditureDialog({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ExpenditureValues>();
  const { saving, run } = useFormSubmit(form);
  const amountRules = useYuanRules(true);
  const required = [{ required: true, message: t('dues.required') }];
  const submit = (v: ExpenditureValues) => run(async () => {
    const body: RecordExpenditure = {
      orgId, spentOn: isoDay(v.spentOn) ?? '', purpose: v.purpose ?? 'other', amountFen: fenOf(v.amountFen) ?? 0, description: v.description ?? '', voucherNo: v.voucherNo || null,
    };
    await api.post<Expenditure>('/dues/expenditures', body);
    void message.success(t('dues.expenditure_recorded'));
    void queryClient.invalidateQueries({ queryKey: ['dues'] });
    onClose();
  });
  return (
    <Modal open title={t('dues.record_expenditure')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden okButtonProps={{ 'data-testid': 'expenditure-save' }}>
      <Form<ExpenditureValues> form={form} layout="vertical" name="dues-expenditure" onFinish={(v) => void submit(v)} initialValues={{ spentOn: todayInChina() }}>
        <Form.Item name="purpose" label={t('dues.purpose')} rules={required}>
          <Select options={ExpenditurePurposeSchema.options.map((p) => ({ value: p, label: t(`dues.purpose.${p}`) }))} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="amountFen" label={t('dues.amount_yuan')} rules={amountRules}><Input inputMode="decimal" maxLength={13} style={{ width: 160 }} /></Form.Item>
          <Form.Item name="spentOn" label={t('dues.spent_on')} rules={required}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="description" label={t('dues.description')} rules={required}><Input maxLength={200} /></Form.Item>
        <Form.Item name="voucherNo" label={t('dues.voucher_no')}><Input maxLength={40} /></Form.Item>
      </Form>
    </Modal>
  );
}
