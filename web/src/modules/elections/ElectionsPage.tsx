import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { App, Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd';
import { DueWindowSchema, type DueOrg, type DueOrgPage, type DueSummary, type DueWindow, type ElectionProcedure, type ElectionProcedurePage } from '../../../../contracts/elections.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ProcedureStatusTag } from './ElectionTags.js';

const WINDOWS = DueWindowSchema.options;
const SUMMARY_KEY: Record<DueWindow, keyof DueSummary> = { 90: 'within90', 60: 'within60', 30: 'within30', overdue: 'overdue' };
const PAGE_SIZE = 20;

/** 换届: the orgs whose term ends within 90 / 60 / 30 days or has ended (each tab's figure is its list's total), and the elections under way. */
export default function ElectionsPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, update] = useSearchState();
  const orgId = params.get('orgId') ?? undefined;
  const window = WINDOWS.find((w) => w === params.get('window')) ?? '90';
  const page = Number(params.get('page') ?? '1') || 1;
  // the 工作台's to-do: the elections whose next step waits for an org of the subtree
  const waiting = params.get('waiting') === '1' ? '1' : undefined;
  const procedurePage = Number(params.get('procedurePage') ?? '1') || 1;
  const summary = useQuery({ queryKey: ['elections', 'due-summary', orgId], queryFn: () => api.get<DueSummary>('/elections/due/summary', { orgId }) });
  const due = useQuery({
    queryKey: ['elections', 'due', orgId, window, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<DueOrgPage>('/elections/due', { orgId, window, page, pageSize: PAGE_SIZE }),
  });
  const procedures = useQuery({
    queryKey: ['elections', 'procedures', orgId, waiting, procedurePage], placeholderData: keepPreviousData,
    queryFn: () => api.get<ElectionProcedurePage>('/elections/procedures', { orgId, status: 'in_progress', waiting, page: procedurePage, pageSize: PAGE_SIZE }),
  });
  async function start(org: string) {
    try {
      const p = await api.post<ElectionProcedure>('/elections/procedures', { orgId: org });
      message.success(t('election.started_ok'));
      void navigate(`/elections/procedures/${p.id}`);
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    }
  }
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('election.due_title')} extra={
        <OrgTreeSelect value={orgId} onChange={(v) => update({ orgId: v, page: undefined, procedurePage: undefined })} placeholder={t('election.org')} aria-label={t('election.org')} style={{ width: 240, maxWidth: '100%' }} />
      }>
        <Tabs activeKey={window} onChange={(w) => update({ window: w === '90' ? undefined : w, page: undefined })}
          items={WINDOWS.map((w) => ({ key: w, label: <span data-testid={`election-window-${w}`}>{t(`election.window.${w}`)} {summary.data?.[SUMMARY_KEY[w]] ?? ''}</span> }))} />
        <Table<DueOrg>
          rowKey="orgId" size="middle" loading={due.isFetching} dataSource={due.data?.items ?? []} scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('election.none_due') }} data-testid="election-due-table"
          pagination={{ current: page, pageSize: PAGE_SIZE, total: due.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (p) => update({ page: p === 1 ? undefined : String(p) }) }}
          columns={[
            { title: t('election.org'), dataIndex: 'orgName', render: (name: string, o) => <Link to={`/elections/terms?orgId=${o.orgId}`}>{name}</Link> },
            { title: t('election.term_start'), dataIndex: 'termStart', render: (v: string | null) => v ?? '—' },
            { title: t('election.term_end'), dataIndex: 'termEnd' },
            { title: t('election.days_left'), dataIndex: 'daysLeft', render: (n: number, o) => (o.isOverdue
              ? <Tag color="error">{t('election.days_overdue', { n: -n })}</Tag> : <Tag color={n <= 30 ? 'warning' : 'default'}>{t('election.days_left_n', { n })}</Tag>) },
            { title: t('election.procedure'), key: 'procedure', render: (_: unknown, o) => (o.procedureId
              ? <Link to={`/elections/procedures/${o.procedureId}`}>{o.procedureNextStep ? t(`election.step.${o.procedureNextStep}`) : t('election.open_procedure')}</Link>
              : <Button size="small" onClick={() => void start(o.orgId)} aria-label={`${t('election.start')} ${o.orgName}`}>{t('election.start')}</Button>) },
          ]}
        />
      </Card>
      <Card title={t('election.procedures')} extra={
        <Tag.CheckableTag checked={!!waiting} onChange={(on) => update({ waiting: on ? '1' : undefined, procedurePage: undefined })} data-testid="election-waiting">
          {t('election.waiting_filter')}
        </Tag.CheckableTag>
      }>
        <Typography.Paragraph type="secondary" data-testid="election-procedure-total">{t('common.total', { total: procedures.data?.total ?? 0 })}</Typography.Paragraph>
        <Table<ElectionProcedure>
          rowKey="id" size="middle" loading={procedures.isFetching} dataSource={procedures.data?.items ?? []} scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('election.no_procedures') }} data-testid="election-procedure-table"
          pagination={{ current: procedurePage, pageSize: PAGE_SIZE, total: procedures.data?.total ?? 0, hideOnSinglePage: true,
            onChange: (p) => update({ procedurePage: p === 1 ? undefined : String(p) }) }}
          columns={[
            { title: t('election.org'), dataIndex: 'orgName', render: (name: string, p) => <Link to={`/elections/procedures/${p.id}`}>{name}</Link> },
            { title: t('election.replaces_term_end'), dataIndex: 'replacesTermEnd', render: (v: string | null) => v ?? '—' },
            { title: t('common.status'), dataIndex: 'status', render: (_: unknown, p) => <ProcedureStatusTag status={p.status} /> },
            { title: t('election.procedure'), dataIndex: 'nextStep', render: (s: ElectionProcedure['nextStep']) => (s ? t('election.record_step', { step: t(`election.step.${s}`) }) : '—') },
          ]}
        />
      </Card>
    </Space>
  );
}
