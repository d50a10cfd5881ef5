import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Space, Statistic, Table } from 'antd';
import type { ReportStats } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const rate = (reported: number, members: number) => (members ? `${((reported / members) * 100).toFixed(1)}%` : '—');

/** 双报到 counts of a subtree: party members and how many reported, per direct child org and per community. */
export default function ReportStatsPage() {
  const t = useT();
  const [orgId, setOrgId] = useState<string>();
  // before a choice: the viewer's own org
  const own = useOwnOrg();
  const effectiveOrgId = orgId ?? own.orgId;
  const stats = useQuery({
    queryKey: ['communities', 'report-stats', effectiveOrgId],
    queryFn: () => api.get<ReportStats>('/communities/report-stats', { orgId: effectiveOrgId }),
    enabled: !!effectiveOrgId,
  });
  const s = stats.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="community-stats">
      <Card title={t('community.stats_title')}>
        <OrgTreeSelect value={effectiveOrgId} onChange={setOrgId} allowClear={false} placeholder={t('community.pick_org')} style={{ width: 280 }} />
      </Card>
      <QueryState isLoading={stats.isLoading || own.isLoading} error={stats.error} retry={() => void stats.refetch()}>
        {s && (
          <>
            <Row gutter={[16, 16]}>
              <Col xs={8}><Card><Statistic title={t('community.stats_members')} value={s.members} /></Card></Col>
              <Col xs={8}><Card><Statistic title={t('community.stats_reported')} value={s.reported} /></Card></Col>
              <Col xs={8}><Card><Statistic title={t('community.stats_rate')} value={rate(s.reported, s.members)} /></Card></Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('community.stats_by_org')}>
                  <Table rowKey="orgId" size="small" dataSource={s.byChildOrg} pagination={false} scroll={{ x: 'max-content' }} data-testid="stats-by-org"
                    columns={[
                      { title: t('co_building.org'), dataIndex: 'orgName' },
                      { title: t('community.stats_members'), dataIndex: 'members', align: 'right' },
                      { title: t('community.stats_reported'), dataIndex: 'reported', align: 'right' },
                      { title: t('community.stats_rate'), key: 'rate', align: 'right', render: (_: unknown, r) => rate(r.reported, r.members) },
                    ]} />
                </Card>
              </Col>
              <Col xs={24} lg={12}>
                <Card size="small" title={t('community.stats_by_community')}>
                  <Table rowKey="communityId" size="small" dataSource={s.byCommunity} pagination={false} scroll={{ x: 'max-content' }} data-testid="stats-by-community"
                    locale={{ emptyText: t('community.no_members') }}
                    columns={[
                      { title: t('community.name'), dataIndex: 'communityName', render: (name: string, r) => <Link to={`/service/communities/${r.communityId}`}>{name}</Link> },
                      { title: t('community.street'), dataIndex: 'street' },
                      { title: t('community.stats_reported'), dataIndex: 'reported', align: 'right' },
                    ]} />
                </Card>
              </Col>
            </Row>
          </>
        )}
      </QueryState>
    </Space>
  );
}
