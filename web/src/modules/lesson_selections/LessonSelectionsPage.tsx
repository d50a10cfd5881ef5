import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Form, Grid, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Link, useNavigate } from 'react-router';
import type { Dayjs } from 'dayjs';
import type { CreateLessonSelection, LessonSelection, LessonSelectionPage, LessonSelectionStatus } from '../../../../contracts/lesson_selections.js';
import type { UserPage } from '../../../../contracts/users.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

export const STATUS_COLORS: Record<LessonSelectionStatus, string> = { entering: 'blue', judging: 'orange', proposed: 'gold', notice: 'purple', published: 'green' };

/** 授课晒课评课: the selections the viewer runs or may enter lessons for. */
export default function LessonSelectionsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [open, setOpen] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: 20 };
  const list = useQuery({ queryKey: ['lesson-selections', 'list', query], queryFn: () => api.get<LessonSelectionPage>('/lesson-selections', query), placeholderData: keepPreviousData });
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.lesson_selections')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="lesson-new">{t('lesson.new')}</Button>}>
      <Table<LessonSelection>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('lesson.none') }} data-testid="lesson-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('lesson.title'), key: 'title', width: 260, render: (_: unknown, s) => <Link to={`/lesson-selections/${s.id}`}>{s.title}</Link> },
          { title: t('lesson.org'), dataIndex: 'orgName', width: 180, responsive: ['md'] },
          { title: t('lesson.year'), dataIndex: 'year', width: 80 },
          { title: t('lesson.window'), key: 'window', width: 200, responsive: ['md'], render: (_: unknown, s) => `${s.entryOpensOn} ~ ${s.entryClosesOn}` },
          { title: t('lesson.status'), key: 'status', width: 100, render: (_: unknown, s) => <Tag color={STATUS_COLORS[s.status]}>{t(`lesson.status.${s.status}`)}</Tag> },
          { title: t('lesson.entries'), dataIndex: 'entries', width: 90 },
        ]}
      />
      {open && <CreateDialog onClose={() => setOpen(false)} />}
    </Card>
  );
}

interface CriterionValues { key: string; name: string; weight: number; maxScore: number }
interface FormValues { orgId: string; title: string; year: number; window: [Dayjs, Dayjs]; honours: number; criteria: CriterionValues[]; judgeUserIds?: string[]; blind?: boolean }

function CreateDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const [q, setQ] = useState('');
  const users = useQuery({ queryKey: ['users', 'pick', q], queryFn: () => api.get<UserPage>('/users', { q: q || undefined, pageSize: 20, disabled: '0' }), placeholderData: keepPreviousData });
  const submit = (v: FormValues) => run(async () => {
    const body: CreateLessonSelection = {
      orgId: v.orgId, title: v.title, year: v.year, entryOpensOn: isoDay(v.window[0])!, entryClosesOn: isoDay(v.window[1])!, honours: v.honours,
      criteria: v.criteria, judgeUserIds: v.judgeUserIds ?? [], blind: v.blind ?? false,
    };
    const created = await api.post<LessonSelection>('/lesson-selections', body);
    void message.success(t('lesson.saved'));
    void queryClient.invalidateQueries({ queryKey: ['lesson-selections'] });
    void navigate(`/lesson-selections/${created.id}`);
  });
  const required = [{ required: true, message: t('lesson.required') }];
  const today = todayInChina();
  return (
    <Modal open width={720} title={t('lesson.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{
        year: today.year(), honours: 10, window: [today, today.add(30, 'day')],
        criteria: [{ key: 'content', name: '内容质量', weight: 40, maxScore: 100 }, { key: 'delivery', name: '讲授效果', weight: 30, maxScore: 100 }, { key: 'connection', name: '联系实际', weight: 30, maxScore: 100 }],
      }}>
        <Form.Item name="orgId" label={t('lesson.org')} rules={required}><OrgTreeSelect placeholder={t('lesson.org')} /></Form.Item>
        <Form.Item name="title" label={t('lesson.title')} rules={required}><Input maxLength={200} placeholder={t('lesson.title_placeholder')} /></Form.Item>
        <Space wrap>
          <Form.Item name="year" label={t('lesson.year')} rules={required}><InputNumber min={2000} max={2199} /></Form.Item>
          <Form.Item name="window" label={t('lesson.window')} rules={required}><DatePicker.RangePicker /></Form.Item>
          <Form.Item name="honours" label={t('lesson.honours')} rules={required} tooltip={t('lesson.honours_hint')}><InputNumber min={1} max={100} /></Form.Item>
        </Space>
        <Form.List name="criteria">
          {(fields, { add, remove }) => (
            <Form.Item label={t('lesson.criteria')}>
              {fields.map((field) => (
                <Space key={field.key} wrap align="baseline">
                  <Form.Item name={[field.name, 'key']} rules={required}><Input placeholder={t('lesson.criterion_key')} style={{ width: 110 }} /></Form.Item>
                  <Form.Item name={[field.name, 'name']} rules={required}><Input placeholder={t('lesson.criterion_name')} style={{ width: 140 }} /></Form.Item>
                  <Form.Item name={[field.name, 'weight']} rules={required}><InputNumber placeholder={t('lesson.criterion_weight')} min={0.01} /></Form.Item>
                  <Form.Item name={[field.name, 'maxScore']} rules={required}><InputNumber placeholder={t('lesson.criterion_max')} min={1} /></Form.Item>
                  <MinusCircleOutlined onClick={() => remove(field.name)} aria-label="remove" />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ weight: 10, maxScore: 100 })}>{t('lesson.add_criterion')}</Button>
            </Form.Item>
          )}
        </Form.List>
        <Form.Item name="judgeUserIds" label={t('lesson.judges')}>
          <Select mode="multiple" showSearch={{ filterOption: false, onSearch: setQ }} placeholder={t('lesson.judge_search')} loading={users.isFetching}
            options={(users.data?.items ?? []).map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))} />
        </Form.Item>
        <Form.Item name="blind" valuePropName="checked"><Checkbox>{t('lesson.blind')}</Checkbox></Form.Item>
      </Form>
    </Modal>
  );
}
