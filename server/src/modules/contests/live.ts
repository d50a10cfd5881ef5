import type { ServerResponse } from 'node:http';
import type { Actor } from '../../platform/actor.js';
import type { Db } from '../../platform/db.js';
import { contestEvents, getLeaderboard } from './service.js';

// Submissions in this process push at once; the poll catches those made by other server
// processes; the comment line keeps proxies from closing an idle stream.
const POLL_MS = 3_000;
const HEARTBEAT_MS = 15_000;
const DEBOUNCE_MS = 200;

/** Open streams, ended when the server shuts down (a stream would otherwise hold it open). */
const openStreams = new Set<() => void>();
export function endAllStreams(): void {
  for (const close of [...openStreams]) close();
}

/**
 * A live leaderboard as server-sent events: `event: leaderboard` with the whole top list
 * whenever it changes, until the contest closes (or is cancelled) or the viewer leaves. The caller has already
 * checked that the viewer may see this contest.
 */
export function streamLeaderboard(db: Db, actor: Actor, contestId: string, out: ServerResponse, onEnd: (cb: () => void) => void, limit: number): void {
  out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let last = '';
  let isClosed = false;
  let isBusy = false;
  let debounce: NodeJS.Timeout | undefined;
  const close = () => {
    if (isClosed) return;
    isClosed = true;
    openStreams.delete(close);
    clearInterval(poll);
    clearInterval(heartbeat);
    clearTimeout(debounce);
    contestEvents.off('submitted', onSubmitted);
    out.end();
  };
  const push = async () => {
    if (isClosed || isBusy) return;
    isBusy = true;
    try {
      const board = await getLeaderboard(db, actor, contestId, limit);
      const data = JSON.stringify(board);
      if (data !== last && !isClosed) {
        last = data;
        out.write(`event: leaderboard\ndata: ${data}\n\n`);
      }
      if (board.status === 'closed' || board.cancelledAt) close();
    } catch {
      close();
    } finally {
      isBusy = false;
    }
  };
  const onSubmitted = (id: string) => {
    if (id !== contestId) return;
    clearTimeout(debounce);
    debounce = setTimeout(() => void push(), DEBOUNCE_MS);
  };
  contestEvents.on('submitted', onSubmitted);
  const poll = setInterval(() => void push(), POLL_MS);
  const heartbeat = setInterval(() => { if (!isClosed) out.write(': ping\n\n'); }, HEARTBEAT_MS);
  openStreams.add(close);
  onEnd(close);
  void push();
}
