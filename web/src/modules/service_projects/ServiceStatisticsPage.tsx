import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Empty, Row, Space, Statistic } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import * as echarts from 'echarts/core';
import { BarChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { SERVICE_STATUSES, type Statistics } from '../../../../contracts/service_projects.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

// only the charts drawn here: the whole of ECharts would add about 1 MB
echarts.use([BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

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

const STATUS_COLORS = { planned: '#bfbfbf', in_progress: '#1677ff', done: '#52c41a', stalled: '#faad14' } as const;
// the figures as text: the chart's light green is 2.3:1 on white, the theme's success green (green-8) 7.0:1
const SOLVED_TEXT = '#237804';

/** 我为群众办实事 of a subtree in a period: problems solved, major ones, overdue, by status, category and unit; .xlsx export. */
export default function ServiceStatisticsPage() {
  const t = useT();
  const { message } = App.useApp();
  const [orgId, setOrgId] = useState<string>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  // before a choice: the viewer's own org
  const own = useOwnOrg();
  const effectiveOrgId = orgId ?? own.orgId;
  const query = { orgId: effectiveOrgId, from: range?.[0]?.format('YYYY-MM-DD'), to: range?.[1]?.format('YYYY-MM-DD') };
  const stats = useQuery({
    queryKey: ['service-projects', 'statistics', query],
    queryFn: () => api.get<Statistics>('/service-projects/statistics', query),
    enabled: !!effectiveOrgId,
  });
  const s = stats.data;

  // a chart of nothing (every slice 0, an axis of zeros) draws equal slices or a flat line: an empty state says so instead
  const byStatus = useMemo<ChartOption | null>(() => !s || SERVICE_STATUSES.every((k) => s.byStatus[k] === 0) ? null : {
    tooltip: { trigger: 'item' },
    legend: { bottom: 0 },
    series: [{
      name: t('service.status'), type: 'pie', radius: ['40%', '68%'],
      data: SERVICE_STATUSES.map((k) => ({ name: t(`service.status.${k}`), value: s.byStatus[k], itemStyle: { color: STATUS_COLORS[k] } })),
    }],
  }, [s, t]);
  const byCategory = useMemo<ChartOption | null>(() => !s || s.byCategory.every((c) => c.total === 0) ? null : {
    tooltip: { trigger: 'axis' },
    legend: {},
    grid: { left: 40, right: 16, bottom: 56 },
    xAxis: { type: 'category', data: s.byCategory.map((c) => c.category), axisLabel: { interval: 0, rotate: 20 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('service.stats_total'), type: 'bar', data: s.byCategory.map((c) => c.total) },
      { name: t('service.status.done'), type: 'bar', data: s.byCategory.map((c) => c.done), itemStyle: { color: STATUS_COLORS.done } },
    ],
  }, [s, t]);
  const byChild = useMemo<ChartOption | null>(() => !s || s.byChildOrg.every((c) => c.total === 0) ? null : {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 140, right: 24, top: 32, bottom: 24 },
    yAxis: { type: 'category', data: s.byChildOrg.map((c) => c.orgName), axisLabel: { width: 130, overflow: 'truncate' } },
    xAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('service.stats_total'), type: 'bar', data: s.byChildOrg.map((c) => c.total) },
      { name: t('service.stats_solved'), type: 'bar', data: s.byChildOrg.map((c) => c.solved), itemStyle: { color: STATUS_COLORS.done } },
      { name: t('service.stats_overdue'), type: 'bar', data: s.byChildOrg.map((c) => c.overdue), itemStyle: { color: '#ff4d4f' } },
    ],
  }, [s, t]);

  const exportXlsx = async () => {
    try {
      await api.download('/service-projects/statistics.xlsx', query, 'service-projects.xlsx');
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="service-stats">
      <Card
        title={t('service.stats')}
        extra={<Button icon={<DownloadOutlined />} onClick={() => void exportXlsx()} disabled={!effectiveOrgId} data-testid="service-stats-export">{t('service.export')}</Button>}
      >
        <Space wrap>
          <OrgTreeSelect value={effectiveOrgId} onChange={setOrgId} allowClear={false} placeholder={t('service.pick_org')} style={{ width: 260 }} />
          <DatePicker.RangePicker allowEmpty={[true, true]} value={range} onChange={(v) => setRange(v)} />
        </Space>
      </Card>
      <QueryState isLoading={stats.isLoading || own.isLoading} error={stats.error} retry={() => void stats.refetch()}>
        {s && (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}><Card><Statistic title={t('service.stats_total')} value={s.total} /></Card></Col>
              <Col xs={12} md={6}><Card><Statistic title={t('service.stats_solved')} value={s.solved} valueStyle={{ color: SOLVED_TEXT }} /></Card></Col>
              <Col xs={12} md={6}><Card><Statistic title={t('service.stats_major_solved')} value={s.majorSolved} /></Card></Col>
              <Col xs={12} md={6}><Card><Statistic title={t('service.stats_overdue')} value={s.overdue} valueStyle={{ color: s.overdue ? '#cf1322' : undefined }} /></Card></Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={10}><Card title={t('service.by_status')} size="small">{byStatus ? <Chart option={byStatus} testId="chart-status" /> : <ChartEmpty text={t('service.chart_empty')} />}</Card></Col>
              <Col xs={24} lg={14}><Card title={t('service.by_category')} size="small">{byCategory ? <Chart option={byCategory} testId="chart-category" /> : <ChartEmpty text={t('service.chart_empty')} />}</Card></Col>
              <Col xs={24}>
                <Card title={t('service.by_child_org')} size="small">
                  {byChild ? <Chart option={byChild} height={Math.max(240, s.byChildOrg.length * 36)} testId="chart-child-org" /> : <ChartEmpty text={t('service.chart_empty_child')} />}
                </Card>
              </Col>
            </Row>
          </>
        )}
      </QueryState>
    </Space>
  );
}
