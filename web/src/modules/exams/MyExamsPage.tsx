import { useState } from 'react';
import { useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Empty, List, Segmented, Space, Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { Attempt, MyExamListSchema } from '../../../../contracts/exams.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { ExamMarks, ExamStatusTag } from './ExamTags.js';
import { CardItem } from '../../platform/CardItem.js';

type MyExam = z.infer<typeof MyExamListSchema>['items'][number];

/**
 * The API lists an exam's in-progress attempt but not the finished ones, so the last attempt this
 * device started is remembered to let the member reopen it (results appear there once visible).
 */
const lastAttemptKey = (examId: string) => `dangjian.exam-attempt.${examId}`;
export const rememberAttempt = (examId: string, attemptId: string) => localStorage.setItem(lastAttemptKey(examId), attemptId);
const lastAttempt = (examId: string) => localStorage.getItem(lastAttemptKey(examId));

/** 我的考试 on a phone: the exams I am called to, open ones first, each with its one button. */
export default function MyExamsPage() {
  const t = useT();
  const [tab, setTab] = useState<'current' | 'closed'>('current');
  const list = useQuery({ queryKey: ['exams', 'mine'], queryFn: () => api.get<{ items: MyExam[] }>('/exams/mine') });
  const items = (list.data?.items ?? [])
    .filter((e) => (tab === 'current' ? e.status !== 'closed' : e.status === 'closed'))
    .sort((a, b) => Number(b.status === 'open') - Number(a.status === 'open'));

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-exams">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_exams')}</Typography.Title>
      <Segmented block value={tab} onChange={setTab}
        options={[{ value: 'current', label: `${t('exam.status.open')} / ${t('exam.status.upcoming')}` }, { value: 'closed', label: t('exam.status.closed') }]} />
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {items.length === 0 ? <Card><Empty description={t('exam.none')} /></Card> : (
          <List dataSource={items} data-testid="my-exam-list" renderItem={(exam) => <CardItem key={exam.id}><ExamCard exam={exam} /></CardItem>} />
        )}
      </QueryState>
    </Space>
  );
}

function ExamCard({ exam }: { exam: MyExam }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const [starting, setStarting] = useState(false);
  const previous = lastAttempt(exam.id);
  const hasAttemptsLeft = exam.attemptsUsed < exam.maxAttempts;

  async function start() {
    setStarting(true);
    try {
      const attempt = await api.post<Attempt>(`/exams/${exam.id}/attempts`);
      rememberAttempt(exam.id, attempt.id);
      void navigate(`/me/exams/attempts/${attempt.id}`);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      setStarting(false);
    }
  }

  let action = null;
  if (exam.inProgressAttemptId) {
    const id = exam.inProgressAttemptId;
    action = <Button type="primary" block size="large" data-testid="exam-continue" onClick={() => { rememberAttempt(exam.id, id); void navigate(`/me/exams/attempts/${id}`); }}>{t('attempt.continue')}</Button>;
  } else if (exam.status === 'open' && hasAttemptsLeft) {
    action = (
      <Button type="primary" block size="large" loading={starting} data-testid="exam-start"
        onClick={() => modal.confirm({ title: exam.title, content: t('attempt.start_confirm', { n: exam.timeLimitMinutes }), onOk: start, okButtonProps: { 'data-testid': 'exam-start-ok' } })}>
        {t('attempt.start')}
      </Button>
    );
  } else if (previous && exam.attemptsUsed > 0) {
    action = <Button block size="large" data-testid="exam-view" onClick={() => void navigate(`/me/exams/attempts/${previous}`)}>{t('attempt.view')}</Button>;
  }

  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="my-exam-card">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Space size={6} wrap>
          <ExamStatusTag status={exam.status} />
          <ExamMarks exam={exam} />
        </Space>
        <Typography.Text strong style={{ fontSize: 16 }}>{exam.title}</Typography.Text>
        <Typography.Text type="secondary">{exam.orgName}</Typography.Text>
        <Typography.Text>{formatTime(exam.opensAt)} – {formatTime(exam.closesAt)}</Typography.Text>
        <Space size={12} wrap>
          <Typography.Text type="secondary"><ClockCircleOutlined /> {t('exam.minutes', { n: exam.timeLimitMinutes })}</Typography.Text>
          <Typography.Text type="secondary">{t('attempt.attempts', { used: exam.attemptsUsed, max: exam.maxAttempts })}</Typography.Text>
          {exam.bestScore !== null && <Typography.Text strong data-testid="exam-best">{t('attempt.best', { score: `${exam.bestScore}/${exam.totalScore}` })}</Typography.Text>}
        </Space>
        {exam.status === 'upcoming' && <Typography.Text type="warning">{t('attempt.opens_later', { time: formatTime(exam.opensAt) })}</Typography.Text>}
        {exam.status === 'open' && !hasAttemptsLeft && !exam.inProgressAttemptId && <Typography.Text type="secondary">{t('attempt.no_attempts_left')}</Typography.Text>}
        {exam.description && <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{exam.description}</Typography.Paragraph>}
        {action}
      </Space>
    </Card>
  );
}
