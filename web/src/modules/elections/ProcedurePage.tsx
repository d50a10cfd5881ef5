import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FileOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Space, Steps, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import { ELECTION_STEPS, type ElectionProcedure, type ElectionStep, type ElectionStepRecord } from '../../../../contracts/elections.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CommitteeFields } from './CommitteeFields.js';
import { ProcedureStatusTag } from './ElectionTags.js';
import { ResultFields } from './TermsPage.js';

/** One election: 请示 → 批复 → 选举大会 → 报备, each with its date and document; the next step is recorded here. */
export default function ProcedurePage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const procedure = useQuery({ queryKey: ['elections', 'procedure', id], queryFn: () => api.get<ElectionProcedure>(`/elections/procedures/${id}`) });
  const p = procedure.data;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['elections'] });
  return (
    <QueryState isLoading={procedure.isLoading} error={procedure.error} retry={() => void procedure.refetch()}>
      {p && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card title={<Space wrap><span>{t('election.procedure')} · {p.orgName}</span><ProcedureStatusTag status={p.status} /></Space>}
            extra={p.status === 'in_progress' && !p.termId && <Button danger onClick={() => setCancelling(true)}>{t('election.cancel')}</Button>}>
            {p.status === 'cancelled' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('election.cancelled_because', { reason: p.cancelReason ?? '' })} />}
            <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
              <Descriptions.Item label={t('election.replaces_term_end')}>{p.replacesTermEnd ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('election.history')}><Link to={`/elections/terms?orgId=${p.orgId}`}>{t('election.history')}</Link></Descriptions.Item>
            </Descriptions>
            <Steps orientation="vertical" data-testid="election-steps"
              current={p.nextStep ? ELECTION_STEPS.indexOf(p.nextStep) : ELECTION_STEPS.length}
              items={ELECTION_STEPS.map((step) => {
                const done = p.steps.find((s) => s.step === step);
                return {
                  title: t(`election.step.${step}`),
                  description: done
                    ? <StepRecord procedure={p} record={done} onUploaded={(next) => queryClient.setQueryData(['elections', 'procedure', id], next)} />
                    : t(`election.step_hint.${step}`),
                };
              })} />
            {p.nextStep && !p.canRecordNext && <Alert type="info" showIcon message={t('election.waiting_level_above')} />}
          </Card>
          {p.nextStep && p.canRecordNext && <StepForm procedure={p} step={p.nextStep} onDone={() => { message.success(t('election.step_recorded')); void refresh(); }} />}
          {cancelling && (
            <CancelDialog onClose={() => setCancelling(false)} onCancel={async (reason) => {
              try {
                await api.post(`/elections/procedures/${id}/cancel`, { reason });
                setCancelling(false);
                await refresh();
              } catch (error) {
                message.error(errorMessage(error, t('app.error')));
              }
            }} />
          )}
        </Space>
      )}
    </QueryState>
  );
}

/** A recorded step: its date and document, the uploaded files, and an upload for whoever records that step. */
function StepRecord({ procedure, record, onUploaded }: { procedure: ElectionProcedure; record: ElectionStepRecord; onUploaded: (p: ElectionProcedure) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  async function upload(file: File) {
    const form = new FormData();
    form.append('file', file, file.name);
    setUploading(true);
    try {
      onUploaded(await api.upload<ElectionProcedure>(`/elections/procedures/${procedure.id}/steps/${record.step}/files`, form));
      message.success(t('election.file_uploaded'));
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  }
  return (
    <Space orientation="vertical" size={4} style={{ minWidth: 0 }}>
      <span>{record.doneOn} · {record.documentNo ? `${record.documentNo} ` : ''}《{record.documentTitle}》{record.note ? ` · ${record.note}` : ''}</span>
      {record.files.map((f) => (
        <a key={f.id} href={`/api/elections/procedures/${procedure.id}/files/${f.id}`} target="_blank" rel="noreferrer" style={{ overflowWrap: 'anywhere' }}>
          <FileOutlined /> {f.fileName}
        </a>
      ))}
      {procedure.fileSteps.includes(record.step) && (
        <Upload showUploadList={false} accept=".jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx" beforeUpload={(file) => { void upload(file); return false; }}>
          <Button size="small" icon={<UploadOutlined />} loading={uploading} data-testid={`election-upload-${record.step}`}>{t('election.upload_file')}</Button>
        </Upload>
      )}
    </Space>
  );
}

interface StepValues { doneOn: Dayjs; documentNo?: string; documentTitle: string; note?: string; termYears?: number; method?: string; votersCount?: number; votesCast?: number; committee?: unknown[] }

function StepForm({ procedure, step, onDone }: { procedure: ElectionProcedure; step: ElectionStep; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<StepValues>();
  const [saving, setSaving] = useState(false);
  async function submit(v: StepValues) {
    setSaving(true);
    try {
      const base = { doneOn: v.doneOn.format('YYYY-MM-DD'), documentNo: v.documentNo || undefined, documentTitle: v.documentTitle, note: v.note || undefined };
      await api.post(`/elections/procedures/${procedure.id}/${step}`, step === 'congress'
        ? { ...base, termYears: v.termYears, method: v.method, votersCount: v.votersCount, votesCast: v.votesCast, committee: v.committee ?? [] } : base);
      form.resetFields();
      onDone();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Card title={t('election.record_step', { step: t(`election.step.${step}`) })} data-testid="election-step-form">
      <Form<StepValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={step === 'congress' ? { termYears: 5, method: 'competitive', committee: [{ role: 'secretary' }] } : {}}>
        <Space wrap>
          <Form.Item name="doneOn" label={t('election.done_on')} rules={[{ required: true }]}><DatePicker /></Form.Item>
          <Form.Item name="documentNo" label={t('election.document_no')}><Input maxLength={100} /></Form.Item>
        </Space>
        <Form.Item name="documentTitle" label={t('election.document_title')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
        {step === 'congress' && <><ResultFields /><CommitteeFields orgId={procedure.orgId} /></>}
        <Form.Item name="note" label={t('election.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="election-step-submit">{t('election.record_step', { step: t(`election.step.${step}`) })}</Button>
      </Form>
    </Card>
  );
}

function CancelDialog({ onClose, onCancel }: { onClose: () => void; onCancel: (reason: string) => Promise<void> }) {
  const t = useT();
  const [form] = Form.useForm<{ reason: string }>();
  return (
    <Modal open title={t('election.cancel')} onCancel={onClose} onOk={() => form.submit()} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void onCancel(v.reason)}>
        <Form.Item name="reason" label={t('election.cancel_reason')} rules={[{ required: true }]}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}
