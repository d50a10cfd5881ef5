import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Form, Modal, Table } from 'antd';
import { DesktopOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import type { z } from 'zod';
import type { Contest, ContestPageSchema } from '../../../../contracts/contests.js';
import { ApiError, api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ContestFields, contestBody, type ContestForm } from './ContestDialogs.js';
import { ContestStatusTag } from './LiveBoard.js';

type ContestPage = z.infer<typeof ContestPageSchema>;

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
          { title: t('common.status'), dataIndex: 'status', render: (s: Contest['status'], c) => <ContestStatusTag status={s} cancelledAt={c.cancelledAt} /> },
          { title: t('common.actions'), key: 'actions', render: (_: unknown, c) => (
            <Link to={`/contests/${c.id}/live`} data-testid="contest-live-link"><Button size="small" icon={<DesktopOutlined />}>{t('contest.open_live')}</Button></Link>
          ) },
        ]}
      />
      {creating && <CreateContestDialog onClose={() => setCreating(false)} />}
    </Card>
  );
}

function CreateContestDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<ContestForm>();
  const [saving, setSaving] = useState(false);

  async function save(v: ContestForm) {
    setSaving(true);
    try {
      const created = await api.post<Contest>('/contests', { orgId: v.orgId, ...contestBody(v) });
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
        <Form.Item name="orgId" label={t('contest.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 260 }} /></Form.Item>
        <ContestFields />
      </Form>
    </Modal>
  );
}
