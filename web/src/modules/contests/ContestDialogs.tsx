import { useQueryClient, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { CancelContest, Contest } from '../../../../contracts/contests.js';
import type { PaperPageSchema } from '../../../../contracts/exams.js';
import { ApiError, api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type PaperPage = z.infer<typeof PaperPageSchema>;

export interface ContestForm {
  orgId?: string;
  paperId?: string;
  title: string;
  window?: [Dayjs, Dayjs];
  timeLimitSeconds: number;
  orgs: { orgId?: string; includeSubtree: boolean }[];
}

/** The request body's fields of a contest form (everything but the organizing org). */
export const contestBody = (v: ContestForm) => ({
  paperId: v.paperId, title: v.title,
  startsAt: v.window?.[0].toISOString(), endsAt: v.window?.[1].toISOString(), timeLimitSeconds: v.timeLimitSeconds,
  orgs: (v.orgs ?? []).filter((o) => !!o.orgId).map((o) => ({ orgId: o.orgId, includeSubtree: !!o.includeSubtree })),
});

/**
 * The server names the window's two ends and the entrant list as a whole; the form has one range picker
 * and a list of lines: the same refusal, its fields renamed to the inputs that show them.
 */
export function toContestFormError(error: unknown): unknown {
  if (!(error instanceof ApiError) || Object.keys(error.fields).length === 0) return error;
  const renamed: Record<string, string> = { startsAt: 'window', endsAt: 'window', orgs: 'orgs.0.orgId' };
  const fields = Object.fromEntries(Object.entries(error.fields).map(([path, m]) => [renamed[path] ?? path, m]));
  return new ApiError(error.status, error.code, error.message, fields);
}

/** Paper, title, window, time limit and entrant orgs: the fields a contest is set up and edited with. */
export function ContestFields() {
  const t = useT();
  const papers = useQuery({ queryKey: ['papers', 'pick'], queryFn: () => api.get<PaperPage>('/papers', { pageSize: 200 }) });
  return (
    <>
      <Form.Item name="paperId" label={t('contest.paper')} rules={[{ required: true }]}>
        <Select style={{ width: 340 }} loading={papers.isLoading} showSearch={{ optionFilterProp: 'label' }}
          options={(papers.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.title}（${p.questionCount} · ${p.totalScore}）` }))} />
      </Form.Item>
      <Form.Item name="title" label={t('contest.title')} rules={[{ required: true }]}><Input maxLength={100} /></Form.Item>
      <Form.Item name="window" label={t('contest.window')} rules={[{ required: true }]}>
        <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="timeLimitSeconds" label={t('contest.time_limit')} rules={[{ required: true }]} extra={t('contest.tie_rule')}>
        <InputNumber min={10} max={86400} step={30} />
      </Form.Item>
      <Form.Item label={t('contest.entrant_orgs')} required>
        <Form.List name="orgs">
          {(fields, { add, remove }) => (
            <Space orientation="vertical">
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item name={[field.name, 'orgId']} style={{ marginBottom: 0 }}><OrgTreeSelect aria-label={`${t('contest.entrant_orgs')} ${field.name + 1}`} style={{ width: 320 }} /></Form.Item>
                  <Form.Item name={[field.name, 'includeSubtree']} valuePropName="checked" style={{ marginBottom: 0 }}>
                    <Switch checkedChildren={t('contest.include_subtree')} unCheckedChildren={t('contest.include_subtree')} />
                  </Form.Item>
                  {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ orgId: undefined, includeSubtree: true })}>{t('contest.add_entrant_org')}</Button>
            </Space>
          )}
        </Form.List>
      </Form.Item>
    </>
  );
}

/** Before the start only (the server refuses later changes): the same fields as setting it up, but not its organizer. */
export function EditContestDialog({ contest, onClose }: { contest: Contest; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ContestForm>();
  const { saving, run } = useFormSubmit(form);
  const save = (v: ContestForm) => run(async () => {
    try {
      await api.patch<Contest>(`/contests/${contest.id}`, contestBody(v));
    } catch (error) {
      throw toContestFormError(error);
    }
    await queryClient.invalidateQueries({ queryKey: ['contests'] });
    void message.success(t('common.saved'));
    onClose();
  });
  return (
    <Modal open title={t('contest.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden okButtonProps={{ 'data-testid': 'contest-edit-ok' }}>
      <Form<ContestForm> form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="contest-edit-form"
        initialValues={{
          paperId: contest.paperId, title: contest.title, timeLimitSeconds: contest.timeLimitSeconds, window: [dayjs(contest.startsAt), dayjs(contest.endsAt)],
          orgs: contest.orgs.map((o) => ({ orgId: o.orgId, includeSubtree: o.includeSubtree })),
        }}>
        <ContestFields />
      </Form>
    </Modal>
  );
}

/** Before or while it runs: with a reason everyone who sees the contest is shown; its points are reversed. */
export function CancelContestDialog({ contest, onClose }: { contest: Contest; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CancelContest>();
  const { saving, run } = useFormSubmit(form);
  const save = (v: CancelContest) => run(async () => {
    await api.post<Contest>(`/contests/${contest.id}/cancel`, v);
    await queryClient.invalidateQueries({ queryKey: ['contests'] });
    void message.success(t('contest.cancelled_done'));
    onClose();
  });
  return (
    <Modal open title={`${t('contest.cancel')}：${contest.title}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ danger: true, 'data-testid': 'contest-cancel-ok' }}>
      <Alert type="warning" showIcon message={t('contest.cancel_hint')} style={{ marginBottom: 16 }} />
      <Form<CancelContest> form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="contest-cancel-form">
        <Form.Item name="reason" label={t('contest.cancel_reason')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea maxLength={500} autoSize={{ minRows: 3 }} data-testid="contest-cancel-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
