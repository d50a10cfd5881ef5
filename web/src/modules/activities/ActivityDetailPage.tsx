import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, Modal, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { FundProjectionScreenOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { Activity, AttendanceState, ContributionSchema, Participant } from '../../../../contracts/activities.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { ActivityStatusTag, AttendanceTag, FourEnsuredTags } from './ActivityTags.js';
import { Attachments, AttachmentsEditor, FileUploader, isSafeUrl, type Attachment } from './Attachments.js';
import { MyParticipation } from './MyParticipation.js';
import { CriticismsCard } from './Criticisms.js';
import { ParticipantFields, participantDefaults, selectionOf, type ParticipantValues } from './ParticipantFields.js';

type Contribution = z.infer<typeof ContributionSchema>;
const pre = { whiteSpace: 'pre-wrap', marginBottom: 0 } as const;
/** What each organizer action did, said as such (not a generic 已保存). */
const ACT_DONE = {
  publish: 'activity.published_ok', close: 'activity.closed_ok', cancel: 'activity.cancelled_ok', attendance: 'activity.attendance_marked',
} as const;

/** The organizer's view of one activity: plan → notify → sign-in → record → close, with the 四落实 check. */
export default function ActivityDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [adding, setAdding] = useState(false);
  const activity = useQuery({ queryKey: ['activities', id], queryFn: () => api.get<Activity>(`/activities/${id}`) });
  const a = activity.data;
  const participants = useQuery({
    queryKey: ['activities', id, 'participants'], enabled: !!a?.canManage,
    queryFn: () => api.get<{ items: Participant[] }>(`/activities/${id}/participants`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['activities'] });
  async function act(path: 'publish' | 'close' | 'cancel' | 'attendance', body?: unknown) {
    try {
      await api.post(`/activities/${id}/${path}`, body);
      message.success(t(ACT_DONE[path]));
      await refresh();
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    }
  }

  return (
    <QueryState isLoading={activity.isLoading} error={activity.error} retry={() => void activity.refetch()}>
      {a && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Space wrap><span data-testid="activity-title">{a.title}</span><span data-testid="activity-status"><ActivityStatusTag status={a.status} /></span>{a.isFirstTopic && <Tag color="red" data-testid="activity-first-topic">{t('activity.first_topic')}</Tag>}</Space>}
            extra={a.canManage && (
              <Space wrap>
                {a.status === 'draft' && <Button type="primary" onClick={() => void act('publish')} data-testid="activity-publish">{t('activity.publish')}</Button>}
                {/* the sign-in screen is a page of its own, full screen, for the projector */}
                {a.status === 'published' && <Button type="primary" icon={<FundProjectionScreenOutlined />} onClick={() => void navigate(`/activities/${a.id}/projector`)} data-testid="activity-screen">{t('activity.check_in_screen')}</Button>}
                {(a.status === 'draft' || a.status === 'published') && <Button onClick={() => setAdding(true)}>{t('activity.add_participants')}</Button>}
                {a.status === 'published' && (
                  <Popconfirm title={t('activity.confirm_close')} onConfirm={() => act('close')} okButtonProps={{ 'data-testid': 'activity-close-ok' }}>
                    <Button data-testid="activity-close">{t('activity.close')}</Button>
                  </Popconfirm>
                )}
                {(a.status === 'draft' || a.status === 'published') && <CancelButton onCancel={(reason) => act('cancel', { reason })} />}
              </Space>
            )}
          >
            {a.status === 'cancelled' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('activity.cancelled_because', { reason: a.cancelReason ?? '' })} />}
            <FourEnsuredBanner activity={a} />
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('activity.type')}>{t(`activity.type.${a.type}`)}</Descriptions.Item>
              <Descriptions.Item label={t('activity.org')}>{a.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('activity.time')}>{formatTime(a.startsAt)} – {formatTime(a.endsAt)}</Descriptions.Item>
              <Descriptions.Item label={t('activity.place')}>{a.place ?? '—'}{a.venueBookingId && <Tag style={{ marginInlineStart: 8 }}>{t('activity.venue_booking')}</Tag>}</Descriptions.Item>
              <Descriptions.Item label={t('activity.host')}>{a.hostName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('activity.check_in_window')}>{formatTime(a.checkInOpensAt)} – {formatTime(a.checkInClosesAt)}</Descriptions.Item>
              {a.streamUrl && <Descriptions.Item label={t('activity.stream_url')}>{isSafeUrl(a.streamUrl) ? <a href={a.streamUrl} target="_blank" rel="noreferrer">{a.streamUrl}</a> : a.streamUrl}</Descriptions.Item>}
              <Descriptions.Item label={t('activity.attendance')}>
                <span data-testid="activity-attendance">
                  {t('attendance.present')} {a.attendance.present} · {t('attendance.late')} {a.attendance.late} · {t('attendance.leave')} {a.attendance.leave} · {t('attendance.absent')} {a.attendance.absent} / {a.attendance.total}
                </span>
              </Descriptions.Item>
              <Descriptions.Item label={t('activity.four_ensured')}><FourEnsuredTags activity={a} /></Descriptions.Item>
              {a.canManage && (a.status === 'draft' || a.status === 'published') && (
                <Descriptions.Item label={t('activity.first_topic')}>
                  <Switch size="small" checked={a.isFirstTopic} aria-label={t('activity.first_topic')} data-testid="activity-first-topic-toggle"
                    onChange={(isFirstTopic) => void api.patch(`/activities/${id}`, { isFirstTopic }).then(refresh, (error: unknown) => message.error(errorMessage(error, t('app.error'))))} />
                </Descriptions.Item>
              )}
              {a.topic && <Descriptions.Item label={t('activity.topic')} span={2}>{a.topic}</Descriptions.Item>}
              {a.agenda && <Descriptions.Item label={t('activity.agenda')} span={2}><Typography.Paragraph style={pre}>{a.agenda}</Typography.Paragraph></Descriptions.Item>}
            </Descriptions>
          </Card>
          {a.myState !== null && a.status !== 'cancelled' && <MyParticipation activity={a} onChange={refresh} />}
          {a.canManage && (a.type === 'org_life_meeting' || a.type === 'democratic_life_meeting') && <CriticismsCard activity={a} participants={participants.data?.items ?? []} />}
          {a.canManage && (
            <Card title={t('activity.participants')}>
              <Table<Participant>
                rowKey="memberId" size="small" loading={participants.isFetching} dataSource={participants.data?.items ?? []} scroll={{ x: 'max-content' }}
                pagination={{ pageSize: 50, hideOnSinglePage: true }} data-testid="participant-table"
                columns={[
                  { title: t('member.name'), dataIndex: 'name' },
                  { title: t('activity.org'), dataIndex: 'orgName' },
                  { title: t('common.status'), dataIndex: 'state', render: (s: AttendanceState, p) => <Space><AttendanceTag state={s} />{p.leaveReason && <Typography.Text type="secondary">{p.leaveReason}</Typography.Text>}</Space> },
                  { title: t('activity.checked_in_at'), dataIndex: 'checkedInAt', render: (v: string | null, p) => (v ? `${formatTime(v)}${p.checkInMethod ? ` · ${t(`activity.method.${p.checkInMethod}`)}` : ''}` : '—') },
                  ...(a.status === 'published' ? [{
                    title: t('activity.mark'), key: 'mark',
                    render: (_: unknown, p: Participant) => (
                      <Select size="small" style={{ width: 100 }} placeholder={t('activity.mark')} value={null} aria-label={`${t('activity.mark')} ${p.name}`}
                        onChange={(state: string) => void act('attendance', { memberId: p.memberId, state })}
                        options={(['present', 'late', 'leave', 'absent'] as const).map((s) => ({ value: s, label: t(`attendance.${s}`) }))} />
                    ),
                  }] : []),
                ]}
              />
            </Card>
          )}
          {a.canManage && (a.status === 'published' || a.status === 'closed') && <RecordCard activity={a} onSaved={refresh} />}
          {!a.canManage && (a.attachments.length > 0 || a.files.length > 0) && <Card title={t('activity.attachments')}><Attachments items={a.attachments} files={a.files} /></Card>}
          {a.canManage && a.asksBringAndTake && <ContributionsCard activityId={a.id} />}
          {adding && <AddParticipantsDialog activityId={a.id} onClose={() => setAdding(false)} onAdded={refresh} />}
        </Space>
      )}
    </QueryState>
  );
}

/** Says in words which of the 四落实 is missing once the activity has ended. */
function FourEnsuredBanner({ activity: a }: { activity: Activity }) {
  const t = useT();
  if (a.status === 'cancelled' || a.status === 'draft') return null;
  const f = a.fourEnsured;
  const missing = ([['people', 'activity.people'], ['time', 'activity.time_ensured'], ['content', 'activity.content'], ['effect', 'activity.effect']] as const)
    .filter(([k]) => !f[k]).map(([, label]) => t(label));
  if (missing.length === 0) return <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('activity.four_ensured_ok')} data-testid="four-ensured" />;
  if (a.status !== 'closed' && !a.isIncomplete) return null;
  return <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('activity.four_ensured_missing', { items: missing.join('、') })} data-testid="four-ensured" />;
}

function CancelButton({ onCancel }: { onCancel: (reason: string) => Promise<void> }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  return (
    <>
      <Button danger onClick={() => setOpen(true)}>{t('activity.cancel')}</Button>
      <Modal open={open} title={t('activity.cancel')} onCancel={() => setOpen(false)} okButtonProps={{ disabled: !reason.trim() }}
        onOk={async () => { await onCancel(reason); setOpen(false); }}>
        <Input.TextArea rows={2} maxLength={200} placeholder={t('common.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}

function AddParticipantsDialog({ activityId, onClose, onAdded }: { activityId: string; onClose: () => void; onAdded: () => Promise<unknown> }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ParticipantValues>();
  return (
    <Modal open title={t('activity.add_participants')} onCancel={onClose} onOk={() => form.submit()} width={600} destroyOnHidden>
      <Form form={form} layout="vertical" initialValues={participantDefaults} onFinish={async (v) => {
        if (!v.participantOrgId && !v.memberIds?.length) { form.setFields([{ name: 'memberIds', errors: [t('activity.participants_required')] }]); return; }
        try {
          const { added } = await api.post<{ added: number }>(`/activities/${activityId}/participants`, selectionOf(v));
          message.success(t('activity.added_participants', { n: added }));
          await onAdded();
          onClose();
        } catch (error) {
          message.error(errorMessage(error, t('app.error')));
        }
      }}>
        <ParticipantFields />
      </Form>
    </Modal>
  );
}

interface RecordForm { minutes?: string | null; resolutions?: string | null; summary?: string | null; recordingUrl?: string | null; attachments?: Attachment[] }

function RecordCard({ activity: a, onSaved }: { activity: Activity; onSaved: () => Promise<unknown> }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<RecordForm>();
  return (
    <Card title={t('activity.record')} data-testid="record-card">
      <Form<RecordForm> form={form} layout="vertical"
        initialValues={{ minutes: a.minutes, resolutions: a.resolutions, summary: a.summary, recordingUrl: a.recordingUrl, attachments: a.attachments }}
        onFinish={async (values) => {
          try {
            await api.post(`/activities/${a.id}/record`, {
              minutes: values.minutes ?? null, resolutions: values.resolutions ?? null, summary: values.summary ?? null, recordingUrl: values.recordingUrl || null,
              attachments: (values.attachments ?? []).filter((x) => x.name.trim() || x.url.trim()),
            });
            message.success(t('activity.record_saved'));
            await onSaved();
          } catch (error) {
            const { handled, unplaced } = showFieldErrors(form, error);
            if (!handled || unplaced.length) message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
          }
        }}>
        <Form.Item name="minutes" label={t('activity.minutes')}><Input.TextArea rows={6} maxLength={50_000} /></Form.Item>
        <Form.Item name="resolutions" label={t('activity.resolutions')}><Input.TextArea rows={3} maxLength={10_000} /></Form.Item>
        <Form.Item name="summary" label={t('activity.summary')}><Input.TextArea rows={3} maxLength={10_000} /></Form.Item>
        <Form.Item name="recordingUrl" label={t('activity.recording_url')}><Input placeholder="https://" /></Form.Item>
        <Form.Item label={t('activity.uploaded_files')}><FileUploader activity={a} onChanged={onSaved} /></Form.Item>
        <Form.Item name="attachments" label={t('activity.linked_files')}><AttachmentsEditor /></Form.Item>
        <Button type="primary" htmlType="submit" data-testid="activity-record-save">{t('common.save')}</Button>
      </Form>
      {a.attachments.some((x) => x.kind === 'photo') && <div style={{ marginTop: 16 }}><Attachments items={a.attachments} /></div>}
    </Card>
  );
}

function ContributionsCard({ activityId }: { activityId: string }) {
  const t = useT();
  const list = useQuery({ queryKey: ['activities', activityId, 'contributions'], queryFn: () => api.get<{ items: Contribution[] }>(`/activities/${activityId}/contributions`) });
  return (
    <Card title={t('activity.contributions')} extra={<Button onClick={() => void api.download(`/activities/${activityId}/contributions.xlsx`)}>{t('activity.export')}</Button>}>
      <Table<Contribution> rowKey="memberId" size="small" dataSource={list.data?.items ?? []} loading={list.isFetching} pagination={false} scroll={{ x: 'max-content' }}
        columns={[
          { title: t('member.name'), dataIndex: 'name' },
          { title: t('activity.idea'), dataIndex: 'idea' },
          { title: t('activity.opinion'), dataIndex: 'opinion' },
          { title: t('activity.volunteer'), dataIndex: 'volunteerProposal' },
          { title: t('activity.takeaway'), dataIndex: 'takeaway' },
        ]} />
    </Card>
  );
}
