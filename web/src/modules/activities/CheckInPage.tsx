import { useEffect, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { Button, Result, Spin } from 'antd';
import type { AttendanceState } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { useSession } from '../../platform/session.js';
import { formatTime } from '../../platform/format.js';
import { isNetworkFailure, keepCheckIn } from './OfflineCheckIns.js';

type Outcome = { ok: true; state: AttendanceState } | { ok: false; message: string } | { kept: true; madeAt: string };

/**
 * Opened on the member's phone from the organizer's QR code: signs in at once with the token in the
 * link. The token lives 30–40 s, so a link copied from an old screen is refused by the server.
 * Without a connection the token is kept with the time of the scan and sent later (OfflineCheckIns).
 */
export default function CheckInPage() {
  const t = useT();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [outcome, setOutcome] = useState<Outcome | null>(token ? null : { ok: false, message: t('activity.check_in_no_token') });
  const { me } = useSession();
  const userId = me?.user.id;
  const sent = useRef(false);
  useEffect(() => {
    // once, even under StrictMode's double effects: a second post would be refused as a repeat
    if (sent.current || !token || !userId) return;
    sent.current = true;
    const madeAt = new Date().toISOString();
    const keep = () => {
      keepCheckIn({ userId, activityId: id, title: null, proof: { token }, madeAt });
      setOutcome({ kept: true, madeAt });
    };
    if (!navigator.onLine) return keep();
    api.post<{ state: AttendanceState }>(`/activities/${id}/check-in`, { token })
      .then((r) => setOutcome({ ok: true, state: r.state }))
      .catch((error: unknown) => (isNetworkFailure(error) ? keep() : setOutcome({ ok: false, message: errorMessage(error, t('app.error')) })));
  }, [id, token, t, userId]);
  if (!outcome) return <Result icon={<Spin size="large" />} title={t('activity.checking_in')} />;
  if ('kept' in outcome) {
    return (
      <Result status="info" title={t('activity.check_in_saved_offline')} subTitle={t('activity.check_in_saved_detail', { time: formatTime(outcome.madeAt) })}
        data-testid="check-in-result" />
    );
  }
  return (
    <Result
      status={outcome.ok ? 'success' : 'warning'}
      title={outcome.ok ? t('activity.checked_in', { state: t(`attendance.${outcome.state}`) }) : t('activity.check_in_failed')}
      subTitle={outcome.ok ? undefined : <span data-testid="check-in-error">{outcome.message}</span>}
      extra={<Link to={`/me/activities/${id}`}><Button type="primary" size="large" block>{t('common.details')}</Button></Link>}
      data-testid="check-in-result"
    />
  );
}
