import { useEffect, useRef, useState } from 'react';
import { Table, Tag, Typography } from 'antd';
import { TrophyFilled } from '@ant-design/icons';
import type { Contest, ContestLeaderboard } from '../../../../contracts/contests.js';
import { useT, type Translate } from '../../platform/locale.js';

type Line = ContestLeaderboard['items'][number];
export type StreamState = 'connecting' | 'live' | 'ended' | 'failed';

/**
 * The contest's leaderboard as the server pushes it (server-sent events): a new board arrives
 * whenever someone submits. The browser reconnects by itself after a dropped connection; the server
 * closes the stream when the contest ends (or is cancelled), and then so does the page (no reconnecting to a final board).
 */
export function useLiveBoard(contestId: string, limit = 50): { board: ContestLeaderboard | null; state: StreamState } {
  const [board, setBoard] = useState<ContestLeaderboard | null>(null);
  const [state, setState] = useState<StreamState>('connecting');
  useEffect(() => {
    const source = new EventSource(`/api/contests/${contestId}/leaderboard/stream?limit=${limit}`, { withCredentials: true });
    let isEnded = false;
    source.addEventListener('leaderboard', (event: MessageEvent<string>) => {
      const next = JSON.parse(event.data) as ContestLeaderboard;
      setBoard(next);
      if (next.status === 'closed' || next.cancelledAt) {
        isEnded = true;
        source.close();
        setState('ended');
      } else setState('live');
    });
    source.onerror = () => {
      if (isEnded) return;
      // CLOSED: refused (404, signed out), the browser will not retry; otherwise it is retrying
      setState(source.readyState === EventSource.CLOSED ? 'failed' : 'connecting');
    };
    return () => source.close();
  }, [contestId, limit]);
  return { board, state };
}

export const seconds = (ms: number) => (Math.round(ms / 100) / 10).toFixed(1);

export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const statusColor = { upcoming: 'blue', open: 'green', closed: 'default' } as const;

/** A cancelled contest shows as cancelled whatever its clock says. */
export function ContestStatusTag({ status, cancelledAt }: { status: Contest['status']; cancelledAt?: string | null }) {
  const t = useT();
  if (cancelledAt) return <Tag color="red" data-testid="contest-status">{t('contest.status.cancelled')}</Tag>;
  return <Tag color={statusColor[status]} data-testid="contest-status">{t(`contest.status.${status}`)}</Tag>;
}

export function StreamStateTag({ state }: { state: StreamState }) {
  const t = useT();
  const view: Record<StreamState, [string, string]> = {
    connecting: ['processing', t('contest.connecting')], live: ['success', t('contest.live')], ended: ['default', t('contest.status.closed')], failed: ['error', t('contest.stream_failed')],
  };
  return <Tag color={view[state][0]} data-testid="stream-state">{view[state][1]}</Tag>;
}

const medal = ['#d4a017', '#a0a0a0', '#b87333'];

export function rankCell(rank: number) {
  return rank <= 3 ? <span><TrophyFilled style={{ color: medal[rank - 1] }} /> {rank}</span> : rank;
}

/** Rows that were not on the previous board light up for a few seconds (the big screen's "just submitted"). */
function useFreshRows(items: Line[] | undefined): Set<string> {
  const seen = useRef<Set<string> | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  useEffect(() => {
    if (!items) return;
    const ids = new Set(items.map((l) => l.memberId));
    if (seen.current) {
      const added = new Set([...ids].filter((id) => !seen.current!.has(id)));
      if (added.size) {
        setFresh(added);
        const timer = setTimeout(() => setFresh(new Set()), 4000);
        seen.current = ids;
        return () => clearTimeout(timer);
      }
    }
    seen.current = ids;
    return undefined;
  }, [items]);
  return fresh;
}

function columns(t: Translate, big: boolean) {
  const size = big ? { fontSize: 22 } : undefined;
  return [
    { title: t('contest.rank'), dataIndex: 'rank', width: big ? 110 : 64, render: (r: number) => <span style={size}>{rankCell(r)}</span> },
    { title: t('contest.member'), dataIndex: 'memberName', render: (v: string) => <Typography.Text strong style={size} data-testid="board-name">{v}</Typography.Text> },
    { title: t('contest.member_org'), dataIndex: 'orgName', render: (v: string) => <span style={big ? { fontSize: 18 } : undefined}>{v}</span> },
    { title: t('contest.score'), dataIndex: 'score', render: (v: number) => <Typography.Text strong style={size}>{v}</Typography.Text> },
    { title: t('contest.duration'), dataIndex: 'durationMs', render: (v: number) => <span style={big ? { fontSize: 18 } : undefined}>{t('contest.duration_value', { s: seconds(v) })}</span> },
  ];
}

/** The board as a table: large type for the big screen, compact on a phone (the member's own line marked). */
export function BoardTable({ board, big = false, highlight }: { board: ContestLeaderboard | null; big?: boolean; highlight?: string | null }) {
  const t = useT();
  const fresh = useFreshRows(board?.items);
  return (
    <Table<Line>
      rowKey="memberId" size={big ? 'large' : 'small'} pagination={false} dataSource={board?.items ?? []} loading={!board}
      locale={{ emptyText: t('contest.no_entries') }} data-testid="contest-board" scroll={big ? undefined : { x: 'max-content' }}
      onRow={(line) => ({
        'data-testid': 'board-row',
        style: fresh.has(line.memberId) ? { background: '#fff1b8', transition: 'background 0.6s' } : line.memberId === highlight ? { background: '#fff0f0' } : undefined,
      } as React.HTMLAttributes<HTMLElement>)}
      columns={big ? columns(t, true) : columns(t, false).filter((c) => c.dataIndex !== 'orgName' || !highlight)}
    />
  );
}
