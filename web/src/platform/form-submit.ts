import { useCallback, useState } from 'react';
import { App, type FormInstance } from 'antd';
import { showFieldErrors } from './api.js';
import { useT } from './locale.js';
import { errorMessage } from './status.js';

/**
 * The save of a form: `run(action)` marks the form busy while the action runs; when the server refuses,
 * its field errors go under their inputs and whatever has no input (or a non-field error) is shown as a
 * message. The action does the request and what follows a success (a toast, closing the dialog).
 */
export function useFormSubmit<V>(form: FormInstance<V>): { saving: boolean; run: (action: () => Promise<void>) => Promise<void> } {
  const t = useT();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const run = useCallback(async (action: () => Promise<void>) => {
    setSaving(true);
    try {
      await action();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }, [form, message, t]);
  return { saving, run };
}
