import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Grid, Input, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, StarFilled } from '@ant-design/icons';
import type { MonthlyRatingRoundDetail, Nomination, NominationInput, NominationPage, PublishedList } from '../../../../contracts/monthly_ratings.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { MemberPicker } from '../communities/MemberPicker.js';
import { PhaseTag } from './PhaseTag.js';

/** A month: nominations (and reviews), the live tally for those who run the campaign, a tie decision, and the 通报. */
export default function RoundPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const round = useQuery({ queryKey: ['monthly-ratings', 'round', id], queryFn: () => api.get<MonthlyRatingRoundDetail>(`/monthly-ratings/rounds/${id}`) });
  const r = round.data;
  const publish = async () => {
    setBusy(true);
    try {
      queryClient.setQueryData(['monthly-ratings', 'round', id], await api.post<MonthlyRatingRoundDetail>(`/monthly-ratings/rounds/${id}/publish`, {}));
      void queryClient.invalidateQueries({ queryKey: ['monthly-ratings'] });
      void message.success(t('mr.published'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  };
  const canNominate = r && ['upcoming', 'nominating', 'between'].includes(r.phase);
  return (
    <QueryState isLoading={round.isLoading} error={round.error}>
      {r && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }}>{r.campaign.name} · {r.month}</Typography.Title>}
            extra={<Link to={`/monthly-ratings/campaigns/${r.campaignId}`}><Button icon={<ArrowLeftOutlined />} aria-label={t('mr.back')} /></Link>}
            styles={{ body: { padding: screens.md ? 24 : 12 } }}
          >
            <Descriptions size="small" column={screens.md ? 2 : 1} items={[
              { key: 'phase', label: t('mr.phase'), children: <span data-testid="mr-phase"><PhaseTag phase={r.phase} /></span> },
              { key: 'nominees', label: t('mr.nominees'), children: r.nominees },
              { key: 'nom', label: t('mr.nomination_window'), children: `${formatTime(r.nominationOpensAt)} ~ ${formatTime(r.nominationClosesAt)}` },
              { key: 'vote', label: t('mr.voting_window'), children: `${formatTime(r.votingOpensAt)} ~ ${formatTime(r.votingClosesAt)}` },
              ...(r.votesCast === null ? [] : [{ key: 'cast', label: t('mr.votes_cast'), children: r.votesCast }]),
            ]} />
            {r.campaign.canManage && r.phase !== 'published' && (
              <Space wrap style={{ marginTop: 12 }}>
                <Popconfirm title={t('mr.publish_confirm')} disabled={r.phase !== 'closed'} onConfirm={() => void publish()}>
                  <Button type="primary" disabled={r.phase !== 'closed'} loading={busy} data-testid="mr-publish">{t('mr.publish')}</Button>
                </Popconfirm>
              </Space>
            )}
          </Card>
          {r.campaign.canManage && r.phase !== 'published' && <Alert type="info" showIcon message={t('mr.live_hint')} />}
          {r.tieUndecided && <TieOrder round={r} />}
          {canNominate && <Nominate roundId={id} />}
          <Nominations round={r} />
          {r.phase === 'published' && <ListCard roundId={id} />}
        </Space>
      )}
    </QueryState>
  );
}

function Nominate({ roundId }: { roundId: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<NominationInput>();
  const { saving, run } = useFormSubmit(form);
  const save = (values: NominationInput) => run(async () => {
    await api.post<Nomination>(`/monthly-ratings/rounds/${roundId}/nominations`, values);
    void queryClient.invalidateQueries({ queryKey: ['monthly-ratings'] });
    form.resetFields();
    void message.success(t('mr.nominated'));
  });
  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('mr.nominate')}</h2>}>
      <Form form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Form.Item name="memberId" label={t('mr.member')} rules={[{ required: true, message: t('mr.required') }]}>
          <MemberPicker id="mr-member" placeholder={t('mr.pick_member')} style={{ width: '100%' }} testId="mr-member" />
        </Form.Item>
        <Form.Item name="reasons" label={t('mr.reasons')} rules={[{ required: true, message: t('mr.required') }]}>
          <Input.TextArea rows={3} maxLength={2000} showCount />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>{t('mr.nominate')}</Button>
      </Form>
    </Card>
  );
}

function Nominations({ round }: { round: MonthlyRatingRoundDetail }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['monthly-ratings', 'nominations', round.id, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<NominationPage>(`/monthly-ratings/rounds/${round.id}/nominations`, { page, pageSize: 50 }),
  });
  const review = async (n: Nomination, decision: 'approve' | 'reject') => {
    try {
      await api.post(`/monthly-ratings/nominations/${n.id}/review`, { decision });
      void queryClient.invalidateQueries({ queryKey: ['monthly-ratings'] });
      void message.success(t('mr.reviewed'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const reviewable = ['upcoming', 'nominating', 'between'].includes(round.phase);
  return (
    <Card title={<h2 style={{ fontSize: 16, margin: 0 }}>{t('mr.nominees')}</h2>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <Table<Nomination>
        rowKey="id" size="small" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="mr-tally"
        pagination={{ current: page, pageSize: 50, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          ...(round.phase === 'published' ? [{ title: t('mr.place'), dataIndex: 'place', width: 60, render: (p: number | null, n: Nomination) => <>{p ?? '—'}{n.isStarred && <StarFilled style={{ color: '#d4380d', marginLeft: 4 }} aria-label={t('mr.star')} />}</> }] : []),
          { title: t('mr.member'), dataIndex: 'name' },
          { title: t('mr.org'), dataIndex: 'orgName', responsive: ['sm'] },
          { title: t('mr.votes'), dataIndex: 'votes', width: 70, render: (v: number | null) => (v === null ? <Typography.Text type="secondary">{t('mr.votes_hidden')}</Typography.Text> : v) },
          { title: t('mr.status'), dataIndex: 'status', render: (s: Nomination['status'], n) => (
            <Space size={4} wrap>
              <Tag color={s === 'approved' ? 'green' : s === 'pending' ? 'gold' : undefined}>{t(`mr.status.${s}`)}</Tag>
              {n.source !== 'admin' && <Tag>{t(`mr.source.${n.source}`)}</Tag>}
              {s === 'pending' && reviewable && (
                <>
                  <Button size="small" type="primary" onClick={() => void review(n, 'approve')}>{t('mr.approve')}</Button>
                  <Button size="small" onClick={() => void review(n, 'reject')}>{t('mr.reject')}</Button>
                </>
              )}
            </Space>
          ) },
          { title: t('mr.reasons'), dataIndex: 'reasons', responsive: ['md'], render: (text: string) => <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0, maxWidth: 360 }}>{text}</Typography.Paragraph> },
        ]}
      />
    </Card>
  );
}

function TieOrder({ round }: { round: MonthlyRatingRoundDetail }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [order, setOrder] = useState<string[]>([]);
  const list = useQuery({ queryKey: ['monthly-ratings', 'nominations', round.id, 'tie'], queryFn: () => api.get<NominationPage>(`/monthly-ratings/rounds/${round.id}/nominations`, { status: 'approved', pageSize: 200 }) });
  const items = list.data?.items ?? [];
  const last = items[round.campaign.places - 1];
  const tied = items.filter((n) => last && n.votes === last.votes);
  const save = async () => {
    try {
      queryClient.setQueryData(['monthly-ratings', 'round', round.id], await api.put<MonthlyRatingRoundDetail>(`/monthly-ratings/rounds/${round.id}/tie-order`, { nominationIds: order }));
      void queryClient.invalidateQueries({ queryKey: ['monthly-ratings', 'nominations'] });
      void message.success(t('mr.tie_saved'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Card size="small">
      <Alert type="warning" showIcon message={t('mr.tie_undecided')} style={{ marginBottom: 12 }} />
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select mode="multiple" aria-label={t('mr.tie_order')} placeholder={t('mr.tie_order')} value={order} onChange={setOrder} style={{ width: '100%' }}
          options={tied.map((n) => ({ value: n.id, label: `${n.name}（${n.votes ?? 0}）` }))} />
        <Button type="primary" disabled={order.length < 2} onClick={() => void save()}>{t('mr.save_tie_order')}</Button>
      </Space>
    </Card>
  );
}

function ListCard({ roundId }: { roundId: string }) {
  const t = useT();
  const list = useQuery({ queryKey: ['monthly-ratings', 'list', roundId], queryFn: () => api.get<PublishedList>(`/monthly-ratings/rounds/${roundId}/list`) });
  return (
    <Card size="small" title={<h2 style={{ fontSize: 15, margin: 0 }}>{t('mr.list')}</h2>}>
      <PublishedStars list={list.data} />
    </Card>
  );
}

/** The 名单: place, name, org and 事迹 (no personal data). */
export function PublishedStars({ list }: { list: PublishedList | undefined }) {
  const t = useT();
  if (!list) return null;
  if (list.stars.length === 0) return <Typography.Text type="secondary">{t('mr.no_stars')}</Typography.Text>;
  return (
    <ol style={{ margin: 0, paddingInlineStart: 20 }}>
      {list.stars.map((s) => (
        <li key={s.nominationId} style={{ marginBottom: 8 }}>
          <Typography.Text strong>{s.name}</Typography.Text> <Typography.Text type="secondary">{s.orgName}</Typography.Text>
          <div><Typography.Text>{s.reasons}</Typography.Text></div>
        </li>
      ))}
    </ol>
  );
}
