import { Link, useParams } from 'react-router';
import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Popconfirm, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { DraftScore, JudgeEntryDetail, RubricCriterion } from '../../../../contracts/judging.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { entryName, MineTag } from './JudgePanelPage.js';

interface Values { scores: Record<string, number | null>; comment?: string | null }

/** The weighted total on 0..100 as the server computes it (shown while scoring; the server's is the record). */
function previewTotal(criteria: RubricCriterion[], scores: Record<string, number | null | undefined> | undefined): number | null {
  const weights = criteria.reduce((sum, c) => sum + c.weight, 0);
  let total = 0;
  for (const c of criteria) {
    const score = scores?.[c.key];
    if (score == null) return null;
    total += (c.weight * score) / c.maxScore;
  }
  return Math.round((total / weights) * 10000) / 100;
}

/** Scoring one entry on a phone: one input per criterion with its rubric, a draft, then a locked submission. */
export default function ScoreEntryPage() {
  const t = useT();
  const { message } = App.useApp();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const { saving, run } = useFormSubmit(form);
  const entry = useQuery({ queryKey: ['judging', 'entry', id], queryFn: () => api.get<JudgeEntryDetail>(`/judging/entries/${id}`), retry: false });
  const data = entry.data;
  const scores = Form.useWatch('scores', form);

  useEffect(() => {
    if (data) form.setFieldsValue({ scores: Object.fromEntries(data.panel.criteria.map((c) => [c.key, data.mine?.scores[c.key] ?? null])), comment: data.mine?.comment ?? '' });
  }, [data, form]);

  const save = (submit: boolean) => run(async () => {
    const values = submit ? await form.validateFields() : form.getFieldsValue();
    const body: DraftScore = { scores: values.scores ?? {}, comment: values.comment || null };
    const saved = await api[submit ? 'post' : 'put']<JudgeEntryDetail>(`/judging/entries/${id}/${submit ? 'submit' : 'draft'}`, body);
    queryClient.setQueryData(['judging', 'entry', id], saved);
    void queryClient.invalidateQueries({ queryKey: ['judging', 'panel'] });
    void queryClient.invalidateQueries({ queryKey: ['judging', 'tasks'] });
    void message.success(t(submit ? 'judging.submitted' : 'judging.saved'));
  });

  const locked = !!data?.mine?.locked;
  const editable = !!data && !locked && data.panel.state === 'open';
  const total = data ? (locked ? data.mine?.total ?? null : previewTotal(data.panel.criteria, scores)) : null;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="score-entry">
      {data && <Link to={`/me/judging/panels/${data.panel.id}`}><Button icon={<ArrowLeftOutlined />}>{t('judging.back_to_entries')}</Button></Link>}
      <QueryState isLoading={entry.isLoading} error={entry.error}>
        {data && (
          <Card styles={{ body: { padding: 16 } }}>
            <Typography.Text type="secondary">{data.panel.title}</Typography.Text>
            <Space size={6} wrap style={{ display: 'flex', margin: '4px 0 12px' }}>
              <Typography.Title level={1} style={{ fontSize: 20, margin: 0 }}>{entryName(t, data)}</Typography.Title>
              <MineTag entry={data} />
            </Space>
            {data.orgName && <Typography.Paragraph type="secondary">{data.orgName}</Typography.Paragraph>}
            {data.summary && (
              <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}
                items={[{ key: 'summary', label: t('judging.summary'), children: <span style={{ whiteSpace: 'pre-wrap' }}>{data.summary}</span> }]} />
            )}
            {locked && <Alert type="success" showIcon style={{ marginBottom: 12 }} message={t('judging.locked', { time: formatTime(data.mine?.submittedAt) })} />}
            {!locked && data.panel.state !== 'open' && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('judging.not_open_hint')} />}
            <Typography.Title level={2} style={{ fontSize: 16 }}>{t('judging.rubric')}</Typography.Title>
            <Form form={form} layout="vertical" disabled={!editable} requiredMark={false}>
              {data.panel.criteria.map((c) => {
                const weight = Math.round((c.weight / data.panel.criteria.reduce((s, x) => s + x.weight, 0)) * 1000) / 10;
                return (
                  <Form.Item key={c.key} name={['scores', c.key]} label={c.name} extra={t('judging.criterion_hint', { max: c.maxScore, weight })}
                    rules={[{ required: true, message: t('judging.score_label', { name: c.name }) }]}>
                    <InputNumber min={0} max={c.maxScore} step={0.5} precision={2} inputMode="decimal" aria-label={t('judging.score_label', { name: c.name })}
                      style={{ width: '100%', maxWidth: 240 }} size="large" />
                  </Form.Item>
                );
              })}
              <Form.Item name="comment" label={t('judging.comment')}>
                <Input.TextArea rows={3} maxLength={500} showCount />
              </Form.Item>
            </Form>
            <Space align="baseline" style={{ marginBottom: 12 }}>
              <Typography.Text>{t('judging.total_preview')}</Typography.Text>
              <Typography.Text strong style={{ fontSize: 20 }} data-testid="judging-total">{total == null ? '—' : total.toFixed(2)}</Typography.Text>
            </Space>
            {editable && (
              <Space wrap>
                <Button onClick={() => void save(false)} loading={saving}>{t('judging.save_draft')}</Button>
                <Popconfirm title={t('judging.submit_confirm')} onConfirm={() => save(true)} okText={t('common.confirm')} cancelText={t('common.cancel')}>
                  <Button type="primary" loading={saving}>{t('judging.submit')}</Button>
                </Popconfirm>
              </Space>
            )}
            {!editable && !locked && <Tag>{t(`judging.state.${data.panel.state}`)}</Tag>}
          </Card>
        )}
      </QueryState>
    </Space>
  );
}
