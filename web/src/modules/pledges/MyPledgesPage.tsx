import { Link, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import type { PeriodPage, PledgePage } from '../../../../contracts/pledges.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { PhaseTag, PledgeStatusTag } from './PledgeTags.js';

/** 我的承诺, on a phone: the periods open for a pledge, then the member's pledges, each opening to progress and rating. */
export default function MyPledgesPage() {
  const t = useT();
  const navigate = useNavigate();
  const periods = useQuery({ queryKey: ['pledges', 'periods', 'mine'], queryFn: () => api.get<PeriodPage>('/pledges/periods', { pageSize: 50 }) });
  const mine = useQuery({ queryKey: ['pledges', 'list', 'mine'], queryFn: () => api.get<PledgePage>('/me/pledges', { pageSize: 50 }) });
  const pledged = new Set((mine.data?.items ?? []).map((p) => p.periodId));
  const open = (periods.data?.items ?? []).filter((p) => (p.phase === 'pledge' || p.phase === 'fulfil') && !pledged.has(p.id));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-pledges">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('pledge.title_mine')}</Typography.Title>
      {open.length > 0 && (
        <Card size="small" title={t('pledge.open_periods')}>
          <List size="small" dataSource={open} renderItem={(period) => (
            <List.Item actions={[<Button key="w" type="primary" icon={<EditOutlined />} onClick={() => void navigate(`/me/pledges/new/${period.id}`)}>{t('pledge.write')}</Button>]}>
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{period.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{period.orgName} · {period.pledgeFrom} ~ {period.reviewUntil}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        </Card>
      )}
      <QueryState isLoading={mine.isLoading} error={mine.error} retry={() => void mine.refetch()}>
        {(mine.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('pledge.none')} /></Card> : (mine.data?.items ?? []).map((p) => (
          <Card key={p.id} size="small" title={<Link to={`/me/pledges/${p.id}`}>{p.periodName}</Link>} extra={<PledgeStatusTag status={p.status} />}>
            <Space wrap size={[6, 4]}><PhaseTag phase={p.phase} /><Typography.Text type="secondary">{t('pledge.progress')} {p.progressCount}</Typography.Text></Space>
            <ul style={{ paddingLeft: 18, margin: '8px 0 0' }}>
              {p.items.map((item) => <li key={item.id} style={{ overflowWrap: 'anywhere' }}>{item.content}</li>)}
            </ul>
          </Card>
        ))}
      </QueryState>
    </Space>
  );
}
