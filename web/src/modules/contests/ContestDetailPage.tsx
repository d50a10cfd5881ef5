import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Descriptions, Row, Space, Statistic, Table, Tabs, Tooltip, Typography } from 'antd';
import { DesktopOutlined, EditOutlined, LeftOutlined, StopOutlined } from '@ant-design/icons';
import type { Contest, ContestResults } from '../../../../contracts/contests.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { CancelContestDialog, EditContestDialog } from './ContestDialogs.js';
import { ContestStatusTag, rankCell, seconds } from './LiveBoard.js';

type Person = ContestResults['people'][number];
type OrgLine = ContestResults['orgs'][number];

/** One contest for its organizer: the setup, results by person and by org (refreshed while it runs), and the big-screen board. */
export default function ContestDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [dialog, setDialog] = useState<'edit' | 'cancel' | null>(null);
  const contest = useQuery({ queryKey: ['contests', id], queryFn: () => api.get<Contest>(`/contests/${id}`) });
  const isRunning = contest.data?.status === 'open';
  const results = useQuery({
    queryKey: ['contests', id, 'results'], queryFn: () => api.get<ContestResults>(`/contests/${id}/results`),
    enabled: !!contest.data?.isOrganizer, refetchInterval: isRunning ? 10_000 : false,
  });
  const c = contest.data;
  const r = results.data;
  const participants = r?.people.length ?? 0;
  const average = participants ? Math.round((r!.people.reduce((s, p) => s + p.score, 0) / participants) * 100) / 100 : null;

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="contest-detail">
      <Link to="/contests"><Button type="link" icon={<LeftOutlined />} style={{ paddingInline: 0 }}>{t('contest.back_to_list')}</Button></Link>
      <QueryState isLoading={contest.isLoading} error={contest.error} retry={() => void contest.refetch()}>
        {c && (
          <>
            <Card title={<Space wrap><span data-testid="contest-title">{c.title}</span><ContestStatusTag status={c.status} cancelledAt={c.cancelledAt} /></Space>}
              extra={(
                <Space wrap>
                  {c.isOrganizer && !c.cancelledAt && (
                    <Tooltip title={c.status === 'upcoming' ? undefined : t('contest.edit_only_upcoming')}>
                      <Button icon={<EditOutlined />} disabled={c.status !== 'upcoming'} onClick={() => setDialog('edit')} data-testid="contest-edit">{t('contest.edit')}</Button>
                    </Tooltip>
                  )}
                  {c.isOrganizer && !c.cancelledAt && c.status !== 'closed' && (
                    <Button danger icon={<StopOutlined />} onClick={() => setDialog('cancel')} data-testid="contest-cancel">{t('contest.cancel')}</Button>
                  )}
                  <Link to={`/contests/${c.id}/live`}><Button type="primary" icon={<DesktopOutlined />} data-testid="contest-live-link">{t('contest.open_live')}</Button></Link>
                </Space>
              )}>
              {c.cancelledAt && <Alert type="error" showIcon style={{ marginBottom: 12 }} message={t('contest.cancelled_notice', { reason: c.cancelReason ?? '' })} data-testid="contest-cancelled" />}
              <Descriptions size="small" column={{ xs: 1, md: 3 }}>
                <Descriptions.Item label={t('contest.window')}>{formatTime(c.startsAt)} – {formatTime(c.endsAt)}</Descriptions.Item>
                <Descriptions.Item label={t('contest.time_limit')}>{c.timeLimitSeconds}</Descriptions.Item>
                <Descriptions.Item label={t('contest.entries')}>{c.entryCount}</Descriptions.Item>
                <Descriptions.Item label={t('contest.entrant_orgs')}>{c.orgs.map((o) => o.orgName).join('、')}</Descriptions.Item>
              </Descriptions>
              <Typography.Text type="secondary">{t('contest.tie_rule')}</Typography.Text>
            </Card>
            {dialog === 'edit' && <EditContestDialog contest={c} onClose={() => setDialog(null)} />}
            {dialog === 'cancel' && <CancelContestDialog contest={c} onClose={() => setDialog(null)} />}
            {c.isOrganizer && (
              <QueryState isLoading={results.isLoading} error={results.error} retry={() => void results.refetch()}>
                {r && (
                  <Card title={t('contest.results')} data-testid="contest-results">
                    <Row gutter={16} style={{ marginBottom: 16 }}>
                      <Col xs={12} md={6}><Statistic title={t('contest.participants')} value={participants} /></Col>
                      <Col xs={12} md={6}><Statistic title={t('contest.average_score')} value={average ?? '—'} /></Col>
                      <Col xs={12} md={6}><Statistic title={t('contest.top_score')} value={r.people[0]?.score ?? '—'} /></Col>
                    </Row>
                    <Tabs items={[
                      { key: 'people', label: t('contest.by_person'), children: <PeopleTable people={r.people} /> },
                      { key: 'orgs', label: t('contest.by_org'), children: <OrgTable orgs={r.orgs} /> },
                    ]} />
                  </Card>
                )}
              </QueryState>
            )}
          </>
        )}
      </QueryState>
    </Space>
  );
}

function PeopleTable({ people }: { people: Person[] }) {
  const t = useT();
  return (
    <Table<Person> rowKey="memberId" size="small" dataSource={people} scroll={{ x: 'max-content' }} locale={{ emptyText: t('contest.no_entries') }}
      pagination={{ pageSize: 50, showTotal: (total) => t('common.total', { total }) }}
      columns={[
        { title: t('contest.rank'), dataIndex: 'rank', render: rankCell },
        { title: t('contest.member'), dataIndex: 'memberName' },
        { title: t('contest.member_org'), dataIndex: 'orgName' },
        { title: t('contest.score'), dataIndex: 'score' },
        { title: t('contest.duration'), dataIndex: 'durationMs', render: (v: number) => t('contest.duration_value', { s: seconds(v) }) },
      ]} />
  );
}

function OrgTable({ orgs }: { orgs: OrgLine[] }) {
  const t = useT();
  return (
    <Table<OrgLine> rowKey="orgId" size="small" dataSource={orgs} pagination={false} scroll={{ x: 'max-content' }} locale={{ emptyText: t('contest.no_entries') }}
      data-testid="contest-org-results"
      columns={[
        { title: t('contest.member_org'), dataIndex: 'orgName' },
        { title: t('contest.participants'), dataIndex: 'participants', sorter: (a, b) => a.participants - b.participants },
        { title: t('contest.average_score'), dataIndex: 'averageScore', sorter: (a, b) => a.averageScore - b.averageScore },
        { title: t('contest.top_score'), dataIndex: 'topScore' },
      ]} />
  );
}
