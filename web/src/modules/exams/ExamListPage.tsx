import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { Exam, ExamPage, PaperPageSchema } from '../../../../contracts/exams.js';
import { api } from '../../platform/api.js';
import { placeExamErrors } from './form-errors.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ExamMarks, ExamStatusTag } from './ExamTags.js';

type PaperPage = z.infer<typeof PaperPageSchema>;

/** 考试管理: the exams organized in the viewer's scope; publish a new one from a paper. */
export default function ExamListPage() {
  const t = useT();
  const [status, setStatus] = useState<Exam['status'] | undefined>();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['exams', 'list', status, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<ExamPage>('/exams', { status, page: page.current, pageSize: page.pageSize }),
  });
  return (
    <Card title={t('menu.exams')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="exam-new">{t('exam.new')}</Button>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} style={{ width: 140 }} value={status} onChange={(v?: Exam['status']) => { setStatus(v); setPage((p) => ({ ...p, current: 1 })); }}
          options={(['upcoming', 'open', 'closed'] as const).map((s) => ({ value: s, label: t(`exam.status.${s}`) }))} />
      </Space>
      <Table<Exam>
        rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('exam.none') }}
        data-testid="exam-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('exam.title'), dataIndex: 'title', render: (v: string, e) => (
            <Space size={4}>
              <Link to={`/exams/${e.id}`}>{v}</Link><ExamMarks exam={e} />
              {e.cancelledAt && <Tooltip title={e.cancelReason}><Tag color="error" data-testid="exam-cancelled-tag">{t('exam.cancelled')}</Tag></Tooltip>}
            </Space>
          ) },
          { title: t('exam.org'), dataIndex: 'orgName' },
          { title: t('exam.window'), key: 'window', render: (_: unknown, e) => `${formatTime(e.opensAt)} – ${formatTime(e.closesAt)}` },
          { title: t('exam.time_limit'), dataIndex: 'timeLimitMinutes' },
          { title: t('exam.participants'), dataIndex: 'participantCount' },
          { title: `${t('exam.pass_score')}/${t('paper.total_score')}`, key: 'score', render: (_: unknown, e) => `${e.passScore}/${e.totalScore}` },
          { title: t('common.status'), dataIndex: 'status', render: (s: Exam['status'], e) => (e.cancelledAt ? <Tag color="error">{t('exam.cancelled')}</Tag> : <ExamStatusTag status={s} />) },
          { title: t('common.actions'), key: 'actions', render: (_: unknown, e) => (
            !e.cancelledAt && e.status !== 'closed' && <Link to={`/exams/${e.id}`}><Button size="small">{e.status === 'upcoming' ? `${t('exam.edit')} / ${t('exam.cancel')}` : t('exam.cancel')}</Button></Link>
          ) },
        ]}
      />
      {creating && <CreateExamDialog onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface ExamForm {
  orgId?: string;
  paperId?: string;
  title: string;
  description?: string;
  window?: [Dayjs, Dayjs];
  timeLimitMinutes: number;
  maxAttempts: number;
  passScore: number;
  isClosedBook: boolean;
  participantOrgIds: (string | undefined)[];
}

function CreateExamDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ExamForm>();
  const [saving, setSaving] = useState(false);
  const papers = useQuery({ queryKey: ['papers', 'pick'], queryFn: () => api.get<PaperPage>('/papers', { pageSize: 200 }) });
  const paperId = Form.useWatch('paperId', form);
  const paper = papers.data?.items.find((p) => p.id === paperId);

  async function save(v: ExamForm) {
    setSaving(true);
    try {
      const created = await api.post<Exam>('/exams', {
        orgId: v.orgId, paperId: v.paperId, title: v.title, description: v.description || null,
        opensAt: v.window?.[0].toISOString(), closesAt: v.window?.[1].toISOString(),
        timeLimitMinutes: v.timeLimitMinutes, maxAttempts: v.maxAttempts, passScore: v.passScore, isClosedBook: !!v.isClosedBook,
        participantOrgIds: (v.participantOrgIds ?? []).filter((x): x is string => !!x),
      });
      void message.success(t('exam.created_ok'));
      void navigate(`/exams/${created.id}`);
    } catch (error) {
      const { placed, rest } = placeExamErrors(form, error);
      if (!placed) void message.error(errorMessage(error, t('app.error')));
      else if (rest.length) void message.error(rest[0]);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t('exam.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden okButtonProps={{ 'data-testid': 'exam-create-ok' }}>
      <Form<ExamForm> form={form} layout="vertical" onFinish={save} data-testid="exam-form"
        initialValues={{ timeLimitMinutes: 60, maxAttempts: 1, passScore: 60, isClosedBook: false, participantOrgIds: [undefined],
          window: [dayjs().add(1, 'hour').startOf('hour'), dayjs().add(7, 'day').startOf('hour')] }}>
        <Space wrap align="start">
          <Form.Item name="orgId" label={t('exam.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 260 }} /></Form.Item>
          <Form.Item name="paperId" label={t('exam.paper')} rules={[{ required: true }]}>
            <Select style={{ width: 340 }} loading={papers.isLoading} showSearch={{ optionFilterProp: 'label' }}
              options={(papers.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.title}（${p.questionCount} · ${p.totalScore}）` }))} />
          </Form.Item>
        </Space>
        <Form.Item name="title" label={t('exam.title')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="description" label={t('exam.description')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        <Form.Item name="window" label={t('exam.window')} rules={[{ required: true }]}>
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Space wrap align="start">
          <Form.Item name="timeLimitMinutes" label={t('exam.time_limit')} rules={[{ required: true }]}><InputNumber min={1} max={1440} /></Form.Item>
          <Form.Item name="maxAttempts" label={t('exam.max_attempts')} rules={[{ required: true }]}><InputNumber min={1} max={20} /></Form.Item>
          <Form.Item name="passScore" label={t('exam.pass_score')} rules={[{ required: true }]}
            extra={paper ? `${t('paper.total_score')} ${paper.totalScore}` : undefined}><InputNumber min={0} max={paper?.totalScore ?? 10000} /></Form.Item>
        </Space>
        <Form.Item name="isClosedBook" valuePropName="checked" label={t('exam.closed_book')}><Switch /></Form.Item>
        <Form.Item label={t('exam.participant_orgs')} required>
          <Form.List name="participantOrgIds">
            {(fields, { add, remove }, { errors }) => (
              <Space orientation="vertical">
                {fields.map((field) => (
                  <Space key={field.key} align="baseline">
                    <Form.Item name={field.name} style={{ marginBottom: 0 }}><OrgTreeSelect style={{ width: 320 }} /></Form.Item>
                    {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(undefined)}>{t('exam.add_participant_org')}</Button>
                <Form.ErrorList errors={errors} />
              </Space>
            )}
          </Form.List>
        </Form.Item>
        <Typography.Text type="secondary">{paper && paper.mode === 'random' ? t('paper.random_hint') : null}</Typography.Text>
      </Form>
    </Modal>
  );
}
