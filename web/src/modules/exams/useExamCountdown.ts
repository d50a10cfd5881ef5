import { useEffect, useState } from 'react';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** mm:ss, or h:mm:ss for an hour and more. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

/**
 * The time left to the server's deadline, ticking four times a second. The server closes the
 * attempt at its deadline: once it has passed, `reload` is asked every 2 s until the page shows the
 * closed attempt (the device's clock may differ from the server's by a little).
 */
export function useExamCountdown(deadlineAt: string, reload: () => unknown): { remaining: number; isOverdue: boolean; isUrgent: boolean } {
  const now = useNow(250);
  const remaining = Date.parse(deadlineAt) - now;
  const isOverdue = remaining <= 0;
  useEffect(() => {
    if (!isOverdue) return;
    void reload();
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [isOverdue, reload]);
  return { remaining, isOverdue, isUrgent: remaining < 60_000 };
}
