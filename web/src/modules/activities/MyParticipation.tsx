import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Typography } from 'antd';
import type { Activity } from '../../../../contracts/activities.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { useSession } from '../../platform/session.js';
import { AttendanceTag } from './ActivityTags.js';
import { isNetworkFailure, keepCheckIn, usePendingCheckIn } from './OfflineCheckIns.js';

/** What each of the member's actions did, said as such (签到成功, 已提交请假), not a generic 已保存. */
const SENT = {
  register: 'activity.registered_ok', 'check-in': 'activity.signed_in_ok', bring: 'activity.bring_sent', 'take-away': 'activity.take_sent', leave: 'activity.leave_sent',
} as const;

/**
 * The invited member's own part: register or ask for leave before the start, sign in with the
 * 6-digit code read out in the room (the QR code opens /check-in/:id instead), and 三带来三带走.
 * Without a connection the sign-in is kept on the phone with its time and sent later (OfflineCheckIns).
 * Full-width controls so it works with a thumb on a phone.
 */
export function MyParticipation({ activity: a, onChange }: { activity: Activity; onChange: () => Promise<unknown> }) {
  const t = useT();
  const { message } = App.useApp();
  const { me } = useSession();
  const pending = usePendingCheckIn(me?.user.id, a.id);
  const [code, setCode] = useState('');
  const [leave, setLeave] = useState<string | null>(null);
  const [bringForm] = Form.useForm();
  const [takeForm] = Form.useForm();
  const now = Date.now();
  const started = Date.parse(a.startsAt) <= now;
  const signInOpen = a.status === 'published' && Date.parse(a.checkInOpensAt) <= now && now < Date.parse(a.checkInClosesAt);
  const signedIn = a.myState === 'present' || a.myState === 'late';
  async function signInWithCode() {
    const madeAt = new Date().toISOString();
    const keep = () => me && keepCheckIn({ userId: me.user.id, activityId: a.id, title: a.title, proof: { code }, madeAt });
    if (!navigator.onLine) return keep();
    try {
      await api.post(`/activities/${a.id}/check-in`, { code });
      message.success(t(SENT['check-in']));
      await onChange();
    } catch (error) {
      if (isNetworkFailure(error)) keep();
      else message.error(errorMessage(error, t('app.error')));
    }
  }
  async function send(path: keyof typeof SENT, body?: unknown, form?: ReturnType<typeof Form.useForm>[0]) {
    try {
      await api.post(`/activities/${a.id}/${path}`, body);
      message.success(t(SENT[path]));
      await onChange();
      return true;
    } catch (error) {
      const placed = form ? showFieldErrors(form, error).handled : false;
      if (!placed) message.error(errorMessage(error, t('app.error')));
      return false;
    }
  }
  return (
    <Card title={<Space>{t('activity.my_state')}{a.myState && <AttendanceTag state={a.myState} />}</Space>} data-testid="my-participation">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        {a.status === 'published' && !started && (
          <Space.Compact block>
            {a.myState !== 'registered' && a.myState !== null && (
              <Button size="large" type="primary" style={{ flex: 1 }} onClick={() => void send('register')} data-testid="activity-register">{t('activity.register')}</Button>
            )}
            {a.myState !== null && a.myState !== 'leave' && (
              <Button size="large" style={{ flex: 1 }} onClick={() => setLeave('')} data-testid="activity-leave">{t('activity.leave')}</Button>
            )}
          </Space.Compact>
        )}
        {a.status === 'published' && !signedIn && pending && (
          <Alert type="info" showIcon title={t('activity.check_in_saved_offline')} description={t('activity.check_in_saved_detail', { time: formatTime(pending.madeAt) })}
            data-testid="check-in-pending" />
        )}
        {a.status === 'published' && !signedIn && !pending && (
          <>
            <Typography.Text type="secondary">{t('activity.check_in_window')}：{formatTime(a.checkInOpensAt)} – {formatTime(a.checkInClosesAt)}</Typography.Text>
            {signInOpen && (
              <Space.Compact block>
                <Input size="large" value={code} onChange={(e) => setCode(e.target.value.replace(/\D/g, '').slice(0, 6))} placeholder={t('activity.enter_code')}
                  inputMode="numeric" autoComplete="one-time-code" aria-label={t('activity.check_in_code')} data-testid="check-in-code-input" />
                <Button size="large" type="primary" disabled={code.length !== 6} onClick={() => void signInWithCode()} data-testid="check-in-submit">{t('activity.check_in')}</Button>
              </Space.Compact>
            )}
          </>
        )}
        {a.asksBringAndTake && a.myState !== null && !started && a.status === 'published' && (
          <Form form={bringForm} layout="vertical" onFinish={(v) => void send('bring', v, bringForm)}>
            <Form.Item name="idea" label={t('activity.idea')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
            <Form.Item name="opinion" label={t('activity.opinion')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
            <Form.Item name="volunteerProposal" label={t('activity.volunteer')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
            <Button htmlType="submit" block>{t('common.save')}</Button>
          </Form>
        )}
        {a.asksBringAndTake && a.myState !== null && started && a.status !== 'cancelled' && (
          <Form form={takeForm} layout="vertical" onFinish={(v) => void send('take-away', v, takeForm)}>
            <Form.Item name="takeaway" label={t('activity.takeaway')} rules={[{ required: true }]}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
            <Button htmlType="submit" block>{t('common.save')}</Button>
          </Form>
        )}
      </Space>
      <Modal open={leave !== null} title={t('activity.leave')} onCancel={() => setLeave(null)} okButtonProps={{ disabled: !leave?.trim() }}
        onOk={async () => { if (await send('leave', { reason: leave })) setLeave(null); }}>
        <Input.TextArea rows={2} maxLength={200} placeholder={t('common.reason')} value={leave ?? ''} onChange={(e) => setLeave(e.target.value)} />
      </Modal>
    </Card>
  );
}
