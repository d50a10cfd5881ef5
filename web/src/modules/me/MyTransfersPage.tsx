import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Space, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import type { TransferPage } from '../../../../contracts/transfers.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useSession } from '../../platform/session.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { TransferStatusTag } from '../transfers/TransferStatusTag.js';

/** 我的转接: the member's own transfers, newest first, as cards that read well on a phone. */
export default function MyTransfersPage() {
  const t = useT();
  const { me } = useSession();
  const memberId = me?.user.memberId ?? undefined;
  const list = useQuery({
    queryKey: ['transfers', 'mine', memberId],
    queryFn: () => api.get<TransferPage>('/transfers', { box: 'all', memberId, pageSize: 50 }),
    enabled: memberId !== undefined,
  });
  return (
    <Card title={t('transfer.mine')} style={{ maxWidth: 760 }} styles={{ body: { padding: 12 } }}>
      <QueryState isLoading={list.isLoading} error={list.error}>
        {list.data?.items.length ? (
          <List
            dataSource={list.data.items}
            data-testid="my-transfers"
            renderItem={(x) => (
              <List.Item>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap size={6}>
                    <Typography.Text>{x.fromOrgName}</Typography.Text>
                    <ArrowRightOutlined />
                    <Typography.Text strong>{x.toOrgName}</Typography.Text>
                    <TransferStatusTag status={x.status} />
                  </Space>
                  <Typography.Text type="secondary">{t('transfer.reason')}：{x.reason}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('transfer.issued_at')} {formatTime(x.issuedAt)}{x.decidedAt ? ` · ${t('transfer.decided_at')} ${formatTime(x.decidedAt)}` : ''}
                  </Typography.Text>
                  {x.decisionNote && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.decisionNote}</Typography.Text>}
                </Space>
              </List.Item>
            )}
          />
        ) : <Empty description={t('transfer.none')} />}
      </QueryState>
    </Card>
  );
}
