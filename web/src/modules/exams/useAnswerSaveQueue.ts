import { useCallback, useEffect, useRef, useState } from 'react';
import type { Response } from '../../../../contracts/exams.js';
import { ApiError, api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

export type SaveState = { state: 'saving' } | { state: 'saved'; at: string } | { state: 'failed'; message: string };

/** Text answers are saved a moment after the member stops typing; choices at once. */
const TYPING_DELAY_MS = 600;

/**
 * Saves each answer as it is given, one request at a time per question (a later answer waits for
 * the earlier one, so the server keeps the last), typing debounced. `flush` sends what is still
 * being typed and waits for every save — before submitting, and when the sheet unmounts.
 */
export function useAnswerSaveQueue(attemptId: string, reload: () => unknown) {
  const t = useT();
  const [saves, setSaves] = useState<Record<string, SaveState>>({});
  const chains = useRef(new Map<string, Promise<void>>());
  const typing = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; response: Response }>());

  const send = useCallback((questionId: string, response: Response) => {
    setSaves((s) => ({ ...s, [questionId]: { state: 'saving' } }));
    const previous = chains.current.get(questionId) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const { savedAt } = await api.put<{ savedAt: string }>(`/exam-attempts/${attemptId}/answers/${questionId}`, { response });
        setSaves((s) => ({ ...s, [questionId]: { state: 'saved', at: savedAt } }));
      } catch (error) {
        setSaves((s) => ({ ...s, [questionId]: { state: 'failed', message: errorMessage(error, t('app.error')) } }));
        // the deadline passed or the attempt was closed elsewhere: show what the server has
        if (error instanceof ApiError && error.status === 409) void reload();
      }
    });
    chains.current.set(questionId, next);
    return next;
  }, [attemptId, reload, t]);

  const flush = useCallback(async () => {
    const pending = [...typing.current.entries()];
    typing.current.clear();
    for (const [, p] of pending) clearTimeout(p.timer);
    await Promise.all(pending.map(([questionId, p]) => send(questionId, p.response)));
    await Promise.all([...chains.current.values()]);
  }, [send]);

  useEffect(() => () => { void flush(); }, [flush]);

  const save = useCallback((questionId: string, type: string, response: Response) => {
    if (type !== 'fill_blank') { void send(questionId, response); return; }
    const pending = typing.current.get(questionId);
    if (pending) clearTimeout(pending.timer);
    typing.current.set(questionId, {
      response,
      timer: setTimeout(() => { typing.current.delete(questionId); void send(questionId, response); }, TYPING_DELAY_MS),
    });
  }, [send]);

  return { saves, save, flush };
}
