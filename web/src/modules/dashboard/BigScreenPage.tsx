import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, ConfigProvider, theme } from 'antd';
import { FullscreenExitOutlined } from '@ant-design/icons';
import type { Figures, Measure } from '../../../../contracts/dashboard.js';
import { api } from '../../platform/api.js';
import { todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOrgOrOwn } from '../../platform/own-org.js';
import { QueryState } from '../../platform/status.js';
import { headlines } from './FigureBoard.js';
import { AGE_ORDER, Chart, STAGE_ORDER, barOption, pieOption, trendOption, useBucketLabel, type ChartOption } from './parts.js';

const WIDTH = 1920, HEIGHT = 1080;
// dark hall screen: white and light-blue text on deep navy (contrast ≥ 7:1), accents for the numbers
const BG = '#0a1630', PANEL = '#12234a', TEXT = '#ffffff', MUTED = '#c8d5ee', ACCENT = '#ffd666';

/** The window's size, to scale the 1920×1080 screen to whatever displays it. */
function useViewport() {
  const [size, setSize] = useState({ width: window.innerWidth, height: window.innerHeight });
  useEffect(() => {
    const onResize = () => setSize({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

/**
 * 大屏: the dashboard of a subtree for a 工委's hall, alone on a 1920×1080 screen (scaled to fit, never
 * scrolling), dark, refreshed every 60 s. This year's figures; Esc or the button leaves it.
 */
export default function BigScreenPage() {
  const t = useT();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const { orgId } = useOrgOrOwn(search.get('orgId'));
  const period = todayInChina().format('YYYY');
  const label = useBucketLabel();
  const viewport = useViewport();
  const figures = useQuery({
    queryKey: ['dashboard', orgId, 'figures', period, 'big-screen'],
    queryFn: () => api.get<Figures>(`/dashboard/${orgId}/figures`, { period }),
    enabled: !!orgId,
    refetchInterval: 60_000,
    refetchIntervalInBackground: true,
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') void navigate(`/dashboard${orgId ? `?orgId=${orgId}` : ''}`); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, orgId]);

  const f = figures.data;
  const charts = useMemo(() => {
    if (!f) return [];
    const name = (m: Measure) => t(`dashboard.m.${m}`);
    const list: { measure: Measure; option: ChartOption | null }[] = [
      { measure: 'members_by_stage', option: barOption(f.measures.members_by_stage, label, name('members_by_stage'), { order: STAGE_ORDER }) },
      { measure: 'orgs_by_type', option: pieOption(f.measures.orgs_by_type, label, name('orgs_by_type')) },
      { measure: 'members_by_age', option: barOption(f.measures.members_by_age, label, name('members_by_age'), { order: AGE_ORDER }) },
      { measure: 'activities_by_month', option: trendOption(f, [{ measure: 'activities_by_month', name: name('activities_by_month') }, { measure: 'new_members_by_month', name: name('new_members_by_month') }]) },
      { measure: 'members_by_child', option: barOption(f.measures.members_by_child, label, name('members_by_child'), { horizontal: true, top: 8 }) },
      { measure: 'compliance', option: pieOption(f.measures.compliance, label, name('compliance')) },
    ];
    return list;
  }, [f, label, t]);
  const scale = Math.min(viewport.width / WIDTH, viewport.height / HEIGHT);
  const updated = figures.dataUpdatedAt ? new Date(figures.dataUpdatedAt).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '';

  return (
    <ConfigProvider theme={{ algorithm: theme.darkAlgorithm, token: { colorText: TEXT, colorTextSecondary: MUTED } }}>
      <main style={{ width: '100vw', height: '100vh', overflow: 'hidden', background: BG }} data-testid="big-screen">
        <div style={{ width: WIDTH, height: HEIGHT, transform: `scale(${scale})`, transformOrigin: 'top left', color: TEXT, padding: 32, boxSizing: 'border-box', display: 'flex', flexDirection: 'column', gap: 20 }}>
          <header style={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between' }}>
            <h1 style={{ margin: 0, fontSize: 44, color: TEXT, letterSpacing: 4 }}>{f ? `${f.orgName} · ${t('dashboard.title')}` : t('dashboard.title')}</h1>
            <div style={{ display: 'flex', alignItems: 'center', gap: 24 }}>
              <span style={{ fontSize: 20, color: MUTED }}>{f ? `${period} · ${t('dashboard.refreshes', { time: updated })}` : ''}</span>
              <Button ghost style={{ color: TEXT, borderColor: MUTED }} icon={<FullscreenExitOutlined />} onClick={() => void navigate(`/dashboard${orgId ? `?orgId=${orgId}` : ''}`)}>{t('dashboard.exit_big_screen')}</Button>
            </div>
          </header>
          <QueryState isLoading={!orgId || figures.isLoading} error={figures.error} retry={() => void figures.refetch()}>
            {f && (
              <>
                <section style={{ display: 'grid', gridTemplateColumns: 'repeat(6, 1fr)', gap: 16 }} aria-label={t('dashboard.title')}>
                  {headlines(f).map((h) => (
                    <div key={h.measure} style={{ background: PANEL, borderRadius: 8, padding: '14px 18px' }}>
                      <div style={{ fontSize: 20, color: MUTED }}>{t(`dashboard.m.${h.measure}`)}</div>
                      <div style={{ fontSize: 44, fontWeight: 700, color: ACCENT, lineHeight: 1.2 }}>{h.value}<span style={{ fontSize: 22, marginLeft: 4 }}>{h.suffix ?? ''}</span></div>
                    </div>
                  ))}
                </section>
                <section style={{ flex: 1, display: 'grid', gridTemplateColumns: 'repeat(3, 1fr)', gridTemplateRows: 'repeat(2, 1fr)', gap: 16, minHeight: 0 }}>
                  {charts.map((c) => (
                    <div key={c.measure} style={{ background: PANEL, borderRadius: 8, padding: 12, display: 'flex', flexDirection: 'column', minHeight: 0 }}>
                      <h2 style={{ margin: '0 0 4px', fontSize: 22, color: TEXT }}>{t(`dashboard.m.${c.measure}`)}</h2>
                      <div style={{ flex: 1, minHeight: 0 }}>
                        {c.option ? <Chart option={c.option} height="100%" dark /> : <div style={{ color: MUTED, fontSize: 20, paddingTop: 80, textAlign: 'center' }}>{t('dashboard.no_data')}</div>}
                      </div>
                    </div>
                  ))}
                </section>
              </>
            )}
          </QueryState>
        </div>
      </main>
    </ConfigProvider>
  );
}
