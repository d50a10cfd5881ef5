import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Space, Statistic, Tag, Typography, Upload, type UploadFile } from 'antd';
import { DownloadOutlined, FileSearchOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Reconciliation } from '../../../../contracts/dues.js';
import { ApiError, api } from '../../platform/api.js';
import { isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { yuan } from './money.js';
import { DuesList, Section, useDownload, type DuesColumn } from './parts.js';
import type { ReconciliationLine, ReconciliationRecord } from './types.js';

interface UploadValues { range?: [Dayjs | null, Dayjs | null] | null }

/**
 * 对账: the bank's statement of the org's dues account against the ledger for a period — lines and
 * records that match, the same reference with a different amount, and what is on one side only. The
 * result is kept (?rec=…), so that a link shows it again.
 */
export default function ReconciliationTab({ orgId }: { orgId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const [params, set] = useSearchState();
  const recId = params.get('rec');
  const [form] = Form.useForm<UploadValues>();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [busy, setBusy] = useState(false);
  const { busy: downloading, download } = useDownload();
  const result = useQuery({
    queryKey: ['dues', 'reconciliation', recId],
    queryFn: ({ signal }) => api.get<Reconciliation>(`/dues/reconciliations/${recId}`, undefined, signal),
    enabled: !!recId,
  });

  async function upload(v: UploadValues) {
    const raw = file?.originFileObj;
    const [from, to] = [isoDay(v.range?.[0]), isoDay(v.range?.[1])];
    if (!raw || !from || !to) return;
    const body = new FormData();
    body.append('file', raw, raw.name);
    setBusy(true);
    try {
      const created = await api.upload<Reconciliation>(`/dues/reconciliations?orgId=${encodeURIComponent(orgId)}&from=${from}&to=${to}`, body);
      set({ rec: created.id });
    } catch (error) {
      // the query's from and to are one range input here; the file has no input of its own
      const fields = error instanceof ApiError ? error.fields : {};
      const rangeError = fields.to ?? fields.from;
      if (rangeError) form.setFields([{ name: 'range', errors: [rangeError] }]);
      else void message.error(fields.file ?? errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Section title={t('dues.tab.reconciliation')} testId="dues-reconciliation" toolbar={
        <Button icon={<DownloadOutlined />} loading={downloading === 'statement-template'} onClick={() => void download('statement-template', '/dues/reconciliations/template.xlsx')}>
          {t('dues.statement_template')}
        </Button>
      }>
        <Typography.Paragraph type="secondary">{t('dues.reconcile_hint')}</Typography.Paragraph>
        <Form<UploadValues> form={form} layout="vertical" name="dues-reconcile" onFinish={(v) => void upload(v)} style={{ maxWidth: 520 }}>
          <Form.Item name="range" label={t('dues.reconcile_period')} rules={[{ required: true, message: t('dues.required') }]}>
            <DatePicker.RangePicker style={{ maxWidth: '100%' }} />
          </Form.Item>
          <Form.Item label={t('dues.bank_statement')} required>
            <Upload accept=".xlsx" maxCount={1} beforeUpload={() => false} fileList={file ? [file] : []} onChange={({ fileList }) => setFile(fileList.at(-1) ?? null)}>
              <Button icon={<UploadOutlined />}>{t('dues.choose_file')}</Button>
            </Upload>
          </Form.Item>
          <Button type="primary" htmlType="submit" icon={<FileSearchOutlined />} loading={busy} disabled={!file} data-testid="reconcile-run">{t('dues.reconcile')}</Button>
        </Form>
      </Section>
      {recId && (
        <QueryState isLoading={result.isLoading} error={result.error} retry={() => void result.refetch()}>
          {result.data && (
            <ReconciliationResult result={result.data}
              onExport={() => void download('reconciliation', `/dues/reconciliations/${result.data.id}/export.xlsx`)} exporting={downloading === 'reconciliation'} />
          )}
        </QueryState>
      )}
    </Space>
  );
}

function ReconciliationResult({ result: r, onExport, exporting }: { result: Reconciliation; onExport: () => void; exporting: boolean }) {
  const t = useT();
  const isBalanced = r.statementNetFen === r.recordsNetFen && r.differences.length === 0 && r.unmatchedLines.length === 0 && r.unmatchedRecords.length === 0;
  const lineColumns: DuesColumn<ReconciliationLine>[] = [
    { key: 'row', title: t('dues.row'), isHeading: true, render: (l) => <Typography.Text strong>{t('dues.row_n', { row: l.row })}</Typography.Text> },
    { key: 'date', title: t('dues.date'), render: (l) => l.date },
    { key: 'amount', title: t('dues.amount_yuan'), align: 'right', render: (l) => yuan(l.amountFen) },
    { key: 'counterparty', title: t('dues.counterparty'), render: (l) => l.counterparty ?? '—' },
    { key: 'reference', title: t('dues.reference'), render: (l) => l.reference ?? '—' },
    { key: 'memo', title: t('dues.memo'), render: (l) => l.memo ?? '—' },
  ];
  const recordColumns: DuesColumn<ReconciliationRecord>[] = [
    { key: 'type', title: t('dues.record_type'), isHeading: true, render: (x) => <Tag>{t(`dues.record_type.${x.type}`)}</Tag> },
    { key: 'label', title: t('dues.description'), isHeading: true, render: (x) => x.label },
    { key: 'date', title: t('dues.date'), render: (x) => x.date },
    { key: 'amount', title: t('dues.amount_yuan'), align: 'right', render: (x) => yuan(x.amountFen) },
    { key: 'reference', title: t('dues.reference'), render: (x) => x.reference ?? '—' },
  ];
  type Pair = Reconciliation['differences'][number] | (Reconciliation['matched'][number] & { differenceFen?: number });
  const pairColumns: DuesColumn<Pair>[] = [
    { key: 'row', title: t('dues.row'), isHeading: true, render: (p) => <Typography.Text strong>{t('dues.row_n', { row: p.line.row })}</Typography.Text> },
    { key: 'record', title: t('dues.ledger_record'), isHeading: true, render: (p) => `${t(`dues.record_type.${p.record.type}`)} · ${p.record.label}` },
    { key: 'date', title: t('dues.date'), render: (p) => p.line.date },
    { key: 'line', title: t('dues.bank_amount'), align: 'right', render: (p) => yuan(p.line.amountFen) },
    { key: 'ledger', title: t('dues.ledger_amount'), align: 'right', render: (p) => yuan(p.record.amountFen) },
    { key: 'diff', title: t('dues.difference'), align: 'right', render: (p) => (p.differenceFen ? <Typography.Text type="danger">{yuan(p.differenceFen)}</Typography.Text> : '0.00') },
    { key: 'reference', title: t('dues.reference'), render: (p) => p.line.reference ?? p.record.reference ?? '—' },
  ];
  return (
    <Card size="small" data-testid="reconciliation-result"
      title={`${t('dues.reconcile_result')} · ${r.fromDate} — ${r.toDate}`}
      extra={<Button size="small" icon={<DownloadOutlined />} loading={exporting} onClick={onExport} aria-label={t('dues.export')}>{t('dues.export')}</Button>}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <Typography.Text type="secondary">{r.fileName}</Typography.Text>
        <Space size={24} wrap>
          <Statistic title={t('dues.statement_net')} value={yuan(r.statementNetFen)} />
          <Statistic title={t('dues.records_net')} value={yuan(r.recordsNetFen)} />
          <Statistic title={t('dues.matched_net')} value={yuan(r.matchedNetFen)} />
        </Space>
        <Alert type={isBalanced ? 'success' : 'warning'} showIcon title={isBalanced ? t('dues.reconciled') : t('dues.reconcile_open', {
          differences: r.differences.length, lines: r.unmatchedLines.length, records: r.unmatchedRecords.length,
        })} />
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('dues.differences', { n: r.differences.length })}</Typography.Title>
        <DuesList rows={r.differences} rowKey={(p) => `${p.line.row}-${p.record.type}-${p.record.id}`} columns={pairColumns} emptyText={t('dues.none')} testId="reconcile-differences" />
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('dues.unmatched_lines', { n: r.unmatchedLines.length })}</Typography.Title>
        <DuesList rows={r.unmatchedLines} rowKey={(l) => String(l.row)} columns={lineColumns} emptyText={t('dues.none')} testId="reconcile-unmatched-lines" />
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('dues.unmatched_records', { n: r.unmatchedRecords.length })}</Typography.Title>
        <DuesList rows={r.unmatchedRecords} rowKey={(x) => `${x.type}-${x.id}`} columns={recordColumns} emptyText={t('dues.none')} testId="reconcile-unmatched-records" />
        <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('dues.matched', { n: r.matched.length })}</Typography.Title>
        <DuesList rows={r.matched} rowKey={(p) => `${p.line.row}-${p.record.type}-${p.record.id}`} columns={pairColumns.filter((c) => c.key !== 'diff')} emptyText={t('dues.none')} testId="reconcile-matched" />
      </Space>
    </Card>
  );
}
