import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Alert, Button, Card, DatePicker, Descriptions, Form, Input, Modal, Popconfirm, Radio, Select, Space, Tag, Typography } from 'antd';
import type { Check, Grade, Round } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { EvidenceFiles } from './EvidenceFiles.js';
import { RectificationCard } from './RectificationCard.js';
import { formatValue, GradeTag, RoundStatusTag } from './tags.js';

/**
 * One branch's grading round: the checklist with the computed values (each opening its records), the
 * branch's self-assessment form (phone-first), the reviewer's grading, the one appeal, publication,
 * and for a low grade the rectification tasks and the re-grade.
 */
export default function RoundPage() {
  const t = useT();
  const { id = '' } = useParams();
  const round = useQuery({ queryKey: ['standardization', 'round', id], queryFn: () => api.get<Round>(`/standardization/rounds/${id}`) });
  const r = round.data;
  return (
    <QueryState isLoading={round.isLoading} error={round.error} retry={() => void round.refetch()}>
      {r && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="standardization-round">
          <Typography.Title level={1} style={{ margin: 0, fontSize: 20, overflowWrap: 'anywhere' }}>{r.orgName}</Typography.Title>
          <Space wrap size={[6, 4]}>
            <RoundStatusTag status={r.status} />
            {r.gradeName && <GradeTag name={r.gradeName} isLow={!!r.gradeIsLow} />}
            {r.superseded && <Tag>{t('std.superseded')}</Tag>}
            <Typography.Text type="secondary">{r.year} · {r.schemeName}</Typography.Text>
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('std.period', { from: r.period.from, to: r.period.to })}</Typography.Text>
          {(r.previousRoundId || r.nextRoundId) && (
            <Space wrap>
              {r.previousRoundId && <Link to={`/standardization/rounds/${r.previousRoundId}`}>{t('std.previous_round')}</Link>}
              {r.nextRoundId && <Link to={`/standardization/rounds/${r.nextRoundId}`}>{t('std.next_round')}</Link>}
            </Space>
          )}
          {r.returnReason && r.status === 'self_assessing' && <Alert type="warning" showIcon message={t('std.returned_because', { reason: r.returnReason })} />}
          <Outcome round={r} />
          {r.abilities.selfAssess ? <SelfAssessmentForm round={r} /> : r.abilities.review ? <ReviewForm round={r} /> : <Checklist round={r} />}
          <Actions round={r} />
          {(r.rectifications.length > 0 || r.abilities.rectify) && <Rectifications round={r} />}
        </Space>
      )}
    </QueryState>
  );
}

const gradeName = (grades: Grade[], level: number | null) => grades.find((g) => g.level === level)?.name ?? '';

function Outcome({ round: r }: { round: Round }) {
  const t = useT();
  if (!r.reviewedAt && !r.selfSummary && r.proposedLevel === null) return null;
  return (
    <Card size="small">
      <Descriptions column={1} size="small">
        {r.proposedLevel !== null && <Descriptions.Item label={t('std.proposed_level')}>{gradeName(r.grades, r.proposedLevel)}</Descriptions.Item>}
        {r.selfSummary && <Descriptions.Item label={t('std.summary')}>{r.selfSummary}</Descriptions.Item>}
        {r.gradeName && <Descriptions.Item label={t('std.grade_given')}>{r.gradeName}</Descriptions.Item>}
        {r.reviewComment && <Descriptions.Item label={t('std.review_comment')}>{r.reviewComment}</Descriptions.Item>}
        {r.reviewerName && <Descriptions.Item label={t('std.reviewer', { name: r.reviewerName })}>{formatTime(r.reviewedAt)}</Descriptions.Item>}
        {r.appealReason && <Descriptions.Item label={t('std.appeal')}>{t('std.appeal_by', { reason: r.appealReason })}</Descriptions.Item>}
        {r.appealResponse && <Descriptions.Item label={t('std.rereview')}>{t('std.rereview_result', { response: r.appealResponse })}</Descriptions.Item>}
        {r.originalGradeLevel !== null && <Descriptions.Item label={t('std.grade')}>{t('std.original_grade', { grade: gradeName(r.grades, r.originalGradeLevel) })}</Descriptions.Item>}
      </Descriptions>
    </Card>
  );
}

function CheckHeader({ check: c, round: r, index }: { check: Check; round: Round; index: number }) {
  const t = useT();
  const required = c.requiredForLevel !== null ? t('std.required_for_grade', { grade: gradeName(r.grades, c.requiredForLevel) }) : null;
  const value = formatValue(c.value, c.indicatorUnit);
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%' }}>
      <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>{index + 1}. {c.text}</Typography.Text>
      <Space wrap size={[6, 4]}>
        <Tag>{t(`std.kind.${c.kind}`)}</Tag>
        {required && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{required}</Typography.Text>}
        {c.points > 0 && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('std.points')} {c.points}</Typography.Text>}
      </Space>
      {c.kind === 'computed' && (
        <Space wrap size={[6, 4]}>
          <Typography.Text>{c.indicatorName ?? c.indicatorCode}：{value === null ? t('std.no_data') : t('std.value', { value })}
            {c.numerator !== null && c.denominator ? `（${c.numerator}/${c.denominator}）` : ''} ≥ {formatValue(c.threshold, c.indicatorUnit)}</Typography.Text>
          {c.recordsLink && <Link to={c.recordsLink}>{t('std.records')}</Link>}
        </Space>
      )}
    </Space>
  );
}

const metTag = (met: boolean | null, t: ReturnType<typeof useT>) => (met === null ? null : <Tag color={met ? 'green' : 'red'}>{met ? t('std.met') : t('std.not_met')}</Tag>);

function Checklist({ round: r }: { round: Round }) {
  const t = useT();
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {r.checks.map((c, i) => (
        <Card size="small" key={c.criterionId}>
          <CheckHeader check={c} round={r} index={i} />
          <Space wrap size={[6, 4]} style={{ marginTop: 6 }}>
            {c.selfMet !== null && <span>{t('std.self')} {metTag(c.selfMet, t)}</span>}
            {c.reviewMet !== null && <span>{t('std.review_verdict')} {metTag(c.reviewMet, t)}</span>}
          </Space>
          {c.evidence && <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0', overflowWrap: 'anywhere' }}>{t('std.evidence')}：{c.evidence}</Typography.Paragraph>}
          <EvidenceFiles round={r} check={c} editable={false} />
          {c.reviewComment && <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>{t('std.comment')}：{c.reviewComment}</Typography.Paragraph>}
        </Card>
      ))}
    </Space>
  );
}

type SelfForm = { checks: { met: boolean | null; evidence: string | null }[]; proposedLevel: number | null; summary: string | null };

function SelfAssessmentForm({ round: r }: { round: Round }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SelfForm>();
  const { saving, run } = useFormSubmit(form);
  useEffect(() => {
    form.setFieldsValue({ checks: r.checks.map((c) => ({ met: c.selfMet, evidence: c.evidence })), proposedLevel: r.proposedLevel, summary: r.selfSummary });
    // filled once per round: an uploaded file replaces the round's data without resetting unsaved answers
  }, [form, r.id]);
  const body = (v: SelfForm) => ({
    checks: r.checks.map((c, i) => ({ criterionId: c.criterionId, ...(c.kind === 'evidenced' ? { met: v.checks[i]?.met ?? null } : {}), evidence: v.checks[i]?.evidence ?? null })),
    proposedLevel: v.proposedLevel ?? null, summary: v.summary ?? null,
  });
  const save = (andSubmit: boolean) => run(async () => {
    const saved = await api.put<Round>(`/standardization/rounds/${r.id}/self-assessment`, body(form.getFieldsValue(true) as SelfForm));
    queryClient.setQueryData(['standardization', 'round', r.id], saved);
    if (andSubmit) {
      const submitted = await api.post<Round>(`/standardization/rounds/${r.id}/submit`);
      queryClient.setQueryData(['standardization', 'round', r.id], submitted);
      await queryClient.invalidateQueries({ queryKey: ['standardization', 'rounds'] });
    }
    void message.success(t('std.saved'));
  });
  return (
    <Form form={form} layout="vertical" data-testid="self-assessment-form">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {r.checks.map((c, i) => (
          <Card size="small" key={c.criterionId}>
            <CheckHeader check={c} round={r} index={i} />
            {c.kind === 'evidenced'
              ? <Form.Item name={['checks', i, 'met']} label={t('std.self')} style={{ margin: '8px 0' }}>
                  <Radio.Group optionType="button" options={[{ value: true, label: t('std.met') }, { value: false, label: t('std.not_met') }]} />
                </Form.Item>
              : <div style={{ margin: '8px 0' }}>{t('std.self')} {metTag(c.selfMet, t)}</div>}
            <Form.Item name={['checks', i, 'evidence']} label={t('std.evidence')} style={{ margin: 0 }}>
              <Input.TextArea rows={2} maxLength={2000} />
            </Form.Item>
            <EvidenceFiles round={r} check={c} editable />
          </Card>
        ))}
        <Card size="small">
          <Form.Item name="proposedLevel" label={t('std.proposed_level')} extra={r.suggestedSelfLevel ? t('std.suggested', { grade: gradeName(r.grades, r.suggestedSelfLevel) }) : undefined}>
            <Radio.Group options={r.grades.map((g) => ({ value: g.level, label: g.name }))} />
          </Form.Item>
          <Form.Item name="summary" label={t('std.summary')} style={{ marginBottom: 0 }}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        </Card>
        <Space wrap>
          <Button loading={saving} onClick={() => void save(false)}>{t('std.save_draft')}</Button>
          <Popconfirm title={t('std.submit_confirm')} onConfirm={() => void save(true)} okText={t('std.submit')} cancelText={t('std.cancel')}>
            <Button type="primary" loading={saving}>{t('std.submit')}</Button>
          </Popconfirm>
        </Space>
      </Space>
    </Form>
  );
}

type ReviewFormValues = { checks: { met: boolean | null; comment: string | null }[]; gradeLevel: number | null; comment: string | null };

function ReviewForm({ round: r }: { round: Round }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ReviewFormValues>();
  const { saving, run } = useFormSubmit(form);
  useEffect(() => {
    form.setFieldsValue({ checks: r.checks.map((c) => ({ met: c.reviewMet ?? (c.kind === 'computed' ? c.selfMet : null), comment: c.reviewComment })), gradeLevel: r.proposedLevel, comment: null });
  }, [form, r]);
  const submit = () => run(async () => {
    const v = form.getFieldsValue(true) as ReviewFormValues;
    const reviewed = await api.post<Round>(`/standardization/rounds/${r.id}/review`, {
      checks: r.checks.flatMap((c, i) => (v.checks[i]?.met === null || v.checks[i]?.met === undefined ? [] : [{ criterionId: c.criterionId, met: v.checks[i]!.met, comment: v.checks[i]?.comment ?? null }])),
      gradeLevel: v.gradeLevel, comment: v.comment ?? null,
    });
    queryClient.setQueryData(['standardization', 'round', r.id], reviewed);
    await queryClient.invalidateQueries({ queryKey: ['standardization', 'rounds'] });
    void message.success(t('std.saved'));
  });
  return (
    <Form form={form} layout="vertical" data-testid="review-form">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {r.checks.map((c, i) => (
          <Card size="small" key={c.criterionId}>
            <CheckHeader check={c} round={r} index={i} />
            <div style={{ margin: '6px 0' }}>{t('std.self')} {metTag(c.selfMet, t)}</div>
            {c.evidence && <Typography.Paragraph type="secondary" style={{ overflowWrap: 'anywhere' }}>{t('std.evidence')}：{c.evidence}</Typography.Paragraph>}
            <EvidenceFiles round={r} check={c} editable={false} />
            <Form.Item name={['checks', i, 'met']} label={t('std.review_verdict')} style={{ margin: '4px 0' }}>
              <Radio.Group optionType="button" options={[{ value: true, label: t('std.met') }, { value: false, label: t('std.not_met') }]} />
            </Form.Item>
            <Form.Item name={['checks', i, 'comment']} label={t('std.comment')} style={{ margin: 0 }}><Input maxLength={1000} /></Form.Item>
          </Card>
        ))}
        <Card size="small">
          <Form.Item name="gradeLevel" label={t('std.grade_given')} rules={[{ required: true }]}
            extra={r.suggestedSelfLevel ? t('std.suggested', { grade: gradeName(r.grades, r.suggestedSelfLevel) }) : undefined}>
            <Radio.Group options={r.grades.map((g) => ({ value: g.level, label: g.name }))} />
          </Form.Item>
          <Form.Item name="comment" label={t('std.review_comment')} style={{ marginBottom: 0 }}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        </Card>
        <Space wrap>
          <Button type="primary" loading={saving} onClick={() => void submit()}>{t('std.review')}</Button>
          <ReasonButton round={r} action="return" label={t('std.return')} field={t('std.return_reason')} />
        </Space>
      </Space>
    </Form>
  );
}

/** A write that asks for one text (the appeal's reason, the return's, the re-review's response and grade). */
function ReasonButton({ round: r, action, label, field, danger }: { round: Round; action: 'return' | 'appeal' | 'rereview'; label: string; field: string; danger?: boolean }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string; gradeLevel?: number }>();
  const { saving, run } = useFormSubmit(form);
  const send = () => run(async () => {
    const v = await form.validateFields();
    const body = action === 'rereview' ? { gradeLevel: v.gradeLevel, response: v.reason } : { reason: v.reason };
    const next = await api.post<Round>(`/standardization/rounds/${r.id}/${action}`, body);
    queryClient.setQueryData(['standardization', 'round', r.id], next);
    await queryClient.invalidateQueries({ queryKey: ['standardization', 'rounds'] });
    setOpen(false);
  });
  return (
    <>
      <Button danger={danger} onClick={() => setOpen(true)}>{label}</Button>
      <Modal open={open} title={label} onCancel={() => setOpen(false)} onOk={() => void send()} okButtonProps={{ loading: saving }} cancelText={t('std.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ gradeLevel: r.gradeLevel ?? undefined }}>
          {action === 'appeal' && <Typography.Paragraph type="secondary">{t('std.appeal_note')}</Typography.Paragraph>}
          {action === 'rereview' && (
            <Form.Item name="gradeLevel" label={t('std.grade_given')} rules={[{ required: true }]}>
              <Select options={r.grades.map((g) => ({ value: g.level, label: g.name }))} />
            </Form.Item>
          )}
          <Form.Item name="reason" label={field} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function Actions({ round: r }: { round: Round }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const act = useMutation({
    mutationFn: (action: 'accept' | 'publish' | 'regrade') => api.post<Round>(`/standardization/rounds/${r.id}/${action}`),
    onSuccess: async (next, action) => {
      if (action === 'regrade') void navigate(`/standardization/rounds/${next.id}`);
      else queryClient.setQueryData(['standardization', 'round', r.id], next);
      await queryClient.invalidateQueries({ queryKey: ['standardization', 'rounds'] });
    },
    onError: (error) => void message.error(errorMessage(error, t('app.error'))),
  });
  const a = r.abilities;
  if (!a.appeal && !a.accept && !a.rereview && !a.publish && !a.regrade) return null;
  return (
    <Space wrap>
      {a.accept && <Button onClick={() => act.mutate('accept')} loading={act.isPending}>{t('std.accept')}</Button>}
      {a.appeal && <ReasonButton round={r} action="appeal" label={t('std.appeal')} field={t('std.appeal_reason')} danger />}
      {a.rereview && <ReasonButton round={r} action="rereview" label={t('std.rereview')} field={t('std.rereview_response')} />}
      {a.publish && (
        <Popconfirm title={t('std.publish_confirm')} onConfirm={() => act.mutate('publish')} okText={t('std.publish')} cancelText={t('std.cancel')}>
          <Button type="primary" loading={act.isPending}>{t('std.publish')}</Button>
        </Popconfirm>
      )}
      {a.regrade && <Button type="primary" onClick={() => act.mutate('regrade')} loading={act.isPending}>{t('std.regrade')}</Button>}
    </Space>
  );
}

function Rectifications({ round: r }: { round: Round }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ task: string; deadline: unknown; ownerName: string }>();
  const { saving, run } = useFormSubmit(form);
  const create = () => run(async () => {
    const v = await form.validateFields();
    await api.post(`/standardization/rounds/${r.id}/rectifications`, { task: v.task, deadline: isoDay(v.deadline as never), ownerName: v.ownerName });
    await queryClient.invalidateQueries({ queryKey: ['standardization'] });
    setOpen(false);
  });
  return (
    <Card size="small" title={t('std.rectifications')} extra={r.abilities.rectify ? <Button size="small" onClick={() => setOpen(true)}>{t('std.new_task')}</Button> : undefined}>
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {r.rectifications.map((task) => <RectificationCard key={task.id} task={task} />)}
      </Space>
      <Modal open={open} title={t('std.new_task')} onCancel={() => setOpen(false)} onOk={() => void create()} okButtonProps={{ loading: saving }} cancelText={t('std.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="task" label={t('std.task')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} maxLength={500} /></Form.Item>
          <Form.Item name="deadline" label={t('std.deadline')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="ownerName" label={t('std.owner')} rules={[{ required: true, whitespace: true }]}><Input maxLength={40} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
