import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Select, Space, Switch, Table, Tag, Typography, Upload, type UploadFile } from 'antd';
import { DeleteOutlined, DownloadOutlined, MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import {
  DIFFICULTIES, QUESTION_TYPES, type AnswerKey, type CreateQuestion, type Difficulty, type ImportReport, type Question, type QuestionPage, type QuestionType,
} from '../../../../contracts/exams.js';
import { ApiError, api, showFieldErrors } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { QuestionTypeTag, answerText } from './QuestionInput.js';

const LETTERS = 'ABCDEFGH';
type Filters = { q?: string; type?: QuestionType; difficulty?: Difficulty; tag?: string };

/** 题库: the questions of the viewer's orgs and those shared from above; new, edit, retire, import and export (.xlsx). */
export default function QuestionBankPage() {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [editing, setEditing] = useState<Question | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const list = useQuery({
    queryKey: ['questions', 'list', filters, page],
    queryFn: () => api.get<QuestionPage>('/questions', { ...filters, page: page.current, pageSize: page.pageSize }),
    placeholderData: keepPreviousData,
  });
  const set = (patch: Filters) => { setFilters((f) => ({ ...f, ...patch })); setPage((p) => ({ ...p, current: 1 })); };
  const archive = (q: Question) => modal.confirm({
    title: t('question.archive'), content: t('question.archive_confirm'),
    onOk: async () => {
      try {
        await api.delete(`/questions/${q.id}`);
        void message.success(t('question.archived'));
        void queryClient.invalidateQueries({ queryKey: ['questions'] });
      } catch (error) {
        void message.error(errorMessage(error, t('app.error')));
      }
    },
  });

  return (
    <Card title={t('menu.question_bank')} extra={(
      <Space wrap>
        <Button icon={<DownloadOutlined />} onClick={() => void api.download('/questions/export.xlsx', filters, 'questions.xlsx').catch((e: unknown) => message.error(errorMessage(e, t('app.error'))))}>{t('question.export')}</Button>
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="question-import">{t('question.import')}</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} data-testid="question-new">{t('question.new')}</Button>
      </Space>
    )}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('common.search')} onSearch={(q) => set({ q: q || undefined })} style={{ width: 220 }} />
        <Select aria-label={t('question.type')} allowClear placeholder={t('question.type')} style={{ width: 140 }} value={filters.type} onChange={(type?: QuestionType) => set({ type })}
          options={QUESTION_TYPES.map((v) => ({ value: v, label: t(`question.type.${v}`) }))} />
        <Select aria-label={t('question.difficulty')} allowClear placeholder={t('question.difficulty')} style={{ width: 110 }} value={filters.difficulty} onChange={(difficulty?: Difficulty) => set({ difficulty })}
          options={DIFFICULTIES.map((v) => ({ value: v, label: t(`question.difficulty.${v}`) }))} />
        <Input allowClear placeholder={t('question.tags')} style={{ width: 140 }} onPressEnter={(e) => set({ tag: e.currentTarget.value || undefined })}
          onChange={(e) => { if (!e.target.value) set({ tag: undefined }); }} />
      </Space>
      <Table<Question>
        rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="question-table"
        locale={{ emptyText: t('question.none') }}
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('question.type'), dataIndex: 'type', width: 100, render: (v: QuestionType) => <QuestionTypeTag type={v} /> },
          { title: t('question.stem'), dataIndex: 'stem', render: (v: string, q) => (
            <Space orientation="vertical" size={2} style={{ maxWidth: 520 }}>
              <Typography.Text>{v}</Typography.Text>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('question.answer')}：{answerText({ ...q, blankCount: 0 }, q.answer, t)}</Typography.Text>
            </Space>
          ) },
          { title: t('question.difficulty'), dataIndex: 'difficulty', render: (v: Difficulty) => t(`question.difficulty.${v}`) },
          { title: t('question.tags'), dataIndex: 'tags', render: (tags: string[], q) => <Space size={2} wrap>{tags.map((x) => <Tag key={x}>{x}</Tag>)}{q.isDaily && <Tag color="red">{t('question.daily')}</Tag>}</Space> },
          { title: t('common.actions'), key: 'actions', render: (_: unknown, q) => (
            <Space size={0}>
              <Button type="link" onClick={() => setEditing(q)}>{t('common.edit')}</Button>
              <Button type="link" danger icon={<DeleteOutlined />} onClick={() => archive(q)}>{t('question.archive')}</Button>
            </Space>
          ) },
        ]}
      />
      {editing && <QuestionDialog question={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {importing && <ImportDialog onClose={() => setImporting(false)} />}
    </Card>
  );
}

interface QuestionForm {
  orgId?: string;
  type: QuestionType;
  stem: string;
  options: { text: string }[];
  single?: string;
  multiple?: string[];
  trueFalse?: boolean;
  blanks: string[][];
  tags: string[];
  difficulty: Difficulty;
  explanation?: string;
  isDaily: boolean;
}

const answerField: Record<QuestionType, keyof QuestionForm> = { single: 'single', multiple: 'multiple', true_false: 'trueFalse', fill_blank: 'blanks' };

function formOf(q: Question | null): Partial<QuestionForm> {
  if (!q) return { type: 'single', difficulty: 'medium', options: [{ text: '' }, { text: '' }, { text: '' }, { text: '' }], blanks: [[]], tags: [], isDaily: false };
  const answer = q.answer;
  return {
    orgId: q.orgId, type: q.type, stem: q.stem, options: q.options.map((o) => ({ text: o.text })), tags: q.tags, difficulty: q.difficulty,
    explanation: q.explanation ?? undefined, isDaily: q.isDaily,
    single: typeof answer === 'string' ? answer : undefined,
    multiple: q.type === 'multiple' && Array.isArray(answer) ? (answer as string[]) : undefined,
    trueFalse: typeof answer === 'boolean' ? answer : undefined,
    blanks: q.type === 'fill_blank' && Array.isArray(answer) ? (answer as string[][]) : [[]],
  };
}

function QuestionDialog({ question, onClose }: { question: Question | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const { audiences } = useSession();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<QuestionForm>();
  const [saving, setSaving] = useState(false);
  const type = Form.useWatch('type', form) ?? question?.type ?? 'single';
  const options = Form.useWatch('options', form) ?? [];
  const hasOptions = type === 'single' || type === 'multiple';
  const optionChoices = options.map((o, i) => ({ value: LETTERS[i]!, label: `${LETTERS[i]}. ${o?.text ?? ''}` }));

  async function save(v: QuestionForm) {
    const answer: AnswerKey = type === 'single' ? (v.single ?? '') : type === 'multiple' ? (v.multiple ?? []) : type === 'true_false' ? (v.trueFalse ?? true) : (v.blanks ?? []);
    const body = {
      type, stem: v.stem, options: hasOptions ? (v.options ?? []).map((o, i) => ({ key: LETTERS[i]!, text: o.text })) : [],
      answer, tags: v.tags ?? [], difficulty: v.difficulty, explanation: v.explanation || null, isDaily: !!v.isDaily,
    };
    setSaving(true);
    try {
      if (question) await api.patch<Question>(`/questions/${question.id}`, body);
      else await api.post<Question>('/questions', { orgId: v.orgId, ...body } satisfies Partial<CreateQuestion>);
      void message.success(question ? t('common.saved') : t('question.created_ok'));
      void queryClient.invalidateQueries({ queryKey: ['questions'] });
      onClose();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      const fields = error instanceof ApiError ? error.fields : {};
      if (fields.answer) form.setFields([{ name: answerField[type], errors: [fields.answer] }]);
      const rest = unplaced.filter((m) => m !== fields.answer);
      if (!handled && !fields.answer) void message.error(errorMessage(error, t('app.error')));
      else if (rest.length) void message.error(rest[0]);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={question ? t('question.edit') : t('question.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden
      okButtonProps={{ 'data-testid': 'question-save' }}>
      <Form<QuestionForm> form={form} layout="vertical" onFinish={save} initialValues={formOf(question)} data-testid="question-form">
        <Space wrap align="start">
          {!question && <Form.Item name="orgId" label={t('question.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 260 }} /></Form.Item>}
          <Form.Item name="type" label={t('question.type')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={QUESTION_TYPES.map((v) => ({ value: v, label: t(`question.type.${v}`) }))} />
          </Form.Item>
          <Form.Item name="difficulty" label={t('question.difficulty')} rules={[{ required: true }]}>
            <Radio.Group optionType="button" options={DIFFICULTIES.map((v) => ({ value: v, label: t(`question.difficulty.${v}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="stem" label={t('question.stem')} rules={[{ required: true }]} extra={type === 'fill_blank' ? t('question.stem_hint') : undefined}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {hasOptions && (
          <Form.Item label={t('question.options')} required>
            <Form.List name="options">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field, i) => (
                    <Space key={field.key} align="baseline" style={{ width: '100%' }}>
                      <Typography.Text strong>{LETTERS[i]}.</Typography.Text>
                      <Form.Item name={[field.name, 'text']} rules={[{ required: true }]} style={{ marginBottom: 0, width: 560 }}><Input maxLength={500} /></Form.Item>
                      {fields.length > 2 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  {fields.length < 8 && <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ text: '' })}>{t('question.add_option')}</Button>}
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}
        {type === 'single' && <Form.Item name="single" label={t('question.answer')} rules={[{ required: true }]}><Radio.Group options={optionChoices.map((o) => ({ value: o.value, label: o.value }))} /></Form.Item>}
        {type === 'multiple' && <Form.Item name="multiple" label={t('question.answer')} rules={[{ required: true }]}><Select mode="multiple" options={optionChoices} /></Form.Item>}
        {type === 'true_false' && (
          <Form.Item name="trueFalse" label={t('question.answer')} rules={[{ required: true }]}>
            <Radio.Group options={[{ value: true, label: t('question.true') }, { value: false, label: t('question.false') }]} />
          </Form.Item>
        )}
        {type === 'fill_blank' && (
          <Form.Item label={t('question.answer')} required>
            <Form.List name="blanks">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field, i) => (
                    <Space key={field.key} align="baseline">
                      <Typography.Text>{t('question.blank', { n: i + 1 })}</Typography.Text>
                      <Form.Item name={field.name} rules={[{ required: true, type: 'array', min: 1 }]} style={{ marginBottom: 0, width: 480 }}>
                        <Select mode="tags" open={false} placeholder={t('question.blank_answers')} />
                      </Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  {fields.length < 10 && <Button type="dashed" icon={<PlusOutlined />} onClick={() => add([])}>{t('question.add_blank')}</Button>}
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}
        <Form.Item name="tags" label={t('question.tags')}><Select mode="tags" open={false} maxCount={10} /></Form.Item>
        <Form.Item name="explanation" label={t('question.explanation')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
        {audiences.has('platformAdmin') && <Form.Item name="isDaily" label={t('question.is_daily')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}

function ImportDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [orgId, setOrgId] = useState<string | undefined>();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  async function run() {
    if (!orgId || !file?.originFileObj) return;
    const body = new FormData();
    body.append('file', file.originFileObj);
    setBusy(true);
    try {
      const result = await api.upload<ImportReport>(`/questions/import?orgId=${encodeURIComponent(orgId)}`, body);
      setReport(result);
      void queryClient.invalidateQueries({ queryKey: ['questions'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  }
  const failed = report?.rows.filter((r) => r.status === 'failed') ?? [];
  return (
    <Modal open title={t('question.import_title')} onCancel={onClose} onOk={report ? onClose : () => void run()} confirmLoading={busy}
      okButtonProps={{ disabled: !report && (!orgId || !file) }} okText={report ? t('common.confirm') : t('question.import')} width={640} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('question.import_hint')}</Typography.Paragraph>
        <Space wrap>
          <Typography.Text>{t('question.import_org')}</Typography.Text>
          <OrgTreeSelect value={orgId} onChange={setOrgId} style={{ width: 260 }} />
        </Space>
        <Upload accept=".xlsx" maxCount={1} beforeUpload={() => false} fileList={file ? [file] : []}
          onChange={({ fileList }) => { setFile(fileList[fileList.length - 1] ?? null); setReport(null); }}>
          <Button icon={<UploadOutlined />}>{t('question.import_file')}</Button>
        </Upload>
        {report && (
          <>
            <Alert type={report.failed ? 'warning' : 'success'} showIcon message={t('question.import_result', { created: report.created, failed: report.failed })} />
            {failed.length > 0 && (
              <Table size="small" rowKey="row" pagination={false} scroll={{ y: 240 }} dataSource={failed}
                columns={[
                  { title: '#', dataIndex: 'row', width: 90, render: (row: number) => t('question.import_row', { row }) },
                  { title: t('app.error'), dataIndex: 'errors', render: (errors: Record<string, string>) => Object.entries(errors).map(([k, v]) => `${k}：${v}`).join('；') },
                ]} />
            )}
          </>
        )}
      </Space>
    </Modal>
  );
}
