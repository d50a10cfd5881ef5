import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Result, Space, Statistic, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, LeftOutlined } from '@ant-design/icons';
import type { Attempt, Exam } from '../../../../contracts/exams.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { QuestionStem, answerText, isAnswered } from './QuestionInput.js';
import { AnswerSheet } from './AnswerSheet.js';

/**
 * Taking an exam on a phone, one question at a time. The deadline is the server's (the attempt's
 * deadlineAt); every answer is saved as it is given, so a reload — or another device — resumes with
 * the answers and at the question (?q=) where the member was. When the time runs out the server
 * closes the attempt with what was saved, and the page says so.
 */
export default function ExamAttemptPage() {
  const t = useT();
  const { id = '' } = useParams();
  const attempt = useQuery({
    queryKey: ['exam-attempts', id],
    queryFn: () => api.get<Attempt>(`/exam-attempts/${id}`),
    refetchOnWindowFocus: false,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="exam-attempt">
      <Link to="/me/exams"><Button type="link" icon={<LeftOutlined />} style={{ paddingInline: 0 }}>{t('attempt.back')}</Button></Link>
      <QueryState isLoading={attempt.isLoading} error={attempt.error} retry={() => void attempt.refetch()}>
        {attempt.data && (attempt.data.status === 'in_progress'
          ? <AnswerSheet key={attempt.data.id} attempt={attempt.data} />
          : <AttemptResult attempt={attempt.data} />)}
      </QueryState>
    </Space>
  );
}

function AttemptResult({ attempt }: { attempt: Attempt }) {
  const t = useT();
  // a closed-book exam shows no score until it closes: say when that is
  const exam = useQuery({ queryKey: ['exams', attempt.examId], queryFn: () => api.get<Exam>(`/exams/${attempt.examId}`), enabled: !attempt.isResultVisible });
  const answered = attempt.questions.filter((q) => isAnswered(q.response)).length;
  return (
    <>
      <Card data-testid="attempt-closed">
        <Result
          style={{ padding: '8px 0' }}
          status={attempt.isAutoSubmitted ? 'warning' : 'success'}
          title={attempt.isAutoSubmitted ? t('attempt.time_up') : t('attempt.submitted')}
          subTitle={(
            <Space orientation="vertical" size={4}>
              <span>{attempt.examTitle}</span>
              <span>{t('attempt.submitted_at')}：{formatTime(attempt.submittedAt)} · {t('attempt.answered', { n: answered, total: attempt.questions.length })}</span>
              {attempt.isAutoSubmitted && <span>{t('attempt.time_up_detail')}</span>}
            </Space>
          )}
        />
        {attempt.isResultVisible ? (
          <Space style={{ width: '100%', justifyContent: 'center' }} size={32} data-testid="attempt-score">
            <Statistic title={t('attempt.score')} value={attempt.score ?? 0} suffix={`/ ${attempt.totalScore}`} />
            <div style={{ paddingTop: 28 }}>{attempt.isPassed ? <Tag color="success">{t('exam.passed')}</Tag> : <Tag color="error">{t('exam.failed')}</Tag>}</div>
          </Space>
        ) : (
          <Alert type="info" showIcon data-testid="attempt-results-later"
            message={t('attempt.results_later', { time: exam.data ? formatTime(exam.data.closesAt) : '…' })} />
        )}
      </Card>
      {attempt.isResultVisible && <ReviewList attempt={attempt} />}
    </>
  );
}

function ReviewList({ attempt }: { attempt: Attempt }) {
  const t = useT();
  const items = useMemo(() => attempt.questions, [attempt]);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="attempt-review">
      {items.map((q, i) => (
        <Card key={q.id} size="small">
          <Space orientation="vertical" size={6} style={{ width: '100%' }}>
            <QuestionStem question={q} index={i} score={q.score} />
            {q.options.map((o, k) => <Typography.Text key={o.key}>{'ABCDEFGH'[k]}. {o.text}</Typography.Text>)}
            <Typography.Text>
              {q.isCorrect ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />}{' '}
              {t('attempt.your_answer')}：{answerText(q, q.response, t)}
            </Typography.Text>
            <Typography.Text type="success">{t('attempt.correct_answer')}：{answerText(q, q.answer, t)}</Typography.Text>
            {q.explanation && <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{t('question.explanation')}：{q.explanation}</Typography.Paragraph>}
          </Space>
        </Card>
      ))}
    </Space>
  );
}
