import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Popconfirm, Segmented, Space, Statistic, Tag, Typography } from 'antd';
import { ClockCircleOutlined, EnvironmentOutlined, FilePdfOutlined } from '@ant-design/icons';
import type { MyHours, VolunteerProject, VolunteerProjectPage } from '../../../../contracts/volunteering.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { PhaseTag, timeRange } from './VolunteerParts.js';
import { CardItem } from '../../platform/CardItem.js';

type Tab = 'open' | 'hours';

/**
 * 志愿服务 for a member on a phone: the projects of the own tree still to come (sign up, or cancel the
 * sign-up before it starts), and my confirmed hours with the PDF certificate.
 */
export default function MyVolunteeringPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'hours' ? 'hours' : 'open';
  const upcoming = useQuery({
    queryKey: ['volunteering', 'list', { upcoming: 1 }],
    queryFn: () => api.get<VolunteerProjectPage>('/volunteering/projects', { upcoming: 1, pageSize: 100 }),
  });
  const hours = useQuery({ queryKey: ['volunteering', 'hours', 'me'], queryFn: () => api.get<MyHours>('/volunteering/hours/me') });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }} data-testid="my-volunteering">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_volunteering')}</Typography.Title>
      <Segmented<Tab> block value={tab} onChange={(v) => setParams(v === 'open' ? {} : { tab: v }, { replace: true })}
        options={[{ value: 'open', label: t('volunteer.browse') }, { value: 'hours', label: t('volunteer.my_hours') }]} />
      {tab === 'open' ? (
        <QueryState isLoading={upcoming.isLoading} error={upcoming.error} retry={() => void upcoming.refetch()}>
          {(upcoming.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('volunteer.none')} /></Card> : (
            <List dataSource={upcoming.data?.items ?? []} data-testid="volunteer-list" renderItem={(p) => <CardItem><ProjectCard project={p} /></CardItem>} />
          )}
        </QueryState>
      ) : (
        <QueryState isLoading={hours.isLoading} error={hours.error} retry={() => void hours.refetch()}>
          {hours.data && <HoursCard hours={hours.data} />}
        </QueryState>
      )}
    </Space>
  );
}

function ProjectCard({ project: p }: { project: VolunteerProject }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const act = async (run: () => Promise<VolunteerProject>, done: string) => {
    setBusy(true);
    try {
      await run();
      void queryClient.invalidateQueries({ queryKey: ['volunteering'] });
      void message.success(done);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  };
  const isFull = p.placesLeft === 0;
  const hasStarted = new Date(p.startsAt).getTime() <= Date.now();
  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="volunteer-card">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Space wrap size={4}>
          <Typography.Text strong style={{ fontSize: 16 }}>{p.title}</Typography.Text>
          <PhaseTag project={p} />
          {p.mySignup && <Tag color="red" data-testid="volunteer-signed">{t('volunteer.my_status')}</Tag>}
        </Space>
        <Typography.Text type="secondary"><ClockCircleOutlined /> {timeRange(p)}</Typography.Text>
        <Typography.Text type="secondary"><EnvironmentOutlined /> {p.place}{p.communityName ? ` · ${p.communityName}` : ''}</Typography.Text>
        <Typography.Text type="secondary">{p.orgName}</Typography.Text>
        {p.description && <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ margin: 0 }}>{p.description}</Typography.Paragraph>}
        <Typography.Text type={isFull ? 'danger' : undefined}>{isFull ? t('volunteer.full') : t('volunteer.places_left', { n: p.placesLeft })}</Typography.Text>
        {p.mySignup ? (
          !hasStarted && (
            <Popconfirm title={t('volunteer.withdraw')} onConfirm={() => void act(() => api.delete<VolunteerProject>(`/volunteering/projects/${p.id}/signups/me`), t('volunteer.withdrawn'))}>
              <Button block size="large" danger loading={busy} data-testid="volunteer-withdraw">{t('volunteer.withdraw')}</Button>
            </Popconfirm>
          )
        ) : (
          <Button type="primary" block size="large" disabled={isFull || hasStarted} loading={busy} data-testid="volunteer-sign-up"
            onClick={() => void act(() => api.post<VolunteerProject>(`/volunteering/projects/${p.id}/signups`), t('volunteer.signed_up_done'))}>
            {t('volunteer.sign_up')}
          </Button>
        )}
      </Space>
    </Card>
  );
}

function HoursCard({ hours }: { hours: MyHours }) {
  const t = useT();
  const { me } = useSession();
  const memberId = me?.user.memberId;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small">
        <Statistic title={t('volunteer.my_hours')} value={hours.hours.toFixed(1)} suffix="h" data-testid="my-hours-total" />
        {memberId && (
          // a plain link: the browser opens the PDF itself (its viewer, or a download on a phone)
          <a href={`/api/volunteering/members/${memberId}/certificate`} target="_blank" rel="noreferrer" data-testid="volunteer-certificate">
            <Button icon={<FilePdfOutlined />} block size="large" style={{ marginTop: 12 }}>{t('volunteer.certificate')}</Button>
          </a>
        )}
      </Card>
      <Card size="small" title={t('volunteer.hours_records')}>
        {hours.records.length === 0 ? <Empty description={t('volunteer.no_hours')} /> : (
          <List size="small" dataSource={hours.records} data-testid="my-hours-records" renderItem={(r) => (
            <List.Item extra={<Typography.Text strong>{r.hours.toFixed(1)} h</Typography.Text>}>
              <List.Item.Meta title={r.title} description={`${formatTime(r.startsAt).slice(0, 10)} · ${r.orgName}`} />
            </List.Item>
          )} />
        )}
      </Card>
    </Space>
  );
}
