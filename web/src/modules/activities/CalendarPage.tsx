import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Calendar, Card, Empty, Grid, Input, List, Popconfirm, Segmented, Space, Tag, Typography } from 'antd';
import { CopyOutlined, LeftOutlined, RightOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { CalendarEventSchema, CalendarFeedStatusSchema } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CHINA_TIME_ZONE, startOfChinaDay } from '../../../../contracts/china-time.js';

type CalendarEvent = z.infer<typeof CalendarEventSchema>;
type CalendarFeedStatus = z.infer<typeof CalendarFeedStatusSchema>;
type View = 'month' | 'week';

const china = (iso: string) => dayjs(iso).tz(CHINA_TIME_ZONE);
const dayKey = (d: Dayjs) => d.format('YYYY-MM-DD');

/** Month and week views of the activities and venue bookings the viewer may see, and the personal iCalendar feed. */
export default function CalendarPage() {
  const t = useT();
  const { audiences } = useSession();
  const isSmall = !Grid.useBreakpoint().md;
  const [view, setView] = useState<View>('month');
  const [cursor, setCursor] = useState<Dayjs>(todayInChina());
  const [selected, setSelected] = useState<Dayjs>(todayInChina());
  // the month grid shows some days of the neighbouring months: fetch them too (the API allows 62 days)
  const range = view === 'month'
    ? { from: cursor.startOf('month').subtract(7, 'day'), to: cursor.endOf('month').add(8, 'day').startOf('day') }
    : { from: cursor.startOf('week'), to: cursor.startOf('week').add(7, 'day') };
  const query = { from: startOfChinaDay(dayKey(range.from)).toISOString(), to: startOfChinaDay(dayKey(range.to)).toISOString() };
  const events = useQuery({ queryKey: ['calendar', query], queryFn: () => api.get<{ items: CalendarEvent[] }>('/calendar', query), placeholderData: keepPreviousData });
  const byDay = useMemo(() => {
    const map = new Map<string, CalendarEvent[]>();
    for (const e of events.data?.items ?? []) {
      // an event spanning midnight is listed on each of its days
      for (let d = china(e.startsAt).startOf('day'); d.isBefore(china(e.endsAt)); d = d.add(1, 'day')) {
        const key = d.format('YYYY-MM-DD');
        map.set(key, [...(map.get(key) ?? []), e]);
      }
    }
    return map;
  }, [events.data]);
  const linkOf = (e: CalendarEvent) => (e.kind === 'booking' ? '/venues' : audiences.has('admin') ? `/activities/${e.id}` : `/me/activities/${e.id}`);
  const step = (n: number) => setCursor((c) => c.add(n, view));

  const dayList = (days: Dayjs[]) => (
    <List
      dataSource={days.filter((d) => byDay.has(dayKey(d)))}
      locale={{ emptyText: <Empty description={t('calendar.none')} /> }}
      data-testid="calendar-list"
      renderItem={(d) => (
        <List.Item style={{ display: 'block' }}>
          <Typography.Text strong>{d.format('MM-DD ddd')}</Typography.Text>
          {(byDay.get(dayKey(d)) ?? []).map((e) => <EventLine key={`${e.kind}-${e.id}`} event={e} to={linkOf(e)} />)}
        </List.Item>
      )}
    />
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('calendar.title')} extra={
        <Space wrap>
          <Button icon={<LeftOutlined />} aria-label={t('calendar.prev')} onClick={() => step(-1)} />
          <Button onClick={() => { setCursor(todayInChina()); setSelected(todayInChina()); }}>{t('calendar.today')}</Button>
          <Button icon={<RightOutlined />} aria-label={t('calendar.next')} onClick={() => step(1)} />
          <Segmented<View> value={view} onChange={setView} options={[{ value: 'month', label: t('calendar.month') }, { value: 'week', label: t('calendar.week') }]} />
        </Space>
      }>
        <QueryState isLoading={events.isLoading} error={events.error} retry={() => void events.refetch()}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {view === 'month' ? cursor.format('YYYY-MM') : `${range.from.format('YYYY-MM-DD')} – ${range.to.subtract(1, 'day').format('MM-DD')}`}
          </Typography.Title>
          {view === 'month' ? (
            <>
              <Calendar
                fullscreen={!isSmall}
                value={selected}
                headerRender={() => null}
                onSelect={(d, info) => { setSelected(d); if (info.source !== 'date') setCursor(d); }}
                onPanelChange={(d) => setCursor(d)}
                cellRender={(d, info) => {
                  if (info.type !== 'date') return info.originNode;
                  const list = byDay.get(dayKey(d)) ?? [];
                  if (isSmall) return list.length ? <Badge status="error" /> : null;
                  return (
                    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                      {list.slice(0, 3).map((e) => (
                        <Link key={`${e.kind}-${e.id}`} to={linkOf(e)} style={{ display: 'block', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', fontSize: 12 }}>
                          <Badge color={e.kind === 'booking' ? 'blue' : 'red'} /> {china(e.startsAt).format('HH:mm')} {e.title}
                        </Link>
                      ))}
                      {list.length > 3 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>+{list.length - 3}</Typography.Text>}
                    </Space>
                  );
                }}
              />
              {isSmall && dayList([selected])}
            </>
          ) : dayList(Array.from({ length: 7 }, (_, i) => range.from.add(i, 'day')))}
        </QueryState>
      </Card>
      {audiences.has('member') && <FeedCard />}
    </Space>
  );
}

function EventLine({ event: e, to }: { event: CalendarEvent; to: string }) {
  const t = useT();
  return (
    <div style={{ padding: '4px 0' }}>
      <Link to={to}>
        <Space size={6} wrap>
          <Typography.Text>{china(e.startsAt).format('HH:mm')}–{china(e.endsAt).format('HH:mm')}</Typography.Text>
          <Typography.Text strong>{e.title}</Typography.Text>
          <Tag color={e.kind === 'booking' ? 'blue' : 'red'}>{e.activityType ? t(`activity.type.${e.activityType}`) : t('calendar.booking')}</Tag>
        </Space>
      </Link>
      {e.place && <div><Typography.Text type="secondary">{e.place}</Typography.Text></div>}
    </div>
  );
}

/**
 * The personal iCalendar feed. Only a hash of its secret is stored, so the address is shown once, when
 * issued; afterwards the page can only say that one exists (and since when) and offer a new one, which
 * revokes the old address.
 */
function FeedCard() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const status = useQuery({ queryKey: ['calendar-feed'], queryFn: () => api.get<CalendarFeedStatus>('/calendar/feed') });
  const [url, setUrl] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function issue() {
    setBusy(true);
    try {
      const feed = await api.post<{ url: string }>('/calendar/feed');
      setUrl(`${window.location.origin}${feed.url}`);
      await queryClient.invalidateQueries({ queryKey: ['calendar-feed'] });
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  }
  const exists = status.data?.exists ?? false;
  const reissue = (
    <Popconfirm title={t('calendar.feed_reissue_confirm')} onConfirm={() => issue()} okButtonProps={{ 'data-testid': 'calendar-feed-reissue-ok' }}>
      <Button loading={busy} data-testid="calendar-feed-reissue">{t('calendar.feed_reissue')}</Button>
    </Popconfirm>
  );
  return (
    <Card title={t('calendar.feed')} data-testid="calendar-feed">
      <QueryState isLoading={status.isLoading} error={status.error} retry={() => void status.refetch()}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{t('calendar.feed_hint')}</Typography.Text>
          {url ? (
            <>
              <Alert type="success" showIcon message={t('calendar.feed_shown_once')} />
              <Space.Compact block>
                <Input readOnly value={url} data-testid="calendar-feed-url" onFocus={(e) => e.target.select()} aria-label={t('calendar.feed')} />
                <Button icon={<CopyOutlined />} onClick={() => void navigator.clipboard?.writeText(url).then(() => message.success(t('calendar.copied')))}>{t('calendar.copy')}</Button>
              </Space.Compact>
              <a href={url.replace(/^https?:/, 'webcal:')}>{t('calendar.feed_open')}</a>
              {reissue}
            </>
          ) : exists ? (
            <>
              <Alert type="info" showIcon data-testid="calendar-feed-exists"
                message={t('calendar.feed_exists', { date: status.data?.issuedAt ? formatTime(status.data.issuedAt) : '' })}
                description={t('calendar.feed_not_shown_again')} />
              {reissue}
            </>
          ) : (
            <Button type="primary" onClick={() => void issue()} loading={busy} data-testid="calendar-feed-issue">{t('calendar.feed_issue')}</Button>
          )}
        </Space>
      </QueryState>
    </Card>
  );
}
