import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Pagination, Segmented, Select, Space, Tag, Typography } from 'antd';
import type { RoundDistribution, RoundPage, RoundQuery, RoundStatus, SchemePage } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { GradeTag, RoundStatusTag } from './tags.js';

const PAGE_SIZE = 20;
const VIEWS: RoundQuery['view'][] = ['all', 'review', 'branch'];
const WAITING = ['review', 'submit'] as const;

/**
 * 达标定级: a scheme's rounds in a subtree with the distribution of their grades and progress. Each figure
 * opens the list it counts (the same filter in the address), and the list's total is that figure.
 */
export default function RoundsPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    setParams(next, { replace: true });
  };
  const schemes = useQuery({ queryKey: ['standardization', 'schemes', 'active'], queryFn: () => api.get<SchemePage>('/standardization/schemes', { pageSize: 100 }) });
  const usable = (schemes.data?.items ?? []).filter((s) => s.status !== 'draft');
  // the 工作台's to-dos open the rounds waiting for the subtree, of every scheme unless one is chosen
  const waiting = WAITING.find((w) => w === params.get('waiting')) ?? null;
  const schemeId = params.get('schemeId') ?? (waiting ? null : usable[0]?.id ?? null);
  const orgId = params.get('orgId');
  const status = params.get('status') as RoundStatus | null;
  const gradeLevel = params.get('gradeLevel');
  const view = VIEWS.find((v) => v === params.get('view')) ?? 'all';
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="standardization-rounds">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('std.title')}</Typography.Title>
        <Space wrap>
          <Link to="/standardization/schemes"><Button>{t('menu.standardization_schemes')}</Button></Link>
          <Link to="/standardization/rectifications"><Button>{t('menu.standardization_rectifications')}</Button></Link>
        </Space>
      </Space>
      <QueryState isLoading={schemes.isLoading} error={schemes.error}>
        {usable.length === 0 ? <Card><Empty description={t('std.no_schemes')} /></Card> : (
          <>
            <Space wrap style={{ width: '100%' }}>
              <Select aria-label={t('std.choose_scheme')} style={{ minWidth: 240, maxWidth: '100%' }} value={schemeId ?? undefined}
                onChange={(v: string) => update({ schemeId: v, status: null, gradeLevel: null })}
                options={usable.map((s) => ({ value: s.id, label: `${s.year} · ${s.name}（${s.orgName}）` }))} />
              <OrgTreeSelect aria-label={t('std.org_filter')} placeholder={t('std.org_filter')} value={orgId ?? undefined}
                onChange={(v) => update({ orgId: typeof v === 'string' ? v : null })} style={{ minWidth: 220, maxWidth: '100%' }} />
            </Space>
            {schemeId && <Distribution schemeId={schemeId} orgId={orgId} status={status} gradeLevel={gradeLevel}
              open={(filter) => update({ status: filter.status ?? null, gradeLevel: filter.gradeLevel ?? null, view: null })} />}
            <div style={{ overflowX: 'auto' }}>
              <Segmented<RoundQuery['view']> value={view} onChange={(v) => update({ view: v === 'all' ? null : v })}
                options={VIEWS.map((v) => ({ value: v, label: t(`std.view.${v}`) }))} />
            </div>
            {(status || gradeLevel || waiting) && <Button size="small" onClick={() => update({ status: null, gradeLevel: null, waiting: null })}>
              {waiting ? `${t(`std.waiting.${waiting}`)} · ${t('std.clear_filter')}` : t('std.clear_filter')}
            </Button>}
            {(schemeId || waiting) && <Rounds query={{ schemeId, orgId, status, gradeLevel, view, waiting }} />}
          </>
        )}
      </QueryState>
    </Space>
  );
}

function Distribution({ schemeId, orgId, status, gradeLevel, open }: {
  schemeId: string; orgId: string | null; status: string | null; gradeLevel: string | null; open: (filter: { status?: string; gradeLevel?: string }) => void;
}) {
  const t = useT();
  const dist = useQuery({
    queryKey: ['standardization', 'distribution', schemeId, orgId],
    queryFn: () => api.get<RoundDistribution>('/standardization/rounds/distribution', { schemeId, orgId }),
  });
  return (
    <QueryState isLoading={dist.isLoading} error={dist.error}>
      <Card size="small" title={t('std.total', { n: dist.data?.total ?? 0 })}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('std.distribution')}</Typography.Text>
          <Space wrap>
            {dist.data?.byGrade.map((g) => (
              <Button key={g.level} type={gradeLevel === String(g.level) ? 'primary' : 'default'} danger={g.isLow} data-testid={`grade-figure-${g.level}`}
                onClick={() => open({ gradeLevel: String(g.level) })}>
                {g.name} · {t('std.count', { n: g.count })}
              </Button>
            ))}
          </Space>
          <Typography.Text type="secondary">{t('std.by_status')}</Typography.Text>
          <Space wrap>
            {dist.data?.byStatus.map((s) => (
              <Button key={s.status} size="small" type={status === s.status ? 'primary' : 'default'} onClick={() => open({ status: s.status })}>
                {t(`std.round.${s.status}`)} · {s.count}
              </Button>
            ))}
          </Space>
        </Space>
      </Card>
    </QueryState>
  );
}

function Rounds({ query }: { query: { schemeId: string | null; orgId: string | null; status: string | null; gradeLevel: string | null; view: RoundQuery['view']; waiting: string | null } }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const rounds = useQuery({
    queryKey: ['standardization', 'rounds', query, page],
    queryFn: () => api.get<RoundPage>('/standardization/rounds', { ...query, page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState isLoading={rounds.isLoading} error={rounds.error} retry={() => void rounds.refetch()}>
      <Typography.Text type="secondary" data-testid="standardization-round-total">{t('common.total', { total: rounds.data?.total ?? 0 })}</Typography.Text>
      {(rounds.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('std.no_rounds')} /></Card> : (
        <List bordered dataSource={rounds.data?.items ?? []} data-testid="standardization-round-list" style={{ background: 'var(--ant-color-bg-container, #fff)' }}
          renderItem={(r) => (
            <List.Item>
              <Space orientation="vertical" size={2} style={{ minWidth: 0, width: '100%' }}>
                <Link to={`/standardization/rounds/${r.id}`} style={{ overflowWrap: 'anywhere' }}>{r.orgName}</Link>
                <Space wrap size={[6, 4]}>
                  <RoundStatusTag status={r.status} />
                  {r.gradeName && <GradeTag name={r.gradeName} isLow={!!r.gradeIsLow} />}
                  {r.appealed && <Tag>{t('std.appealed')}</Tag>}
                  {r.openRectifications > 0 && <Tag color="orange">{t('std.open_tasks', { n: r.openRectifications })}</Tag>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{r.year} · {r.schemeName}</Typography.Text>
                </Space>
              </Space>
            </List.Item>
          )} />
      )}
      {(rounds.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={rounds.data?.total ?? 0} onChange={setPage} />}
    </QueryState>
  );
}
