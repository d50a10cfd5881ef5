import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Divider, Form, Grid, Input, InputNumber, Modal, Segmented, Select, Space, Switch, Table, Tag } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { REVIEW_LEVELS, type CreateRound, type ReviewLevel, type ReviewRound, type ReviewRoundPage, type RoundStatus } from '../../../../contracts/brands.js';
import type { RubricCriterion } from '../../../../contracts/judging.js';
import type { UserPage } from '../../../../contracts/users.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const PAGE_SIZE = 20;
export const roundStatusColor: Record<RoundStatus, string> = { open: 'blue', judging: 'orange', scored: 'purple', notice: 'gold', finalized: 'green' };

/** 星级评审: the rounds the viewer runs, and those of the levels above open to their brands. */
export default function RoundsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [creating, setCreating] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const view = params.get('view') === 'apply' ? 'apply' : 'manage';
  const query = { page, pageSize: PAGE_SIZE, view };
  const list = useQuery({ queryKey: ['brands', 'rounds', query], queryFn: () => api.get<ReviewRoundPage>('/brands/rounds', query), placeholderData: keepPreviousData });
  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.brand_rounds')}</h1>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="round-new">{t('brand.round.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Segmented style={{ marginBottom: 12 }} value={view} onChange={(v) => set({ view: v === 'apply' ? 'apply' : undefined })}
        options={[{ value: 'manage', label: t('brand.round.manage') }, { value: 'apply', label: t('brand.round.apply') }]} />
      <Table<ReviewRound>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('brand.round.none') }} data-testid="round-table"
        pagination={{ current: page, pageSize: PAGE_SIZE, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('brand.round.title'), dataIndex: 'title', render: (title: string, r) => <Link to={`/brands/rounds/${r.id}`}>{title}</Link> },
          { title: t('brand.round.year'), dataIndex: 'year', width: 80 },
          { title: t('brand.round.org'), dataIndex: 'orgName', responsive: ['md'] },
          { title: t('brand.round.window'), key: 'window', responsive: ['sm'], render: (_, r) => `${r.appliesFrom} ~ ${r.appliesUntil}` },
          { title: t('brand.round.status'), dataIndex: 'status', width: 100, render: (s: RoundStatus) => <Tag color={roundStatusColor[s]}>{t(`brand.round.status.${s}`)}</Tag> },
          { title: t('brand.round.applications'), key: 'apps', width: 110, responsive: ['md'], render: (_, r) => `${r.acceptedCount} / ${r.applicationCount}` },
        ]}
      />
      {creating && <CreateRoundModal onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface RoundForm {
  orgId: string; title: string; year: number; window: [Dayjs, Dayjs]; levels: { level: ReviewLevel; minScore: number }[];
  criteria: RubricCriterion[]; judgeUserIds: string[]; blind: boolean;
}

const DEFAULT_LEVELS: RoundForm['levels'] = [
  { level: 'star5', minScore: 90 }, { level: 'star4', minScore: 80 }, { level: 'star3', minScore: 70 }, { level: 'model', minScore: 90 }, { level: 'cultivating', minScore: 75 },
];
const DEFAULT_CRITERIA: RubricCriterion[] = [
  { key: 'feature', name: '特色做法', weight: 30, maxScore: 100 }, { key: 'effect', name: '工作成效', weight: 40, maxScore: 100 },
  { key: 'influence', name: '示范影响', weight: 30, maxScore: 100 },
];

function CreateRoundModal({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const own = useOwnOrg();
  const [form] = Form.useForm<RoundForm>();
  const { saving, run } = useFormSubmit(form);
  const judges = useQuery({ queryKey: ['users', 'judges'], queryFn: () => api.get<UserPage>('/users', { role: 'judge', pageSize: 200 }) });
  const submit = (v: RoundForm) => run(async () => {
    const input: CreateRound = {
      orgId: v.orgId, title: v.title, year: v.year, levels: v.levels, criteria: v.criteria, judgeUserIds: v.judgeUserIds ?? [], blind: v.blind,
      appliesFrom: isoDay(v.window[0])!, appliesUntil: isoDay(v.window[1])!,
    };
    const saved = await api.post<ReviewRound>('/brands/rounds', input);
    void queryClient.invalidateQueries({ queryKey: ['brands', 'rounds'] });
    void message.success(t('brand.saved'));
    onClose();
    void navigate(`/brands/rounds/${saved.id}`);
  });
  const required = [{ required: true, message: t('brand.required') }];
  const today = todayInChina();
  return (
    <Modal open width={760} title={t('brand.round.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<RoundForm> form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={{ orgId: own.orgId, year: today.year(), window: [today, today.add(30, 'day')], levels: DEFAULT_LEVELS, criteria: DEFAULT_CRITERIA, blind: false }}>
        <Form.Item name="orgId" label={t('brand.round.org')} rules={required}><OrgTreeSelect allowClear={false} /></Form.Item>
        <Form.Item name="title" label={t('brand.round.title')} rules={required}><Input maxLength={100} data-testid="round-title" /></Form.Item>
        <Space wrap size={16}>
          <Form.Item name="year" label={t('brand.round.year')} rules={required}><InputNumber min={2000} max={2199} style={{ width: 110 }} /></Form.Item>
          <Form.Item name="window" label={t('brand.round.window')} rules={required}><DatePicker.RangePicker /></Form.Item>
        </Space>
        <Divider titlePlacement="start">{t('brand.round.levels')}</Divider>
        <Form.List name="levels">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field, i) => (
                <Space key={field.key} wrap>
                  <Form.Item name={[field.name, 'level']} rules={required} noStyle>
                    <Select aria-label={`${t('brand.round.level')} ${i + 1}`} style={{ width: 120 }} options={REVIEW_LEVELS.map((l) => ({ value: l, label: t(`brand.level.${l}`) }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'minScore']} rules={required} noStyle>
                    <InputNumber aria-label={`${t('brand.round.min_score')} ${i + 1}`} placeholder={t('brand.round.min_score')} min={0} max={100} style={{ width: 110 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${i + 1}`} onClick={() => remove(field.name)} disabled={fields.length === 1} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ level: 'star2', minScore: 60 })}>{t('brand.round.add')}</Button>
            </Space>
          )}
        </Form.List>
        <Divider titlePlacement="start">{t('brand.round.criteria')}</Divider>
        <Form.List name="criteria">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field, i) => (
                <Space key={field.key} wrap>
                  <Form.Item name={[field.name, 'key']} rules={required} noStyle>
                    <Input aria-label={`${t('brand.round.criterion_key')} ${i + 1}`} placeholder={t('brand.round.criterion_key')} style={{ width: 110 }} maxLength={40} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'name']} rules={required} noStyle>
                    <Input aria-label={`${t('brand.round.criterion_name')} ${i + 1}`} placeholder={t('brand.round.criterion_name')} style={{ width: 160 }} maxLength={60} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'weight']} rules={required} noStyle>
                    <InputNumber aria-label={`${t('brand.round.weight')} ${i + 1}`} placeholder={t('brand.round.weight')} min={0.01} max={1000} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'maxScore']} rules={required} noStyle>
                    <InputNumber aria-label={`${t('brand.round.max_score')} ${i + 1}`} placeholder={t('brand.round.max_score')} min={1} max={1000} style={{ width: 90 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${i + 1}`} onClick={() => remove(field.name)} disabled={fields.length === 1} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ key: `c${fields.length + 1}`, name: '', weight: 10, maxScore: 100 })}>{t('brand.round.add')}</Button>
            </Space>
          )}
        </Form.List>
        <Divider />
        <Form.Item name="judgeUserIds" label={t('brand.round.judges')}>
          <Select mode="multiple" optionFilterProp="label" loading={judges.isLoading} options={(judges.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))} />
        </Form.Item>
        <Form.Item name="blind" label={t('brand.round.blind')} valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}
