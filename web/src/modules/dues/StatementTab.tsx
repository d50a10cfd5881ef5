import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, Empty, Popconfirm, Space, Typography } from 'antd';
import { DownloadOutlined, NotificationOutlined } from '@ant-design/icons';
import type { PublishedStatement, StatementFigures } from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { yuan } from './money.js';
import { DuesList, Section, YearSelect, thisYear, useDownload } from './parts.js';
import { StatementFiguresView } from './StatementFigures.js';
import type { PublishedStatementList } from './types.js';

/** 年度公示: the year's figures as they stand (a live draft), published to the org's members once the branch is ready; earlier publications stay as they were. */
export default function StatementTab({ orgId }: { orgId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, set] = useSearchState();
  const year = Number(params.get('year') ?? thisYear());
  const [publishing, setPublishing] = useState(false);
  const { busy, download } = useDownload();
  const figures = useQuery({
    queryKey: ['dues', 'statement', orgId, year],
    queryFn: ({ signal }) => api.get<StatementFigures>('/dues/statement', { orgId, year }, signal),
  });
  const published = useQuery({
    queryKey: ['dues', 'statements', orgId],
    queryFn: ({ signal }) => api.get<PublishedStatementList>('/dues/statements', { orgId }, signal),
  });
  async function publish() {
    setPublishing(true);
    try {
      await api.post<PublishedStatement>('/dues/statements', { orgId, year });
      void message.success(t('dues.published', { year }));
      void queryClient.invalidateQueries({ queryKey: ['dues', 'statements'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setPublishing(false);
    }
  }
  const byMonth = figures.data?.byMonth ?? [];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Section title={t('dues.statement_draft', { year })} testId="dues-statement" toolbar={<>
        <YearSelect value={year} onChange={(y) => set({ year: String(y) })} label={t('dues.year')} />
        <Popconfirm title={t('dues.publish_confirm', { year })} onConfirm={publish}>
          <Button type="primary" icon={<NotificationOutlined />} loading={publishing} data-testid="statement-publish">{t('dues.publish')}</Button>
        </Popconfirm>
        <Button icon={<DownloadOutlined />} loading={busy === 'statement'} onClick={() => void download('statement', '/dues/statement.xlsx', { orgId, year })}>{t('dues.export')}</Button>
      </>}>
        <QueryState isLoading={figures.isLoading} error={figures.error} retry={() => void figures.refetch()}>
          {figures.data && (
            <Space orientation="vertical" size={16} style={{ width: '100%' }}>
              <Typography.Text type="secondary">{figures.data.orgName}</Typography.Text>
              <StatementFiguresView figures={figures.data} />
              <Typography.Title level={2} style={{ fontSize: 16, margin: 0 }}>{t('dues.by_month')}</Typography.Title>
              <DuesList rows={byMonth} rowKey={(m) => m.month} emptyText={t('dues.none')} testId="statement-months"
                columns={[
                  { key: 'month', title: t('dues.month'), isHeading: true, render: (m) => <Typography.Text strong>{m.month}</Typography.Text> },
                  { key: 'due', title: t('dues.due_yuan'), align: 'right', render: (m) => yuan(m.dueFen) },
                  { key: 'collected', title: t('dues.collected_yuan'), align: 'right', render: (m) => yuan(m.collectedFen) },
                ]} />
            </Space>
          )}
        </QueryState>
      </Section>
      <Card size="small" title={t('dues.published_statements')} data-testid="published-statements">
        {published.error ? <Alert type="error" showIcon title={errorMessage(published.error, t('app.error'))} /> : null}
        {published.data && (published.data.items.length === 0 ? <Empty description={t('dues.no_published')} /> : (
          <Collapse items={published.data.items.map((s) => ({
            key: s.id,
            label: `${s.year} · ${s.orgName} · ${t('dues.published_at', { at: formatTime(s.publishedAt) })}`,
            children: <StatementFiguresView figures={s.figures} compact />,
          }))} />
        ))}
      </Card>
    </Space>
  );
}
