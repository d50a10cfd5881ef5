import { useMemo } from 'react';
import { Card, Col, Row, Statistic } from 'antd';
import { MEASURES, type Figure, type FrozenFigures, type Measure } from '../../../../contracts/dashboard.js';
import { useT } from '../../platform/locale.js';
import { AGE_ORDER, CATEGORY_ORDER, Chart, ChartEmpty, STAGE_ORDER, barOption, pieOption, trendOption, useBucketLabel, type ChartOption, type OpenRecords } from './parts.js';

const NONE: Figure = { count: 0, sum: 0, buckets: [] };
/** Every measure's figure; one a frozen report lacks (it came later) is shown as none. */
const present = (f: FrozenFigures) => Object.fromEntries(MEASURES.map((k) => [k, f.measures[k] ?? NONE])) as Record<Measure, Figure>;

/** The headline figures: each a count or sum of one measure, opening the records it counts. */
export function headlines(f: FrozenFigures) {
  const m = present(f);
  const party = (m.members_by_stage.buckets.find((b) => b.key === 'full')?.count ?? 0) + (m.members_by_stage.buckets.find((b) => b.key === 'probationary')?.count ?? 0);
  const done = m.compliance.buckets.find((b) => b.key === 'done')?.count ?? 0;
  const round1 = (n: number) => Math.round(n * 10) / 10;
  return [
    { measure: 'orgs_by_type', value: m.orgs_by_type.count },
    { measure: 'members_by_stage', value: m.members_by_stage.count, suffix: party ? `（${party}）` : undefined },
    { measure: 'pipeline_flow', value: m.pipeline_flow.count },
    { measure: 'terms_due', value: m.terms_due.count },
    { measure: 'compliance', value: m.compliance.count ? round1((done * 100) / m.compliance.count) : 0, suffix: '%' },
    { measure: 'quiz_participation', value: m.quiz_participation.count },
    { measure: 'study_participation', value: m.study_participation.count },
    { measure: 'exam_participation', value: m.exam_participation.count },
    { measure: 'service_projects', value: m.service_projects.count },
    { measure: 'service_satisfaction', value: m.service_satisfaction.count ? round1(m.service_satisfaction.sum / m.service_satisfaction.count) : 0, suffix: '/ 5' },
    { measure: 'volunteer_hours', value: round1(m.volunteer_hours.sum / 10) },
    { measure: 'venue_visits', value: m.venue_visits.sum },
  ] satisfies { measure: Measure; value: number; suffix?: string }[];
}

/**
 * Every figure of a subtree's period as headline numbers and ECharts charts. With `onOpen` each number,
 * bar and slice opens the records it counts (the live dashboard); without (a frozen report) they are shown only.
 */
export function FigureBoard({ figures, onOpen }: { figures: FrozenFigures; onOpen?: OpenRecords }) {
  const t = useT();
  const label = useBucketLabel();
  const m = useMemo(() => present(figures), [figures]);
  const charts = useMemo(() => {
    const name = (measure: Measure) => t(`dashboard.m.${measure}`);
    const list: { measure: Measure; option: ChartOption | null; span: number }[] = [
      { measure: 'members_by_stage', option: barOption(m.members_by_stage, label, name('members_by_stage'), { order: STAGE_ORDER }), span: 12 },
      { measure: 'orgs_by_type', option: pieOption(m.orgs_by_type, label, name('orgs_by_type')), span: 12 },
      { measure: 'members_by_gender', option: pieOption(m.members_by_gender, label, name('members_by_gender')), span: 8 },
      { measure: 'members_by_age', option: barOption(m.members_by_age, label, name('members_by_age'), { order: AGE_ORDER }), span: 8 },
      { measure: 'members_by_education', option: pieOption(m.members_by_education, label, name('members_by_education')), span: 8 },
      { measure: 'members_by_ethnicity', option: pieOption(m.members_by_ethnicity, label, name('members_by_ethnicity')), span: 8 },
      { measure: 'members_by_category', option: barOption(m.members_by_category, label, name('members_by_category'), { order: CATEGORY_ORDER }), span: 8 },
      { measure: 'pipeline_flow', option: barOption(m.pipeline_flow, label, name('pipeline_flow'), { order: STAGE_ORDER }), span: 8 },
      { measure: 'compliance', option: pieOption(m.compliance, label, name('compliance')), span: 8 },
      { measure: 'members_by_child', option: barOption(m.members_by_child, label, name('members_by_child'), { horizontal: true, top: 10 }), span: 12 },
      { measure: 'service_projects', option: pieOption(m.service_projects, label, name('service_projects')), span: 12 },
      { measure: 'activities_by_month', option: trendOption(figures, [{ measure: 'activities_by_month', name: name('activities_by_month') }]), span: 12 },
      { measure: 'new_members_by_month', option: trendOption(figures, [{ measure: 'new_members_by_month', name: name('new_members_by_month') }]), span: 12 },
      { measure: 'venue_visits', option: pieOption(m.venue_visits, label, name('venue_visits')), span: 12 },
      { measure: 'exam_participation', option: pieOption(m.exam_participation, label, name('exam_participation')), span: 12 },
    ];
    // a report frozen before a measure existed shows no chart for it
    return list.filter((c) => figures.measures[c.measure]);
  }, [figures, m, label, t]);

  return (
    <div data-testid="dashboard-board">
      <Row gutter={[12, 12]}>
        {headlines(figures).map((h) => (
          <Col key={h.measure} xs={12} sm={8} lg={6} xl={4}>
            <Card size="small" hoverable={!!onOpen} data-testid={`figure-${h.measure}`}
              {...(onOpen ? { role: 'button', tabIndex: 0, onClick: () => onOpen(h.measure),
                onKeyDown: (e: React.KeyboardEvent) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onOpen(h.measure); } } } : {})}>
              <Statistic title={t(`dashboard.m.${h.measure}`)} value={h.value} suffix={h.suffix} />
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
        {charts.map((c) => (
          <Col key={c.measure} xs={24} md={12} lg={c.span}>
            <Card size="small" title={t(`dashboard.m.${c.measure}`)}
              extra={onOpen && m[c.measure].count > 0 ? <a role="button" tabIndex={0} onClick={() => onOpen(c.measure)} onKeyDown={(e) => { if (e.key === 'Enter') onOpen(c.measure); }}>{t('dashboard.open_records')}</a> : undefined}>
              {c.option ? <Chart option={c.option} onPick={onOpen ? (key) => onOpen(c.measure, key) : undefined} testId={`chart-${c.measure}`} /> : <ChartEmpty text={t('dashboard.no_data')} />}
            </Card>
          </Col>
        ))}
      </Row>
    </div>
  );
}
