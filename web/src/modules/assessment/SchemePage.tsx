import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Grid, Popconfirm, Space, Table, Tabs, Typography } from 'antd';
import { ArrowLeftOutlined, CalculatorOutlined, DeleteOutlined, DownloadOutlined, EditOutlined, LockOutlined, SendOutlined } from '@ant-design/icons';
import type { ResultPage, ResultRow, Scheme } from '../../../../contracts/assessment.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { ManualScores } from './ManualScores.js';
import { RecordsDrawer, type RecordsTarget } from './RecordsDrawer.js';
import { SchemeStatusTag } from './SchemeTags.js';

type SchemeIndicator = Scheme['indicators'][number];

/** Read by a screen reader, not shown: what a figure's button opens (its visible text stays the start of its name). */
const VISUALLY_HIDDEN: React.CSSProperties = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' };

/** A value as the unit reads: a rate in per cent, other amounts as they are. */
export function formatValue(unit: SchemeIndicator['unit'], value: number | null): string {
  if (value === null) return '—';
  return unit === 'rate' ? `${Math.round(value * 10_000) / 100}%` : String(value);
}

/** One scheme: its indicators, 计算 / 冻结 / 发布 / 导出, the ranked results (a computed cell opens its records) and the manual scores. */
export default function SchemePage() {
  const t = useT();
  const { id = '' } = useParams();
  // the 工作台's to-do opens the manual scores waiting for review
  const [params] = useSearchParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const screens = Grid.useBreakpoint();
  const [page, setPage] = useState(1);
  const [busy, setBusy] = useState<string | null>(null);
  const [drill, setDrill] = useState<RecordsTarget | null>(null);
  const scheme = useQuery({ queryKey: ['assessment', 'scheme', id], queryFn: () => api.get<Scheme>(`/assessment/schemes/${id}`) });
  const s = scheme.data;
  const canReadResults = !!s && (s.canManage || s.status === 'published');
  const results = useQuery({
    queryKey: ['assessment', 'results', id, page], queryFn: () => api.get<ResultPage>(`/assessment/schemes/${id}/results`, { page, pageSize: 50 }),
    enabled: canReadResults, placeholderData: keepPreviousData,
  });

  const act = async (action: 'compute' | 'freeze' | 'publish', done: Parameters<typeof t>[0]) => {
    setBusy(action);
    try {
      const saved = await api.post<Scheme>(`/assessment/schemes/${id}/${action}`);
      queryClient.setQueryData(['assessment', 'scheme', id], saved);
      void queryClient.invalidateQueries({ queryKey: ['assessment', 'results', id] });
      void queryClient.invalidateQueries({ queryKey: ['assessment', 'schemes'] });
      void message.success(t(done));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };
  const navigate = useNavigate();
  const remove = async () => {
    setBusy('delete');
    try {
      await api.delete(`/assessment/schemes/${id}`);
      queryClient.removeQueries({ queryKey: ['assessment', 'scheme', id] });
      void queryClient.invalidateQueries({ queryKey: ['assessment', 'schemes'] });
      void message.success(t('assessment.scheme.deleted'));
      void navigate('/assessment/schemes');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      setBusy(null);
    }
  };
  const exportResults = async () => {
    setBusy('export');
    try {
      await api.download(`/assessment/schemes/${id}/export`, undefined, 'assessment.xlsx');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };

  const indicatorColumns = (s?.indicators ?? []).map((ind) => ({
    title: `${ind.name}（${ind.weight}）`, key: ind.indicatorId, width: 140,
    render: (_: unknown, row: ResultRow) => {
      const score = row.scores.find((x) => x.indicatorId === ind.indicatorId);
      if (!score) return '—';
      const figure = score.score === null ? t('assessment.no_data') : String(score.score);
      const detail = ind.kind === 'computed' && score.denominator !== null
        ? `${formatValue(ind.unit, score.value)} · ${t('assessment.figure', { numerator: score.numerator ?? 0, denominator: score.denominator })}`
        : formatValue(ind.unit, score.value);
      if (ind.kind !== 'computed' || !ind.sourceCode || !s) return <span>{figure}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{detail}</Typography.Text></span>;
      const code = ind.sourceCode;
      return (
        <Button type="link" style={{ padding: 0, height: 'auto', textAlign: 'left' }} data-testid={`cell-${row.orgId}-${ind.indicatorId}`}
          onClick={() => setDrill({ code, indicatorName: ind.name, orgId: row.orgId, orgName: row.orgName, from: s.periodStart, to: s.periodEnd, numerator: score.numerator, denominator: score.denominator })}>
          <span>{figure}<br /><span style={{ fontSize: 12 }}>{detail}</span><span style={VISUALLY_HIDDEN}>{t('assessment.open_records', { org: row.orgName, indicator: ind.name })}</span></span>
        </Button>
      );
    },
  }));

  return (
    <QueryState isLoading={scheme.isLoading} error={scheme.error} retry={() => void scheme.refetch()}>
      {s && (
        <Card
          title={<h1 style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>{s.name} <SchemeStatusTag status={s.status} /></h1>}
          extra={<Link to="/assessment/schemes"><Button icon={<ArrowLeftOutlined />} aria-label={t('assessment.scheme.back')}>{screens.md ? t('assessment.scheme.back') : null}</Button></Link>}
          styles={{ body: { padding: screens.md ? 24 : 12 } }}
        >
          <Descriptions size="small" column={screens.md ? 3 : 1} style={{ marginBottom: 16 }} items={[
            { key: 'org', label: t('assessment.scheme.org'), children: s.orgName },
            { key: 'period', label: t('assessment.scheme.period'), children: `${s.periodStart} ~ ${s.periodEnd}` },
            { key: 'orgs', label: t('assessment.scheme.org_count'), children: s.orgCount },
            { key: 'indicators', label: t('assessment.scheme.indicators'), span: 3, children: s.indicators.map((i) => `${i.name} ×${i.weight}`).join('；') },
          ]} />
          {s.canManage && (
            <Space wrap style={{ marginBottom: 16 }}>
              <Button type="primary" icon={<CalculatorOutlined />} loading={busy === 'compute'} disabled={s.status === 'frozen' || s.status === 'published'}
                onClick={() => void act('compute', 'assessment.computed')} data-testid="scheme-compute">{t('assessment.compute')}</Button>
              <Popconfirm title={t('assessment.freeze_confirm')} disabled={s.status !== 'computed'} onConfirm={() => void act('freeze', 'assessment.frozen_done')}>
                <Button icon={<LockOutlined />} loading={busy === 'freeze'} disabled={s.status !== 'computed'} data-testid="scheme-freeze">{t('assessment.freeze')}</Button>
              </Popconfirm>
              <Popconfirm title={t('assessment.publish_confirm')} disabled={s.status !== 'frozen'} onConfirm={() => void act('publish', 'assessment.published_done')}>
                <Button icon={<SendOutlined />} loading={busy === 'publish'} disabled={s.status !== 'frozen'} data-testid="scheme-publish">{t('assessment.publish')}</Button>
              </Popconfirm>
              {(s.status === 'draft' || s.status === 'computed') && (
                <>
                  <Link to={`/assessment/schemes/${s.id}/edit`}><Button icon={<EditOutlined />}>{t('assessment.scheme.edit')}</Button></Link>
                  <Popconfirm title={t('assessment.scheme.delete_confirm')} okText={t('assessment.scheme.delete')} onConfirm={remove}>
                    <Button danger icon={<DeleteOutlined />} loading={busy === 'delete'}>{t('assessment.scheme.delete')}</Button>
                  </Popconfirm>
                </>
              )}
            </Space>
          )}
          <Tabs defaultActiveKey={params.get('reviewStatus') ? 'manual' : undefined} items={[
            ...(canReadResults ? [{
              key: 'results', label: t('assessment.results'),
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    <Button icon={<DownloadOutlined />} loading={busy === 'export'} onClick={() => void exportResults()} disabled={!results.data?.total}>{t('assessment.export')}</Button>
                  </Space>
                  <Table<ResultRow>
                    rowKey="orgId" size={screens.md ? 'middle' : 'small'} loading={results.isFetching} dataSource={results.data?.items ?? []} scroll={{ x: 'max-content' }}
                    locale={{ emptyText: t('assessment.results_none') }} data-testid="result-table"
                    pagination={{ current: page, pageSize: 50, total: results.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
                    columns={[
                      { title: t('assessment.rank'), dataIndex: 'rank', width: 60, fixed: screens.md ? 'left' : undefined },
                      { title: t('assessment.org'), dataIndex: 'orgName', width: 160 },
                      { title: t('assessment.total'), dataIndex: 'total', width: 80, render: (v: number) => <strong>{v}</strong> },
                      ...indicatorColumns,
                    ]}
                  />
                </>
              ),
            }] : []),
            ...(s.indicators.some((i) => i.kind === 'manual') ? [{ key: 'manual', label: t('assessment.manual'), children: <ManualScores scheme={s} /> }] : []),
          ]} />
          {drill && <RecordsDrawer target={drill} onClose={() => setDrill(null)} />}
        </Card>
      )}
    </QueryState>
  );
}
