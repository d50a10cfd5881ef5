import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Result, Space, Statistic, Tag, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled, LeftOutlined } from '@ant-design/icons';
import type { Attempt, Exam, Response } from '../../../../contracts/exams.js';
import { ApiError, api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { QuestionInput, QuestionStem, answerText, isAnswered } from './QuestionInput.js';

type SaveState = { state: 'saving' } | { state: 'saved'; at: string } | { state: 'failed'; message: string };

/** Text answers are saved a moment after the member stops typing; choices at once. */
const TYPING_DELAY_MS = 600;

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hh > 0 ? `${hh}:${mm}:${ss}` : `${mm}:${ss}`;
}

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

function AnswerSheet({ attempt }: { attempt: Attempt }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const questions = attempt.questions;
  const [responses, setResponses] = useState<Record<string, Response>>(() =>
    Object.fromEntries(questions.flatMap((q) => (q.response !== null ? [[q.id, q.response]] : []))));
  const [saves, setSaves] = useState<Record<string, SaveState>>({});
  const [sheetOpen, setSheetOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const chains = useRef(new Map<string, Promise<void>>());
  const typing = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; response: Response }>());

  const firstUnanswered = Math.max(0, questions.findIndex((q) => q.response === null));
  const requested = Number(params.get('q'));
  const index = Number.isInteger(requested) && requested >= 1 && requested <= questions.length ? requested - 1 : firstUnanswered;
  const question = questions[index];
  const goTo = (i: number) => setParams({ q: String(i + 1) }, { replace: true });

  const now = useNow(250);
  const remaining = Date.parse(attempt.deadlineAt) - now;
  const answeredCount = questions.filter((q) => isAnswered(responses[q.id])).length;

  const reload = useCallback(() => queryClient.invalidateQueries({ queryKey: ['exam-attempts', attempt.id] }), [queryClient, attempt.id]);

  // the server closes the attempt at its deadline: ask again until it says so (clocks may differ by a little)
  const isOverdue = remaining <= 0;
  useEffect(() => {
    if (!isOverdue) return;
    void reload();
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [isOverdue, reload]);

  const send = useCallback((questionId: string, response: Response) => {
    setSaves((s) => ({ ...s, [questionId]: { state: 'saving' } }));
    const previous = chains.current.get(questionId) ?? Promise.resolve();
    const next = previous.then(async () => {
      try {
        const { savedAt } = await api.put<{ savedAt: string }>(`/exam-attempts/${attempt.id}/answers/${questionId}`, { response });
        setSaves((s) => ({ ...s, [questionId]: { state: 'saved', at: savedAt } }));
      } catch (error) {
        setSaves((s) => ({ ...s, [questionId]: { state: 'failed', message: errorMessage(error, t('app.error')) } }));
        // the deadline passed or the attempt was closed elsewhere: show what the server has
        if (error instanceof ApiError && error.status === 409) void reload();
      }
    });
    chains.current.set(questionId, next);
    return next;
  }, [attempt.id, reload, t]);

  const flushTyping = useCallback(async () => {
    const pending = [...typing.current.entries()];
    typing.current.clear();
    for (const [, p] of pending) clearTimeout(p.timer);
    await Promise.all(pending.map(([questionId, p]) => send(questionId, p.response)));
    await Promise.all([...chains.current.values()]);
  }, [send]);

  useEffect(() => () => { void flushTyping(); }, [flushTyping]);

  function answer(questionId: string, type: string, response: Response) {
    setResponses((r) => ({ ...r, [questionId]: response }));
    if (type !== 'fill_blank') { void send(questionId, response); return; }
    const pending = typing.current.get(questionId);
    if (pending) clearTimeout(pending.timer);
    typing.current.set(questionId, {
      response,
      timer: setTimeout(() => { typing.current.delete(questionId); void send(questionId, response); }, TYPING_DELAY_MS),
    });
  }

  async function submit() {
    setSubmitting(true);
    try {
      await flushTyping();
      const result = await api.post<Attempt>(`/exam-attempts/${attempt.id}/submit`, {});
      queryClient.setQueryData(['exam-attempts', attempt.id], result);
      void queryClient.invalidateQueries({ queryKey: ['exams', 'mine'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      void reload();
    } finally {
      setSubmitting(false);
    }
  }

  const confirmSubmit = () => {
    const unanswered = questions.length - answeredCount;
    modal.confirm({
      title: t('attempt.submit'),
      content: unanswered > 0 ? t('attempt.submit_unanswered', { n: unanswered }) : t('attempt.submit_confirm'),
      onOk: submit,
      okButtonProps: { 'data-testid': 'attempt-submit-ok' },
    });
  };

  if (!question) return null;
  const save = saves[question.id];
  const isUrgent = remaining < 60_000;

  return (
    <>
      <Card size="small" style={{ position: 'sticky', top: 56, zIndex: 5 }} styles={{ body: { padding: '8px 12px' } }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center">
          <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis style={{ maxWidth: 180 }}>{attempt.examTitle}</Typography.Text>
            <Typography.Text type="secondary" data-testid="answered-count">{t('attempt.answered', { n: answeredCount, total: questions.length })}</Typography.Text>
          </Space>
          <Space orientation="vertical" size={0} align="end">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('attempt.time_left')}</Typography.Text>
            <Typography.Text strong style={{ fontSize: 22, fontVariantNumeric: 'tabular-nums', color: isUrgent ? '#cf1322' : undefined }} data-testid="attempt-timer">
              {clock(remaining)}
            </Typography.Text>
          </Space>
        </Space>
      </Card>

      <Card data-testid="attempt-question" data-question-index={index + 1}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Text type="secondary" data-testid="question-position">{t('attempt.question_of', { n: index + 1, total: questions.length })}</Typography.Text>
          <QuestionStem question={question} index={index} score={question.score} />
          <QuestionInput key={question.id} question={question} value={responses[question.id]} disabled={isOverdue}
            onChange={(v) => answer(question.id, question.type, v)} />
          <Typography.Text type={save?.state === 'failed' ? 'danger' : 'secondary'} style={{ fontSize: 12, minHeight: 18 }} data-testid="save-state">
            {save?.state === 'saving' && t('attempt.saving')}
            {save?.state === 'saved' && `${t('attempt.saved')} ${formatTime(save.at).slice(11)}`}
            {save?.state === 'failed' && t('attempt.save_failed', { message: save.message })}
          </Typography.Text>
        </Space>
      </Card>

      <Space.Compact block>
        <Button size="large" style={{ width: '33%' }} disabled={index === 0} onClick={() => goTo(index - 1)} data-testid="attempt-prev">{t('attempt.prev')}</Button>
        <Button size="large" style={{ width: '34%' }} onClick={() => setSheetOpen(true)} data-testid="attempt-sheet">{t('attempt.answer_sheet')}</Button>
        {index < questions.length - 1
          ? <Button size="large" type="primary" style={{ width: '33%' }} onClick={() => goTo(index + 1)} data-testid="attempt-next">{t('attempt.next')}</Button>
          : <Button size="large" type="primary" danger style={{ width: '33%' }} loading={submitting} disabled={isOverdue} onClick={confirmSubmit} data-testid="attempt-submit">{t('attempt.submit')}</Button>}
      </Space.Compact>

      <Drawer placement="bottom" open={sheetOpen} onClose={() => setSheetOpen(false)} title={t('attempt.answered', { n: answeredCount, total: questions.length })} size="auto">
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(6, 1fr)', gap: 8 }} data-testid="answer-sheet">
          {questions.map((q, i) => (
            <Button key={q.id} type={isAnswered(responses[q.id]) ? 'primary' : 'default'} ghost={i === index && isAnswered(responses[q.id])}
              style={i === index ? { outline: '2px solid #c0161b' } : undefined} onClick={() => { goTo(i); setSheetOpen(false); }}>
              {i + 1}
            </Button>
          ))}
        </div>
        <Button block size="large" type="primary" danger style={{ marginTop: 16 }} loading={submitting} disabled={isOverdue}
          onClick={() => { setSheetOpen(false); confirmSubmit(); }}>{t('attempt.submit')}</Button>
      </Drawer>
    </>
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
