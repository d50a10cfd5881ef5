import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Progress, Radio, Result, Space, Steps, Table, Typography, Upload, type UploadFile } from 'antd';
import { DownloadOutlined, FileSearchOutlined, InboxOutlined } from '@ant-design/icons';
import type { ImportAccepted, ImportJob, ImportMode, ImportProblem, ImportResult } from '../../../../contracts/member_import.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface Options {
  mode: 'all' | 'valid_only';
  orgId?: string;
}

/**
 * 批量导入: template → upload (mode, default org) → optionally a check-only run (nothing is
 * written) → the import, a job polled until done → the row report.
 */
export default function ImportWizardPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Options>();
  const [file, setFile] = useState<UploadFile | null>(null);
  // kept apart from the form, which is gone while a job runs: the import after a check reuses them
  const [options, setOptions] = useState<Options>({ mode: 'all' });
  const [run, setRun] = useState<{ jobId: string; mode: ImportMode } | null>(null);
  const [uploading, setUploading] = useState<ImportMode | null>(null);
  const [error, setError] = useState<string | null>(null);
  const jobId = run?.jobId ?? null;

  const job = useQuery({
    queryKey: ['member-import', jobId],
    queryFn: () => api.get<ImportJob>(`/members/import/${jobId}`),
    enabled: jobId !== null,
    refetchInterval: (query) => (query.state.data && (query.state.data.status === 'done' || query.state.data.status === 'failed') ? false : 500),
  });
  const finished = job.data?.status === 'done' || job.data?.status === 'failed';
  const imported = job.data?.result?.imported ?? 0;
  useEffect(() => {
    if (finished && imported > 0) void queryClient.invalidateQueries({ queryKey: ['members'] });
  }, [finished, imported, queryClient]);

  const downloadTemplate = async () => {
    try {
      await api.download('/members/import/template', undefined, 'member-import-template.xlsx');
    } catch (e) {
      void message.error(errorMessage(e, t('app.error')));
    }
  };

  const upload = async (mode: ImportMode, chosen: Options) => {
    const raw = file?.originFileObj;
    if (!raw) return;
    setOptions(chosen);
    setUploading(mode);
    setError(null);
    const body = new FormData();
    // the options go before the file: the server reads the parts in order
    body.append('mode', mode);
    if (chosen.orgId) body.append('orgId', chosen.orgId);
    body.append('file', raw, raw.name);
    try {
      const accepted = await api.upload<ImportAccepted>('/members/import', body);
      setRun({ jobId: accepted.jobId, mode });
    } catch (e) {
      // a refusal of the upload itself (bad org, not a spreadsheet) belongs to the form
      setRun(null);
      const { handled, unplaced } = showFieldErrors(form, e);
      if (!handled || unplaced.length) setError(unplaced[0] ?? errorMessage(e, t('app.error')));
    } finally {
      setUploading(null);
    }
  };

  const reset = (keepFile = false) => {
    setRun(null);
    if (!keepFile) setFile(null);
    setError(null);
  };

  const checked = run?.mode === 'validate' && job.data?.status === 'done' ? job.data.result : null;
  const step = !file ? 0 : !run ? 1 : run.mode === 'validate' ? 2 : 3;
  return (
    <Card title={t('import.title')}>
      <Steps current={step} style={{ marginBottom: 24 }} items={[
        { title: t('import.step_template') }, { title: t('import.step_upload') }, { title: t('import.step_validate') }, { title: t('import.step_result') },
      ]} />
      {!run && (
        <Space orientation="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
          <Alert type="info" showIcon message={t('import.template_hint')} action={<Button icon={<DownloadOutlined />} onClick={() => void downloadTemplate()}>{t('import.download_template')}</Button>} />
          <Form<Options> form={form} layout="vertical" initialValues={options} onFinish={(v) => void upload(v.mode, v)}>
            <Form.Item name="file" label={t('import.upload')} required>
              <Upload.Dragger
                accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                maxCount={1}
                fileList={file ? [file] : []}
                beforeUpload={() => false}
                onChange={({ fileList }) => setFile(fileList.at(-1) ?? null)}
                data-testid="import-file"
              >
                <p className="ant-upload-drag-icon"><InboxOutlined /></p>
                <p className="ant-upload-text">{t('import.upload')}</p>
              </Upload.Dragger>
            </Form.Item>
            <Form.Item name="orgId" label={t('import.target_org')}>
              <OrgTreeSelect placeholder={t('import.target_org')} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="mode" label={t('import.mode')}>
              <Radio.Group>
                <Space orientation="vertical">
                  <Radio value="all">{t('import.mode_all')}</Radio>
                  <Radio value="valid_only">{t('import.mode_valid')}</Radio>
                </Space>
              </Radio.Group>
            </Form.Item>
            {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="import-error" />}
            <Space wrap>
              <Button icon={<FileSearchOutlined />} disabled={!file || uploading !== null} loading={uploading === 'validate'}
                onClick={() => void upload('validate', form.getFieldsValue())} data-testid="import-validate">{t('import.validate')}</Button>
              <Button type="primary" htmlType="submit" disabled={!file || uploading !== null} loading={uploading !== null && uploading !== 'validate'} data-testid="import-start">{t('import.start')}</Button>
              <Typography.Text type="secondary">{t('import.validate_hint')}</Typography.Text>
            </Space>
          </Form>
        </Space>
      )}
      {run && !checked && <JobProgress job={job.data} mode={run.mode} error={job.error} onAgain={() => reset()} />}
      {checked && (
        <CheckResult
          result={checked}
          mode={options.mode}
          busy={uploading !== null}
          onImport={(mode) => void upload(mode, { ...options, mode })}
          onAgain={() => reset()}
        />
      )}
    </Card>
  );
}

/** The outcome of a check-only run, and the way on: import as chosen, only the valid rows, or fix the file. */
function CheckResult({ result, mode, busy, onImport, onAgain }: {
  result: ImportResult; mode: Options['mode']; busy: boolean; onImport: (mode: Options['mode']) => void; onAgain: () => void;
}) {
  const t = useT();
  const clean = result.failed === 0;
  const actions = [<Button key="again" onClick={onAgain} data-testid="import-choose-again">{t('import.choose_again')}</Button>];
  if (clean && result.valid > 0) {
    actions.push(<Button key="import" type="primary" loading={busy} onClick={() => onImport(mode)} data-testid="import-checked">{t('import.import_checked')}</Button>);
  } else if (result.valid > 0) {
    // "all or nothing" would import nothing: the only import that makes sense is of the valid rows
    actions.push(<Button key="valid" type="primary" loading={busy} onClick={() => onImport('valid_only')} data-testid="import-checked">{t('import.import_valid_rows', { valid: result.valid })}</Button>);
  }
  return (
    <div data-testid="import-check">
      <Result
        status={clean ? 'success' : 'warning'}
        title={t('import.validated')}
        subTitle={t('import.validate_summary', { total: result.total, valid: result.valid, failed: result.failed })}
        extra={actions}
      />
      <ProblemReport result={result} />
    </div>
  );
}

function ProblemReport({ result }: { result: ImportResult }) {
  const t = useT();
  if (result.problems.length === 0) return null;
  return (
    <Table<ImportProblem>
      title={() => <Typography.Text strong>{t('import.report')}</Typography.Text>}
      rowKey={(p) => `${p.row}:${p.column}:${p.message}`}
      size="small"
      dataSource={result.problems}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      data-testid="import-report"
      columns={[
        { title: t('import.row'), dataIndex: 'row', width: 80 },
        { title: t('import.column'), dataIndex: 'column', width: 160 },
        { title: t('import.error_reason'), dataIndex: 'message' },
      ]}
    />
  );
}

function JobProgress({ job, mode, error, onAgain }: { job: ImportJob | undefined; mode: ImportMode; error: unknown; onAgain: () => void }) {
  const t = useT();
  if (error) return <Alert type="error" showIcon message={errorMessage(error, t('app.error'))} action={<Button onClick={onAgain}>{t('import.again')}</Button>} />;
  if (!job || job.status === 'queued' || job.status === 'running') {
    const percent = job && job.total > 0 ? Math.floor((job.progress / job.total) * 100) : 0;
    return (
      <div style={{ maxWidth: 560 }}>
        <Typography.Paragraph>{t(mode === 'validate' ? 'import.validating' : 'import.running')}</Typography.Paragraph>
        <Progress aria-label={t('import.title')} percent={percent} status="active" data-testid="import-progress" />
      </div>
    );
  }
  const result = job.result;
  const nothingImported = result && result.mode === 'all' && result.failed > 0 && result.imported === 0;
  return (
    <div data-testid="import-result">
      <Result
        status={job.status === 'failed' ? 'error' : result && result.failed > 0 ? 'warning' : 'success'}
        title={job.status === 'failed' ? t('import.failed') : t('import.done')}
        subTitle={result ? t('import.summary', { total: result.total, imported: result.imported, failed: result.failed }) : undefined}
        extra={[
          <Button key="again" onClick={onAgain}>{t('import.again')}</Button>,
          <Link key="list" to="/members"><Button type="primary">{t('menu.members')}</Button></Link>,
        ]}
      />
      {result?.error && <Alert type="error" showIcon message={result.error} style={{ marginBottom: 16 }} />}
      {nothingImported && <Alert type="warning" showIcon message={t('import.nothing_imported')} style={{ marginBottom: 16 }} data-testid="nothing-imported" />}
      {result && <ProblemReport result={result} />}
    </div>
  );
}
