import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Grid, Modal, Popconfirm, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, BellOutlined, EditOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Notice, NoticeReceiptPeople, NoticeReceipts, NoticeReceiptPerson, RemindResult } from '../../../../contracts/notices.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { NoticeBody } from './NoticeBody.js';
import { NoticeFiles } from './NoticeFiles.js';
import { NoticeStatusTag, ReadRate } from './NoticeTags.js';

/** One notice for its publishers: publish now or at a time, withdraw, and once published its read receipts. */
export default function NoticeDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const [scheduling, setScheduling] = useState(false);
  const [publishAt, setPublishAt] = useState<Dayjs | null>(null);
  const notice = useQuery({ queryKey: ['notices', id], queryFn: () => api.get<Notice>(`/notices/${id}`) });
  const n = notice.data;

  const act = async (name: string, run: () => Promise<Notice | void>, done: string) => {
    setBusy(name);
    try {
      const next = await run();
      if (next) queryClient.setQueryData(['notices', id], next);
      void queryClient.invalidateQueries({ queryKey: ['notices'] });
      void message.success(done);
      return true;
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      return false;
    } finally {
      setBusy(null);
    }
  };
  const isEditable = n?.status === 'draft' || n?.status === 'scheduled';

  return (
    <QueryState isLoading={notice.isLoading} error={notice.error}>
      {n && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }} data-testid="notice-title">{n.title}</Typography.Title>}
            extra={<Link to="/notices"><Button icon={<ArrowLeftOutlined />} aria-label={t('notice.back')} /></Link>}
            styles={{ body: { padding: 16 } }}
          >
            <Space wrap style={{ marginBottom: 12 }}>
              <NoticeStatusTag status={n.status} />
              {n.mustRead && <Tag color="red">{t('notice.must_read')}</Tag>}
              {isEditable && <Link to={`/notices/${id}/edit`}><Button icon={<EditOutlined />}>{t('common.edit')}</Button></Link>}
              {isEditable && (
                <Popconfirm title={t('notice.publish_now')} onConfirm={() => void act('publish', () => api.post<Notice>(`/notices/${id}/publish`, {}), t('notice.published'))}>
                  <Button type="primary" loading={busy === 'publish'} data-testid="notice-publish">{t('notice.publish_now')}</Button>
                </Popconfirm>
              )}
              {isEditable && <Button onClick={() => setScheduling(true)}>{t('notice.publish_at')}</Button>}
              {(n.status === 'published' || n.status === 'scheduled') && (
                <Popconfirm title={t('notice.withdraw_confirm')} onConfirm={() => void act('withdraw', () => api.post<Notice>(`/notices/${id}/withdraw`), t('notice.withdrawn'))}>
                  <Button danger loading={busy === 'withdraw'}>{t('notice.withdraw')}</Button>
                </Popconfirm>
              )}
              {n.status === 'draft' && (
                <Popconfirm title={t('notice.delete_confirm')} onConfirm={() => void act('delete', async () => { await api.delete(`/notices/${id}`); void navigate('/notices'); }, t('notice.deleted'))}>
                  <Button danger type="text">{t('notice.delete')}</Button>
                </Popconfirm>
              )}
            </Space>
            <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 12 }}
              items={[
                { key: 'org', label: t('notice.org'), children: n.orgName },
                { key: 'targets', label: t('notice.targets'), children: n.targetKind === 'subtree' ? t('notice.target.subtree') : n.targetOrgs.map((o) => o.name).join('、') },
                { key: 'audience', label: t('notice.audience'), children: [n.toMembers && t('notice.to_members'), n.toOrgAdmins && t('notice.to_org_admins')].filter(Boolean).join('、') },
                { key: 'when', label: n.status === 'scheduled' ? t('notice.publish_at_label') : t('notice.published_at'), children: formatTime(n.publishedAt ?? n.publishAt) },
                ...(n.mustRead ? [{ key: 'deadline', label: t('notice.read_deadline'), children: formatTime(n.readDeadline) }] : []),
              ]} />
            <NoticeBody html={n.bodyHtml} />
            {n.files.length > 0 && <div style={{ marginTop: 12 }}><Typography.Text strong>{t('notice.files')}</Typography.Text><NoticeFiles noticeId={id} files={n.files} /></div>}
          </Card>
          {(n.status === 'published' || n.status === 'withdrawn') && <ReceiptsCard notice={n} onReminded={(next) => queryClient.setQueryData(['notices', id], next)} />}
          <Modal open={scheduling} title={t('notice.publish_at')} onCancel={() => setScheduling(false)} okButtonProps={{ disabled: !publishAt, loading: busy === 'schedule' }}
            onOk={() => void act('schedule', () => api.post<Notice>(`/notices/${id}/publish`, { publishAt: publishAt?.toISOString() ?? null }), t('notice.scheduled')).then((ok) => ok && setScheduling(false))}>
            <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" value={publishAt} onChange={setPublishAt} aria-label={t('notice.publish_at_label')} style={{ width: '100%' }} />
          </Modal>
        </Space>
      )}
    </QueryState>
  );
}

type State = 'all' | 'read' | 'unread';

function ReceiptsCard({ notice, onReminded }: { notice: Notice; onReminded: (n: Notice) => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [state, setState] = useState<State>('unread');
  const [orgId, setOrgId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [reminding, setReminding] = useState(false);
  const receipts = useQuery({ queryKey: ['notices', notice.id, 'receipts'], queryFn: () => api.get<NoticeReceipts>(`/notices/${notice.id}/receipts`) });
  const peopleQuery = { state: state === 'all' ? undefined : state, orgId, page, pageSize: 20 };
  const people = useQuery({
    queryKey: ['notices', notice.id, 'people', peopleQuery],
    queryFn: () => api.get<NoticeReceiptPeople>(`/notices/${notice.id}/receipts/people`, peopleQuery),
    placeholderData: keepPreviousData,
  });
  const open = (nextOrg: string | undefined, nextState: State) => { setOrgId(nextOrg); setState(nextState); setPage(1); };
  const r = receipts.data;
  const unread = r ? r.recipients - r.read : 0;
  const remind = async () => {
    setReminding(true);
    try {
      const result = await api.post<RemindResult>(`/notices/${notice.id}/remind`);
      void message.success(t('notice.reminded', { n: result.delivered }));
      onReminded(await api.get<Notice>(`/notices/${notice.id}`));
      void queryClient.invalidateQueries({ queryKey: ['notices', 'list'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setReminding(false);
    }
  };
  const orgName = r?.orgs.find((o) => o.orgId === orgId)?.orgName;

  return (
    <Card title={<Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('notice.receipts')}</Typography.Title>} styles={{ body: { padding: 16 } }}
      extra={notice.status === 'published' && unread > 0 && (
        <Popconfirm title={t('notice.remind_confirm', { n: unread })} onConfirm={() => void remind()}>
          <Button type="primary" icon={<BellOutlined />} loading={reminding} data-testid="notice-remind">{t('notice.remind')}</Button>
        </Popconfirm>
      )}>
      <QueryState isLoading={receipts.isLoading} error={receipts.error}>
        {r && (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Space size={24} wrap>
              <Statistic title={t('notice.recipients')} value={r.recipients} />
              <Statistic title={t('notice.read')} value={r.read} />
              <Statistic title={t('notice.unread')} value={unread} />
              <Statistic title={t('notice.read_rate')} value={r.recipients ? Math.round((r.read / r.recipients) * 100) : 0} suffix="%" />
            </Space>
            {notice.lastRemindedAt && <Typography.Text type="secondary">{t('notice.last_reminded', { time: formatTime(notice.lastRemindedAt) })}</Typography.Text>}
            <Table
              rowKey="orgId" size="small" pagination={false} dataSource={r.orgs} scroll={{ x: 'max-content' }} data-testid="notice-receipts-orgs"
              title={() => t('notice.by_org')}
              columns={[
                { title: t('notice.org'), dataIndex: 'orgName', width: 200 },
                { title: t('notice.recipients'), dataIndex: 'recipients', width: 70, render: (v: number, o) => <Button type="link" size="small" onClick={() => open(o.orgId, 'all')}>{v}</Button> },
                { title: t('notice.read'), dataIndex: 'read', width: 70, render: (v: number, o) => <Button type="link" size="small" onClick={() => open(o.orgId, 'read')}>{v}</Button> },
                { title: t('notice.unread'), key: 'unread', width: 70, render: (_: unknown, o) => <Button type="link" size="small" onClick={() => open(o.orgId, 'unread')}>{o.recipients - o.read}</Button> },
                { title: t('notice.read_rate'), key: 'rate', width: 200, responsive: ['md'], render: (_: unknown, o) => <ReadRate read={o.read} recipients={o.recipients} /> },
              ]} />
            <Space wrap>
              <Typography.Text strong>{t('notice.people')}{orgName ? `（${orgName}）` : ''}</Typography.Text>
              <Segmented<State> value={state} onChange={(v) => open(orgId, v)}
                options={[{ value: 'unread', label: t('notice.unread') }, { value: 'read', label: t('notice.read') }, { value: 'all', label: t('notice.all') }]} />
              {orgId && <Button size="small" onClick={() => open(undefined, state)}>{t('notice.all')}</Button>}
            </Space>
            <Table<NoticeReceiptPerson>
              rowKey="userId" size={screens.md ? 'middle' : 'small'} loading={people.isFetching} dataSource={people.data?.items ?? []} scroll={{ x: 'max-content' }}
              data-testid="notice-receipts-people"
              pagination={{ current: page, pageSize: 20, total: people.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
              columns={[
                { title: t('notice.name'), dataIndex: 'name', width: 100 },
                { title: t('notice.org'), dataIndex: 'orgName', width: 180 },
                { title: t('notice.read_at'), dataIndex: 'readAt', width: 150, render: (v: string | null) => (v ? formatTime(v) : <Tag>{t('notice.unread')}</Tag>) },
              ]} />
          </Space>
        )}
      </QueryState>
    </Card>
  );
}
