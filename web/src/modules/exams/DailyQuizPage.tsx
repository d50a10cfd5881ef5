import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Empty, Row, Space, Statistic, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, FireOutlined } from '@ant-design/icons';
import type { DailyQuizToday, DailySubmission } from '../../../../contracts/daily_quiz.js';
import type { Response } from '../../../../contracts/exams.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { QuestionInput, QuestionStem, answerText, isAnswered, type AskedQuestion } from './QuestionInput.js';

/** 每日答题: today's few questions in one scrolling list, one submission a day, graded by the server. */
export default function DailyQuizPage() {
  const t = useT();
  const today = useQuery({ queryKey: ['daily-quiz', 'today'], queryFn: () => api.get<DailyQuizToday>('/daily-quiz/today') });
  const quiz = today.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="daily-quiz">
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>{t('daily.title')}</Typography.Title>
        {quiz && quiz.streak > 0 && <Typography.Text type="warning"><FireOutlined /> {t('daily.streak', { n: quiz.streak })}</Typography.Text>}
      </Space>
      <QueryState isLoading={today.isLoading} error={today.error} retry={() => void today.refetch()}>
        {quiz && (quiz.submission
          ? <QuizResult questions={quiz.questions} submission={quiz.submission} />
          : quiz.questions.length === 0
            ? <Card><Empty description={t('daily.empty')} /></Card>
            : <QuizForm quiz={quiz} />)}
      </QueryState>
    </Space>
  );
}

function QuizForm({ quiz }: { quiz: DailyQuizToday }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [responses, setResponses] = useState<Record<string, Response>>({});
  const [submitting, setSubmitting] = useState(false);
  const unanswered = quiz.questions.filter((q) => !isAnswered(responses[q.id])).length;

  async function submit() {
    setSubmitting(true);
    try {
      const answers = quiz.questions.flatMap((q) => {
        const response = responses[q.id];
        return response !== undefined && isAnswered(response) ? [{ questionId: q.id, response }] : [];
      });
      const submission = await api.post<DailySubmission>('/daily-quiz/submissions', { answers });
      queryClient.setQueryData<DailyQuizToday>(['daily-quiz', 'today'], { ...quiz, streak: submission.streak, submission });
      void queryClient.invalidateQueries({ queryKey: ['points'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      void queryClient.invalidateQueries({ queryKey: ['daily-quiz', 'today'] });
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <>
      <Typography.Text type="secondary">{t('daily.intro', { n: quiz.questions.length })}</Typography.Text>
      {quiz.questions.map((q, i) => (
        <Card key={q.id} size="small" data-testid="daily-question">
          <Space orientation="vertical" size={10} style={{ width: '100%' }}>
            <QuestionStem question={q} index={i} />
            <QuestionInput question={q} value={responses[q.id]} onChange={(v) => setResponses((r) => ({ ...r, [q.id]: v }))} />
          </Space>
        </Card>
      ))}
      <Button type="primary" size="large" block loading={submitting} disabled={unanswered === quiz.questions.length} data-testid="daily-submit"
        onClick={() => (unanswered > 0
          ? modal.confirm({ title: t('daily.submit'), content: t('daily.answer_all', { n: unanswered }), onOk: submit })
          : void submit())}>
        {t('daily.submit')}
      </Button>
    </>
  );
}

function QuizResult({ questions, submission }: { questions: AskedQuestion[]; submission: DailySubmission }) {
  const t = useT();
  return (
    <>
      <Card data-testid="daily-result">
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Title level={5} style={{ margin: 0 }}>{t('daily.done')} · <span data-testid="daily-correct">{t('daily.correct_of', { correct: submission.correctCount, total: submission.questionCount })}</span></Typography.Title>
          <Row gutter={12}>
            <Col span={12}><Statistic title={t('daily.points_earned')} value={submission.points} prefix="+" data-testid="daily-points" /></Col>
            <Col span={12}><Statistic title={t('daily.streak_days')} value={submission.streak} prefix={<FireOutlined />} data-testid="daily-streak" /></Col>
          </Row>
          <Space wrap>
            <Typography.Text type="secondary">{t('daily.come_back')}</Typography.Text>
            <Link to="/me/points">{t('menu.my_points')}</Link>
          </Space>
        </Space>
      </Card>
      {submission.results.map((r, i) => {
        const q = questions.find((x) => x.id === r.questionId);
        if (!q) return null;
        return (
          <Card key={r.questionId} size="small" data-testid="daily-review">
            <Space orientation="vertical" size={6} style={{ width: '100%' }}>
              <QuestionStem question={q} index={i} />
              {q.options.map((o, k) => <Typography.Text key={o.key}>{'ABCDEFGH'[k]}. {o.text}</Typography.Text>)}
              <Typography.Text>
                {r.isCorrect ? <CheckCircleFilled style={{ color: '#52c41a' }} /> : <CloseCircleFilled style={{ color: '#ff4d4f' }} />}{' '}
                {t('attempt.your_answer')}：{answerText(q, r.response, t)}
              </Typography.Text>
              {!r.isCorrect && <Typography.Text type="success">{t('attempt.correct_answer')}：{answerText(q, r.answer, t)}</Typography.Text>}
              {r.explanation && <Typography.Paragraph type="secondary" style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{t('question.explanation')}：{r.explanation}</Typography.Paragraph>}
            </Space>
          </Card>
        );
      })}
    </>
  );
}
