import { useEffect, useRef, useState } from 'react';
import dayjs from 'dayjs';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, List, Modal, Segmented, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { Activity, BirthdayMemberSchema, ComplianceItem, ComplianceReportSchema, MakeUpTaskPageSchema } from '../../../../contracts/activities.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgLifeDueCard } from './OrgLifeDue.js';

type Report = z.infer<typeof ComplianceReportSchema>;
type BirthdayMember = z.infer<typeof BirthdayMemberSchema>;
type MakeUpPage = z.infer<typeof MakeUpTaskPageSchema>;
const PAGE_SIZE = 50;
const COMPLIANCE_STATUSES = ['done', 'pending', 'due_soon', 'overdue'] as const satisfies readonly ComplianceItem['status'][];
const statusColors: Record<ComplianceItem['status'], string> = { done: 'success', pending: 'default', due_soon: 'warning', overdue: 'error' };

/** 三会一课 across a subtree: what each branch and group has held this period, what is due soon and overdue. */
export default function CompliancePage() {
  const t = useT();
  // the filters live in the URL: a 工作台 to-do opens exactly the requirements (or 补学 tasks) it counted
  const [params, update] = useSearchState();
  const orgId = params.get('orgId') ?? undefined;
  const asOfParam = params.get('asOf');
  const asOf = asOfParam && dayjs(asOfParam, 'YYYY-MM-DD', true).isValid() ? dayjs(asOfParam) : todayInChina();
  const status: ComplianceItem['status'] | 'all' = COMPLIANCE_STATUSES.find((s) => s === params.get('status')) ?? 'all';
  const page = Number(params.get('page') ?? '1') || 1;
  const setStatus = (s: ComplianceItem['status'] | 'all') => update({ status: s === 'all' ? undefined : s });
  const query = { orgId, asOf: asOf.format('YYYY-MM-DD'), status: status === 'all' ? undefined : status, page, pageSize: PAGE_SIZE };
  const report = useQuery({
    queryKey: ['activities', 'compliance', query], enabled: !!orgId, placeholderData: keepPreviousData,
    queryFn: () => api.get<Report>('/activities/compliance', query),
  });
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('compliance.title')} extra={
        <Space wrap>
          <OrgTreeSelect value={orgId} onChange={(v) => update({ orgId: v })} placeholder={t('activity.org')} aria-label={t('activity.org')} allowClear={false} style={{ width: 220, maxWidth: '100%' }} />
          <DatePicker value={asOf} onChange={(d) => { if (d) update({ asOf: d.format('YYYY-MM-DD') }); }} allowClear={false} placeholder={t('compliance.as_of')} />
        </Space>
      }>
        {orgId && (
          <QueryState isLoading={report.isLoading} error={report.error}>
            {report.data && (
              <Space orientation="vertical" style={{ width: '100%' }}>
                <UnitsSummary units={report.data.summary.units} />
                <Space size={32} wrap>
                  {/* each figure opens its list: the table below, filtered, has exactly that many rows */}
                  {(['done', 'pending', 'due_soon', 'overdue'] as const).map((s) => (
                    <Statistic key={s} title={t(`compliance.status.${s}`)} value={report.data.summary[s === 'due_soon' ? 'dueSoon' : s]}
                      valueRender={(node) => (
                        <Button type="link" style={{ padding: 0, height: 'auto', fontSize: 'inherit' }} data-testid={`compliance-figure-${s}`}
                          onClick={() => setStatus(s)}>{node}</Button>
                      )} />
                  ))}
                </Space>
                <Segmented value={status} onChange={(v) => setStatus(v as typeof status)}
                  options={[{ value: 'all', label: t('common.all') }, ...(['overdue', 'due_soon', 'pending', 'done'] as const).map((s) => ({ value: s, label: t(`compliance.status.${s}`) }))]} />
                <Typography.Text type="secondary" data-testid="compliance-total">{t('common.total', { total: report.data.total })}</Typography.Text>
                <Table<ComplianceItem> rowKey={(i) => `${i.orgId}-${i.type}`} size="small" dataSource={report.data.items} loading={report.isFetching}
                  pagination={{ current: page, pageSize: PAGE_SIZE, total: report.data.total, onChange: (p) => update({ page: String(p) }), hideOnSinglePage: true, showSizeChanger: false }} scroll={{ x: 'max-content' }}
                  data-testid="compliance-table"
                  columns={[
                    { title: t('compliance.unit'), dataIndex: 'orgName' },
                    { title: t('compliance.requirement'), dataIndex: 'type', render: (type: ComplianceItem['type'], i) => <>{t(`activity.type.${type}`)} <Tag>{t('compliance.every_months', { n: i.periodMonths })}</Tag></> },
                    { title: t('compliance.period'), key: 'period', render: (_: unknown, i) => `${i.periodStart} – ${i.periodEnd}` },
                    { title: t('compliance.held'), dataIndex: 'heldThisPeriod' },
                    { title: t('compliance.last_held'), dataIndex: 'lastHeldAt', render: (v: string | null) => formatTime(v) },
                    { title: t('common.status'), dataIndex: 'status', render: (s: ComplianceItem['status']) => <Tag color={statusColors[s]}>{t(`compliance.status.${s}`)}</Tag> },
                  ]} />
              </Space>
            )}
          </QueryState>
        )}
      </Card>
      {orgId && <BirthdaysCard orgId={orgId} />}
      {orgId && <MakeUpOverview orgId={orgId} />}
      {orgId && <OrgLifeDueCard orgId={orgId} year={asOf.year()} />}
    </Space>
  );
}

/** The units of the subtree in words: "all held" is never said of a unit that merely has nothing due yet. */
function UnitsSummary({ units }: { units: Report['summary']['units'] }) {
  const t = useT();
  const text = units.total === 0 ? t('compliance.no_units')
    : units.allHeld === units.total ? t('compliance.units_all_held', { total: units.total })
      : t('compliance.units', { ...units });
  const type = units.overdue ? 'error' : units.dueSoon ? 'warning' : units.allHeld === units.total && units.total > 0 ? 'success' : 'info';
  return <Alert type={type} showIcon message={text} data-testid="compliance-units" />;
}

function BirthdaysCard({ orgId }: { orgId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ time?: [Dayjs, Dayjs]; place?: string }>();
  const [open, setOpen] = useState(false);
  const month = todayInChina().format('YYYY-MM');
  const list = useQuery({ queryKey: ['activities', 'birthdays', orgId, month], queryFn: () => api.get<{ items: BirthdayMember[] }>('/activities/party-birthdays', { orgId, month }) });
  return (
    <Card title={`${t('compliance.birthdays')}（${month}）`} extra={<Button disabled={!list.data?.items.length} onClick={() => setOpen(true)}>{t('compliance.create_birthday')}</Button>}>
      <List size="small" dataSource={list.data?.items ?? []} loading={list.isFetching} grid={{ gutter: 8, xs: 1, sm: 2, md: 4 }}
        renderItem={(m) => <List.Item>{m.name} · {m.orgName} · {m.joinedOn} <Tag>{t('compliance.years', { n: m.years })}</Tag></List.Item>} />
      <Modal open={open} title={t('compliance.create_birthday')} onCancel={() => setOpen(false)} onOk={() => form.submit()}>
        <Form form={form} layout="vertical" onFinish={async (v) => {
          try {
            const created = await api.post<Activity>('/activities/party-birthdays', { orgId, month, startsAt: v.time?.[0].toISOString(), endsAt: v.time?.[1].toISOString(), place: v.place || undefined });
            void navigate(`/activities/${created.id}`);
          } catch (error) {
            if (!showFieldErrors(form, error).handled) message.error(errorMessage(error, t('app.error')));
          }
        }}>
          <Form.Item name="time" label={t('activity.time')} rules={[{ required: true }]}><DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" /></Form.Item>
          <Form.Item name="place" label={t('activity.place')}><Input maxLength={200} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}

/** The make-up study (补学) still open in the subtree: who missed what, so the branch can follow up. */
function MakeUpOverview({ orgId }: { orgId: string }) {
  const t = useT();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  // makeUp=open|done in the URL (the 工作台's 补学 to-do) picks the list and brings the card into view
  const [params, update] = useSearchState();
  const status = params.get('makeUp') === 'done' ? 'done' : 'open';
  const setStatus = (s: 'open' | 'done') => update({ makeUp: s, page: params.get('page') ?? undefined });
  const card = useRef<HTMLDivElement>(null);
  const isLinked = params.has('makeUp');
  useEffect(() => { if (isLinked) card.current?.scrollIntoView({ block: 'start' }); }, [isLinked]);
  const tasks = useQuery({
    queryKey: ['activities', 'make-up', 'org', orgId, status, page],
    queryFn: () => api.get<MakeUpPage>('/make-up-tasks', { orgId, status, page: page.current, pageSize: page.pageSize }),
  });
  return (
    <Card ref={card} title={t('activity.make_up')} data-testid="make-up-card" extra={
      <Segmented<'open' | 'done'> value={status} onChange={(s) => { setStatus(s); setPage((p) => ({ ...p, current: 1 })); }}
        options={[{ value: 'open', label: t('activity.make_up_open') }, { value: 'done', label: t('activity.make_up_finished') }]} />
    }>
      <Table rowKey="id" size="small" loading={tasks.isFetching} dataSource={tasks.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="make-up-table"
        pagination={{ ...page, total: tasks.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('member.name'), dataIndex: 'memberName' },
          { title: t('activity.title'), dataIndex: 'activityTitle', render: (title: string, task) => <Link to={`/activities/${task.activityId}`}>{title}</Link> },
          { title: t('activity.time'), dataIndex: 'startsAt', render: (v: string) => formatTime(v) },
          { title: t('common.reason'), dataIndex: 'reason', render: (r: 'absent' | 'leave') => t(`attendance.${r}`) },
          { title: t('common.status'), dataIndex: 'doneAt', render: (v: string | null) => (v ? <Tag color="success">{formatTime(v)}</Tag> : <Tag color="warning">{t('activity.make_up_open')}</Tag>) },
        ]} />
    </Card>
  );
}
