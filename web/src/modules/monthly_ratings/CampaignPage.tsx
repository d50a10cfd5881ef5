import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Form, Grid, Input, Space, Table, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { MonthlyRatingCampaign, MonthlyRatingRound, MonthlyRatingRoundDetail, MonthlyRatingRoundPage } from '../../../../contracts/monthly_ratings.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { PhaseTag } from './PhaseTag.js';

/** A campaign's settings and its months, newest first; those who run it create a month from the settings. */
export default function CampaignPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { id = '' } = useParams();
  const [page, setPage] = useState(1);
  const campaign = useQuery({ queryKey: ['monthly-ratings', 'campaign', id], queryFn: () => api.get<MonthlyRatingCampaign>(`/monthly-ratings/campaigns/${id}`) });
  const rounds = useQuery({
    queryKey: ['monthly-ratings', 'rounds', id, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<MonthlyRatingRoundPage>(`/monthly-ratings/campaigns/${id}/rounds`, { page, pageSize: 12 }),
  });
  const c = campaign.data;
  return (
    <QueryState isLoading={campaign.isLoading} error={campaign.error}>
      {c && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }} data-testid="mr-title">{c.name}</Typography.Title>}
            extra={<Link to="/monthly-ratings"><Button icon={<ArrowLeftOutlined />} aria-label={t('mr.back')} /></Link>}
            styles={{ body: { padding: screens.md ? 24 : 12 } }}
          >
            <Descriptions size="small" column={screens.md ? 2 : 1} items={[
              { key: 'org', label: t('mr.org'), children: c.orgName },
              { key: 'places', label: t('mr.places'), children: c.places },
              { key: 'votes', label: t('mr.votes_per_member'), children: c.votesPerMember },
              { key: 'tie', label: t('mr.tie_break'), children: t(`mr.tie_break.${c.tieBreak}`) },
              { key: 'nom', label: t('mr.nomination_days'), children: `${c.nominationFromDay}–${c.nominationToDay}` },
              { key: 'vote', label: t('mr.voting_days'), children: `${c.votingFromDay}–${c.votingToDay}` },
            ]} />
          </Card>
          {c.canManage && <CreateRound campaignId={id} />}
          <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('mr.rounds')}</h2>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
            <Table<MonthlyRatingRound>
              rowKey="id" size="small" loading={rounds.isFetching} dataSource={rounds.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="mr-rounds"
              pagination={{ current: page, pageSize: 12, total: rounds.data?.total ?? 0, onChange: setPage }}
              columns={[
                { title: t('mr.month'), dataIndex: 'month', render: (m: string, r) => <Link to={`/monthly-ratings/rounds/${r.id}`}>{m}</Link> },
                { title: t('mr.phase'), dataIndex: 'phase', render: (p: MonthlyRatingRound['phase']) => <PhaseTag phase={p} /> },
                { title: t('mr.nominees'), dataIndex: 'nominees', width: 80 },
                { title: t('mr.pending'), dataIndex: 'pending', width: 80, responsive: ['sm'] },
                { title: t('mr.voting_window'), key: 'voting', responsive: ['md'], render: (_: unknown, r) => `${formatTime(r.votingOpensAt)} ~ ${formatTime(r.votingClosesAt)}` },
              ]}
            />
          </Card>
        </Space>
      )}
    </QueryState>
  );
}

function CreateRound({ campaignId }: { campaignId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ month: string }>();
  const { saving, run } = useFormSubmit(form);
  const save = (values: { month: string }) => run(async () => {
    await api.post<MonthlyRatingRoundDetail>(`/monthly-ratings/campaigns/${campaignId}/rounds`, values);
    void queryClient.invalidateQueries({ queryKey: ['monthly-ratings'] });
    form.resetFields();
    void message.success(t('mr.create_round'));
  });
  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('mr.create_round')}</h2>}>
      <Form form={form} layout="inline" onFinish={(v) => void save(v)}>
        <Form.Item name="month" label={t('mr.month')} rules={[{ required: true, message: t('mr.required') }]} extra={t('mr.create_round_hint')}>
          <Input placeholder="2026-12" maxLength={7} style={{ width: 120 }} />
        </Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" loading={saving}>{t('mr.create_round')}</Button></Form.Item>
      </Form>
    </Card>
  );
}
