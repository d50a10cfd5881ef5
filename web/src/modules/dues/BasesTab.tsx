import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography, Upload, type UploadFile } from 'antd';
import { DownloadOutlined, EditOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import {
  DuesCategorySchema, RATED_CATEGORIES, type BaseImportResult, type DuesCategory, type MemberBase, type SetBase,
} from '../../../../contracts/dues.js';
import type { MemberBasePage, RateRuleList } from './types.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { fenOf, yuan, yuanText } from './money.js';
import { DuesList, SearchBox, Section, YearSelect, thisYear, useDownload, useYuanRules, type DuesColumn } from './parts.js';

const PAGE_SIZE = 20;

/** 交纳基数: who pays on what for the year, the members still without a base, and the spreadsheet round trip. */
export default function BasesTab({ orgId }: { orgId: string }) {
  const t = useT();
  const [params, set] = useSearchState();
  const year = Number(params.get('year') ?? thisYear());
  const filter = params.get('filter') === 'missing' ? 'missing' : 'all';
  const q = params.get('q') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [editing, setEditing] = useState<MemberBase | null>(null);
  const [importing, setImporting] = useState(false);
  const { busy, download } = useDownload();
  const query = { orgId, year, filter, q, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['dues', 'bases', query],
    queryFn: ({ signal }) => api.get<MemberBasePage>('/dues/bases', query, signal),
    placeholderData: keepPreviousData,
  });

  const columns: DuesColumn<MemberBase>[] = [
    { key: 'name', title: t('dues.member'), isHeading: true, render: (b) => <Typography.Text strong>{b.memberName}</Typography.Text> },
    { key: 'category', title: t('dues.category'), isHeading: true, render: (b) => (b.category ? <Tag>{t(`dues.category.${b.category}`)}</Tag> : <Tag color="orange">{t('dues.base_missing')}</Tag>) },
    { key: 'org', title: t('dues.org'), render: (b) => b.orgName },
    { key: 'base', title: t('dues.base_yuan'), align: 'right', render: (b) => (b.baseFen == null ? '—' : yuan(b.baseFen)) },
    { key: 'chosen', title: t('dues.chosen_yuan'), align: 'right', render: (b) => (b.chosenFen == null ? '—' : yuan(b.chosenFen)) },
    { key: 'from', title: t('dues.effective_month'), render: (b) => b.effectiveMonth ?? '—' },
    { key: 'monthly', title: t('dues.monthly_yuan'), align: 'right', render: (b) => (b.monthlyFen == null ? '—' : <Typography.Text strong>{yuan(b.monthlyFen)}</Typography.Text>) },
    { key: 'actions', title: t('common.actions'), render: (b) => <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(b)} data-testid="base-edit">{t('dues.set_base')}</Button> },
  ];

  return (
    <Section title={t('dues.tab.bases')} testId="dues-bases" toolbar={<>
      <YearSelect value={year} onChange={(y) => set({ year: String(y) })} label={t('dues.year')} />
      <Select aria-label={t('dues.base_filter')} value={filter} style={{ width: 150 }} onChange={(f: string) => set({ filter: f === 'all' ? undefined : f })}
        options={[{ value: 'all', label: t('dues.base_filter.all') }, { value: 'missing', label: t('dues.base_filter.missing') }]} />
      <SearchBox value={q} onSearch={(v) => set({ q: v })} placeholder={t('dues.search_member')} />
      <Button icon={<DownloadOutlined />} loading={busy === 'template'} onClick={() => void download('template', '/dues/bases/template.xlsx', { orgId, year })}>{t('dues.base_template')}</Button>
      <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="base-import">{t('dues.base_import')}</Button>
    </>}>
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      <DuesList rows={list.data?.items ?? []} rowKey={(b) => b.memberId} columns={columns} loading={list.isFetching} emptyText={t('dues.no_members')}
        testId="base-list" rowTestId="base-row"
        paging={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }) }} />
      {editing && <BaseDialog base={editing} year={year} onClose={() => setEditing(null)} />}
      {importing && <ImportDialog orgId={orgId} year={year} onClose={() => setImporting(false)} />}
    </Section>
  );
}

/** The form's fields carry the contract's names so that the server's field errors land under them; amounts are 元 text. */
interface BaseValues { category?: DuesCategory; baseFen?: string; chosenFen?: string; effectiveMonth?: Dayjs | null; decidedOn?: Dayjs | null; note?: string }

function BaseDialog({ base, year, onClose }: { base: MemberBase; year: number; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<BaseValues>();
  const { saving, run } = useFormSubmit(form);
  const category = Form.useWatch('category', form);
  const baseRules = useYuanRules(true);
  const rules = useQuery({ queryKey: ['dues', 'rules'], queryFn: () => api.get<RateRuleList>('/dues/rules'), staleTime: 600_000 });
  const ruralRule = rules.data?.items.find((r) => r.category === 'rural' && !r.validTo);
  useEffect(() => {
    form.setFieldsValue({ category: base.category ?? undefined, baseFen: yuanText(base.baseFen), chosenFen: yuanText(base.chosenFen) });
  }, [base, form]);
  const isRated = !!category && RATED_CATEGORIES.includes(category);
  const submit = (v: BaseValues) => run(async () => {
    const effectiveMonth = v.effectiveMonth ? v.effectiveMonth.format('YYYY-MM') : undefined;
    const body: SetBase = {
      year, category: v.category ?? 'employed',
      baseFen: isRated ? fenOf(v.baseFen) : null,
      chosenFen: v.category === 'rural' ? fenOf(v.chosenFen) : null,
      effectiveMonth, decidedOn: isoDay(v.decidedOn), note: v.note || null,
    };
    const saved = await api.put<MemberBase>(`/dues/bases/${base.memberId}`, body);
    void message.success(saved.monthlyFen == null ? t('common.saved') : t('dues.base_saved', { amount: yuan(saved.monthlyFen) }));
    void queryClient.invalidateQueries({ queryKey: ['dues'] });
    onClose();
  });
  return (
    <Modal open title={`${t('dues.set_base')} · ${base.memberName} · ${year}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ 'data-testid': 'base-save' }}>
      <Form<BaseValues> form={form} layout="vertical" name="dues-base" onFinish={(v) => void submit(v)}>
        <Form.Item name="category" label={t('dues.category')} rules={[{ required: true, message: t('dues.required') }]}>
          <Select options={DuesCategorySchema.options.map((c) => ({ value: c, label: t(`dues.category.${c}`) }))} />
        </Form.Item>
        {isRated && (
          <Form.Item name="baseFen" label={t('dues.base_yuan')} extra={t(category === 'retired' ? 'dues.base_hint_retired' : 'dues.base_hint_employed')} rules={baseRules}>
            <Input inputMode="decimal" maxLength={13} />
          </Form.Item>
        )}
        {category === 'rural' && (
          <Form.Item name="chosenFen" label={t('dues.chosen_yuan')} rules={baseRules}
            extra={ruralRule?.minFen != null && ruralRule.maxFen != null ? t('dues.chosen_hint', { min: yuan(ruralRule.minFen), max: yuan(ruralRule.maxFen) }) : undefined}>
            <Input inputMode="decimal" maxLength={13} />
          </Form.Item>
        )}
        {category && !isRated && category !== 'rural' && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('dues.fixed_hint')} />}
        <Space wrap>
          <Form.Item name="effectiveMonth" label={t('dues.effective_month')} extra={t('dues.effective_hint')}>
            <DatePicker picker="month" minDate={dayjs(`${year}-01-01`)} maxDate={dayjs(`${year}-12-01`)} />
          </Form.Item>
          <Form.Item name="decidedOn" label={t('dues.decided_on')}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="note" label={t('dues.note')}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}

function ImportDialog({ orgId, year, onClose }: { orgId: string; year: number; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<BaseImportResult | null>(null);
  const { busy: downloading, download } = useDownload();
  async function upload() {
    const raw = file?.originFileObj;
    if (!raw) return;
    const body = new FormData();
    body.append('file', raw, raw.name);
    setBusy(true);
    try {
      setReport(await api.upload<BaseImportResult>(`/dues/bases/import?orgId=${encodeURIComponent(orgId)}&year=${year}`, body));
      void queryClient.invalidateQueries({ queryKey: ['dues'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  }
  const failed = report?.rows.filter((r) => !r.ok).length ?? 0;
  return (
    <Modal open title={`${t('dues.base_import')} · ${year}`} onCancel={onClose} onOk={report ? onClose : () => void upload()} confirmLoading={busy} width={720} destroyOnHidden
      okText={report ? t('common.confirm') : t('dues.base_import')} okButtonProps={{ disabled: !report && !file, 'data-testid': 'base-import-ok' }}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Alert type="info" showIcon title={t('dues.import_hint')}
          action={<Button size="small" icon={<DownloadOutlined />} loading={!!downloading} onClick={() => void download('template', '/dues/bases/template.xlsx', { orgId, year })}>{t('dues.base_template')}</Button>} />
        <Upload accept=".xlsx" maxCount={1} beforeUpload={() => false} fileList={file ? [file] : []} data-testid="base-import-file"
          onChange={({ fileList }) => { setFile(fileList.at(-1) ?? null); setReport(null); }}>
          <Button icon={<UploadOutlined />}>{t('dues.choose_file')}</Button>
        </Upload>
        {report && (
          <>
            <Alert type={failed ? 'warning' : 'success'} showIcon data-testid="base-import-result" title={t('dues.import_result', { imported: report.imported, failed })} />
            <Table size="small" rowKey="row" pagination={false} scroll={{ x: 'max-content', y: 320 }} dataSource={report.rows}
              columns={[
                { title: t('dues.row'), dataIndex: 'row', width: 70 },
                { title: t('dues.member'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
                { title: t('common.status'), dataIndex: 'ok', render: (ok: boolean) => <Tag color={ok ? 'green' : 'red'}>{t(ok ? 'dues.row_ok' : 'dues.row_failed')}</Tag> },
                { title: t('dues.monthly_yuan'), dataIndex: 'monthlyFen', align: 'right', render: (v: number | null) => (v == null ? '—' : yuan(v)) },
                { title: t('dues.message'), dataIndex: 'message', render: (v: string | null) => v ?? '' },
              ]} />
          </>
        )}
      </Space>
    </Modal>
  );
}
