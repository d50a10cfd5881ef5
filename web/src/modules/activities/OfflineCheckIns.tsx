import { useCallback, useEffect, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import type { CheckInResult } from '../../../../contracts/activities.js';
import { api, ApiError } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';

/**
 * Sign-ins made without a connection (a basement meeting room). The phone keeps what the member
 * presented (the typed code or the scanned QR token) with the time it was made, and sends it when the
 * connection returns: on the browser's `online` event, when the app is opened again, or brought back
 * to the screen. The server judges it at that time (check-in.ts). Kept in localStorage, per user: a
 * sign-in is never sent under another account that signs in on the same phone.
 */
export interface PendingCheckIn {
  userId: string;
  activityId: string;
  /** The activity's title when known (the QR page has only its id). */
  title: string | null;
  proof: { code: string } | { token: string };
  madeAt: string;
}

const STORAGE_KEY = 'dangjian.pending-check-ins';
const CHANGED = 'dangjian:pending-check-ins';

function readAll(): PendingCheckIn[] {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(stored) ? (stored as PendingCheckIn[]) : [];
  } catch {
    return [];
  }
}

function writeAll(items: PendingCheckIn[]): void {
  if (items.length) localStorage.setItem(STORAGE_KEY, JSON.stringify(items));
  else localStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event(CHANGED));
}

const isSame = (a: Pick<PendingCheckIn, 'userId' | 'activityId'>, b: Pick<PendingCheckIn, 'userId' | 'activityId'>) =>
  a.userId === b.userId && a.activityId === b.activityId;

/** True when the request never reached the server (no connection), as opposed to an answer refusing it. */
export function isNetworkFailure(error: unknown): boolean {
  if (error instanceof ApiError) return false;
  if (error instanceof DOMException && error.name === 'AbortError') return false;
  return !navigator.onLine || error instanceof TypeError;
}

/** Keeps a sign-in for later; a newer one for the same activity replaces the older. */
export function keepCheckIn(entry: PendingCheckIn): void {
  writeAll([...readAll().filter((e) => !isSame(e, entry)), entry]);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener(CHANGED, onChange);
  window.addEventListener('storage', onChange); // another tab of the app
  return () => {
    window.removeEventListener(CHANGED, onChange);
    window.removeEventListener('storage', onChange);
  };
}

/** The sign-in this user keeps for this activity, if any (re-rendered when the queue changes). */
export function usePendingCheckIn(userId: string | undefined, activityId: string): PendingCheckIn | null {
  const snapshot = useSyncExternalStore(subscribe, () => localStorage.getItem(STORAGE_KEY));
  if (!userId || !snapshot) return null;
  return readAll().find((e) => isSame(e, { userId, activityId })) ?? null;
}

export type Delivery = { item: PendingCheckIn } & ({ ok: true; result: CheckInResult } | { ok: false; reason: string });

let delivering: Promise<Delivery[]> | null = null;

/**
 * Sends the user's kept sign-ins, one at a time, and forgets each once the server has answered it
 * (accepted or refused: a refusal will not change on a retry). Without a connection, with the session
 * ended, or on a server failure, they stay for the next try.
 */
export function deliverPendingCheckIns(userId: string): Promise<Delivery[]> {
  // the online event and the app's start may both ask: one delivery at a time
  delivering ??= (async () => {
    const deliveries: Delivery[] = [];
    for (const item of readAll().filter((e) => e.userId === userId)) {
      try {
        const result = await api.post<CheckInResult>(`/activities/${item.activityId}/check-in`, { ...item.proof, madeAt: item.madeAt });
        deliveries.push({ item, ok: true, result });
      } catch (error) {
        if (isNetworkFailure(error) || (error instanceof ApiError && (error.status === 401 || error.status >= 500))) break;
        deliveries.push({ item, ok: false, reason: error instanceof Error ? error.message : String(error) });
      }
      writeAll(readAll().filter((e) => !isSame(e, item)));
    }
    return deliveries;
  })().finally(() => {
    delivering = null;
  });
  return delivering;
}

/** Mounted once in the shell: sends the signed-in user's kept sign-ins when it can, and tells how each went. */
export function PendingCheckInSender() {
  const t = useT();
  const { me } = useSession();
  const { notification } = App.useApp();
  const queryClient = useQueryClient();
  const userId = me?.user.id;

  const deliver = useCallback(async () => {
    if (!userId || !navigator.onLine) return;
    const deliveries = await deliverPendingCheckIns(userId);
    for (const d of deliveries) {
      const title = d.item.title ?? t('activity.offline_check_in_some_activity');
      if (d.ok) {
        notification.success({
          key: `check-in-${d.item.activityId}`, duration: 8,
          title: t('activity.offline_check_in_accepted'),
          description: <span data-testid="offline-check-in-accepted">{t('activity.offline_check_in_accepted_detail', { title, time: formatTime(d.result.checkedInAt) })}</span>,
        });
      } else {
        notification.warning({
          key: `check-in-${d.item.activityId}`, duration: 0,
          title: t('activity.offline_check_in_refused'),
          description: <span data-testid="offline-check-in-refused">{title}：{d.reason}</span>,
        });
      }
    }
    if (deliveries.length) await queryClient.invalidateQueries({ queryKey: ['activities'] });
  }, [userId, notification, queryClient, t]);

  useEffect(() => {
    void deliver();
    const whenVisible = () => {
      if (document.visibilityState === 'visible') void deliver();
    };
    const whenOnline = () => void deliver();
    window.addEventListener('online', whenOnline);
    document.addEventListener('visibilitychange', whenVisible);
    return () => {
      window.removeEventListener('online', whenOnline);
      document.removeEventListener('visibilitychange', whenVisible);
    };
  }, [deliver]);
  return null;
}
