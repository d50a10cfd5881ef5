import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Avatar, Card, Empty, List, Pagination, Segmented, Space, Typography } from 'antd';
import type { MemberLeaderboard, OrgLeaderboard, Period } from '../../../../contracts/points.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const PAGE_SIZE = 50;
const medal = ['#d4a017', '#a0a0a0', '#b87333'];

function RankBadge({ rank }: { rank: number }) {
  return <Avatar size={32} style={{ background: medal[rank - 1] ?? '#f0f0f0', color: rank <= 3 ? '#fff' : '#595959', fontWeight: 600 }}>{rank}</Avatar>;
}

/** 积分排行: members or orgs (by points per member, so sizes compare fairly), this week, month or year. */
export default function LeaderboardPage() {
  const t = useT();
  const { audiences } = useSession();
  const [params, setParams] = useSearchParams();
  const kind = params.get('kind') === 'orgs' ? 'orgs' : 'members';
  const period = (['week', 'month', 'year'] as const).find((p) => p === params.get('period')) ?? 'week';
  const [orgId, setOrgId] = useState<string | undefined>();
  const [page, setPage] = useState(1);
  const set = (patch: Record<string, string>) => { setParams({ kind, period, ...patch }, { replace: true }); setPage(1); };
  const query = { period, orgId, page, pageSize: PAGE_SIZE };
  const members = useQuery({
    queryKey: ['points', 'leaderboard', 'members', query], enabled: kind === 'members', placeholderData: keepPreviousData,
    queryFn: () => api.get<MemberLeaderboard>('/points/leaderboard/members', query),
  });
  const orgs = useQuery({
    queryKey: ['points', 'leaderboard', 'orgs', query], enabled: kind === 'orgs', placeholderData: keepPreviousData,
    queryFn: () => api.get<OrgLeaderboard>('/points/leaderboard/orgs', query),
  });
  const active = kind === 'members' ? members : orgs;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }} data-testid="leaderboard">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.leaderboard')}</Typography.Title>
      <Segmented block value={kind} onChange={(v) => set({ kind: v })}
        options={[{ value: 'members', label: t('leaderboard.members') }, { value: 'orgs', label: t('leaderboard.orgs') }]} />
      <Segmented<Period> block value={period} onChange={(v) => set({ period: v })}
        options={(['week', 'month', 'year'] as const).map((p) => ({ value: p, label: t(`leaderboard.period.${p}`) }))} />
      {audiences.has('admin') && (
        <Space wrap>
          <Typography.Text type="secondary">{t('leaderboard.scope')}</Typography.Text>
          <OrgTreeSelect value={orgId} onChange={(v) => { setOrgId(v); setPage(1); }} style={{ width: 260 }} />
        </Space>
      )}
      {active.data && <Typography.Text type="secondary">{t('leaderboard.range', { from: active.data.from, to: active.data.to })}</Typography.Text>}
      <QueryState isLoading={active.isLoading} error={active.error} retry={() => void active.refetch()}>
        {kind === 'members' && members.data && (
          <>
            {members.data.me !== null || audiences.has('member') ? (
              <Card size="small" data-testid="leaderboard-me">
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  <Typography.Text strong>{t('leaderboard.me')}</Typography.Text>
                  {!members.data.me ? <Typography.Text type="secondary">{t('leaderboard.not_ranked')}</Typography.Text>
                    // without points in the period there is no rank: not last place among the zeros
                    : members.data.me.rank === null ? <Typography.Text type="secondary" data-testid="leaderboard-me-rank">{t('leaderboard.no_rank')}</Typography.Text>
                      : <Typography.Text data-testid="leaderboard-me-rank">{t('leaderboard.rank')} <strong>{members.data.me.rank}</strong> · {members.data.me.points}</Typography.Text>}
                </Space>
              </Card>
            ) : null}
            <Card size="small">
              {members.data.items.length === 0 ? <Empty description={t(`leaderboard.none.${period}`)} data-testid="leaderboard-empty" /> : (
                <List dataSource={members.data.items} data-testid="leaderboard-list" renderItem={(r) => (
                  <List.Item extra={<Typography.Text strong style={{ fontSize: 16 }}>{r.points}</Typography.Text>}
                    style={r.memberId === members.data.me?.memberId ? { background: '#fff7e6' } : undefined}>
                    <List.Item.Meta avatar={<RankBadge rank={r.rank} />} title={r.memberName} description={r.orgName} />
                  </List.Item>
                )} />
              )}
            </Card>
          </>
        )}
        {kind === 'orgs' && orgs.data && (
          <Card size="small">
            {orgs.data.items.length === 0 ? <Empty description={t(`leaderboard.none.${period}`)} data-testid="leaderboard-empty" /> : (
              <List dataSource={orgs.data.items} data-testid="leaderboard-list" renderItem={(r) => (
                <List.Item extra={<Space orientation="vertical" size={0} align="end">
                  <Typography.Text strong style={{ fontSize: 16 }}>{t('leaderboard.average', { n: r.averagePoints })}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('leaderboard.total_points', { n: r.totalPoints })}</Typography.Text>
                </Space>}>
                  <List.Item.Meta avatar={<RankBadge rank={r.rank} />} title={r.orgName} description={t('leaderboard.member_count', { n: r.memberCount })} />
                </List.Item>
              )} />
            )}
          </Card>
        )}
        {(active.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple align="center" current={page} pageSize={PAGE_SIZE} total={active.data?.total ?? 0} onChange={setPage} />
        )}
      </QueryState>
    </Space>
  );
}
