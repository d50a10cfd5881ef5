import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Drawer, Empty, Row, Select, Space, Statistic, Table } from 'antd';
import { Link } from 'react-router';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ActivityType } from '../../../../contracts/activities.js';
import type { Venue, VenueActivityPage, VenueStatistics } from '../../../../contracts/venues.js';
import { formatTime } from '../../platform/format.js';
import { api } from '../../platform/api.js';
import { todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';

// only what these charts draw: the whole of ECharts would add about 1 MB to the page
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

/** An ECharts canvas that follows its data and the window's size. */
function Chart({ option, height = 300, testId }: { option: ChartOption; height?: number; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [option]);
  return <div ref={ref} style={{ height, width: '100%' }} data-testid={testId} />;
}

function ChartEmpty({ text }: { text: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} data-testid="chart-empty" />;
}

/** The activities one figure counts, read with the figure's own condition (so the two always agree). */
function HeldActivities({ query, type, onClose }: { query: { venueId?: string; from: string; to: string }; type: ActivityType | 'all'; onClose: () => void }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const params = { ...query, ...(type === 'all' ? {} : { type }), page, pageSize: 20 };
  const list = useQuery({ queryKey: ['venues', 'statistics', 'activities', params], queryFn: () => api.get<VenueActivityPage>('/venues/statistics/activities', params) });
  return (
    <Drawer open title={`${t('venue.activity_list')}${type === 'all' ? '' : ` · ${t(`activity.type.${type}`)}`}`} onClose={onClose} size="large">
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        <Table rowKey="id" size="small" dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('activity.title'), dataIndex: 'title', render: (title: string, a) => <Link to={`/activities/${a.id}`}>{title}</Link> },
            { title: t('activity.type'), dataIndex: 'type', render: (v: ActivityType) => t(`activity.type.${v}`) },
            { title: t('activity.starts_at'), dataIndex: 'startsAt', render: (v: string) => formatTime(v) },
            { title: t('activity.org'), dataIndex: 'orgName' },
            { title: t('venue.title'), dataIndex: 'venueName' },
          ]} />
      </QueryState>
    </Drawer>
  );
}

/** Visits of the venues the viewer runs in a period: units, batches, person-visits, by month, purpose and hall, with an .xlsx export. */
export default function VenueStatisticsPage() {
  const t = useT();
  const { message } = App.useApp();
  const [venueId, setVenueId] = useState<string>();
  const [range, setRange] = useState<[Dayjs, Dayjs]>(() => [todayInChina().startOf('year'), todayInChina()]);
  const venues = useQuery({ queryKey: ['venues'], queryFn: () => api.get<{ items: Venue[] }>('/venues') });
  const query = { venueId, from: range[0].format('YYYY-MM-DD'), to: range[1].format('YYYY-MM-DD') };
  const stats = useQuery({ queryKey: ['venues', 'statistics', query], queryFn: () => api.get<VenueStatistics>('/venues/statistics', query) });
  const s = stats.data;
  const [opened, setOpened] = useState<ActivityType | 'all' | null>(null);
  // a chart of nothing (an axis of zeros, a ring of 0-value slices) says nothing: an empty state says so instead
  const monthly = useMemo<ChartOption | null>(() => !s || s.byMonth.every((m) => m.batches === 0 && m.personTimes === 0) ? null : {
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 48, right: 48, bottom: 32 },
    xAxis: { type: 'category', data: s.byMonth.map((m) => m.month) },
    yAxis: [{ type: 'value', name: t('venue.batches'), minInterval: 1 }, { type: 'value', name: t('venue.person_times'), minInterval: 1 }],
    series: [
      { name: t('venue.batches'), type: 'bar', data: s.byMonth.map((m) => m.batches) },
      { name: t('venue.person_times'), type: 'line', yAxisIndex: 1, data: s.byMonth.map((m) => m.personTimes) },
    ],
  }, [s, t]);
  const byPurpose = useMemo<ChartOption | null>(() => !s || s.byPurpose.every((p) => p.personTimes === 0) ? null : {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{
      name: t('venue.person_times'), type: 'pie', radius: ['40%', '68%'],
      data: s.byPurpose.map((p) => ({ name: t(`venue.purpose.${p.purpose}`), value: p.personTimes })),
    }],
  }, [s, t]);

  return (
    <Card title={t('venue.stats')} extra={
      <Space wrap>
        <Select aria-label={t('venue.all_venues')} allowClear placeholder={t('venue.all_venues')} value={venueId} onChange={setVenueId} style={{ width: 200 }}
          options={(venues.data?.items ?? []).filter((v) => v.canManage).map((v) => ({ value: v.id, label: v.name }))} />
        <DatePicker.RangePicker value={range} allowClear={false} onChange={(r) => r?.[0] && r[1] && setRange([r[0], r[1]])} />
        <Button icon={<DownloadOutlined />} data-testid="venue-stats-export"
          onClick={() => void api.download('/venues/statistics.xlsx', query).catch((e: unknown) => message.error(errorMessage(e, t('app.error'))))}>{t('activity.export')}</Button>
      </Space>
    }>
      <QueryState isLoading={stats.isLoading} error={stats.error} retry={() => void stats.refetch()}>
        {/* figures of nothing would read as "no visits": say that the viewer runs no venue */}
        {venues.data && !venues.data.items.some((v) => v.canManage) ? <Empty description={t('venue.none_managed')} data-testid="venue-stats-none" /> : s && (
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Row gutter={16}>
              <Col xs={8}><Statistic title={t('venue.units')} value={s.units} /></Col>
              <Col xs={8}><Statistic title={t('venue.batches')} value={s.batches} /></Col>
              <Col xs={8}><Statistic title={t('venue.person_times')} value={s.personTimes} /></Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={14}><Card size="small" title={t('venue.by_month')}>{monthly ? <Chart option={monthly} testId="venue-chart" /> : <ChartEmpty text={t('venue.chart_empty')} />}</Card></Col>
              <Col xs={24} lg={10}><Card size="small" title={t('venue.by_purpose')}>{byPurpose ? <Chart option={byPurpose} /> : <ChartEmpty text={t('venue.chart_empty')} />}</Card></Col>
            </Row>
            <Table rowKey="hallId" size="small" pagination={false} dataSource={s.byHall} title={() => t('venue.by_hall')} scroll={{ x: 'max-content' }}
              columns={[
                { title: t('venue.title'), dataIndex: 'venueName' },
                { title: t('venue.halls'), dataIndex: 'hallName' },
                { title: t('venue.batches'), dataIndex: 'batches' },
                { title: t('venue.person_times'), dataIndex: 'personTimes' },
              ]} />
            <Table rowKey="type" size="small" pagination={false} dataSource={s.byActivityType} scroll={{ x: 'max-content' }} data-testid="venue-activity-types"
              title={() => (
                <Space wrap>
                  <span>{t('venue.by_activity_type')}</span>
                  <Button type="link" size="small" onClick={() => setOpened('all')}>{t('venue.activities_held')}: {s.activities}</Button>
                </Space>
              )}
              columns={[
                { title: t('activity.type'), dataIndex: 'type', render: (v: ActivityType) => t(`activity.type.${v}`) },
                { title: t('venue.activity_count'), dataIndex: 'activities',
                  render: (n: number, r) => <Button type="link" size="small" onClick={() => setOpened(r.type)} aria-label={`${t(`activity.type.${r.type}`)} ${n}`}>{n}</Button> },
              ]} />
          </Space>
        )}
      </QueryState>
      {opened && <HeldActivities query={query} type={opened} onClose={() => setOpened(null)} />}
    </Card>
  );
}
