import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Popconfirm, Select, Space, Statistic, Tag, Typography } from 'antd';
import { BellOutlined, DownloadOutlined, WarningOutlined } from '@ant-design/icons';
import type { ArrearsPage, ArrearsRow, SendReminders } from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { yuan } from './money.js';
import { DuesList, Section, useDownload, type DuesColumn } from './parts.js';

const PAGE_SIZE = 20;

/** 欠缴: who owes what, with those six months or more behind (党章: 连续6个月不交纳党费) flagged; reminders go one by one or to all. */
export default function ArrearsTab({ orgId }: { orgId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, set] = useSearchState();
  const flagged = params.get('flagged') === '1' ? '1' : '0';
  const page = Number(params.get('page') ?? '1');
  const [sending, setSending] = useState<string | null>(null);
  const { busy, download } = useDownload();
  const query = { orgId, flagged, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['dues', 'arrears', query],
    queryFn: ({ signal }) => api.get<ArrearsPage>('/dues/arrears', query, signal),
    placeholderData: keepPreviousData,
  });

  async function remind(key: string, memberIds?: string[]) {
    setSending(key);
    try {
      const body: SendReminders = { orgId, memberIds };
      const { sent } = await api.post<{ sent: number }>('/dues/reminders', body);
      void message.success(t('dues.reminders_sent', { n: sent }));
      void queryClient.invalidateQueries({ queryKey: ['dues', 'arrears'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSending(null);
    }
  }

  const columns: DuesColumn<ArrearsRow>[] = [
    { key: 'name', title: t('dues.member'), isHeading: true, render: (r) => <Typography.Text strong>{r.memberName}</Typography.Text> },
    {
      key: 'flag', title: t('dues.six_month_flag'), isHeading: true,
      render: (r) => (r.flagged ? <Tag color="red" icon={<WarningOutlined />} data-testid="arrears-flag">{t('dues.flagged', { n: r.longestRun })}</Tag> : <Tag>{t('dues.not_flagged')}</Tag>),
    },
    { key: 'org', title: t('dues.org'), render: (r) => r.orgName },
    { key: 'months', title: t('dues.unpaid_months'), align: 'right', render: (r) => r.unpaidMonths },
    { key: 'amount', title: t('dues.unpaid_yuan'), align: 'right', render: (r) => <Typography.Text strong>{yuan(r.unpaidFen)}</Typography.Text> },
    { key: 'first', title: t('dues.first_unpaid'), render: (r) => r.firstUnpaidMonth },
    { key: 'run', title: t('dues.longest_run'), align: 'right', render: (r) => r.longestRun },
    { key: 'reminded', title: t('dues.last_reminded'), render: (r) => formatTime(r.lastRemindedAt) },
    {
      key: 'actions', title: t('common.actions'),
      render: (r) => <Button size="small" icon={<BellOutlined />} loading={sending === r.memberId} onClick={() => void remind(r.memberId, [r.memberId])}>{t('dues.remind')}</Button>,
    },
  ];
  const data = list.data;
  return (
    <Section title={t('dues.tab.arrears')} testId="dues-arrears" toolbar={<>
      <Select aria-label={t('dues.arrears_filter')} value={flagged} style={{ width: 200 }} onChange={(f: string) => set({ flagged: f === '1' ? '1' : undefined })}
        options={[{ value: '0', label: t('dues.arrears_filter.all') }, { value: '1', label: t('dues.arrears_filter.flagged') }]} />
      <Popconfirm title={t('dues.remind_all_confirm')} onConfirm={() => remind('all', flagged === '1' ? data?.items.map((r) => r.memberId) : undefined)}>
        <Button type="primary" icon={<BellOutlined />} loading={sending === 'all'} disabled={!data?.total} data-testid="arrears-remind-all">
          {t(flagged === '1' ? 'dues.remind_flagged' : 'dues.remind_all')}
        </Button>
      </Popconfirm>
      <Button icon={<DownloadOutlined />} loading={busy === 'arrears'} onClick={() => void download('arrears', '/dues/arrears.xlsx', { orgId, flagged })}>{t('dues.export')}</Button>
    </>}>
      {list.error ? <Alert type="error" showIcon title={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 12 }} /> : null}
      {data && (
        <Space size={24} wrap style={{ marginBottom: 12 }}>
          <Statistic title={t('dues.as_of', { month: data.asOfMonth })} value={yuan(data.unpaidFen)} />
          <Statistic title={t('dues.arrears_members')} value={data.total} />
          <Statistic title={t('dues.flagged_members')} value={data.flaggedCount} styles={data.flaggedCount ? { content: { color: '#cf1322' } } : undefined} />
        </Space>
      )}
      {data && data.flaggedCount > 0 && flagged === '0' && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('dues.flagged_hint', { n: data.flaggedCount })} />
      )}
      <DuesList rows={data?.items ?? []} rowKey={(r) => r.memberId} columns={columns} loading={list.isFetching} emptyText={t('dues.no_arrears')}
        testId="arrears-list" rowTestId="arrears-row"
        paging={{ current: page, pageSize: PAGE_SIZE, total: data?.total ?? 0, onChange: (p) => set({ page: String(p) }) }} />
    </Section>
  );
}
