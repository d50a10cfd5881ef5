import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Grid, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  ADVANCEABLE_PHASES, APPRAISAL_GRADES, APPRAISAL_PHASES, type AppraisalGrade, type AppraisalParticipant, type AppraisalRound, type CommitteeGrades,
  type FinalGrades, type OpenAppraisalNotice,
} from '../../../../contracts/appraisals.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { GradeTag, PhaseTag } from './AppraisalTags.js';

/**
 * One branch's round: progress, the tallies of the (anonymous) mutual evaluation, the committee's and the
 * final grades, the 公示 of the 优秀 and publication.
 */
export default function AppraisalRoundPage() {
  const { id = '' } = useParams();
  const round = useQuery({ queryKey: ['appraisals', 'one', id], queryFn: () => api.get<AppraisalRound>(`/appraisals/${id}`) });
  return (
    <QueryState isLoading={round.isLoading} error={round.error} retry={() => void round.refetch()}>
      {round.data && <RoundView round={round.data} />}
    </QueryState>
  );
}

type Edits = Record<string, { grade?: AppraisalGrade; reason?: string }>;

function RoundView({ round }: { round: AppraisalRound }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [edits, setEdits] = useState<Edits>({});
  const [noticeOpen, setNoticeOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const editable = round.canManage ? round.phase : null;
  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await action();
      setEdits({});
      void message.success(done);
      void queryClient.invalidateQueries({ queryKey: ['appraisals'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
    }
  };
  const next = APPRAISAL_PHASES[APPRAISAL_PHASES.indexOf(round.phase) + 1];
  const canAdvance = round.canManage && (ADVANCEABLE_PHASES as readonly string[]).includes(round.phase) && next;
  const gradeOptions = APPRAISAL_GRADES.map((g) => ({ value: g, label: t(`appraisal.grade.${g}`) }));
  const edited = (p: AppraisalParticipant, field: 'committeeGrade' | 'finalGrade') => edits[p.memberId]?.grade ?? p[field] ?? undefined;
  const setEdit = (memberId: string, change: { grade?: AppraisalGrade; reason?: string }) => setEdits((e) => ({ ...e, [memberId]: { ...e[memberId], ...change } }));

  const saveCommittee = () => act(() => api.put(`/appraisals/${round.id}/committee-grades`, {
    grades: round.items.flatMap((p) => { const grade = edited(p, 'committeeGrade'); return grade ? [{ memberId: p.memberId, grade }] : []; }),
  } satisfies CommitteeGrades), t('appraisal.saved'));
  // the committee's grade is the starting point of the final one
  const saveFinal = () => act(() => api.put(`/appraisals/${round.id}/final-grades`, {
    grades: round.items.flatMap((p) => {
      const grade = edits[p.memberId]?.grade ?? p.finalGrade ?? p.committeeGrade;
      return grade ? [{ memberId: p.memberId, grade, reason: edits[p.memberId]?.reason ?? p.finalReason }] : [];
    }),
  } satisfies FinalGrades), t('appraisal.saved'));

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={<h1 style={{ fontSize: 16, margin: 0 }}>{round.orgName} · {round.year} {t('menu.appraisals')}</h1>}
        extra={<Link to="/appraisals"><ArrowLeftOutlined /> {t('appraisal.back')}</Link>}
        styles={{ body: { padding: screens.md ? 24 : 12 } }}
      >
        <Descriptions size="small" column={screens.md ? 3 : 1}>
          <Descriptions.Item label={t('appraisal.phase')}><PhaseTag phase={round.phase} /></Descriptions.Item>
          <Descriptions.Item label={t('appraisal.participants')}>{round.participants}</Descriptions.Item>
          <Descriptions.Item label={t('appraisal.self_assessed')}>{round.selfAssessed}</Descriptions.Item>
          <Descriptions.Item label={t('appraisal.ballots')}>{round.ballots}</Descriptions.Item>
          <Descriptions.Item label={t('appraisal.response_rate')}>{Math.round(round.responseRate * 100)}%</Descriptions.Item>
          <Descriptions.Item label={t('appraisal.share')}>
            {round.canManage && round.phase !== 'public_notice' ? (
              <InputNumber size="small" min={0} max={100} defaultValue={round.excellentSharePercent} aria-label={t('appraisal.share')}
                onBlur={(e) => {
                  const value = Number(e.target.value);
                  if (Number.isInteger(value) && value !== round.excellentSharePercent) void act(() => api.patch(`/appraisals/${round.id}`, { excellentSharePercent: value }), t('appraisal.saved'));
                }} />
            ) : `${round.excellentSharePercent}%`}
            <Typography.Text type="secondary" style={{ marginLeft: 8 }}>{t('appraisal.max_excellent', { max: round.maxExcellent, percent: round.excellentSharePercent })}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <Space wrap style={{ marginTop: 12 }}>
          {canAdvance && (
            <Popconfirm title={t('appraisal.advance_confirm')} onConfirm={() => void act(() => api.post(`/appraisals/${round.id}/advance`, {}), t('appraisal.saved'))} okText={t('common.confirm')} cancelText={t('common.cancel')}>
              <Button type="primary" loading={busy} data-testid="appraisal-advance">{t('appraisal.advance', { phase: t(`appraisal.phase.${next}`) })}</Button>
            </Popconfirm>
          )}
          {editable === 'committee' && <Button onClick={() => void saveCommittee()} loading={busy}>{t('appraisal.save_committee')}</Button>}
          {editable === 'final' && <Button onClick={() => void saveFinal()} loading={busy} data-testid="appraisal-save-final">{t('appraisal.save_final')}</Button>}
          {editable === 'final' && <Button onClick={() => setNoticeOpen(true)}>{t('appraisal.notice')}</Button>}
          {round.canManage && (round.phase === 'final' || round.phase === 'public_notice') && (
            <Popconfirm title={t('appraisal.publish_confirm')} onConfirm={() => void act(() => api.post(`/appraisals/${round.id}/publish`, {}), t('appraisal.published'))} okText={t('common.confirm')} cancelText={t('common.cancel')}>
              <Button loading={busy}>{t('appraisal.publish')}</Button>
            </Popconfirm>
          )}
        </Space>
      </Card>
      <Card size="small">
        <Alert type="info" showIcon message={t('appraisal.anonymous_hint')} style={{ marginBottom: 12 }} />
        <Table<AppraisalParticipant>
          rowKey="memberId" size="small" pagination={false} dataSource={round.items} scroll={{ x: 'max-content' }} data-testid="appraisal-participants"
          expandable={{ expandedRowRender: (p) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{p.selfSummary ?? '—'}</Typography.Paragraph>, rowExpandable: (p) => !!p.selfSummary }}
          columns={[
            { title: t('appraisal.participants'), dataIndex: 'name', width: 110 },
            { title: t('appraisal.self_grade'), key: 'self', width: 90, render: (_: unknown, p) => <GradeTag grade={p.selfGrade} /> },
            {
              title: t('appraisal.tally'), key: 'tally', width: 240,
              render: (_: unknown, p) => (p.tally ? APPRAISAL_GRADES.map((g) => `${t(`appraisal.grade.${g}`)} ${p.tally![g]}`).join(' · ')
                : <Typography.Text type="secondary">{t('appraisal.tally_hidden')}</Typography.Text>),
            },
            {
              title: t('appraisal.committee_grade'), key: 'committee', width: 130,
              render: (_: unknown, p) => (editable === 'committee'
                ? <Select size="small" style={{ width: 120 }} value={edited(p, 'committeeGrade')} options={gradeOptions} aria-label={`${t('appraisal.committee_grade')} ${p.name}`} onChange={(grade: AppraisalGrade) => setEdit(p.memberId, { grade })} />
                : <GradeTag grade={p.committeeGrade} />),
            },
            {
              title: t('appraisal.final_grade'), key: 'final', width: 300,
              render: (_: unknown, p) => (editable === 'final' ? (
                <Space size={4} wrap>
                  <Select size="small" style={{ width: 120 }} value={edits[p.memberId]?.grade ?? p.finalGrade ?? p.committeeGrade ?? undefined} options={gradeOptions}
                    aria-label={`${t('appraisal.final_grade')} ${p.name}`} onChange={(grade: AppraisalGrade) => setEdit(p.memberId, { grade })} />
                  <Input size="small" style={{ width: 160 }} maxLength={500} placeholder={t('appraisal.reason_placeholder')} aria-label={`${t('appraisal.reason')} ${p.name}`}
                    defaultValue={p.finalReason ?? ''} onChange={(e) => setEdit(p.memberId, { reason: e.target.value })} />
                </Space>
              ) : (
                <Space orientation="vertical" size={0}>
                  <span><GradeTag grade={p.finalGrade} />{p.finalReason && <Typography.Text type="secondary">{p.finalReason}</Typography.Text>}</span>
                  {p.withdrawnReason && <Typography.Text type="warning" style={{ fontSize: 12 }}>{t('appraisal.withdrawn', { reason: p.withdrawnReason })}</Typography.Text>}
                </Space>
              )),
            },
          ]}
        />
      </Card>
      {noticeOpen && <NoticeDialog round={round} onClose={() => setNoticeOpen(false)} />}
    </Space>
  );
}

interface NoticeValues { dates: [Dayjs, Dayjs]; title?: string }

function NoticeDialog({ round, onClose }: { round: AppraisalRound; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<NoticeValues>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: NoticeValues) => run(async () => {
    const body: OpenAppraisalNotice = { startsOn: isoDay(v.dates[0])!, endsOn: isoDay(v.dates[1])!, title: v.title ?? null };
    await api.post<AppraisalRound>(`/appraisals/${round.id}/public-notice`, body);
    void message.success(t('appraisal.notice_opened'));
    void queryClient.invalidateQueries({ queryKey: ['appraisals'] });
    onClose();
  });
  return (
    <Modal open title={t('appraisal.notice')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('appraisal.notice_hint')}</Typography.Paragraph>
      <Form<NoticeValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ dates: [todayInChina(), todayInChina().add(6, 'day')] }}>
        <Form.Item name="dates" label={t('appraisal.notice_dates')} rules={[{ required: true, message: t('appraisal.required') }]}><DatePicker.RangePicker /></Form.Item>
        <Form.Item name="title" label={t('appraisal.notice_title')}><Input maxLength={100} /></Form.Item>
      </Form>
    </Modal>
  );
}
