import { useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tabs, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  PLEDGE_FIGURES, type CreatePeriod, type Period, type PeriodPage, type PledgePage, type PledgeStats, type PledgeStatsRow, type PublicRatingRecordPage,
} from '../../../../contracts/pledges.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, toDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { PhaseTag, PledgeStatusTag, SatisfactionText } from './PledgeTags.js';

type Figure = (typeof PLEDGE_FIGURES)[number];
const FIGURE_KEYS = { published: 'published', with_progress: 'withProgress', self_reviewed: 'selfReviewed', branch_reviewed: 'branchReviewed' } as const;

/**
 * 承诺践诺 for the admins of a subtree: periods and their phases, pledges to approve, the public's comments
 * to moderate, and the statistics whose figures open the very lists they count.
 */
export default function PledgeAdminPage() {
  const t = useT();
  const [search, setSearch] = useSearchParams();
  const tab = search.get('tab') ?? 'periods';
  const set = (next: Record<string, string | undefined>) => {
    const merged = new URLSearchParams(search);
    for (const [k, v] of Object.entries(next)) if (v) merged.set(k, v); else merged.delete(k);
    setSearch(merged);
  };
  const periods = useQuery({ queryKey: ['pledges', 'periods'], queryFn: () => api.get<PeriodPage>('/pledges/periods', { pageSize: 100 }) });
  const periodId = search.get('periodId') ?? periods.data?.items[0]?.id;
  const periodSelect = (
    <Select style={{ minWidth: 200 }} value={periodId} placeholder={t('pledge.choose_period')} onChange={(v: string) => set({ periodId: v })}
      options={(periods.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.name}（${p.orgName}）` }))} aria-label={t('pledge.period')} />
  );
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="pledges-admin">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('pledge.title_admin')}</Typography.Title>
      <Tabs activeKey={tab} onChange={(key) => set({ tab: key, figure: undefined, page: undefined })} items={[
        { key: 'periods', label: t('pledge.periods'), children: <PeriodsTab periods={periods.data?.items ?? []} loading={periods.isLoading} error={periods.error} /> },
        { key: 'pledges', label: t('pledge.all'), children: <PledgesTab periodSelect={periodSelect} periodId={periodId} search={search} set={set} /> },
        { key: 'moderation', label: t('pledge.moderation'), children: <ModerationTab periodId={periodId} periodSelect={periodSelect} /> },
        { key: 'stats', label: t('pledge.stats'), children: <StatsTab periodId={periodId} periodSelect={periodSelect} openList={(orgId, figure) => set({ tab: 'pledges', orgId, figure, status: undefined, periodId })} /> },
      ]} />
    </Space>
  );
}

function PeriodsTab({ periods, loading, error }: { periods: Period[]; loading: boolean; error: unknown }) {
  const t = useT();
  const [editing, setEditing] = useState<Period | 'new' | null>(null);
  return (
    <QueryState isLoading={loading} error={error}>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginBottom: 12 }}>{t('pledge.period_new')}</Button>
      <Table<Period> rowKey="id" size="small" pagination={false} dataSource={periods} scroll={{ x: true }} columns={[
        { title: t('pledge.period_name'), dataIndex: 'name' },
        { title: t('pledge.org'), dataIndex: 'orgName' },
        { title: t('pledge.phase'), render: (_v, p) => <PhaseTag phase={p.phase} /> },
        { title: t('pledge.pledge_from'), dataIndex: 'pledgeFrom' },
        { title: t('pledge.fulfil_from'), dataIndex: 'fulfilFrom' },
        { title: t('pledge.review_from'), dataIndex: 'reviewFrom' },
        { title: t('pledge.review_until'), dataIndex: 'reviewUntil' },
        { key: 'actions', render: (_v, p) => (
          <Space>
            {p.canManage && <Button size="small" onClick={() => setEditing(p)}>{t('pledge.period_edit')}</Button>}
            <Link to={`/pledges/new/${p.id}`}>{t('pledge.write_org')}</Link>
          </Space>
        ) },
      ]} />
      {editing && <PeriodModal period={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </QueryState>
  );
}

type PeriodForm = { orgId: string; name: string; pledgeFrom: Dayjs; fulfilFrom: Dayjs; reviewFrom: Dayjs; reviewUntil: Dayjs };
const DATE_FIELDS = ['pledgeFrom', 'fulfilFrom', 'reviewFrom', 'reviewUntil'] as const;

function PeriodModal({ period, onClose }: { period: Period | null; onClose: () => void }) {
  const t = useT();
  const own = useOwnOrg();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PeriodForm>();
  const { saving, run } = useFormSubmit(form);
  const initial = period
    ? { name: period.name, ...Object.fromEntries(DATE_FIELDS.map((f) => [f, toDay(period[f])])) }
    : { orgId: own.orgId };
  return (
    <Modal open title={period ? period.name : t('pledge.period_new')} onCancel={onClose} okText={t('pledge.save')} confirmLoading={saving} onOk={() => form.submit()}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(values) => run(async () => {
        const dates = Object.fromEntries(DATE_FIELDS.map((f) => [f, isoDay(values[f]) ?? ''])) as Pick<CreatePeriod, (typeof DATE_FIELDS)[number]>;
        try {
          if (period) await api.put<Period>(`/pledges/periods/${period.id}`, { name: values.name, ...dates });
          else await api.post<Period>('/pledges/periods', { orgId: values.orgId, name: values.name, ...dates });
          void queryClient.invalidateQueries({ queryKey: ['pledges', 'periods'] });
          onClose();
        } catch (error) {
          if (!showFieldErrors(form, error).handled) throw error;
        }
      })}>
        {!period && <Form.Item name="orgId" label={t('pledge.org')} rules={[{ required: true }]}><OrgTreeSelect allowClear={false} /></Form.Item>}
        <Form.Item name="name" label={t('pledge.period_name')} rules={[{ required: true }]}><Input placeholder={t('pledge.period_name_hint')} maxLength={40} /></Form.Item>
        {DATE_FIELDS.map((f) => (
          <Form.Item key={f} name={f} label={t(`pledge.${({ pledgeFrom: 'pledge_from', fulfilFrom: 'fulfil_from', reviewFrom: 'review_from', reviewUntil: 'review_until' } as const)[f]}`)} rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        ))}
      </Form>
    </Modal>
  );
}

function PledgesTab({ periodSelect, periodId, search, set }: { periodSelect: React.ReactNode; periodId: string | undefined; search: URLSearchParams; set: (next: Record<string, string | undefined>) => void }) {
  const t = useT();
  const navigate = useNavigate();
  const status = search.get('status') ?? undefined;
  const figure = (search.get('figure') ?? undefined) as Figure | undefined;
  const orgId = search.get('orgId') ?? undefined;
  const page = Number(search.get('page') ?? 1);
  const query = { periodId, status, figure, orgId, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['pledges', 'list', query], queryFn: () => api.get<PledgePage>('/pledges', query), enabled: !!periodId });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {periodSelect}
        <OrgTreeSelect value={orgId} onChange={(v) => set({ orgId: v, page: undefined })} placeholder={t('pledge.org')} style={{ minWidth: 200 }} />
        <Select allowClear style={{ minWidth: 140 }} value={status} placeholder={t('pledge.to_approve')} onChange={(v?: string) => set({ status: v, page: undefined })}
          options={(['submitted', 'published', 'returned', 'draft'] as const).map((s) => ({ value: s, label: t(`pledge.status.${s}`) }))} />
        {figure && <Button size="small" onClick={() => set({ figure: undefined })}>{t(`pledge.stats_${figure}`)} ✕</Button>}
      </Space>
      <QueryState isLoading={list.isLoading} error={list.error}>
        <Table rowKey="id" size="small" dataSource={list.data?.items ?? []} scroll={{ x: true }}
          onRow={(p) => ({ onClick: () => void navigate(`/pledges/${p.id}`), style: { cursor: 'pointer' } })}
          pagination={{ current: page, total: list.data?.total ?? 0, pageSize: 20, onChange: (n) => set({ page: String(n) }) }}
          columns={[
            { title: t('pledge.pledger'), render: (_v, p) => <Link to={`/pledges/${p.id}`}>{p.pledgerName}</Link> },
            { title: t('pledge.org'), dataIndex: 'orgName' },
            { title: t('pledge.items'), render: (_v, p) => p.items.length },
            { title: t('pledge.status.submitted'), render: (_v, p) => <PledgeStatusTag status={p.status} /> },
            { title: t('pledge.progress'), dataIndex: 'progressCount' },
            { title: t('pledge.self_review'), render: (_v, p) => (p.selfReview ? t(`pledge.rating.${p.selfReview.rating}`) : '—') },
            { title: t('pledge.branch_review'), render: (_v, p) => (p.branchReview ? t(`pledge.rating.${p.branchReview.rating}`) : '—') },
            { title: t('pledge.satisfaction'), render: (_v, p) => <SatisfactionText satisfaction={p.satisfaction} /> },
          ]} />
      </QueryState>
    </Space>
  );
}

function ModerationTab({ periodId, periodSelect }: { periodId: string | undefined; periodSelect: React.ReactNode }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<'pending' | 'approved' | 'hidden' | undefined>('pending');
  const query = { periodId, status, pageSize: 50 };
  const ratings = useQuery({ queryKey: ['pledges', 'ratings', query], queryFn: () => api.get<PublicRatingRecordPage>('/pledges/ratings', query) });
  const moderate = async (id: string, decision: 'approve' | 'hide') => {
    try {
      await api.post(`/pledges/ratings/${id}/moderate`, { decision });
      void message.success(t('pledge.moderated'));
      void queryClient.invalidateQueries({ queryKey: ['pledges', 'ratings'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        {periodSelect}
        <Select allowClear style={{ minWidth: 120 }} value={status} onChange={setStatus} aria-label={t('pledge.moderation')}
          options={[{ value: 'pending', label: t('pledge.moderation_pending') }, { value: 'approved', label: t('pledge.moderation_approve') }, { value: 'hidden', label: t('pledge.moderation_hide') }]} />
      </Space>
      <QueryState isLoading={ratings.isLoading} error={ratings.error}>
        <Table rowKey="id" size="small" pagination={false} dataSource={ratings.data?.items ?? []} scroll={{ x: true }} columns={[
          { title: t('pledge.pledger'), render: (_v, r) => <Link to={`/pledges/${r.pledgeId}`}>{r.pledgerName}（{r.orgName}）</Link> },
          { title: t('pledge.rate'), render: (_v, r) => t(`pledge.public.${r.rating}`) },
          { title: t('pledge.public_comments'), dataIndex: 'comment' },
          { key: 'actions', render: (_v, r) => (
            <Space>
              {r.status === 'pending' && <Button size="small" type="primary" onClick={() => void moderate(r.id, 'approve')}>{t('pledge.moderation_approve')}</Button>}
              {r.status !== 'hidden' && <Button size="small" danger onClick={() => void moderate(r.id, 'hide')}>{t('pledge.moderation_hide')}</Button>}
            </Space>
          ) },
        ]} />
      </QueryState>
    </Space>
  );
}

function StatsTab({ periodId, periodSelect, openList }: { periodId: string | undefined; periodSelect: React.ReactNode; openList: (orgId: string, figure: Figure) => void }) {
  const t = useT();
  const own = useOwnOrg();
  const [orgId, setOrgId] = useState<string | undefined>();
  const org = orgId ?? own.orgId;
  const stats = useQuery({
    queryKey: ['pledges', 'stats', periodId, org],
    queryFn: () => api.get<PledgeStats>('/pledges/stats', { periodId, orgId: org }),
    enabled: !!periodId && !!org,
  });
  const figure = (f: Figure) => ({
    title: t(`pledge.stats_${f}`),
    render: (_v: unknown, r: PledgeStatsRow) => <Button type="link" size="small" onClick={() => openList(r.orgId, f)}>{r[FIGURE_KEYS[f]]}</Button>,
  });
  const rows = stats.data ? [...stats.data.rows, { ...stats.data.total, orgName: `${t('pledge.stats_total')}（${stats.data.total.orgName}）` }] : [];
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>{periodSelect}<OrgTreeSelect value={org} onChange={setOrgId} allowClear={false} style={{ minWidth: 200 }} /></Space>
      <QueryState isLoading={stats.isLoading} error={stats.error}>
        <Card size="small">
          <Table<PledgeStatsRow> rowKey={(r) => `${r.orgId}-${r.orgName}`} size="small" pagination={false} dataSource={rows} scroll={{ x: true }} columns={[
            { title: t('pledge.org'), dataIndex: 'orgName' },
            ...PLEDGE_FIGURES.map(figure),
            { title: t('pledge.satisfaction'), render: (_v, r) => <SatisfactionText satisfaction={r.satisfaction} /> },
          ]} />
        </Card>
      </QueryState>
    </Space>
  );
}
