import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Drawer, Space, Typography } from 'antd';
import type { Attempt, Response } from '../../../../contracts/exams.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { QuestionInput, QuestionStem, isAnswered } from './QuestionInput.js';
import { useAnswerSaveQueue } from './useAnswerSaveQueue.js';
import { clock, useExamCountdown } from './useExamCountdown.js';

/** One question at a time, the countdown, the answer sheet drawer and the submission. */
export function AnswerSheet({ attempt }: { attempt: Attempt }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const questions = attempt.questions;
  const [responses, setResponses] = useState<Record<string, Response>>(() =>
    Object.fromEntries(questions.flatMap((q) => (q.response !== null ? [[q.id, q.response]] : []))));
  const [sheetOpen, setSheetOpen] = useState(false);
  const [submitting, setSubmitting] = useState(false);

  const firstUnanswered = Math.max(0, questions.findIndex((q) => q.response === null));
  const requested = Number(params.get('q'));
  const index = Number.isInteger(requested) && requested >= 1 && requested <= questions.length ? requested - 1 : firstUnanswered;
  const question = questions[index];
  const goTo = (i: number) => setParams({ q: String(i + 1) }, { replace: true });
  const answeredCount = questions.filter((q) => isAnswered(responses[q.id])).length;

  const reload = useCallback(() => queryClient.invalidateQueries({ queryKey: ['exam-attempts', attempt.id] }), [queryClient, attempt.id]);
  const { remaining, isOverdue, isUrgent } = useExamCountdown(attempt.deadlineAt, reload);
  const { saves, save: saveAnswer, flush: flushTyping } = useAnswerSaveQueue(attempt.id, reload);

  function answer(questionId: string, type: string, response: Response) {
    setResponses((r) => ({ ...r, [questionId]: response }));
    saveAnswer(questionId, type, response);
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
