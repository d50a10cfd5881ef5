import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Modal, Radio, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import {
  DIFFICULTIES, QUESTION_TYPES, type Difficulty, type Paper, type PaperPageSchema, type QuestionPage, type QuestionType, type Quota,
} from '../../../../contracts/exams.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type PaperPage = z.infer<typeof PaperPageSchema>;
type PaperSummary = PaperPage['items'][number];

/** 试卷: fixed papers (chosen questions, each with its score) and random ones (draw rules by tag, difficulty and type). */
export default function PapersPage() {
  const t = useT();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['papers', 'list', page], placeholderData: keepPreviousData,
    queryFn: () => api.get<PaperPage>('/papers', { page: page.current, pageSize: page.pageSize }),
  });
  return (
    <Card title={t('menu.papers')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="paper-new">{t('paper.new')}</Button>}>
      <Table<PaperSummary>
        rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('paper.none') }}
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('paper.title'), dataIndex: 'title', render: (v: string, p) => <Button type="link" style={{ padding: 0 }} onClick={() => setViewing(p.id)}>{v}</Button> },
          { title: t('paper.mode'), dataIndex: 'mode', render: (m: Paper['mode']) => <Tag color={m === 'random' ? 'purple' : 'blue'}>{t(`paper.mode.${m}`)}</Tag> },
          { title: t('paper.question_count'), dataIndex: 'questionCount' },
          { title: t('paper.total_score'), dataIndex: 'totalScore' },
          { title: t('common.details'), key: 'created', render: (_: unknown, p) => <Typography.Text type="secondary">{formatTime(p.createdAt)}</Typography.Text> },
        ]}
      />
      {creating && <CreatePaperDialog onClose={() => setCreating(false)} />}
      {viewing && <PaperDialog id={viewing} onClose={() => setViewing(null)} />}
    </Card>
  );
}

function PaperDialog({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const paper = useQuery({ queryKey: ['papers', id], queryFn: () => api.get<Paper>(`/papers/${id}`) });
  const p = paper.data;
  return (
    <Modal open title={p?.title ?? ''} onCancel={onClose} footer={null} width={720}>
      {!p ? <Spin /> : p.mode === 'fixed' ? (
        <Table size="small" rowKey="questionId" pagination={false} dataSource={p.questions}
          columns={[{ title: '#', key: 'i', width: 48, render: (_: unknown, __: unknown, i: number) => i + 1 }, { title: t('paper.question'), dataIndex: 'stem' }, { title: t('paper.score'), dataIndex: 'score', width: 80 }]} />
      ) : (
        <Table size="small" rowKey={(_, i) => String(i)} pagination={false} dataSource={p.quotas} columns={quotaColumns(t)} />
      )}
    </Modal>
  );
}

const quotaColumns = (t: ReturnType<typeof useT>) => [
  { title: t('paper.quota_tag'), dataIndex: 'tag', render: (v?: string) => v ?? t('paper.any') },
  { title: t('question.difficulty'), dataIndex: 'difficulty', render: (v?: Difficulty) => (v ? t(`question.difficulty.${v}`) : t('paper.any')) },
  { title: t('question.type'), dataIndex: 'type', render: (v?: QuestionType) => (v ? t(`question.type.${v}`) : t('paper.any')) },
  { title: t('paper.quota_count'), dataIndex: 'count' },
  { title: t('paper.score'), dataIndex: 'score' },
];

interface PaperForm {
  orgId?: string;
  title: string;
  mode: 'fixed' | 'random';
  questions: { questionId?: string; score: number }[];
  quotas: Partial<Quota>[];
}

function CreatePaperDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PaperForm>();
  const [saving, setSaving] = useState(false);
  const mode = Form.useWatch('mode', form) ?? 'fixed';
  const questions = Form.useWatch('questions', form) ?? [];
  const quotas = Form.useWatch('quotas', form) ?? [];
  const total = mode === 'fixed'
    ? questions.reduce((s, q) => s + (q?.score ?? 0), 0)
    : quotas.reduce((s, q) => s + (q?.count ?? 0) * (q?.score ?? 0), 0);

  async function save(v: PaperForm) {
    setSaving(true);
    try {
      const clean = (q: Partial<Quota>) => Object.fromEntries(Object.entries(q).filter(([, x]) => x !== undefined && x !== null && x !== ''));
      await api.post<Paper>('/papers', {
        orgId: v.orgId, title: v.title, mode: v.mode,
        ...(v.mode === 'fixed' ? { questions: (v.questions ?? []).map((q) => ({ questionId: q.questionId, score: q.score })) } : { quotas: (v.quotas ?? []).map(clean) }),
      });
      void message.success(t('paper.created_ok'));
      void queryClient.invalidateQueries({ queryKey: ['papers'] });
      onClose();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
      else if (unplaced.length) void message.error(unplaced[0]);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t('paper.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={760} destroyOnHidden>
      <Form<PaperForm> form={form} layout="vertical" onFinish={save}
        initialValues={{ mode: 'fixed', questions: [{ score: 5 }], quotas: [{ count: 10, score: 5 }] }}>
        <Space wrap align="start">
          <Form.Item name="orgId" label={t('question.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 260 }} /></Form.Item>
          <Form.Item name="title" label={t('paper.title')} rules={[{ required: true }]}><Input maxLength={100} style={{ width: 300 }} /></Form.Item>
        </Space>
        <Form.Item name="mode" label={t('paper.mode')}>
          <Radio.Group optionType="button" options={[{ value: 'fixed', label: t('paper.mode.fixed') }, { value: 'random', label: t('paper.mode.random') }]} />
        </Form.Item>
        {mode === 'fixed' ? (
          <Form.Item label={t('paper.questions')} required>
            <Form.List name="questions">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field, i) => (
                    <Space key={field.key} align="baseline">
                      <Typography.Text>{i + 1}.</Typography.Text>
                      <Form.Item name={[field.name, 'questionId']} rules={[{ required: true }]} style={{ marginBottom: 0 }}><QuestionSelect /></Form.Item>
                      <Form.Item name={[field.name, 'score']} rules={[{ required: true }]} style={{ marginBottom: 0 }}><InputNumber min={1} max={100} addonAfter={t('paper.score')} style={{ width: 130 }} /></Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ score: questions[questions.length - 1]?.score ?? 5 })}>{t('paper.add_question')}</Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        ) : (
          <Form.Item label={t('paper.quotas')} required extra={t('paper.random_hint')}>
            <Form.List name="quotas">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, 'tag']} style={{ marginBottom: 0 }}><Input placeholder={t('paper.quota_tag')} maxLength={30} style={{ width: 120 }} /></Form.Item>
                      <Form.Item name={[field.name, 'difficulty']} style={{ marginBottom: 0 }}>
                        <Select allowClear placeholder={t('question.difficulty')} style={{ width: 100 }} options={DIFFICULTIES.map((v) => ({ value: v, label: t(`question.difficulty.${v}`) }))} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'type']} style={{ marginBottom: 0 }}>
                        <Select allowClear placeholder={t('question.type')} style={{ width: 120 }} options={QUESTION_TYPES.map((v) => ({ value: v, label: t(`question.type.${v}`) }))} />
                      </Form.Item>
                      <Form.Item name={[field.name, 'count']} rules={[{ required: true }]} style={{ marginBottom: 0 }}><InputNumber min={1} max={200} addonAfter={t('paper.quota_count')} style={{ width: 120 }} /></Form.Item>
                      <Form.Item name={[field.name, 'score']} rules={[{ required: true }]} style={{ marginBottom: 0 }}><InputNumber min={1} max={100} addonAfter={t('paper.score')} style={{ width: 120 }} /></Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ count: 5, score: 5 })}>{t('paper.add_quota')}</Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}
        <Alert type="info" message={`${t('paper.total_score')}：${total}`} />
      </Form>
    </Modal>
  );
}

/** One question of the bank, found by words of its stem. */
function QuestionSelect({ value, onChange, id }: { value?: string; onChange?: (v: string) => void; id?: string }) {
  const t = useT();
  const [q, setQ] = useState('');
  const found = useQuery({
    queryKey: ['questions', 'pick', q],
    queryFn: ({ signal }) => api.get<QuestionPage>('/questions', { q: q.trim() || undefined, pageSize: 30 }, signal),
  });
  return (
    <Select aria-label={id ? undefined : t('paper.search_question')} id={id} value={value} onChange={onChange} style={{ width: 420 }} placeholder={t('paper.search_question')}
      showSearch={{ filterOption: false, onSearch: setQ }}
      notFoundContent={found.isFetching ? <Spin size="small" /> : null}
      options={(found.data?.items ?? []).map((x) => ({ value: x.id, label: `[${t(`question.type.${x.type}`)}] ${x.stem}` }))} />
  );
}
