import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Empty, Form, Input, InputNumber, List, Modal, Pagination, Segmented, Select, Space, Tag, Typography, Upload } from 'antd';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { ORG_TYPES, type OrgType } from '../../../../contracts/orgs.js';
import { DEFAULT_GRADE_THRESHOLDS, type DutyReport, type DutyReportPage, type DutyRound, type DutyRoundPage } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { DutyGradeTag } from './DutyGradeTag.js';

const PAGE_SIZE = 20;
type View = 'rounds' | 'reports';

/** 述职评议考核: the reviewing body's rounds, and the reports of the viewer's own orgs to write. */
export default function DutyReviewsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const view: View = params.get('view') === 'reports' ? 'reports' : 'rounds';
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="duty-reviews">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('duty.title')}</Typography.Title>
      <Segmented<View> value={view} onChange={(v) => setParams({ view: v }, { replace: true })}
        options={[{ value: 'rounds', label: t('duty.rounds') }, { value: 'reports', label: t('duty.my_reports') }]} />
      {view === 'rounds' ? <Rounds /> : <Reports />}
    </Space>
  );
}

interface RoundForm { orgId: string; year: number; title: string; orgTypes?: OrgType[]; good: number; fairlyGood: number; average: number }

function Rounds() {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<RoundForm>();
  const { saving, run } = useFormSubmit(form);
  const rounds = useQuery({
    queryKey: ['responsibility', 'duty-rounds', page],
    queryFn: () => api.get<DutyRoundPage>('/duty-reviews', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const create = (v: RoundForm) => run(async () => {
    await api.post<DutyRound>('/duty-reviews', {
      orgId: v.orgId, year: v.year, title: v.title, ...(v.orgTypes?.length ? { orgTypes: v.orgTypes } : {}),
      thresholds: { good: v.good, fairlyGood: v.fairlyGood, average: v.average },
    });
    await queryClient.invalidateQueries({ queryKey: ['responsibility', 'duty-rounds'] });
    void message.success(t('resp.saved'));
    setCreating(false);
    form.resetFields();
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Button icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('duty.new_round')}</Button>
      <QueryState isLoading={rounds.isLoading} error={rounds.error} retry={() => void rounds.refetch()}>
        {(rounds.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('duty.no_rounds')} /></Card> : (
          <List bordered dataSource={rounds.data?.items ?? []} style={{ background: 'var(--ant-color-bg-container, #fff)' }}
            renderItem={(r) => (
              <List.Item>
                <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                  <Link to={`/responsibility/duty-reviews/${r.id}`} style={{ overflowWrap: 'anywhere' }}>{r.title}</Link>
                  <Space wrap size={[6, 4]}>
                    <Tag>{r.year}</Tag>
                    <Tag color={r.status === 'closed' ? 'success' : 'processing'}>{t(`duty.status.${r.status}`)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.orgName} · {t('duty.submitted_n', { submitted: r.submittedCount, total: r.reportCount })}</Typography.Text>
                  </Space>
                </Space>
              </List.Item>
            )} />
        )}
        {(rounds.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={rounds.data?.total ?? 0} onChange={setPage} />}
      </QueryState>
      <Modal open={creating} title={t('duty.new_round')} onCancel={() => setCreating(false)} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('resp.cancel')} destroyOnHidden>
        <Form<RoundForm> form={form} layout="vertical" onFinish={(v) => void create(v)}
          initialValues={{ year: todayInChina().year(), good: DEFAULT_GRADE_THRESHOLDS.good, fairlyGood: DEFAULT_GRADE_THRESHOLDS.fairlyGood, average: DEFAULT_GRADE_THRESHOLDS.average }}>
          <Form.Item name="orgId" label={t('duty.reviewing_org')} rules={[{ required: true, message: t('resp.required') }]}><OrgTreeSelect /></Form.Item>
          <Form.Item name="year" label={t('resp.year')} rules={[{ required: true }]}><InputNumber min={2000} max={2100} /></Form.Item>
          <Form.Item name="title" label={t('duty.round_title')} rules={[{ required: true, whitespace: true, message: t('resp.required') }]}><Input maxLength={100} /></Form.Item>
          <Form.Item name="orgTypes" label={t('duty.org_types')}>
            <Select mode="multiple" allowClear options={ORG_TYPES.map((type) => ({ value: type, label: t(`org_type.${type}`) }))} />
          </Form.Item>
          <Typography.Text strong>{t('duty.thresholds')}</Typography.Text>
          <Space wrap>
            <Form.Item name="good" label={t('duty.good_from')} rules={[{ required: true }]}><InputNumber min={0} max={100} /></Form.Item>
            <Form.Item name="fairlyGood" label={t('duty.fairly_good_from')} rules={[{ required: true }]}><InputNumber min={0} max={100} /></Form.Item>
            <Form.Item name="average" label={t('duty.average_from')} rules={[{ required: true }]}><InputNumber min={0} max={100} /></Form.Item>
          </Space>
        </Form>
      </Modal>
    </Space>
  );
}

/** The reports of the orgs the viewer administers (a secretary's own), written while the round collects. */
function Reports() {
  const t = useT();
  const [page, setPage] = useState(1);
  const [editing, setEditing] = useState<DutyReport | null>(null);
  const reports = useQuery({
    queryKey: ['responsibility', 'duty-reports', page],
    queryFn: () => api.get<DutyReportPage>('/duty-reports', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState isLoading={reports.isLoading} error={reports.error} retry={() => void reports.refetch()}>
      {(reports.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('duty.no_reports')} /></Card> : (
        <List bordered dataSource={reports.data?.items ?? []} style={{ background: 'var(--ant-color-bg-container, #fff)' }} data-testid="duty-reports"
          renderItem={(r) => (
            <List.Item actions={r.canSubmit ? [<Button key="write" size="small" type="primary" onClick={() => setEditing(r)}>{t('duty.submit')}</Button>] : []}>
              <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>{r.orgName} · {r.roundTitle}</Typography.Text>
                <Space wrap size={[6, 4]}>
                  <Tag>{r.year}</Tag>
                  {r.submittedAt ? <Tag color="success">{t('duty.submitted')} {formatTime(r.submittedAt)}</Tag> : <Tag>{t('duty.not_submitted')}</Tag>}
                  {r.score !== null && <Tag>{t('duty.score')} {r.score}</Tag>}
                  <DutyGradeTag grade={r.grade} />
                  {r.file && <a href={r.file.url} target="_blank" rel="noreferrer">{r.file.fileName}</a>}
                </Space>
              </Space>
            </List.Item>
          )} />
      )}
      {(reports.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={reports.data?.total ?? 0} onChange={setPage} />}
      {editing && <SubmitReportModal report={editing} onClose={() => setEditing(null)} />}
    </QueryState>
  );
}

function SubmitReportModal({ report, onClose }: { report: DutyReport; onClose: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ secretaryName: string; body: string }>();
  const { saving, run } = useFormSubmit(form);
  const [uploading, setUploading] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['responsibility', 'duty-reports'] });
  const submit = (v: { secretaryName: string; body: string }) => run(async () => {
    await api.put<DutyReport>(`/duty-reports/${report.id}`, v);
    await refresh();
    void message.success(t('duty.submitted'));
    onClose();
  });
  const upload = async (file: File) => {
    const data = new FormData();
    data.append('file', file, file.name);
    setUploading(true);
    try {
      await api.upload<DutyReport>(`/duty-reports/${report.id}/file`, data);
      await refresh();
      void message.success(t('resp.evidence_uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Modal open title={`${report.orgName} · ${report.roundTitle}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('resp.cancel')} okText={t('duty.submit')} width={720} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ secretaryName: report.secretaryName ?? '', body: report.body ?? '' }}>
        <Form.Item name="secretaryName" label={t('duty.secretary')} rules={[{ required: true, whitespace: true, message: t('resp.required') }]}><Input maxLength={50} /></Form.Item>
        <Form.Item name="body" label={t('duty.report_body')} rules={[{ required: true, whitespace: true, message: t('resp.required') }]}><Input.TextArea rows={10} maxLength={20000} /></Form.Item>
      </Form>
      {report.submittedAt && (
        <Upload showUploadList={false} accept=".pdf,.doc,.docx,.jpg,.jpeg,.png" beforeUpload={(file) => { void upload(file); return false; }}>
          <Button icon={<UploadOutlined />} loading={uploading}>{t('duty.attach')}</Button>
        </Upload>
      )}
    </Modal>
  );
}
