import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, List, Pagination, Row, Space, Statistic, Tag, Typography } from 'antd';
import { TrophyOutlined } from '@ant-design/icons';
import type { LedgerPage, MyPoints } from '../../../../contracts/points.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ruleName } from './ruleName.js';

const PAGE_SIZE = 20;

/** 我的积分: totals by period, what they came from, and every ledger line (reversals shown as such). */
export default function MyPointsPage() {
  const t = useT();
  const [page, setPage] = useState(1);
  const mine = useQuery({ queryKey: ['points', 'me'], queryFn: () => api.get<MyPoints>('/points/me') });
  const ledger = useQuery({
    queryKey: ['points', 'ledger', 'me', page],
    queryFn: () => api.get<LedgerPage>('/points/ledger', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const p = mine.data;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-points">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_points')}</Typography.Title>
        <Link to="/leaderboard"><TrophyOutlined /> {t('menu.leaderboard')}</Link>
      </Space>
      <QueryState isLoading={mine.isLoading} error={mine.error} retry={() => void mine.refetch()}>
        {p && (
          <Card>
            <Statistic title={t('points.total')} value={p.total} valueStyle={{ color: '#c0161b', fontSize: 32 }} data-testid="points-total" />
            <Row gutter={8} style={{ marginTop: 12 }}>
              <Col span={6}><Statistic title={t('points.today')} value={p.today} data-testid="points-today" /></Col>
              <Col span={6}><Statistic title={t('points.week')} value={p.thisWeek} /></Col>
              <Col span={6}><Statistic title={t('points.month')} value={p.thisMonth} /></Col>
              <Col span={6}><Statistic title={t('points.year')} value={p.thisYear} /></Col>
            </Row>
            {p.byRule.length > 0 && (
              <Space wrap style={{ marginTop: 12 }}>
                <Typography.Text type="secondary">{t('points.by_rule')}：</Typography.Text>
                {p.byRule.map((r) => <Tag key={r.rule}>{ruleName(r.rule, t)} {r.points}</Tag>)}
              </Space>
            )}
          </Card>
        )}
      </QueryState>
      <Card title={t('points.ledger')} size="small" styles={{ body: { paddingTop: 0 } }}>
        <QueryState isLoading={ledger.isLoading} error={ledger.error} retry={() => void ledger.refetch()}>
          {ledger.data && ledger.data.items.length === 0 ? <Empty description={t('points.none')} /> : (
            <List
              dataSource={ledger.data?.items ?? []}
              data-testid="points-ledger"
              renderItem={(e) => (
                <List.Item extra={<Typography.Text strong style={{ color: e.points >= 0 ? '#c0161b' : undefined, fontSize: 16 }}>{e.points > 0 ? `+${e.points}` : e.points}</Typography.Text>}>
                  <List.Item.Meta
                    title={<Space size={4} wrap>{ruleName(e.rule, t)}{e.reversesId && <Tag color="orange">{t('points.reversal')}</Tag>}{e.reversedById && <Tag>{t('points.reversed')}</Tag>}</Space>}
                    description={<>{formatTime(e.createdAt)}{e.reason ? ` · ${e.reason}` : ''}</>}
                  />
                </List.Item>
              )}
            />
          )}
          {(ledger.data?.total ?? 0) > PAGE_SIZE && (
            <Pagination simple align="center" current={page} pageSize={PAGE_SIZE} total={ledger.data?.total ?? 0} onChange={setPage} style={{ marginTop: 12 }} />
          )}
        </QueryState>
      </Card>
    </Space>
  );
}
