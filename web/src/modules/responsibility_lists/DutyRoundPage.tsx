import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Form, Modal, Pagination, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { UserPage } from '../../../../contracts/users.js';
import type { DutyReport, DutyReportPage, DutyResults, DutyRound } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { DutyGradeTag } from './DutyGradeTag.js';

const PAGE_SIZE = 50;

/** One 述职评议 round: the reports, the review by the body's judges (judging engine), the results per org. */
export default function DutyRoundPage() {
  const t = useT();
  const { id } = useParams();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [starting, setStarting] = useState(false);
  const round = useQuery({ queryKey: ['responsibility', 'duty-round', id], queryFn: () => api.get<DutyRound>(`/duty-reviews/${id}`) });
  const reports = useQuery({ queryKey: ['responsibility', 'duty-round', id, 'reports', page], queryFn: () => api.get<DutyReportPage>('/duty-reports', { roundId: id, page, pageSize: PAGE_SIZE }) });
  const results = useQuery({ queryKey: ['responsibility', 'duty-round', id, 'results'], queryFn: () => api.get<DutyResults>(`/duty-reviews/${id}/results`), enabled: round.data?.status !== 'collecting' && !!round.data });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['responsibility', 'duty-round', id] });
  const close = async () => {
    try {
      await api.post<DutyRound>(`/duty-reviews/${id}/close`, {});
      await refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const r = round.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="duty-round">
      <Link to="/responsibility/duty-reviews">{t('resp.back')}</Link>
      <QueryState isLoading={round.isLoading} error={round.error} retry={() => void round.refetch()}>
        {r && (
          <>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 20, overflowWrap: 'anywhere' }}>{r.title}</Typography.Title>
            <Space wrap size={[6, 4]}>
              <Tag>{r.year}</Tag>
              <Tag color={r.status === 'closed' ? 'success' : 'processing'}>{t(`duty.status.${r.status}`)}</Tag>
              <Typography.Text type="secondary">{r.orgName} · {t('duty.submitted_n', { submitted: r.submittedCount, total: r.reportCount })}</Typography.Text>
              <Typography.Text type="secondary">
                {t('duty.thresholds')}：{t('duty.grade.good')} ≥ {r.thresholds.good} · {t('duty.grade.fairly_good')} ≥ {r.thresholds.fairlyGood} · {t('duty.grade.average')} ≥ {r.thresholds.average}
              </Typography.Text>
            </Space>
            {r.canManage && r.status === 'collecting' && <Button type="primary" disabled={r.submittedCount === 0} onClick={() => setStarting(true)}>{t('duty.start_review')}</Button>}
            {r.canManage && r.status === 'reviewing' && (
              <Popconfirm title={t('duty.close_confirm')} onConfirm={() => void close()}><Button type="primary">{t('duty.close')}</Button></Popconfirm>
            )}
            {r.status !== 'collecting' && (
              <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('duty.results')}</h2>}>
                {results.data && !results.data.isFinal && <Alert type="info" showIcon message={t('duty.results_live')} style={{ marginBottom: 8 }} />}
                <Table rowKey="reportId" size="small" pagination={false} scroll={{ x: true }} dataSource={results.data?.items ?? []} loading={results.isLoading} data-testid="duty-results"
                  columns={[
                    { title: t('duty.rank'), dataIndex: 'rank', render: (v: number | null) => v ?? '—' },
                    { title: t('resp.org'), dataIndex: 'orgName' },
                    { title: t('duty.secretary'), dataIndex: 'secretaryName', render: (v: string | null) => v ?? '—' },
                    { title: t('duty.score'), dataIndex: 'score', render: (v: number | null) => v ?? '—' },
                    { title: t('duty.judge_count'), dataIndex: 'judgeCount' },
                    { title: t('duty.grade'), dataIndex: 'grade', render: (_: unknown, row: DutyResults['items'][number]) => <DutyGradeTag grade={row.grade} /> },
                  ]} />
              </Card>
            )}
            <Card size="small" title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('duty.reports')}</h2>}>
              <Table<DutyReport> rowKey="id" size="small" pagination={false} scroll={{ x: true }} dataSource={reports.data?.items ?? []} loading={reports.isLoading}
                columns={[
                  { title: t('resp.org'), dataIndex: 'orgName' },
                  { title: t('duty.secretary'), dataIndex: 'secretaryName', render: (v: string | null) => v ?? '—' },
                  { title: t('duty.submitted_at'), dataIndex: 'submittedAt', render: (v: string | null) => (v ? formatTime(v) : <Tag>{t('duty.not_submitted')}</Tag>) },
                  { title: t('duty.report_body'), dataIndex: 'body', render: (v: string | null, row) => (
                    <Space orientation="vertical" size={2}>
                      <Typography.Paragraph ellipsis={{ rows: 2, expandable: true }} style={{ margin: 0, maxWidth: 480 }}>{v ?? ''}</Typography.Paragraph>
                      {row.file && <a href={row.file.url} target="_blank" rel="noreferrer">{row.file.fileName}</a>}
                    </Space>
                  ) },
                ]} />
              {(reports.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={reports.data?.total ?? 0} onChange={setPage} />}
            </Card>
            {starting && <StartReviewModal round={r} onClose={() => setStarting(false)} onDone={() => void refresh()} />}
          </>
        )}
      </QueryState>
    </Space>
  );
}

function StartReviewModal({ round, onClose, onDone }: { round: DutyRound; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const [form] = Form.useForm<{ judgeUserIds: string[]; blind: boolean }>();
  const { saving, run } = useFormSubmit(form);
  const judges = useQuery({ queryKey: ['users', 'judges'], queryFn: () => api.get<UserPage>('/users', { role: 'judge', pageSize: 200 }) });
  const start = (v: { judgeUserIds: string[]; blind: boolean }) => run(async () => {
    await api.post<DutyRound>(`/duty-reviews/${round.id}/review`, v);
    onDone();
    onClose();
  });
  return (
    <Modal open title={t('duty.start_review')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('resp.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void start(v)} initialValues={{ blind: false }}>
        <Form.Item name="judgeUserIds" label={t('duty.judges')} rules={[{ required: true, message: t('resp.required') }]}>
          <Select mode="multiple" optionFilterProp="label" loading={judges.isLoading} options={(judges.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))} />
        </Form.Item>
        <Form.Item name="blind" label={t('duty.blind')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}
