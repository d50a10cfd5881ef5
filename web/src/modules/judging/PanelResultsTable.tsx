import { useQuery } from '@tanstack/react-query';
import { Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import type { JudgeTotal, PanelResult, PanelResults } from '../../../../contracts/judging.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

const fixed = (n: number | null) => (n == null ? '—' : n.toFixed(2));

/**
 * A panel's results for its org's administrators, to embed in the owning module's page (擂台赛,
 * 述职评议…): rank, score, the mean of each criterion, the trimming and the tie-break applied, and —
 * expanded — each judge's total with the dropped ones marked.
 */
export function PanelResultsTable({ panelId }: { panelId: string }) {
  const results = useQuery({ queryKey: ['judging', 'results', panelId], queryFn: () => api.get<PanelResults>(`/judging/panels/${panelId}/results`), retry: false });
  return (
    <QueryState isLoading={results.isLoading} error={results.error}>
      {results.data && <PanelResultsView data={results.data} />}
    </QueryState>
  );
}

/** The same table from results already fetched. */
export function PanelResultsView({ data }: { data: PanelResults }) {
  const t = useT();
  const totalsOf = (entryId: string) => data.totals.filter((x) => x.entryId === entryId);
  const columns: TableColumnsType<PanelResult> = [
    { key: 'rank', title: t('judging.rank'), dataIndex: 'rank', width: 64, render: (rank: number | null) => rank ?? '—' },
    {
      key: 'entry', title: t('judging.entry'),
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong>{r.title}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.orgName}{data.panel.blind ? ` · ${t('judging.blind_label', { n: r.blindLabel })}` : ''}</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'score', title: t('judging.score'), width: 120,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text strong data-testid="judging-score">{fixed(r.score)}</Typography.Text>
          {r.tieBreak && <Tag color="blue" style={{ marginInlineEnd: 0 }}>{t('judging.tie_used', { rule: t(`judging.tie.${r.tieBreak}`) })}</Tag>}
        </Space>
      ),
    },
    {
      key: 'judges', title: t('judging.judge_count'), width: 110,
      render: (_, r) => (
        <Space orientation="vertical" size={0}>
          <span>{r.judgeCount}</span>
          {r.trimmed && <Tag color="gold" style={{ marginInlineEnd: 0 }}>{t('judging.trimmed')}</Tag>}
        </Space>
      ),
    },
    ...data.panel.criteria.map((c, i) => ({
      key: `c-${c.key}`, title: t('judging.mean_of', { name: c.name }), width: 110,
      render: (_: unknown, r: PanelResult) => `${fixed(r.perCriterion[i]?.mean ?? null)} / ${c.maxScore}`,
    })),
  ];
  const judgeColumns: TableColumnsType<JudgeTotal> = [
    { key: 'judge', title: t('judging.judge'), dataIndex: 'judgeName' },
    {
      key: 'total', title: t('judging.judge_total'),
      render: (_, x) => (
        <Space size={4} wrap>
          <span style={x.dropped ? { textDecoration: 'line-through' } : undefined}>{x.total.toFixed(2)}</span>
          {x.dropped && <Tag color={x.dropped === 'high' ? 'red' : 'default'}>{t(`judging.dropped.${x.dropped}`)}</Tag>}
        </Space>
      ),
    },
    ...data.panel.criteria.map((c) => ({ key: `s-${c.key}`, title: c.name, render: (_: unknown, x: JudgeTotal) => x.scores[c.key] ?? '—' })),
    { key: 'at', title: t('judging.submitted_at'), render: (_, x) => formatTime(x.submittedAt) },
  ];
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="panel-results">
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t('judging.tie_break_rule', { rules: data.panel.tieBreak.map((rule) => t(`judging.tie.${rule}`)).join(' → ') })}；{t('judging.trimmed_note')}
      </Typography.Text>
      <Table<PanelResult> rowKey="entryId" size="small" columns={columns} dataSource={data.results} pagination={false} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('judging.no_scores') }}
        expandable={{
          rowExpandable: (r) => r.judgeCount > 0,
          expandedRowRender: (r) => <Table<JudgeTotal> rowKey="judgeId" size="small" columns={judgeColumns} dataSource={totalsOf(r.entryId)} pagination={false} scroll={{ x: 'max-content' }} />,
        }} />
      {data.judges.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('judging.judges_progress')}：{data.judges.map((j) => t('judging.judge_progress', { name: j.name, submitted: j.submitted, entries: j.entries })).join('；')}
        </Typography.Text>
      )}
    </Space>
  );
}
