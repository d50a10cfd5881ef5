import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Grid, Input, InputNumber, List, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { ManualScorePage, ManualScoreRow, RankedOrgPage, RankingEvent, RankingPeriodDetail } from '../../../../contracts/rankings.js';
import type { UserPage } from '../../../../contracts/users.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, toDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { PeriodStatusTag } from './RankingTags.js';

/** A period of a campaign: manual scores, 擂台赛 events with their panels, then compute and publish. */
export default function RankingPeriodPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const period = useQuery({ queryKey: ['rankings', 'period', id], queryFn: () => api.get<RankingPeriodDetail>(`/rankings/periods/${id}`) });
  const p = period.data;

  const act = async (name: string, path: string, done: string) => {
    setBusy(name);
    try {
      queryClient.setQueryData(['rankings', 'period', id], await api.post<RankingPeriodDetail>(path, {}));
      void queryClient.invalidateQueries({ queryKey: ['rankings'] });
      void message.success(done);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };
  const isPublished = p?.status === 'published';

  return (
    <QueryState isLoading={period.isLoading} error={period.error}>
      {p && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }}>{p.campaign.name} · {p.label}</Typography.Title>}
            extra={<Link to={`/rankings/campaigns/${p.campaign.id}`}><Button icon={<ArrowLeftOutlined />} aria-label={t('ranking.back')} /></Link>}
            styles={{ body: { padding: 16 } }}
          >
            <Space wrap>
              <span data-testid="ranking-period-status"><PeriodStatusTag status={p.status} /></span>
              <Typography.Text type="secondary">{p.from} ~ {p.to} · {t('ranking.ranked_orgs')} {p.rankedOrgs}</Typography.Text>
            </Space>
            <div style={{ marginTop: 12 }}>
              <Space wrap>
                <Button type="primary" disabled={isPublished} loading={busy === 'compute'} data-testid="ranking-compute"
                  onClick={() => void act('compute', `/rankings/periods/${id}/compute`, t('ranking.computed'))}>{t('ranking.compute')}</Button>
                <Popconfirm title={t('ranking.publish_confirm')} disabled={p.status !== 'computed'} onConfirm={() => void act('publish', `/rankings/periods/${id}/publish`, t('ranking.published'))}>
                  <Button disabled={p.status !== 'computed'} loading={busy === 'publish'} data-testid="ranking-publish">{t('ranking.publish')}</Button>
                </Popconfirm>
                {p.status !== 'open' && <Link to={`/rankings/periods/${id}/board`} data-testid="ranking-board-link">{t('ranking.open_board')}</Link>}
              </Space>
            </div>
          </Card>
          {isPublished && <Alert type="info" showIcon message={t('ranking.published_locked')} />}
          <ManualScores period={p} />
          <Events period={p} />
        </Space>
      )}
    </QueryState>
  );
}

function ManualScores({ period }: { period: RankingPeriodDetail }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const manual = period.campaign.dimensions.filter((d) => d.source === 'manual');
  const [dimensionId, setDimensionId] = useState<string | undefined>(manual[0]?.id);
  const [groupId, setGroupId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const [edits, setEdits] = useState<Record<string, number | null>>({});
  const [saving, setSaving] = useState(false);
  const query = { dimensionId: dimensionId ?? '', groupId, page, pageSize: 50 };
  const rows = useQuery({
    queryKey: ['rankings', 'manual', period.id, query], queryFn: () => api.get<ManualScorePage>(`/rankings/periods/${period.id}/manual-scores`, query),
    enabled: !!dimensionId, placeholderData: keepPreviousData,
  });
  if (!manual.length) return <Card><Typography.Text type="secondary">{t('ranking.no_manual')}</Typography.Text></Card>;
  const counted = period.manualCounts.find((c) => c.dimensionId === dimensionId)?.scored ?? 0;

  const save = async () => {
    setSaving(true);
    try {
      const scores = Object.entries(edits).map(([orgId, score]) => ({ orgId, score }));
      if (scores.length) await api.put(`/rankings/periods/${period.id}/manual-scores`, { dimensionId, scores });
      setEdits({});
      void queryClient.invalidateQueries({ queryKey: ['rankings'] });
      void message.success(t('ranking.scores_saved'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('ranking.manual_entry')}</h2>} styles={{ body: { padding: screens.md ? 16 : 8 } }}
      extra={<Typography.Text type="secondary">{t('ranking.scored', { scored: counted, total: period.rankedOrgs })}</Typography.Text>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select aria-label={t('ranking.dimension')} style={{ width: 200 }} value={dimensionId} onChange={(v: string) => { setDimensionId(v); setEdits({}); setPage(1); }}
          options={manual.map((d) => ({ value: d.id, label: d.name }))} />
        <Select aria-label={t('ranking.peer_group')} placeholder={t('ranking.peer_group')} allowClear style={{ width: 160 }} value={groupId}
          onChange={(v?: string) => { setGroupId(v); setPage(1); }} options={period.campaign.peerGroups.map((g) => ({ value: g.id, label: g.name }))} />
        <Button type="primary" onClick={() => void save()} loading={saving} disabled={period.status === 'published' || !Object.keys(edits).length} data-testid="ranking-save-scores">
          {t('ranking.save_scores')}
        </Button>
      </Space>
      <Table<ManualScoreRow>
        rowKey="orgId" size="small" loading={rows.isFetching} dataSource={rows.data?.items ?? []} data-testid="ranking-manual-table"
        pagination={{ current: page, pageSize: 50, total: rows.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
        columns={[
          { title: t('ranking.orgs'), dataIndex: 'orgName' },
          { title: t('ranking.peer_group'), dataIndex: 'groupName', responsive: ['sm'] },
          {
            title: t('ranking.score'), key: 'score', width: 130,
            render: (_: unknown, r) => (
              <InputNumber aria-label={t('ranking.score_of', { org: r.orgName })} min={0} max={10000} style={{ width: 110 }} disabled={period.status === 'published'}
                value={r.orgId in edits ? edits[r.orgId] : r.score} onChange={(v) => setEdits((e) => ({ ...e, [r.orgId]: v ?? null }))} />
            ),
          },
        ]}
      />
    </Card>
  );
}

interface EventForm { dimensionId: string; title: string; date: Dayjs; orgIds: string[]; judgeUserIds: string[]; blind: boolean }

function Events({ period }: { period: RankingPeriodDetail }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<EventForm>();
  const { saving, run } = useFormSubmit(form);
  const judged = period.campaign.dimensions.filter((d) => d.source === 'judges');
  const orgs = useQuery({
    queryKey: ['rankings', 'orgs', period.campaign.id], queryFn: () => api.get<RankedOrgPage>(`/rankings/campaigns/${period.campaign.id}/orgs`, { pageSize: 200 }), enabled: open,
  });
  const judges = useQuery({ queryKey: ['users', 'judges'], queryFn: () => api.get<UserPage>('/users', { role: 'judge', pageSize: 200 }), enabled: open });
  if (!judged.length) return null;
  const submit = (v: EventForm) => run(async () => {
    await api.post<RankingEvent>(`/rankings/periods/${period.id}/events`, { ...v, date: isoDay(v.date) });
    void queryClient.invalidateQueries({ queryKey: ['rankings', 'period', period.id] });
    void message.success(t('ranking.event_created'));
    setOpen(false);
    form.resetFields();
  });
  const required = [{ required: true, message: t('ranking.required') }];
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('ranking.events')}</h2>} styles={{ body: { padding: 16 } }}
      extra={period.status !== 'published' && <Button icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('ranking.create_event')}</Button>}>
      <List dataSource={period.events} locale={{ emptyText: t('ranking.no_events') }}
        renderItem={(e) => (
          <List.Item>
            <List.Item.Meta title={`${e.title} · ${e.date}`} description={<Space wrap size={4}>{e.orgs.map((o) => <Tag key={o.id}>{o.name}</Tag>)}</Space>} />
          </List.Item>
        )} />
      <Modal open={open} title={t('ranking.create_event')} onCancel={() => setOpen(false)} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
        <Form<EventForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ dimensionId: judged[0]!.id, blind: false, date: toDay(period.from) }}>
          <Form.Item name="dimensionId" label={t('ranking.dimension')} rules={required}><Select options={judged.map((d) => ({ value: d.id, label: d.name }))} /></Form.Item>
          <Form.Item name="title" label={t('ranking.event_title')} rules={required}><Input maxLength={100} /></Form.Item>
          <Form.Item name="date" label={t('ranking.event_date')} rules={required}><DatePicker style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="orgIds" label={t('ranking.event_orgs')} rules={required}>
            <Select mode="multiple" optionFilterProp="label" loading={orgs.isLoading} options={(orgs.data?.items ?? []).map((o) => ({ value: o.orgId, label: o.orgName }))} />
          </Form.Item>
          <Form.Item name="judgeUserIds" label={t('ranking.judges')} rules={required}>
            <Select mode="multiple" optionFilterProp="label" loading={judges.isLoading} options={(judges.data?.items ?? []).map((u) => ({ value: u.id, label: u.displayName }))} />
          </Form.Item>
          <Form.Item name="blind" label={t('ranking.blind')} valuePropName="checked"><Switch /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
