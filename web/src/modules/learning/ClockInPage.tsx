import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, List, Space, Typography } from 'antd';
import { CheckCircleFilled } from '@ant-design/icons';
import type { z } from 'zod';
import type { ClockInPageSchema, ClockInSchema } from '../../../../contracts/learning.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';

type ClockIn = z.infer<typeof ClockInSchema>;
type ClockInPage = z.infer<typeof ClockInPageSchema>;
const PAGE_SIZE = 20;

/** 学习打卡: once a day with a note of what was studied; my earlier clock-ins below. */
export default function ClockInPage() {
  const t = useT();
  const [page, setPage] = useState(1);
  const today = todayInChina().format('YYYY-MM-DD');
  const history = useQuery({
    queryKey: ['learning', 'clock-ins', 'mine', page], placeholderData: keepPreviousData,
    queryFn: () => api.get<ClockInPage>('/learning/clock-ins', { page, pageSize: PAGE_SIZE }),
  });
  const todays = useQuery({ queryKey: ['learning', 'clock-ins', 'mine', 'today', today], queryFn: () => api.get<ClockInPage>('/learning/clock-ins', { date: today, pageSize: 1 }) });
  const done = todays.data?.items[0];
  const data = history.data;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="clock-in-page">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.clock_in')}</Typography.Title>
      <QueryState isLoading={todays.isLoading} error={todays.error} retry={() => void todays.refetch()}>
        {done ? <TodayDone clockIn={done} /> : <ClockInForm />}
      </QueryState>
      <Typography.Text strong>{t('clock.history')}</Typography.Text>
      <QueryState isLoading={history.isLoading} error={history.error} retry={() => void history.refetch()}>
        {data && data.items.length === 0 ? <Card><Empty description={t('clock.none')} /></Card> : (
          <List<ClockIn> dataSource={data?.items ?? []} data-testid="clock-in-list"
            pagination={data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, simple: true, onChange: setPage } : false}
            renderItem={(c) => (<CardItem>
              <Card key={c.id} size="small" style={{ marginBottom: 8 }} data-testid="clock-in-item">
                <Space style={{ width: '100%', justifyContent: 'space-between' }}>
                  <Typography.Text strong>{c.day}</Typography.Text>
                  {c.points > 0 && <Typography.Text type="warning">{t('clock.points', { n: c.points })}</Typography.Text>}
                </Space>
                <Typography.Paragraph style={{ margin: '6px 0 0', whiteSpace: 'pre-wrap' }}>{c.note}</Typography.Paragraph>
              </Card></CardItem>
            )} />
        )}
      </QueryState>
    </Space>
  );
}

function TodayDone({ clockIn }: { clockIn: ClockIn }) {
  const t = useT();
  return (
    <Card data-testid="clock-in-today">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Typography.Title level={5} style={{ margin: 0 }}><CheckCircleFilled style={{ color: '#52c41a' }} /> {t('clock.done_today')}</Typography.Title>
        <Typography.Text type="secondary">{formatTime(clockIn.createdAt)}{clockIn.points > 0 ? ` · ${t('clock.points', { n: clockIn.points })}` : ''}</Typography.Text>
        <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{clockIn.note}</Typography.Paragraph>
      </Space>
    </Card>
  );
}

function ClockInForm() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ note: string }>();
  const [saving, setSaving] = useState(false);

  async function save(v: { note: string }) {
    setSaving(true);
    try {
      const created = await api.post<ClockIn>('/learning/clock-ins', { note: v.note });
      void message.success(created.points > 0 ? `${t('clock.done_today')}，${t('study.points_earned', { n: created.points })}` : t('clock.done_today'));
      await queryClient.invalidateQueries({ queryKey: ['learning', 'clock-ins'] });
      void queryClient.invalidateQueries({ queryKey: ['points'] });
    } catch (error) {
      const { handled } = showFieldErrors(form, error);
      if (!handled) void message.error(errorMessage(error, t('app.error')));
      void queryClient.invalidateQueries({ queryKey: ['learning', 'clock-ins'] });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card title={t('clock.title')} size="small">
      <Form form={form} layout="vertical" onFinish={save} data-testid="clock-in-form">
        <Form.Item name="note" label={t('clock.note')} rules={[{ required: true, whitespace: true }]}>
          <Input.TextArea rows={3} maxLength={1000} showCount placeholder={t('clock.note_placeholder')} data-testid="clock-in-note" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={saving} data-testid="clock-in-submit">{t('clock.submit')}</Button>
      </Form>
    </Card>
  );
}
