import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, List, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { APPRAISAL_GRADES, type AppraisalBallot, type AppraisalGrade, type MyAppraisal, type MyAppraisals, type SelfAssessment } from '../../../../contracts/appraisals.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { GradeTag, PhaseTag } from './AppraisalTags.js';

/** 我的民主评议, phone-first: write the 自评, cast the one anonymous 测评 ballot, read the published result. */
export default function MyAppraisalsPage() {
  const t = useT();
  const mine = useQuery({ queryKey: ['appraisals', 'mine'], queryFn: () => api.get<MyAppraisals>('/me/appraisals') });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-appraisals">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_appraisals')}</Typography.Title>
      <QueryState isLoading={mine.isLoading} error={mine.error}>
        {mine.data && mine.data.items.length === 0 ? <Empty description={t('my_appraisal.none')} /> : (
          <List<MyAppraisal> dataSource={mine.data?.items ?? []} split={false} renderItem={(a) => (
            <CardItem>
              <Card size="small" style={{ marginBottom: 8 }} title={<span style={{ fontSize: 14 }}>{a.orgName} · {a.year}</span>} extra={<PhaseTag phase={a.phase} />}>
                <RoundBody appraisal={a} />
              </Card>
            </CardItem>
          )} />
        )}
      </QueryState>
    </Space>
  );
}

function RoundBody({ appraisal: a }: { appraisal: MyAppraisal }) {
  const t = useT();
  if (a.phase === 'self_assessment') return <SelfAssessmentForm appraisal={a} />;
  if (a.phase === 'mutual' && !a.hasVoted) return <BallotForm appraisal={a} />;
  if (a.phase === 'published') {
    return (
      <Space orientation="vertical" size={4}>
        <Typography.Text>{t('my_appraisal.result')}：<GradeTag grade={a.finalGrade} /></Typography.Text>
        {a.finalReason && <Typography.Text type="secondary">{a.finalReason}</Typography.Text>}
      </Space>
    );
  }
  return (
    <Space orientation="vertical" size={4}>
      {a.hasVoted && <Tag color="green" style={{ alignSelf: 'flex-start' }}>{t('my_appraisal.voted')}</Tag>}
      <Typography.Text type="secondary">{t('my_appraisal.waiting')}</Typography.Text>
    </Space>
  );
}

const gradeOptions = (t: ReturnType<typeof useT>) => APPRAISAL_GRADES.map((g) => ({ value: g, label: t(`appraisal.grade.${g}`) }));

function SelfAssessmentForm({ appraisal }: { appraisal: MyAppraisal }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SelfAssessment>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: SelfAssessment) => run(async () => {
    await api.put<MyAppraisal>(`/me/appraisals/${appraisal.id}/self-assessment`, v);
    void message.success(t('my_appraisal.self_saved'));
    void queryClient.invalidateQueries({ queryKey: ['appraisals', 'mine'] });
  });
  return (
    <Form<SelfAssessment> form={form} layout="vertical" onFinish={(v) => void submit(v)}
      initialValues={{ summary: appraisal.selfSummary ?? '', grade: appraisal.selfGrade ?? undefined }}>
      <Form.Item name="summary" label={t('my_appraisal.self_title')} rules={[{ required: true, whitespace: true, message: t('appraisal.required') }]}>
        <Input.TextArea rows={6} maxLength={3000} placeholder={t('my_appraisal.self_placeholder')} />
      </Form.Item>
      <Form.Item name="grade" label={t('my_appraisal.self_grade')} rules={[{ required: true, message: t('appraisal.required') }]}>
        <Radio.Group options={gradeOptions(t)} optionType="button" />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} block>{t('my_appraisal.submit_self')}</Button>
    </Form>
  );
}

function BallotForm({ appraisal }: { appraisal: MyAppraisal }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [grades, setGrades] = useState<Record<string, AppraisalGrade>>({});
  const [saving, setSaving] = useState(false);
  const complete = appraisal.others.every((o) => grades[o.memberId]);
  const submit = async () => {
    setSaving(true);
    try {
      const body: AppraisalBallot = { ratings: appraisal.others.map((o) => ({ memberId: o.memberId, grade: grades[o.memberId]! })) };
      await api.post<MyAppraisal>(`/me/appraisals/${appraisal.id}/ballot`, body);
      void message.success(t('my_appraisal.ballot_saved'));
      void queryClient.invalidateQueries({ queryKey: ['appraisals', 'mine'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="appraisal-ballot">
      <Typography.Text type="secondary">{t('my_appraisal.mutual_hint')}</Typography.Text>
      {appraisal.others.map((o) => (
        <div key={o.memberId} style={{ borderBottom: '1px solid rgba(0,0,0,0.06)', paddingBottom: 8 }}>
          <Typography.Text strong style={{ display: 'block', marginBottom: 4 }}>{o.name}</Typography.Text>
          <Radio.Group aria-label={o.name} size="small" optionType="button" options={gradeOptions(t)} value={grades[o.memberId]}
            onChange={(e) => setGrades((g) => ({ ...g, [o.memberId]: e.target.value as AppraisalGrade }))} />
        </div>
      ))}
      {!complete && <Typography.Text type="secondary">{t('my_appraisal.rate_all')}</Typography.Text>}
      <Popconfirm title={t('my_appraisal.ballot_confirm')} onConfirm={() => void submit()} okText={t('common.confirm')} cancelText={t('common.cancel')} disabled={!complete}>
        <Button type="primary" block disabled={!complete} loading={saving}>{t('my_appraisal.submit_ballot')}</Button>
      </Popconfirm>
    </Space>
  );
}
