import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Drawer, Form, Grid, Input, Radio, Select, Space, Table, Tabs, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import {
  IDEA_CATEGORIES, IDEA_STATUSES, type IdeaDetail, type IdeaListItem, type IdeaPage, type IdeaStats, type RecordIdeaProgress, type ReviewIdea,
} from '../../../../contracts/ideas.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { useSearchState } from '../../platform/search-state.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { IdeaProgressList, IdeaStatusTag } from './IdeaParts.js';

const STATUS_FILTERS = [...IDEA_STATUSES, 'adopted_any'] as const;

/** 金点子征集 for the administrators: the review queue and tracking (filters in the URL), and the counts per org. */
export default function IdeasAdminPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const tab = params.get('tab') === 'stats' ? 'stats' : 'list';
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.ideas')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <Tabs activeKey={tab} onChange={(key) => set({ tab: key === 'stats' ? 'stats' : undefined })} items={[
        { key: 'list', label: t('idea.tab.list'), children: <IdeaList /> },
        { key: 'stats', label: t('idea.tab.stats'), children: <Stats /> },
      ]} />
    </Card>
  );
}

function IdeaList() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const page = Number(params.get('page') ?? '1');
  const query = {
    status: params.get('status') ?? undefined, category: params.get('category') ?? undefined, orgId: params.get('orgId') ?? undefined,
    scope: params.get('scope') === 'org' ? 'org' : undefined, from: params.get('from') ?? undefined, to: params.get('to') ?? undefined,
    q: params.get('q') ?? undefined, page, pageSize: 20,
  };
  const list = useQuery({ queryKey: ['ideas', 'list', query], queryFn: () => api.get<IdeaPage>('/ideas', query), placeholderData: keepPreviousData });
  const openId = params.get('idea');
  const range: [Dayjs, Dayjs] | null = query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : null;
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('idea.status')} placeholder={t('idea.status')} allowClear style={{ width: 170 }} value={query.status}
          onChange={(v?: string) => set({ status: v })} options={STATUS_FILTERS.map((s) => ({ value: s, label: t(`idea.status.${s}`) }))} />
        <Select aria-label={t('idea.category')} placeholder={t('idea.category')} allowClear style={{ width: 130 }} value={query.category}
          onChange={(v?: string) => set({ category: v })} options={IDEA_CATEGORIES.map((c) => ({ value: c, label: t(`idea.category.${c}`) }))} />
        <OrgTreeSelect aria-label={t('idea.org')} placeholder={t('idea.org')} value={query.orgId} onChange={(v) => set({ orgId: v, scope: undefined })} style={{ width: 220 }} />
        <DatePicker.RangePicker aria-label={t('idea.period')} value={range}
          onChange={(v) => set({ from: isoDay(v?.[0]) ?? undefined, to: isoDay(v?.[1]) ?? undefined })} />
        <Input.Search aria-label={t('idea.keyword')} placeholder={t('idea.keyword')} allowClear defaultValue={query.q} onSearch={(v) => set({ q: v.trim() || undefined })} style={{ width: 200 }} />
      </Space>
      <Table<IdeaListItem>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('idea.none') }} data-testid="idea-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }), showSizeChanger: false }}
        columns={[
          { title: t('idea.title'), key: 'title', width: 260, render: (_: unknown, i) => <Button type="link" style={{ padding: 0, whiteSpace: 'normal', textAlign: 'start' }} onClick={() => set({ idea: i.id, page: String(page) })}>{i.title}</Button> },
          { title: t('idea.category'), key: 'category', width: 100, render: (_: unknown, i) => t(`idea.category.${i.category}`) },
          { title: t('idea.org'), dataIndex: 'orgName', width: 180, responsive: ['md'] },
          { title: t('idea.member'), key: 'member', width: 160, responsive: ['md'], render: (_: unknown, i) => <span>{i.memberName} <Typography.Text type="secondary">{i.memberOrgName}</Typography.Text></span> },
          { title: t('idea.submitted_at'), key: 'submittedAt', width: 150, render: (_: unknown, i) => formatTime(i.submittedAt) },
          { title: t('idea.status'), key: 'status', width: 90, render: (_: unknown, i) => <IdeaStatusTag status={i.status} /> },
        ]}
      />
      {openId && <IdeaDrawer id={openId} onClose={() => set({ idea: undefined, page: String(page) })} />}
    </>
  );
}

function IdeaDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const t = useT();
  const detail = useQuery({ queryKey: ['ideas', 'detail', id], queryFn: () => api.get<IdeaDetail>(`/ideas/${id}`) });
  const idea = detail.data;
  return (
    <Drawer open onClose={onClose} title={idea?.title ?? t('idea.details')} size={560}>
      <QueryState isLoading={detail.isLoading} error={detail.error}>
        {idea && (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Descriptions column={1} size="small" items={[
              { key: 'status', label: t('idea.status'), children: <IdeaStatusTag status={idea.status} /> },
              { key: 'category', label: t('idea.category'), children: t(`idea.category.${idea.category}`) },
              { key: 'org', label: t('idea.org'), children: idea.orgName },
              { key: 'member', label: t('idea.member'), children: `${idea.memberName}（${idea.memberOrgName}）` },
              { key: 'at', label: t('idea.submitted_at'), children: formatTime(idea.submittedAt) },
              ...(idea.similarToTitle ? [{ key: 'similar', label: t('idea.similar'), children: `${idea.similarToTitle}（${idea.similarity ?? ''}）` }] : []),
            ]} />
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{idea.content}</Typography.Paragraph>
            <IdeaProgressList idea={idea} />
            {idea.canReview && idea.status === 'submitted' && <ReviewForm id={idea.id} />}
            {idea.canReview && (idea.status === 'adopted' || idea.status === 'implementing') && <ProgressForm idea={idea} />}
          </Space>
        )}
      </QueryState>
    </Drawer>
  );
}

function ReviewForm({ id }: { id: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReviewIdea>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: ReviewIdea) => run(async () => {
    await api.post<IdeaDetail>(`/ideas/${id}/review`, v);
    void message.success(t('idea.reviewed_ok'));
    void queryClient.invalidateQueries({ queryKey: ['ideas'] });
  });
  return (
    <Card size="small" title={t('idea.review')}>
      <Form<ReviewIdea> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ decision: 'adopt' }}>
        <Form.Item name="decision" label={t('idea.decision')} rules={[{ required: true }]}>
          <Radio.Group options={[{ value: 'adopt', label: t('idea.adopt') }, { value: 'decline', label: t('idea.decline') }]} />
        </Form.Item>
        <Form.Item name="reply" label={t('idea.reply')} rules={[{ required: true, whitespace: true, message: t('idea.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>{t('idea.review')}</Button>
      </Form>
    </Card>
  );
}

interface ProgressValues { status: 'note' | 'implementing' | 'implemented' | 'shelved'; note: string; occurredOn: Dayjs | null }

function ProgressForm({ idea }: { idea: IdeaDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ProgressValues>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: ProgressValues) => run(async () => {
    const body: RecordIdeaProgress = { status: v.status === 'note' ? null : v.status, note: v.note, occurredOn: isoDay(v.occurredOn) ?? undefined };
    await api.post<IdeaDetail>(`/ideas/${idea.id}/progress`, body);
    void message.success(t('idea.progress_saved'));
    form.resetFields();
    void queryClient.invalidateQueries({ queryKey: ['ideas'] });
  });
  return (
    <Card size="small" title={t('idea.record_progress')}>
      <Form<ProgressValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={{ status: idea.status === 'adopted' ? 'implementing' : 'note', occurredOn: dayjs() }}>
        <Form.Item name="status" label={t('idea.progress_status')}>
          <Radio.Group options={[
            { value: 'note', label: t('idea.progress_note_only') }, { value: 'implementing', label: t('idea.status.implementing') },
            { value: 'implemented', label: t('idea.status.implemented') }, { value: 'shelved', label: t('idea.status.shelved') },
          ]} />
        </Form.Item>
        <Form.Item name="note" label={t('idea.note')} rules={[{ required: true, whitespace: true, message: t('idea.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        <Form.Item name="occurredOn" label={t('idea.occurred_on')}><DatePicker /></Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>{t('idea.record_progress')}</Button>
      </Form>
    </Card>
  );
}

type StatsRow = IdeaStats['rows'][number];

/** Each figure opens the list with the same org, scope, period and status: the list's total is the figure. */
function Stats() {
  const t = useT();
  const [params, set] = useSearchState();
  const own = useOwnOrg();
  const orgId = params.get('statsOrgId') ?? own.orgId;
  const from = params.get('from') ?? undefined;
  const to = params.get('to') ?? undefined;
  const stats = useQuery({
    queryKey: ['ideas', 'stats', orgId, from, to], queryFn: () => api.get<IdeaStats>('/ideas/stats', { orgId, from, to }),
    enabled: Boolean(orgId), placeholderData: keepPreviousData,
  });
  const range: [Dayjs, Dayjs] | null = from && to ? [dayjs(from), dayjs(to)] : null;
  const open = (row: StatsRow, status?: string) => set({
    tab: undefined, orgId: row.orgId, scope: row.scope === 'org' ? 'org' : undefined, status, from, to, category: undefined, q: undefined, statsOrgId: undefined,
  });
  const figure = (row: StatsRow, key: 'submitted' | 'adopted' | 'implemented', status?: string) => (
    <Button type="link" style={{ padding: 0 }} onClick={() => open(row, status)} aria-label={`${row.orgName} ${t(`idea.stats_${key}`)} ${row[key]}`}>{row[key]}</Button>
  );
  const rows = stats.data ? [...stats.data.rows, { ...stats.data.total, key: 'total' }] : [];
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect aria-label={t('idea.stats_org')} placeholder={t('idea.choose_org')} allowClear={false} value={orgId} onChange={(v) => set({ statsOrgId: v })} style={{ width: 240 }} />
        <DatePicker.RangePicker aria-label={t('idea.period')} value={range}
          onChange={(v) => set({ from: isoDay(v?.[0]) ?? undefined, to: isoDay(v?.[1]) ?? undefined })} />
      </Space>
      <QueryState isLoading={stats.isLoading && Boolean(orgId)} error={stats.error}>
        <Table<StatsRow & { key?: string }>
          rowKey={(r) => r.key ?? `${r.scope}-${r.orgId}`} size="small" pagination={false} dataSource={rows} data-testid="idea-stats" scroll={{ x: 'max-content' }}
          columns={[
            { title: t('idea.stats_org'), key: 'org', render: (_: unknown, r) => (r.key === 'total' ? <strong>{t('idea.stats_total')}</strong> : r.scope === 'org' ? `${r.orgName}（${t('idea.stats_own')}）` : r.orgName) },
            { title: t('idea.stats_submitted'), key: 'submitted', render: (_: unknown, r) => figure(r, 'submitted') },
            { title: t('idea.stats_adopted'), key: 'adopted', render: (_: unknown, r) => figure(r, 'adopted', 'adopted_any') },
            { title: t('idea.stats_implemented'), key: 'implemented', render: (_: unknown, r) => figure(r, 'implemented', 'implemented') },
          ]}
        />
      </QueryState>
    </>
  );
}
