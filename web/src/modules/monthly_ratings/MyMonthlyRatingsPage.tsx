import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, List, Modal, Pagination, Select, Space, Typography } from 'antd';
import { CheckOutlined, LikeOutlined } from '@ant-design/icons';
import type { MyMonthlyRatings, MyNominee, MyRound, NominationInput, PeerPage, PublishedListPage, VoteResult } from '../../../../contracts/monthly_ratings.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { formatTime } from '../../platform/format.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { PhaseTag } from './PhaseTag.js';
import { PublishedStars } from './RoundPage.js';

/** 美丽党员 on a phone: this month's nominees with a vote button each, the votes left, and the lists published month by month. */
export default function MyMonthlyRatingsPage() {
  const t = useT();
  const mine = useQuery({ queryKey: ['monthly-ratings', 'mine'], queryFn: () => api.get<MyMonthlyRatings>('/me/monthly-ratings') });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-monthly-ratings">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('my_mr.title')}</Typography.Title>
      <QueryState isLoading={mine.isLoading} error={mine.error}>
        {mine.data && mine.data.rounds.length === 0 && <Empty description={t('my_mr.none')} />}
        {mine.data?.rounds.map((r) => <RoundCard key={r.roundId} round={r} />)}
      </QueryState>
      <Lists />
    </Space>
  );
}

function RoundCard({ round }: { round: MyRound }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [refusal, setRefusal] = useState<string | null>(null);
  const [voting, setVoting] = useState<string | null>(null);
  const [recommending, setRecommending] = useState(false);
  const vote = async (n: MyNominee) => {
    setVoting(n.id);
    setRefusal(null);
    try {
      const result = await api.post<VoteResult>(`/me/monthly-ratings/rounds/${round.roundId}/votes`, { nominationId: n.id });
      queryClient.setQueryData<MyMonthlyRatings>(['monthly-ratings', 'mine'], (old) => old && {
        rounds: old.rounds.map((x) => (x.roundId !== round.roundId ? x : {
          ...x, remainingVotes: result.remainingVotes, nominees: x.nominees.map((y) => (y.id === n.id ? { ...y, votedByMe: true } : y)),
        })),
      });
      void message.success(t('my_mr.vote_done'));
    } catch (error) {
      setRefusal(errorMessage(error, t('app.error')));
    } finally {
      setVoting(null);
    }
  };
  const isVoting = round.phase === 'voting';
  return (
    <Card size="small" data-testid={`mr-round-${round.roundId}`}
      title={<h2 style={{ fontSize: 16, margin: 0, whiteSpace: 'normal' }}>{round.campaignName} · {round.month}</h2>}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space wrap size={[8, 4]}>
          <PhaseTag phase={round.phase} />
          <Typography.Text type="secondary">{round.orgName}</Typography.Text>
        </Space>
        <Typography.Text type="secondary">
          {isVoting ? t('my_mr.voting_until', { time: formatTime(round.votingClosesAt) }) : t('my_mr.voting_from', { time: formatTime(round.votingOpensAt) })}
        </Typography.Text>
        {isVoting && (
          <Typography.Text strong data-testid="mr-remaining" aria-live="polite">{t('my_mr.remaining', { n: round.remainingVotes, max: round.votesPerMember })}</Typography.Text>
        )}
        {refusal && <Alert type="error" showIcon message={refusal} data-testid="mr-refusal" role="alert" />}
        {round.canRecommend && <Button icon={<LikeOutlined />} onClick={() => setRecommending(true)} style={{ alignSelf: 'flex-start' }}>{t('my_mr.recommend')}</Button>}
        {round.nominees.length === 0 ? <Typography.Text type="secondary">{t('my_mr.no_nominees')}</Typography.Text> : (
          <List<MyNominee> dataSource={round.nominees} split={false} data-testid="mr-nominees" renderItem={(n) => (
            <CardItem>
              <Card size="small" style={{ marginBottom: 8 }}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space wrap size={[8, 4]}>
                    <Typography.Text strong>{n.name}</Typography.Text>
                    <Typography.Text type="secondary">{n.orgName}</Typography.Text>
                  </Space>
                  <Typography.Paragraph style={{ margin: 0 }}>{n.reasons}</Typography.Paragraph>
                  {isVoting && (n.votedByMe
                    ? <Button icon={<CheckOutlined />} disabled style={{ alignSelf: 'flex-start' }}>{t('my_mr.voted')}</Button>
                    : <Button type="primary" autoInsertSpace={false} loading={voting === n.id} onClick={() => void vote(n)} style={{ alignSelf: 'flex-start' }}
                        aria-label={t('my_mr.vote_for', { name: n.name })} data-testid="mr-vote">{t('my_mr.vote')}</Button>)}
                </Space>
              </Card>
            </CardItem>
          )} />
        )}
      </Space>
      {recommending && <Recommend roundId={round.roundId} onClose={() => setRecommending(false)} />}
    </Card>
  );
}

function Recommend({ roundId, onClose }: { roundId: string; onClose: () => void }) {
  const t = useT();
  const { me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<NominationInput>();
  const { saving, run } = useFormSubmit(form);
  const self = me?.user.memberId ?? '';
  const peers = useQuery({ queryKey: ['monthly-ratings', 'peers', roundId], queryFn: () => api.get<PeerPage>(`/me/monthly-ratings/rounds/${roundId}/peers`, { pageSize: 200 }) });
  const save = (values: NominationInput) => run(async () => {
    await api.post(`/me/monthly-ratings/rounds/${roundId}/recommendations`, values);
    void message.success(t('my_mr.recommended'));
    onClose();
  });
  const options = [{ value: self, label: t('my_mr.myself') }, ...(peers.data?.items ?? []).filter((p) => p.memberId !== self).map((p) => ({ value: p.memberId, label: p.name }))];
  return (
    <Modal open title={t('my_mr.recommend')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}>
      <Form form={form} layout="vertical" initialValues={{ memberId: self }} onFinish={(v) => void save(v)}>
        <Form.Item name="memberId" label={t('my_mr.recommend_who')} rules={[{ required: true, message: t('mr.required') }]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={options} />
        </Form.Item>
        <Form.Item name="reasons" label={t('mr.reasons')} rules={[{ required: true, message: t('mr.required') }]}>
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function Lists() {
  const t = useT();
  const [page, setPage] = useState(1);
  const lists = useQuery({
    queryKey: ['monthly-ratings', 'lists', page], placeholderData: keepPreviousData,
    queryFn: () => api.get<PublishedListPage>('/me/monthly-ratings/lists', { page, pageSize: 6 }),
  });
  return (
    <>
      <Typography.Title level={2} style={{ margin: '8px 0 0', fontSize: 16 }}>{t('my_mr.lists')}</Typography.Title>
      <QueryState isLoading={lists.isLoading} error={lists.error}>
        {lists.data && lists.data.items.length === 0 && <Empty description={t('my_mr.no_lists')} />}
        {lists.data?.items.map((l) => (
          <Card key={l.roundId} size="small" data-testid="mr-list"
            title={<h3 style={{ fontSize: 15, margin: 0, whiteSpace: 'normal' }}>{l.campaignName} · {l.month}</h3>}>
            <PublishedStars list={l} />
          </Card>
        ))}
        {(lists.data?.total ?? 0) > 6 && <Pagination simple current={page} pageSize={6} total={lists.data?.total ?? 0} onChange={setPage} />}
      </QueryState>
    </>
  );
}
