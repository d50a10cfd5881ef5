import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Input, List, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, LeftOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { ReadResultSchema, StudyPlanDetailSchema } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { formatTime, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { StudyProgress } from './StudyTags.js';
import { CardItem } from '../../platform/CardItem.js';

type PlanDetail = z.infer<typeof StudyPlanDetailSchema>;
type PlanItem = PlanDetail['items'][number];
type ReadResult = z.infer<typeof ReadResultSchema>;

/** My study plan: each chapter with its date, what I have done, and marking the next one done with a note. */
export default function PlanPage() {
  const t = useT();
  const { id = '' } = useParams();
  const plan = useQuery({ queryKey: ['learning', 'plans', 'one', id], queryFn: () => api.get<PlanDetail>(`/learning/plans/${id}`) });
  const p = plan.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="plan-page">
      <Link to="/me/learning?tab=plans"><LeftOutlined /> {t('study.tab.plans')}</Link>
      <QueryState isLoading={plan.isLoading} error={plan.error} retry={() => void plan.refetch()}>
        {p && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" styles={{ body: { padding: 14 } }}>
              <Space orientation="vertical" size={6} style={{ width: '100%' }}>
                <Typography.Title level={4} style={{ margin: 0 }}>{p.title}</Typography.Title>
                <Typography.Text type="secondary">{p.orgName} · {p.startsOn} – {p.endsOn}</Typography.Text>
                {p.description && <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{p.description}</Typography.Paragraph>}
                <StudyProgress done={p.doneCount} total={p.itemCount} />
              </Space>
            </Card>
            <List dataSource={p.items} data-testid="plan-items" renderItem={(item) => <CardItem key={item.id}><PlanItemCard planId={p.id} item={item} /></CardItem>} />
          </Space>
        )}
      </QueryState>
    </Space>
  );
}

function PlanItemCard({ planId, item }: { planId: string; item: PlanItem }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const isOverdue = !item.doneAt && item.dueOn < todayInChina().format('YYYY-MM-DD');

  async function markDone() {
    setSaving(true);
    try {
      const result = await api.post<ReadResult>(`/learning/plans/${planId}/items/${item.id}/done`, { note: note.trim() || null });
      void message.success(result.points > 0 ? `${t('plan.item_done_ok')}，${t('study.points_earned', { n: result.points })}` : t('plan.item_done_ok'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      void queryClient.invalidateQueries({ queryKey: ['points'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="plan-item">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        <Space size={6} wrap>
          <Typography.Text strong>{item.position}. {item.title}</Typography.Text>
          {isOverdue && <Tag color="error">{t('plan.is_overdue')}</Tag>}
        </Space>
        <Typography.Text type="secondary">{t('plan.due', { date: item.dueOn })}</Typography.Text>
        {item.content && <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{item.content}</Typography.Paragraph>}
        {item.doneAt
          ? <Typography.Text type="success" data-testid="plan-item-done"><CheckCircleFilled /> {t('plan.done_at', { time: formatTime(item.doneAt) })}</Typography.Text>
          : (
            <>
              <Input.TextArea rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} placeholder={t('plan.done_note')} data-testid="plan-item-note" />
              <Button type="primary" block size="large" loading={saving} onClick={() => void markDone()} data-testid="plan-item-mark">{t('plan.mark_done')}</Button>
            </>
          )}
      </Space>
    </Card>
  );
}
