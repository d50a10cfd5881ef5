import type { FormInstance } from 'antd';
import { ApiError, showFieldErrors } from '../../platform/api.js';

type Fields<V> = Parameters<FormInstance<V>['setFields']>[0];

/**
 * The server's refusal of an exam form (create or edit): field errors under their inputs, the window's
 * two ends under the range picker, the participant list's ("choose someone" / "nobody there" belong to
 * the list as a whole) under its first line. `placed` says whether any went under an input; `rest` is
 * what has no input, for a message.
 */
export function placeExamErrors<V>(form: FormInstance<V>, error: unknown): { placed: boolean; rest: string[] } {
  const { handled, unplaced } = showFieldErrors(form, error);
  const fields = error instanceof ApiError ? error.fields : {};
  const windowError = fields.closesAt ?? fields.opensAt;
  if (windowError) form.setFields([{ name: 'window', errors: [windowError] }] as Fields<V>);
  const orgError = fields.participantOrgIds;
  if (orgError) form.setFields([{ name: ['participantOrgIds', 0], errors: [orgError] }] as Fields<V>);
  return { placed: handled || !!windowError || !!orgError, rest: unplaced.filter((m) => m !== windowError && m !== orgError) };
}
