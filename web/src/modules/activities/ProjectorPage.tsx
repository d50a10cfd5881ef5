import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Input, QRCode, Space, Typography } from 'antd';
import { ArrowLeftOutlined, CopyOutlined, FullscreenExitOutlined, FullscreenOutlined, ReloadOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { Activity, CheckInCodeSchema } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';

type CheckInCode = z.infer<typeof CheckInCodeSchema>;

/**
 * The sign-in screen a projector shows to the room, alone on the screen (no menu, no header): the QR
 * code holds a token that changes every 30 s (fetched again as it expires), so a photo of an old
 * screen is refused; the 6-digit code is read out, and read from the back row, by those who cannot
 * scan. How many have signed in follows as they do. Esc (or 返回活动) goes back to the activity.
 */
export default function ProjectorPage() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const activity = useQuery({ queryKey: ['activities', id], queryFn: () => api.get<Activity>(`/activities/${id}`), refetchInterval: 5_000 });
  const key = ['activities', id, 'check-in-code'];
  const code = useQuery({
    queryKey: key, queryFn: () => api.get<CheckInCode>(`/activities/${id}/check-in-code`),
    refetchInterval: (q) => (q.state.data ? Math.max(Date.parse(q.state.data.expiresAt) - Date.now() + 300, 1_000) : 5_000),
  });
  const now = useNow();
  const viewport = useViewport();
  const isFullScreen = useIsFullScreen();
  const back = `/activities/${id}`;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape' && !document.fullscreenElement) void navigate(back); };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [navigate, back]);

  const a = activity.data;
  const link = code.data ? `${window.location.origin}${code.data.url}` : '';
  const secondsLeft = code.data ? Math.max(0, Math.ceil((Date.parse(code.data.expiresAt) - now) / 1000)) : 0;
  const isLandscape = viewport.width >= viewport.height && viewport.width >= 768;
  // as large as the screen allows beside (or above) the code, leaving room for the title and the link
  const qrSize = Math.round(Math.max(180, Math.min(isLandscape ? viewport.width * 0.44 : viewport.width - 48, viewport.height - (isLandscape ? 240 : 420), 720)));
  const codeFont = isLandscape ? 'min(15vh, 9vw)' : 'min(17vw, 11vh)';

  return (
    <main style={{ minHeight: '100vh', background: '#fff', display: 'flex', flexDirection: 'column', padding: isLandscape ? '24px 40px' : 16, boxSizing: 'border-box' }} data-testid="projector-page">
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'flex-start', gap: 12 }}>
        <div style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Typography.Title level={1} style={{ margin: 0, fontSize: isLandscape ? 'min(5vh, 40px)' : 24, overflowWrap: 'anywhere' }} data-testid="projector-title">
            {a?.title ?? t('activity.check_in_screen')}
          </Typography.Title>
          {a && <Typography.Text style={{ fontSize: isLandscape ? 20 : 14 }}>{a.orgName} · {formatTime(a.startsAt)} – {formatTime(a.endsAt)}{a.place ? ` · ${a.place}` : ''}</Typography.Text>}
        </div>
        <Space wrap>
          {document.fullscreenEnabled && (
            <Button icon={isFullScreen ? <FullscreenExitOutlined /> : <FullscreenOutlined />}
              onClick={() => void (isFullScreen ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => undefined)}>
              {t(isFullScreen ? 'activity.exit_full_screen' : 'activity.full_screen')}
            </Button>
          )}
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(back)} data-testid="projector-back">{t('activity.back_to_activity')}</Button>
        </Space>
      </div>
      <div style={{ flex: 1, display: 'flex', alignItems: 'center', justifyContent: 'center', padding: '16px 0' }}>
        <QueryState isLoading={code.isLoading} error={code.error} retry={() => void code.refetch()}>
          {code.data && (
            <div style={{ display: 'flex', flexDirection: isLandscape ? 'row' : 'column', alignItems: 'center', justifyContent: 'center', gap: isLandscape ? '4vw' : 16, width: '100%' }} data-testid="check-in-screen">
              {/* role and aria-label go to the canvas itself (antd passes a11y attributes to it): an image with a name */}
              <QRCode value={link} size={qrSize} errorLevel="M" bordered={false} role="img" aria-label={t('activity.check_in_qr')} data-testid="check-in-qr" />
              <div style={{ display: 'flex', flexDirection: 'column', alignItems: 'center', gap: 8, minWidth: 0, textAlign: 'center' }}>
                <Typography.Text style={{ fontSize: isLandscape ? 'min(3.6vh, 30px)' : 18 }}>{t('activity.scan_to_check_in')}</Typography.Text>
                <Typography.Text style={{ fontSize: isLandscape ? 'min(3vh, 24px)' : 16 }}>{t('activity.check_in_code')}</Typography.Text>
                <div style={{ fontSize: codeFont, lineHeight: 1.1, fontWeight: 700, letterSpacing: '0.12em', fontVariantNumeric: 'tabular-nums', color: '#a8071a' }} data-testid="check-in-code">{code.data.code}</div>
                <Typography.Text style={{ fontSize: isLandscape ? 'min(3vh, 24px)' : 16 }}>
                  {t('activity.code_changes_in', { s: secondsLeft })} · {formatTime(code.data.opensAt)} – {formatTime(code.data.closesAt)}
                </Typography.Text>
                {a && (
                  <div style={{ fontSize: isLandscape ? 'min(6vh, 52px)' : 28, fontWeight: 600, marginTop: 8 }} data-testid="projector-signed-in">
                    {t('activity.projector_signed_in', { n: a.attendance.present + a.attendance.late, total: a.attendance.total })}
                  </div>
                )}
              </div>
            </div>
          )}
        </QueryState>
      </div>
      {code.data && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, justifyContent: 'center' }}>
          <Space.Compact style={{ width: 560, maxWidth: '100%' }}>
            <Input readOnly value={link} data-testid="check-in-link" aria-label={t('activity.copy_check_in_link')} />
            <Button icon={<CopyOutlined />} aria-label={t('activity.copy_check_in_link')}
              onClick={() => void navigator.clipboard?.writeText(link).then(() => message.success(t('activity.link_copied')))}>
              {isLandscape && t('activity.copy_check_in_link')}
            </Button>
          </Space.Compact>
          <Button icon={<ReloadOutlined />} onClick={async () => {
            try {
              queryClient.setQueryData(key, await api.post<CheckInCode>(`/activities/${id}/check-in-code/reset`));
            } catch (error) {
              message.error(errorMessage(error, t('app.error')));
            }
          }}>{t('activity.reset_code')}</Button>
        </div>
      )}
    </main>
  );
}

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function useViewport(): { width: number; height: number } {
  const read = () => ({ width: window.innerWidth, height: window.innerHeight });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return size;
}

function useIsFullScreen(): boolean {
  const [is, setIs] = useState(!!document.fullscreenElement);
  useEffect(() => {
    const onChange = () => setIs(!!document.fullscreenElement);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);
  return is;
}
