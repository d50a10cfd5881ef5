import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, InputNumber, Popconfirm, Radio, Space, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, CheckOutlined, EditOutlined, StopOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { ConfirmAttendance, Signup, SignupListSchema, VolunteerProject } from '../../../../contracts/volunteering.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { PhaseTag, VolunteerProjectDialog, lengthInHours, phaseOf, timeRange } from './VolunteerParts.js';

type SignupList = z.infer<typeof SignupListSchema>;
interface Entry { attended: boolean | null; hours: number | null }

/** One project for its organizer: the details, the sign-ups, and — once it has started — who came and for how long. */
export default function VolunteerProjectDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const project = useQuery({ queryKey: ['volunteering', id], queryFn: () => api.get<VolunteerProject>(`/volunteering/projects/${id}`) });
  const p = project.data;
  const signups = useQuery({
    queryKey: ['volunteering', id, 'signups'],
    queryFn: () => api.get<SignupList>(`/volunteering/projects/${id}/signups`),
    enabled: !!p?.canManage,
  });
  const [entries, setEntries] = useState<Record<string, Entry>>({});
  useEffect(() => {
    if (signups.data) setEntries(Object.fromEntries(signups.data.items.map((s) => [s.memberId, { attended: s.attended, hours: s.hours }])));
  }, [signups.data]);
  const [saving, setSaving] = useState(false);

  const cancel = async () => {
    try {
      queryClient.setQueryData(['volunteering', id], await api.patch<VolunteerProject>(`/volunteering/projects/${id}`, { cancelled: true }));
      void queryClient.invalidateQueries({ queryKey: ['volunteering', 'list'] });
      void message.success(t('volunteer.project_cancelled'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const confirm = async () => {
    const chosen = Object.entries(entries).filter(([, e]) => e.attended !== null);
    if (chosen.length === 0) return;
    setSaving(true);
    try {
      const body: ConfirmAttendance = {
        entries: chosen.map(([memberId, e]) => (e.attended ? { memberId, attended: true, hours: e.hours ?? 0 } : { memberId, attended: false })),
      };
      queryClient.setQueryData(['volunteering', id, 'signups'], await api.post<SignupList>(`/volunteering/projects/${id}/attendance`, body));
      void message.success(t('volunteer.attendance_saved'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };

  return (
    <QueryState isLoading={project.isLoading} error={project.error} retry={() => void project.refetch()}>
      {p && (() => {
        const phase = phaseOf(p);
        const hasStarted = phase === 'in_progress' || phase === 'ended';
        const maxHours = lengthInHours(p);
        const set = (memberId: string, change: Partial<Entry>) => setEntries((all) => {
          const current = all[memberId] ?? { attended: null, hours: null };
          return { ...all, [memberId]: { ...current, ...change } };
        });
        return (
          <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="volunteer-detail">
            <Card
              title={<Space wrap><Link to="/service/volunteering" aria-label={t('common.back')}><ArrowLeftOutlined /></Link>{p.title}<PhaseTag project={p} /></Space>}
              extra={p.canManage && !p.isCancelled && (
                <Space wrap>
                  <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="volunteer-edit">{t('common.edit')}</Button>
                  {phase === 'upcoming' && (
                    <Popconfirm title={t('volunteer.cancel_project_confirm')} onConfirm={() => void cancel()}>
                      <Button danger icon={<StopOutlined />}>{t('volunteer.cancel_project')}</Button>
                    </Popconfirm>
                  )}
                </Space>
              )}
            >
              <Descriptions column={{ xs: 1, md: 2 }} size="small">
                <Descriptions.Item label={t('volunteer.org')}>{p.orgName}</Descriptions.Item>
                <Descriptions.Item label={t('volunteer.community')}>{p.communityName ?? '—'}</Descriptions.Item>
                <Descriptions.Item label={t('volunteer.place')}>{p.place}</Descriptions.Item>
                <Descriptions.Item label={t('volunteer.time')}>{timeRange(p)}</Descriptions.Item>
                <Descriptions.Item label={t('volunteer.capacity')}>{p.capacity}</Descriptions.Item>
                <Descriptions.Item label={t('volunteer.signed_up')}>{p.signedUp}</Descriptions.Item>
              </Descriptions>
              {p.description && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginTop: 12 }}>{p.description}</Typography.Paragraph>}
            </Card>

            {p.canManage && (
              <Card
                size="small" title={t('volunteer.signups')}
                extra={hasStarted && (signups.data?.items.length ?? 0) > 0 && (
                  <Space wrap>
                    <Button size="small" onClick={() => setEntries((all) => Object.fromEntries(Object.keys(all).map((m) => [m, { attended: true, hours: maxHours }])))}>
                      {t('volunteer.fill_hours', { h: maxHours })}
                    </Button>
                    <Button type="primary" size="small" icon={<CheckOutlined />} loading={saving} onClick={() => void confirm()} data-testid="volunteer-confirm">
                      {t('volunteer.confirm_attendance')}
                    </Button>
                  </Space>
                )}
              >
                {!hasStarted && !p.isCancelled && <Alert type="info" showIcon message={t('volunteer.confirm_after_start')} style={{ marginBottom: 12 }} />}
                <Table<Signup>
                  rowKey="memberId" size="small" loading={signups.isFetching} dataSource={signups.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }}
                  locale={{ emptyText: t('volunteer.no_signups') }} data-testid="volunteer-signups"
                  columns={[
                    { title: t('volunteer.member'), dataIndex: 'memberName', width: 100 },
                    { title: t('volunteer.member_org'), dataIndex: 'orgName', width: 180 },
                    { title: t('volunteer.signed_up_at'), dataIndex: 'signedUpAt', width: 140, responsive: ['md'], render: (v: string) => formatTime(v) },
                    {
                      title: t('volunteer.attended'), key: 'attended', width: 200,
                      render: (_: unknown, s) => {
                        const e = entries[s.memberId];
                        if (!hasStarted) return s.attended === null ? <Tag>{t('volunteer.unconfirmed')}</Tag> : null;
                        return (
                          <Radio.Group size="small" value={e?.attended ?? null} data-testid={`attended-${s.memberId}`}
                            onChange={(ev) => set(s.memberId, { attended: ev.target.value as boolean, hours: ev.target.value ? (e?.hours ?? maxHours) : 0 })}
                            options={[{ value: true, label: t('volunteer.attended') }, { value: false, label: t('volunteer.absent') }]} optionType="button" />
                        );
                      },
                    },
                    {
                      title: t('volunteer.hours'), key: 'hours', width: 120,
                      render: (_: unknown, s) => {
                        const e = entries[s.memberId];
                        if (!hasStarted) return s.hours ?? '—';
                        return (
                          <InputNumber size="small" aria-label={`${s.memberName ?? ''} ${t('volunteer.hours')}`} min={0} max={maxHours} step={0.5} precision={1} disabled={!e?.attended} value={e?.hours ?? null}
                            onChange={(v) => set(s.memberId, { hours: v })} data-testid={`hours-${s.memberId}`} />
                        );
                      },
                    },
                  ]}
                />
              </Card>
            )}
            <VolunteerProjectDialog open={editing} project={p} onClose={() => setEditing(false)}
              onSaved={(next) => { setEditing(false); queryClient.setQueryData(['volunteering', id], next); void queryClient.invalidateQueries({ queryKey: ['volunteering'] }); }} />
          </Space>
        );
      })()}
    </QueryState>
  );
}
