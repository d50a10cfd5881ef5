import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Space, Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { Contest, ContestPageSchema } from '../../../../contracts/contests.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ContestStatusTag } from './LiveBoard.js';
import { CardItem } from '../../platform/CardItem.js';

type ContestPage = z.infer<typeof ContestPageSchema>;

/** 参加竞赛 on a phone: the contests open to me, running ones first, each with its one button. */
export default function MyContestsPage() {
  const t = useT();
  const list = useQuery({ queryKey: ['contests', 'mine'], queryFn: () => api.get<ContestPage>('/contests', { pageSize: 50 }), refetchInterval: 30_000 });
  const order = { open: 0, upcoming: 1, closed: 2 } as const;
  // an admin who is also a member sees here only the rounds they may enter (their own organizing is under 知识竞赛)
  const items = (list.data?.items ?? []).filter((c) => c.isEntrant).sort((a, b) => order[a.status] - order[b.status]);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-contests">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_contests')}</Typography.Title>
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {items.length === 0 ? <Card><Empty description={t('contest.none')} /></Card> : (
          <List dataSource={items} renderItem={(c) => <CardItem key={c.id}><ContestCard contest={c} /></CardItem>} />
        )}
      </QueryState>
    </Space>
  );
}

function ContestCard({ contest: c }: { contest: Contest }) {
  const t = useT();
  const navigate = useNavigate();
  const open = () => void navigate(`/me/contests/${c.id}`);
  let label: string = t('contest.view_board');
  let isPrimary = false;
  if (c.cancelledAt) label = c.myEntry?.status === 'submitted' ? t('contest.my_entry') : t('contest.view_board');
  else if (c.myEntry?.status === 'in_progress' && c.status === 'open') { label = t('contest.continue'); isPrimary = true; }
  else if (!c.myEntry && c.status === 'open') { label = t('contest.start'); isPrimary = true; }
  else if (c.myEntry?.status === 'submitted') label = t('contest.my_entry');
  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="my-contest-card">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <ContestStatusTag status={c.status} cancelledAt={c.cancelledAt} />
        <Typography.Text strong style={{ fontSize: 16 }}>{c.title}</Typography.Text>
        <Typography.Text>{formatTime(c.startsAt)} – {formatTime(c.endsAt)}</Typography.Text>
        <Space size={12} wrap>
          <Typography.Text type="secondary"><ClockCircleOutlined /> {t('contest.seconds', { n: c.timeLimitSeconds })}</Typography.Text>
          <Typography.Text type="secondary">{t('contest.entry_count', { n: c.entryCount })}</Typography.Text>
          {c.myEntry?.score != null && <Typography.Text strong>{t('contest.my_score')} {c.myEntry.score}{c.myEntry.rank ? ` · ${t('contest.my_rank')} ${c.myEntry.rank}` : ''}</Typography.Text>}
        </Space>
        <Button block size="large" type={isPrimary ? 'primary' : 'default'} onClick={open} data-testid="contest-open">{label}</Button>
      </Space>
    </Card>
  );
}
