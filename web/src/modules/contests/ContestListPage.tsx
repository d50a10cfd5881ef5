import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Switch, Table } from 'antd';
import { DesktopOutlined, MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { Contest, ContestPageSchema } from '../../../../contracts/contests.js';
import type { PaperPageSchema } from '../../../../contracts/exams.js';
import { ApiError, api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ContestStatusTag } from './LiveBoard.js';

type ContestPage = z.infer<typeof ContestPageSchema>;
type PaperPage = z.infer<typeof PaperPageSchema>;

/** 知识竞赛 for organizers: the contests of their scope, a new round, and the way to each one's results and big-screen board. */
export default function ContestListPage() {
  const t = useT();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: ['contests', 'list', page], placeholderData: keepPreviousData,
    queryFn: () => api.get<ContestPage>('/contests', { page: page.current, pageSize: page.pageSize }),
  });
  return (
    <Card title={t('menu.contests')} extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="contest-new">{t('contest.new')}</Button>}>
      <Table<Contest>
        rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('contest.none') }}
        data-testid="contest-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('contest.title'), dataIndex: 'title', render: (v: string, c) => (c.isOrganizer ? <Link to={`/contests/${c.id}`}>{v}</Link> : v) },
          { title: t('contest.window'), key: 'window', render: (_: unknown, c) => `${formatTime(c.startsAt)} – ${formatTime(c.endsAt)}` },
          { title: t('contest.time_limit'), dataIndex: 'timeLimitSeconds' },
          { title: t('contest.entries'), dataIndex: 'entryCount' },
          { title: t('common.status'), dataIndex: 'status', render: (s: Contest['status']) => <ContestStatusTag status={s} /> },
          { title: t('common.actions'), key: 'actions', render: (_: unknown, c) => (
            <Link to={`/contests/${c.id}/live`} data-testid="contest-live-link"><Button size="small" icon={<DesktopOutlined />}>{t('contest.open_live')}</Button></Link>
          ) },
        ]}
      />
      {creating && <CreateContestDialog onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface ContestForm {
  orgId?: string;
  paperId?: string;
  title: string;
  window?: [Dayjs, Dayjs];
  timeLimitSeconds: number;
  orgs: { orgId?: string; includeSubtree: boolean }[];
}

function CreateContestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ContestForm>();
  const [saving, setSaving] = useState(false);
  const papers = useQuery({ queryKey: ['papers', 'pick'], queryFn: () => api.get<PaperPage>('/papers', { pageSize: 200 }) });

  async function save(v: ContestForm) {
    setSaving(true);
    try {
      const created = await api.post<Contest>('/contests', {
        orgId: v.orgId, paperId: v.paperId, title: v.title,
        startsAt: v.window?.[0].toISOString(), endsAt: v.window?.[1].toISOString(), timeLimitSeconds: v.timeLimitSeconds,
        orgs: (v.orgs ?? []).filter((o) => !!o.orgId).map((o) => ({ orgId: o.orgId, includeSubtree: !!o.includeSubtree })),
      });
      void message.success(t('common.saved'));
      void navigate(`/contests/${created.id}`);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      const fields = error instanceof ApiError ? error.fields : {};
      const windowError = fields.endsAt ?? fields.startsAt;
      if (windowError) form.setFields([{ name: 'window', errors: [windowError] }]);
      const orgsError = fields.orgs;
      if (orgsError) form.setFields([{ name: ['orgs', 0, 'orgId'], errors: [orgsError] }]);
      const rest = unplaced.filter((m) => m !== windowError && m !== orgsError);
      if (!handled && !windowError && !orgsError) void message.error(errorMessage(error, t('app.error')));
      else if (rest.length) void message.error(rest[0]);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t('contest.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden okButtonProps={{ 'data-testid': 'contest-create-ok' }}>
      <Form<ContestForm> form={form} layout="vertical" onFinish={save} data-testid="contest-form"
        initialValues={{ timeLimitSeconds: 300, orgs: [{ orgId: undefined, includeSubtree: true }], window: [dayjs().add(10, 'minute').startOf('minute'), dayjs().add(70, 'minute').startOf('minute')] }}>
        <Space wrap align="start">
          <Form.Item name="orgId" label={t('contest.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 260 }} /></Form.Item>
          <Form.Item name="paperId" label={t('contest.paper')} rules={[{ required: true }]}>
            <Select style={{ width: 340 }} loading={papers.isLoading} showSearch={{ optionFilterProp: 'label' }}
              options={(papers.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.title}（${p.questionCount} · ${p.totalScore}）` }))} />
          </Form.Item>
        </Space>
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
                    <Form.Item name={[field.name, 'orgId']} style={{ marginBottom: 0 }}><OrgTreeSelect style={{ width: 320 }} /></Form.Item>
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
      </Form>
    </Modal>
  );
}
