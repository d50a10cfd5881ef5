import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Popconfirm, Space, Typography } from 'antd';
import { DesktopOutlined, FileProtectOutlined, LockOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Figures, Measure, RecordPage, Report } from '../../../../contracts/dashboard.js';
import { api } from '../../platform/api.js';
import { formatTime, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOrgOrOwn } from '../../platform/own-org.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { FigureBoard } from './FigureBoard.js';
import { RecordsDrawer, PeriodPicker, periodOf, type PeriodKind } from './parts.js';

/** The child orgs ranked by their members' points in the period: the org_points records, top 10. */
function PointsRanking({ orgId, period, onOpen }: { orgId: string; period: string; onOpen: () => void }) {
  const t = useT();
  const top = useQuery({
    queryKey: ['dashboard', orgId, 'records', 'org_points', { period, page: 1, pageSize: 10 }],
    queryFn: () => api.get<RecordPage>(`/dashboard/${orgId}/measures/org_points/records`, { period, page: 1, pageSize: 10 }),
  });
  return (
    <Card size="small" title={t('dashboard.m.org_points')}
      extra={top.data?.total ? <a role="button" tabIndex={0} onClick={onOpen} onKeyDown={(e) => { if (e.key === 'Enter') onOpen(); }}>{t('dashboard.open_records')}</a> : undefined}>
      <QueryState isLoading={top.isLoading} error={top.error}>
        {top.data?.items.length ? (
          <List size="small" dataSource={top.data.items} data-testid="dashboard-points-ranking"
            renderItem={(r, i) => <List.Item extra={r.value}><Typography.Text>{i + 1}. {r.name}</Typography.Text></List.Item>} />
        ) : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.no_data')} />}
      </QueryState>
    </Card>
  );
}

/**
 * 驾驶舱: the figures of an org's subtree (the viewer's own org until another is picked) for a year,
 * quarter or month. Every number, bar and slice opens the records it counts in a drawer, read with the
 * figure's own query. The period's figures can be frozen as a report (listed below, exported as xlsx/PDF).
 */
export default function DashboardPage() {
  const t = useT();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const { orgId } = useOrgOrOwn(search.get('orgId'));
  const [kind, setKind] = useState<PeriodKind>('year');
  const [day, setDay] = useState<Dayjs>(() => todayInChina());
  const period = periodOf(kind, day);
  const [opened, setOpened] = useState<{ measure: Measure; key?: string } | null>(null);
  const figures = useQuery({
    queryKey: ['dashboard', orgId, 'figures', period],
    queryFn: () => api.get<Figures>(`/dashboard/${orgId}/figures`, { period }),
    enabled: !!orgId,
  });
  const reports = useQuery({
    queryKey: ['dashboard', orgId, 'reports'],
    queryFn: () => api.get<{ items: Report[]; total: number }>(`/dashboard/${orgId}/reports`, { page: 1, pageSize: 10 }),
    enabled: !!orgId,
  });
  const freeze = useMutation({
    mutationFn: () => api.post<Report>(`/dashboard/${orgId}/reports`, { period }),
    onSuccess: (r) => {
      void message.success(t('dashboard.frozen'));
      void queryClient.invalidateQueries({ queryKey: ['dashboard', orgId, 'reports'] });
      void navigate(`/dashboard/reports/${r.id}`);
    },
    onError: (e) => void message.error(errorMessage(e, t('app.error'))),
  });

  return (
    <Card title={t('dashboard.title')} extra={figures.data && <Typography.Text type="secondary">{t('dashboard.as_of', { date: figures.data.asOf })}</Typography.Text>}>
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={orgId} onChange={(v) => { if (v) setSearch({ orgId: v }); }} allowClear={false} placeholder={t('dashboard.pick_org')} style={{ width: 260, maxWidth: '100%' }} />
        <PeriodPicker kind={kind} day={day} onChange={(k, d) => { setKind(k); setDay(d); }} />
        <Popconfirm title={t('dashboard.freeze_confirm')} onConfirm={() => freeze.mutate()} disabled={!orgId}>
          <Button icon={<LockOutlined />} loading={freeze.isPending} disabled={!orgId} data-testid="dashboard-freeze">{t('dashboard.freeze')}</Button>
        </Popconfirm>
        <Button icon={<DesktopOutlined />} disabled={!orgId} onClick={() => void navigate(`/dashboard/big-screen?orgId=${orgId}`)}>{t('dashboard.big_screen')}</Button>
      </Space>
      <QueryState isLoading={!orgId || figures.isLoading} error={figures.error} retry={() => void figures.refetch()}>
        {figures.data && orgId && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <FigureBoard figures={figures.data} onOpen={(measure, key) => setOpened({ measure, key })} />
            <PointsRanking orgId={orgId} period={period} onOpen={() => setOpened({ measure: 'org_points' })} />
            <Card size="small" title={t('dashboard.reports')}>
              <List size="small" dataSource={reports.data?.items ?? []} locale={{ emptyText: <Typography.Text type="secondary">{t('dashboard.report.none')}</Typography.Text> }} data-testid="dashboard-reports"
                renderItem={(r) => (
                  <List.Item actions={[<a key="open" href={`/dashboard/reports/${r.id}`} onClick={(e) => { e.preventDefault(); void navigate(`/dashboard/reports/${r.id}`); }}>{t('dashboard.report.open')}</a>]}>
                    <List.Item.Meta avatar={<FileProtectOutlined />} title={r.title} description={`${r.period} · ${r.frozenBy} · ${formatTime(r.frozenAt)}`} />
                  </List.Item>
                )} />
            </Card>
          </Space>
        )}
      </QueryState>
      {opened && orgId && <RecordsDrawer orgId={orgId} period={period} measure={opened.measure} bucket={opened.key} onClose={() => setOpened(null)} />}
    </Card>
  );
}
