import { useEffect, useRef } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Space, Typography } from 'antd';
import { FullscreenOutlined, LeftOutlined } from '@ant-design/icons';
import type { Contest } from '../../../../contracts/contests.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { BoardTable, StreamStateTag, clock, useLiveBoard, useNow } from './LiveBoard.js';

/**
 * The big screen in the hall during a contest: the top of the board in large type, updated by
 * server-sent events the moment someone submits (new lines light up), the count of entries and the
 * time left. "Full screen" puts just the board on the projector.
 */
export default function ContestLivePage() {
  const t = useT();
  const { id = '' } = useParams();
  const screen = useRef<HTMLDivElement>(null);
  const contest = useQuery({ queryKey: ['contests', id], queryFn: () => api.get<Contest>(`/contests/${id}`) });
  const { board, state } = useLiveBoard(id, 30);
  const now = useNow(1000);
  const c = contest.data;
  const status = board?.status ?? c?.status;
  const cancelledAt = board?.cancelledAt ?? c?.cancelledAt;
  // cancelled while on screen: the board says so; the contest (with the reason) is fetched again
  const { refetch } = contest;
  const isStale = !!board?.cancelledAt && !!c && !c.cancelledAt;
  useEffect(() => { if (isStale) void refetch(); }, [isStale, refetch]);
  const countdown = !c ? '' : cancelledAt ? t('contest.cancelled_notice', { reason: c.cancelReason ?? '' }) : status === 'upcoming' ? t('contest.starts_in', { time: clock(Date.parse(c.startsAt) - now) })
    : status === 'open' ? t('contest.ends_in', { time: clock(Date.parse(c.endsAt) - now) }) : t('contest.ended');

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Link to={c?.isOrganizer ? `/contests/${id}` : '/contests'}><Button type="link" icon={<LeftOutlined />} style={{ paddingInline: 0 }}>{t('contest.back_to_list')}</Button></Link>
        <Button icon={<FullscreenOutlined />} onClick={() => void screen.current?.requestFullscreen().catch(() => undefined)}>{t('contest.fullscreen')}</Button>
      </Space>
      <QueryState isLoading={contest.isLoading} error={contest.error} retry={() => void contest.refetch()}>
        {c && (
          <div ref={screen} data-testid="contest-live"
            style={{ background: 'linear-gradient(180deg, #a8071a 0%, #c0161b 40%, #fff 40%)', padding: 'clamp(12px, 3vw, 40px)', borderRadius: 8, minHeight: '80vh', overflow: 'auto' }}>
            <Space orientation="vertical" size={4} style={{ width: '100%', textAlign: 'center', marginBottom: 24 }}>
              <Typography.Title level={1} style={{ color: '#fff', margin: 0, fontSize: 'clamp(24px, 4vw, 48px)' }}>{c.title}</Typography.Title>
              <Space size={24} wrap style={{ justifyContent: 'center', color: '#ffe7ba', fontSize: 'clamp(16px, 2vw, 26px)' }}>
                <span data-testid="live-countdown">{countdown}</span>
                <span data-testid="live-entry-count">{t('contest.entry_count', { n: board?.entryCount ?? c.entryCount })}</span>
                <StreamStateTag state={state} />
              </Space>
            </Space>
            <div style={{ background: '#fff', borderRadius: 8, boxShadow: '0 8px 24px rgba(0,0,0,0.15)' }}>
              <BoardTable board={board} big />
            </div>
            <Typography.Paragraph type="secondary" style={{ textAlign: 'center', marginTop: 16, marginBottom: 0 }}>{t('contest.tie_rule')}</Typography.Paragraph>
          </div>
        )}
      </QueryState>
    </Space>
  );
}
