import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Drawer, Empty, Segmented, Space, Table, DatePicker } from 'antd';
import type { Dayjs } from 'dayjs';
import * as echarts from 'echarts/core';
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { trendMonths, type DashboardRecord, type Figure, type FrozenFigures, type Measure, type RecordPage } from '../../../../contracts/dashboard.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { dashboardMessagesZhHans, type DashboardMessageKey } from './messages.js';

// only what these charts draw: the whole of ECharts would add about 1 MB to the page
echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];
/** A click on a chart's bar or slice: the bucket it stands for. */
export type OpenRecords = (measure: Measure, key?: string) => void;

/** An ECharts canvas that follows its data and the window's size; a click on a data item opens its bucket. */
export function Chart({ option, height = 260, onPick, testId, dark = false }: { option: ChartOption; height?: number | string; onPick?: (key: string) => void; testId?: string; dark?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const pick = useRef(onPick);
  pick.current = onPick;
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current, dark ? 'dark' : undefined);
    chart.setOption(dark ? { backgroundColor: 'transparent', ...option } : option);
    chart.on('click', (params) => {
      const data = params.data as { key?: string } | null;
      if (data?.key) pick.current?.(data.key);
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => { window.removeEventListener('resize', resize); chart.dispose(); };
  }, [option, dark]);
  return <div ref={ref} style={{ height, width: '100%', cursor: onPick ? 'pointer' : undefined }} data-testid={testId} />;
}

export function ChartEmpty({ text }: { text: string }) {
  return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} data-testid="chart-empty" />;
}

const KNOWN = new Set<string>(Object.keys(dashboardMessagesZhHans));

/** A bucket's name: a known key's translation, a child org's name, else the key itself (an education, an ethnicity, a month). */
export function useBucketLabel() {
  const t = useT();
  return (key: string, label?: string | null) => {
    if (label) return label;
    const k = `dashboard.b.${key}`;
    return KNOWN.has(k) ? t(k as DashboardMessageKey) : key;
  };
}

/** The buckets of a figure as chart data, each carrying its key for the drill-down. */
export function bucketData(figure: Figure, label: (key: string, label?: string | null) => string, value: 'count' | 'sum' = 'count') {
  return figure.buckets.map((b) => ({ name: label(b.key, b.label), value: b[value], key: b.key }));
}

export function pieOption(figure: Figure, label: (key: string, label?: string | null) => string, name: string): ChartOption | null {
  if (figure.count === 0) return null;
  return {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ name, type: 'pie', radius: ['38%', '65%'], center: ['50%', '45%'], data: bucketData(figure, label) }],
  };
}

export function barOption(figure: Figure, label: (key: string, label?: string | null) => string, name: string, options: { order?: string[]; horizontal?: boolean; top?: number } = {}): ChartOption | null {
  if (figure.count === 0) return null;
  let data = bucketData(figure, label);
  if (options.order) data = options.order.filter((k) => data.some((d) => d.key === k)).map((k) => data.find((d) => d.key === k)!);
  if (options.top) data = [...data].sort((a, b) => b.value - a.value).slice(0, options.top).reverse();
  const category = { type: 'category' as const, data: data.map((d) => d.name), axisLabel: { interval: 0, width: 90, overflow: 'truncate' as const } };
  const value = { type: 'value' as const, minInterval: 1 };
  return {
    tooltip: { trigger: 'axis' },
    grid: { left: options.horizontal ? 100 : 40, right: 16, top: 16, bottom: 32 },
    xAxis: options.horizontal ? value : category,
    yAxis: options.horizontal ? category : value,
    series: [{ name, type: 'bar', data, barMaxWidth: 28 }],
  };
}

/** A trend over the twelve months ending with the period (months without records at 0). */
export function trendOption(figures: FrozenFigures, series: { measure: Measure; name: string }[]): ChartOption | null {
  if (series.every((s) => (figures.measures[s.measure]?.count ?? 0) === 0)) return null;
  const months = trendMonths(figures.period);
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 16, top: 32, bottom: 32 },
    xAxis: { type: 'category', data: months.map((m) => m.slice(2)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map((s) => {
      const counts = new Map((figures.measures[s.measure]?.buckets ?? []).map((b) => [b.key, b.count]));
      return { name: s.name, type: 'line', smooth: true, data: months.map((m) => ({ value: counts.get(m) ?? 0, key: m })) };
    }),
  };
}

export const AGE_ORDER = ['to_30', '31_40', '41_50', '51_60', 'over_60', 'unknown'];
export const STAGE_ORDER = ['applicant', 'activist', 'candidate', 'probationary', 'full'];
export const CATEGORY_ORDER = ['employed', 'retired', 'student', 'unemployed', 'relief', 'rural', 'unregistered'];

/** The records one figure (or one bucket of it) counts, read with the figure's own query. */
export function RecordsDrawer({ orgId, period, measure, bucket, onClose }: { orgId: string; period: string; measure: Measure; bucket?: string; onClose: () => void }) {
  const t = useT();
  const label = useBucketLabel();
  const [page, setPage] = useState(1);
  const params = { period, page, pageSize: 20, ...(bucket === undefined ? {} : { key: bucket }) };
  const list = useQuery({
    queryKey: ['dashboard', orgId, 'records', measure, params],
    queryFn: () => api.get<RecordPage>(`/dashboard/${orgId}/measures/${measure}/records`, params),
  });
  const title = `${t(`dashboard.m.${measure}`)}${bucket === undefined ? '' : ` · ${label(bucket)}`}`;
  return (
    <Drawer open title={title} onClose={onClose} size="large" styles={{ body: { paddingTop: 8 } }}>
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        <Table<DashboardRecord> rowKey="id" size="small" dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="dashboard-records"
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (n) => `${n}` }}
          columns={[
            { title: t('dashboard.col.name'), dataIndex: 'name' },
            { title: t('dashboard.col.org'), dataIndex: 'orgName' },
            { title: t('dashboard.col.key'), dataIndex: 'key', render: (k: string) => label(k) },
            { title: t('dashboard.col.date'), dataIndex: 'date' },
            { title: t('dashboard.col.value'), dataIndex: 'value' },
            { title: t('dashboard.col.detail'), dataIndex: 'detail', render: (d: string | null) => (d && KNOWN.has(`dashboard.b.${d}`) ? label(d) : d) },
          ]} />
      </QueryState>
    </Drawer>
  );
}

export type PeriodKind = 'year' | 'quarter' | 'month';

/** The period string of the contract for a picked day: 2026, 2026-Q3 or 2026-07. */
export function periodOf(kind: PeriodKind, day: Dayjs): string {
  if (kind === 'year') return day.format('YYYY');
  if (kind === 'month') return day.format('YYYY-MM');
  return `${day.year()}-Q${Math.floor(day.month() / 3) + 1}`;
}

/** Year / quarter / month and the one picked. */
export function PeriodPicker({ kind, day, onChange }: { kind: PeriodKind; day: Dayjs; onChange: (kind: PeriodKind, day: Dayjs) => void }) {
  const t = useT();
  return (
    <Space wrap size={8}>
      <Segmented<PeriodKind> aria-label={t('dashboard.period')} value={kind} onChange={(k) => onChange(k, day)}
        options={[{ value: 'year', label: t('dashboard.period.year') }, { value: 'quarter', label: t('dashboard.period.quarter') }, { value: 'month', label: t('dashboard.period.month') }]} />
      <DatePicker aria-label={t('dashboard.period')} picker={kind} value={day} allowClear={false} onChange={(d) => d && onChange(kind, d)} style={{ width: 130 }} />
    </Space>
  );
}
