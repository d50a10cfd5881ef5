import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, List, Modal, Progress, Row, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { DownloadOutlined, EditOutlined, LeftOutlined, MinusCircleOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { AbsenteesSchema, Exam, ExamResults } from '../../../../contracts/exams.js';
import { ApiError, api, showFieldErrors } from '../../platform/api.js';
import { placeExamErrors } from './form-errors.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ExamMarks, ExamStatusTag } from './ExamTags.js';

type Absentees = z.infer<typeof AbsenteesSchema>;
type Person = ExamResults['people'][number];
type OrgLine = ExamResults['orgs'][number];
type QuestionLine = ExamResults['questions'][number];

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`);

/** One exam for its organizer: the setup, results by person, org and question, and after it closes the absentees and their make-up exam. */
export default function ExamDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<'edit' | 'cancel' | null>(null);
  const exam = useQuery({ queryKey: ['exams', id], queryFn: () => api.get<Exam>(`/exams/${id}`) });
  const results = useQuery({ queryKey: ['exams', id, 'results'], queryFn: () => api.get<ExamResults>(`/exams/${id}/results`), enabled: !!exam.data });
  const e = exam.data;
  const r = results.data;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="exam-detail">
      <Link to="/exams"><Button type="link" icon={<LeftOutlined />} style={{ paddingInline: 0 }}>{t('exam.back_to_list')}</Button></Link>
      <QueryState isLoading={exam.isLoading} error={exam.error} retry={() => void exam.refetch()}>
        {e && (
          <>
            <Card title={<Space wrap><span data-testid="exam-title">{e.title}</span>{e.cancelledAt ? <Tag color="error">{t('exam.cancelled')}</Tag> : <ExamStatusTag status={e.status} />}<ExamMarks exam={e} /></Space>}
              extra={(
                <Space wrap>
                  {!e.cancelledAt && e.status === 'upcoming' && <Button icon={<EditOutlined />} onClick={() => setDialog('edit')} data-testid="exam-edit">{t('exam.edit')}</Button>}
                  {!e.cancelledAt && e.status !== 'closed' && <Button danger icon={<StopOutlined />} onClick={() => setDialog('cancel')} data-testid="exam-cancel">{t('exam.cancel')}</Button>}
                  <Button icon={<DownloadOutlined />} onClick={() => void api.download(`/exams/${e.id}/results.xlsx`, undefined, 'results.xlsx').catch((x: unknown) => message.error(errorMessage(x, t('app.error'))))}>{t('exam.export_results')}</Button>
                </Space>
              )}>
              {e.cancelledAt && <Alert type="error" showIcon style={{ marginBottom: 12 }} data-testid="exam-cancelled"
                message={t('exam.cancelled_notice', { time: formatTime(e.cancelledAt), reason: e.cancelReason ?? '' })} />}
              <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                <Descriptions.Item label={t('exam.org')}>{e.orgName}</Descriptions.Item>
                <Descriptions.Item label={t('exam.window')}>{formatTime(e.opensAt)} – {formatTime(e.closesAt)}</Descriptions.Item>
                <Descriptions.Item label={t('exam.time_limit')}>{e.timeLimitMinutes}</Descriptions.Item>
                <Descriptions.Item label={t('exam.max_attempts')}>{e.maxAttempts}</Descriptions.Item>
                <Descriptions.Item label={t('exam.pass_score')}>{e.passScore} / {e.totalScore}</Descriptions.Item>
                <Descriptions.Item label={t('exam.participants')}>{e.participantCount}</Descriptions.Item>
                {e.makeUpOf && <Descriptions.Item label={t('exam.make_up_of')}><Link to={`/exams/${e.makeUpOf}`}>{e.makeUpOf}</Link></Descriptions.Item>}
                {e.makeUpId && <Descriptions.Item label={t('exam.make_up')}><Link to={`/exams/${e.makeUpId}`} data-testid="make-up-link">{t('exam.view_make_up')}</Link></Descriptions.Item>}
              </Descriptions>
              {e.description && <Typography.Paragraph type="secondary" style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{e.description}</Typography.Paragraph>}
            </Card>
            <QueryState isLoading={results.isLoading} error={results.error} retry={() => void results.refetch()}>
              {r && (
                <Card title={t('exam.results')} data-testid="exam-results">
                  <Row gutter={16} style={{ marginBottom: 16 }}>
                    <Col xs={12} md={6}><Statistic title={t('exam.participated')} value={r.summary.participated} suffix={`/ ${r.summary.participants}`} /></Col>
                    <Col xs={12} md={6}><Statistic title={t('exam.participation_rate')} value={percent(r.summary.participationRate)} /></Col>
                    <Col xs={12} md={6}><Statistic title={t('exam.average_score')} value={r.summary.averageScore ?? '—'} /></Col>
                    <Col xs={12} md={6}><Statistic title={t('exam.pass_rate')} value={percent(r.summary.passRate)} /></Col>
                  </Row>
                  <Tabs items={[
                    { key: 'people', label: t('exam.by_person'), children: <PeopleTable people={r.people} /> },
                    { key: 'orgs', label: t('exam.by_org'), children: <OrgTable orgs={r.orgs} /> },
                    { key: 'questions', label: t('exam.by_question'), children: <QuestionTable questions={r.questions} /> },
                  ]} />
                </Card>
              )}
            </QueryState>
            <AbsenteesCard exam={e} />
            {dialog === 'edit' && <EditExamDialog exam={e} onClose={() => setDialog(null)} />}
            {dialog === 'cancel' && <CancelExamDialog exam={e} onClose={() => setDialog(null)} />}
          </>
        )}
      </QueryState>
    </Space>
  );
}

function PeopleTable({ people }: { people: Person[] }) {
  const t = useT();
  return (
    <Table<Person> rowKey="memberId" size="small" dataSource={people} scroll={{ x: 'max-content' }} pagination={{ pageSize: 50, showTotal: (total) => t('common.total', { total }) }}
      columns={[
        { title: t('exam.member'), dataIndex: 'memberName' },
        { title: t('exam.member_org'), dataIndex: 'orgName' },
        { title: t('exam.best_score'), dataIndex: 'bestScore', sorter: (a, b) => (a.bestScore ?? -1) - (b.bestScore ?? -1), render: (v: number | null) => v ?? '—' },
        { title: t('common.status'), key: 'status', render: (_: unknown, p) => (
          <Space size={2}>
            {!p.hasAttempted ? <Tag>{t('exam.absent')}</Tag> : p.isPassed === null ? null : p.isPassed ? <Tag color="success">{t('exam.passed')}</Tag> : <Tag color="error">{t('exam.failed')}</Tag>}
            {p.viaMakeUp && <Tag color="orange">{t('exam.via_make_up')}</Tag>}
          </Space>
        ) },
      ]} />
  );
}

function OrgTable({ orgs }: { orgs: OrgLine[] }) {
  const t = useT();
  return (
    <Table<OrgLine> rowKey="orgId" size="small" dataSource={orgs} pagination={false} scroll={{ x: 'max-content' }}
      columns={[
        { title: t('exam.member_org'), dataIndex: 'orgName' },
        { title: t('exam.participants'), dataIndex: 'participants' },
        { title: t('exam.participated'), dataIndex: 'participated' },
        { title: t('exam.participation_rate'), dataIndex: 'participationRate', render: (v: number) => <Progress aria-label={t('exam.participation_rate')} size="small" percent={Math.round(v * 1000) / 10} style={{ width: 140 }} /> },
        { title: t('exam.average_score'), dataIndex: 'averageScore', render: (v: number | null) => v ?? '—' },
        { title: t('exam.pass_rate'), dataIndex: 'passRate', render: percent },
      ]} />
  );
}

function QuestionTable({ questions }: { questions: QuestionLine[] }) {
  const t = useT();
  return (
    <Table<QuestionLine> rowKey="questionId" size="small" dataSource={questions} pagination={false} scroll={{ x: 'max-content' }}
      columns={[
        { title: t('paper.question'), dataIndex: 'stem', render: (v: string) => <Typography.Text style={{ maxWidth: 520, display: 'inline-block' }}>{v}</Typography.Text> },
        { title: t('exam.answered_count'), dataIndex: 'attempts' },
        { title: t('exam.correct_count'), dataIndex: 'correct' },
        { title: t('exam.accuracy'), dataIndex: 'accuracy', sorter: (a, b) => (a.accuracy ?? 0) - (b.accuracy ?? 0), render: percent },
      ]} />
  );
}

function AbsenteesCard({ exam }: { exam: Exam }) {
  const t = useT();
  const [issuing, setIssuing] = useState(false);
  const isClosed = exam.status === 'closed';
  const absentees = useQuery({ queryKey: ['exams', exam.id, 'absentees'], queryFn: () => api.get<Absentees>(`/exams/${exam.id}/absentees`), enabled: isClosed });
  const items = absentees.data?.items ?? [];
  const canIssue = isClosed && !exam.makeUpOf && !exam.makeUpId && items.length > 0;
  return (
    <Card title={t('exam.absentees')} data-testid="exam-absentees"
      extra={canIssue && <Button type="primary" onClick={() => setIssuing(true)} data-testid="issue-make-up">{t('exam.issue_make_up')}</Button>}>
      {!isClosed ? <Alert type="info" showIcon message={t('exam.absentees_after_close')} /> : (
        <QueryState isLoading={absentees.isLoading} error={absentees.error} retry={() => void absentees.refetch()}>
          {items.length === 0 ? <Typography.Text type="secondary">{t('exam.no_absentees')}</Typography.Text> : (
            <List size="small" dataSource={items} renderItem={(a) => <List.Item>{a.memberName}<Typography.Text type="secondary">{a.orgName}</Typography.Text></List.Item>} />
          )}
        </QueryState>
      )}
      {issuing && <MakeUpDialog exam={exam} onClose={() => setIssuing(false)} />}
    </Card>
  );
}

interface MakeUpForm { title?: string; window?: [Dayjs, Dayjs]; timeLimitMinutes?: number }

function MakeUpDialog({ exam, onClose }: { exam: Exam; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<MakeUpForm>();
  const [saving, setSaving] = useState(false);
  async function save(v: MakeUpForm) {
    setSaving(true);
    try {
      const created = await api.post<Exam>(`/exams/${exam.id}/make-up`, {
        title: v.title || undefined, opensAt: v.window?.[0].toISOString(), closesAt: v.window?.[1].toISOString(), timeLimitMinutes: v.timeLimitMinutes,
      });
      void message.success(t('exam.make_up_issued'));
      onClose();
      void navigate(`/exams/${created.id}`);
    } catch (error) {
      const { handled } = showFieldErrors(form, error);
      const fields = error instanceof ApiError ? error.fields : {};
      const windowError = fields.closesAt ?? fields.opensAt;
      if (windowError) form.setFields([{ name: 'window', errors: [windowError] }]);
      if (!handled && !windowError) void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('exam.issue_make_up')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form<MakeUpForm> form={form} layout="vertical" onFinish={save}
        initialValues={{ timeLimitMinutes: exam.timeLimitMinutes, window: [dayjs().add(1, 'hour').startOf('hour'), dayjs().add(3, 'day').startOf('hour')] }}>
        <Form.Item name="title" label={t('exam.make_up_title')}><Input maxLength={100} placeholder={`${exam.title}（${t('exam.make_up_tag')}）`} /></Form.Item>
        <Form.Item name="window" label={t('exam.window')} rules={[{ required: true }]}><DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="timeLimitMinutes" label={t('exam.time_limit')}><InputNumber min={1} max={1440} /></Form.Item>
      </Form>
    </Modal>
  );
}

interface EditForm { title: string; description?: string | null; window?: [Dayjs, Dayjs]; timeLimitMinutes: number; participantOrgIds: (string | undefined)[] }

/** Before the exam opens: title, window, time limit and, if given, a new list of participant orgs. */
function EditExamDialog({ exam, onClose }: { exam: Exam; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<EditForm>();
  const [saving, setSaving] = useState(false);
  async function save(v: EditForm) {
    setSaving(true);
    try {
      const orgIds = (v.participantOrgIds ?? []).filter((x): x is string => !!x);
      const updated = await api.patch<Exam>(`/exams/${exam.id}`, {
        title: v.title, description: v.description || null, opensAt: v.window?.[0].toISOString(), closesAt: v.window?.[1].toISOString(),
        timeLimitMinutes: v.timeLimitMinutes, ...(orgIds.length ? { participantOrgIds: orgIds } : {}),
      });
      queryClient.setQueryData(['exams', exam.id], updated);
      void queryClient.invalidateQueries({ queryKey: ['exams'] });
      void message.success(t('common.saved'));
      onClose();
    } catch (error) {
      const { placed, rest } = placeExamErrors(form, error);
      if (!placed) void message.error(errorMessage(error, t('app.error')));
      else if (rest.length) void message.error(rest[0]);
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('exam.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={640} destroyOnHidden okButtonProps={{ 'data-testid': 'exam-edit-ok' }}>
      <Typography.Paragraph type="secondary">{t('exam.edit_hint')}</Typography.Paragraph>
      <Form<EditForm> form={form} layout="vertical" onFinish={save} data-testid="exam-edit-form"
        initialValues={{ title: exam.title, description: exam.description, window: [dayjs(exam.opensAt), dayjs(exam.closesAt)], timeLimitMinutes: exam.timeLimitMinutes, participantOrgIds: [undefined] }}>
        <Form.Item name="title" label={t('exam.title')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="description" label={t('exam.description')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Form.Item name="window" label={t('exam.window')} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="timeLimitMinutes" label={t('exam.time_limit')} rules={[{ required: true }]}><InputNumber min={1} max={1440} /></Form.Item>
        <Form.Item label={t('exam.edit_participants')}>
          <Form.List name="participantOrgIds">
            {(fields, { add, remove }) => (
              <Space orientation="vertical">
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={field.name} style={{ marginBottom: 0 }}><OrgTreeSelect style={{ width: 320 }} /></Form.Item>
                    {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(undefined)}>{t('exam.add_participant_org')}</Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Cancelling needs a reason; members stop seeing the exam at once. */
function CancelExamDialog({ exam, onClose }: { exam: Exam; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  async function save(v: { reason: string }) {
    setSaving(true);
    try {
      const cancelled = await api.post<Exam>(`/exams/${exam.id}/cancel`, { reason: v.reason });
      queryClient.setQueryData(['exams', exam.id], cancelled);
      void queryClient.invalidateQueries({ queryKey: ['exams'] });
      void message.success(t('exam.cancel_done'));
      onClose();
    } catch (error) {
      const { handled } = showFieldErrors(form, error);
      if (!handled) void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('exam.cancel')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ danger: true, 'data-testid': 'exam-cancel-ok' }}>
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('exam.cancel_confirm')} />
      <Form<{ reason: string }> form={form} layout="vertical" onFinish={save}>
        <Form.Item name="reason" label={t('exam.cancel_reason')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}
