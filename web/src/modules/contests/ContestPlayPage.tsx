import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Result, Space, Statistic, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import type { Contest, Entry } from '../../../../contracts/contests.js';
import type { Response } from '../../../../contracts/exams.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { QuestionInput, QuestionStem, isAnswered } from '../exams/QuestionInput.js';
import { BoardTable, ContestStatusTag, StreamStateTag, clock, seconds, useLiveBoard, useNow } from './LiveBoard.js';

/** Answers are kept on this device until submitted, so a reload during the round resumes them (the clock is the server's). */
const answersKey = (entryId: string) => `dangjian.contest-answers.${entryId}`;
function loadAnswers(entryId: string): Record<string, Response> {
  try {
    return JSON.parse(localStorage.getItem(answersKey(entryId)) ?? '{}') as Record<string, Response>;
  } catch {
    return {};
  }
}

/** What is left of the member's time when the page submits by itself (the server refuses at the deadline). */
const AUTO_SUBMIT_MS = 1500;

/**
 * A contest on the member's phone: start the round (the server starts the clock), answer with the
 * countdown in view, submit (graded and timed by the server), then the score, my rank and the live board.
 */
export default function ContestPlayPage() {
  const t = useT();
  const { id = '' } = useParams();
  const contest = useQuery({ queryKey: ['contests', id], queryFn: () => api.get<Contest>(`/contests/${id}`), refetchOnWindowFocus: false });
  const c = contest.data;
  const entryId = c?.myEntry?.status === 'in_progress' ? c.myEntry.id : null;
  const entry = useQuery({ queryKey: ['contest-entries', entryId], queryFn: () => api.get<Entry>(`/contest-entries/${entryId}`), enabled: !!entryId, refetchOnWindowFocus: false });

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="contest-play">
      <Link to="/me/contests"><Button type="link" icon={<LeftOutlined />} style={{ paddingInline: 0 }}>{t('contest.back_to_list')}</Button></Link>
      <QueryState isLoading={contest.isLoading || (!!entryId && entry.isLoading)} error={contest.error ?? entry.error} retry={() => void contest.refetch()}>
        {c && (entryId && entry.data && !entry.data.submittedAt && c.status !== 'closed' && !c.cancelledAt
          ? <AnswerSheet key={entry.data.id} contest={c} entry={entry.data} />
          : <ContestLobby contest={c} />)}
      </QueryState>
    </Space>
  );
}

function ContestLobby({ contest: c }: { contest: Contest }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const { me } = useSession();
  const now = useNow(1000);
  const [starting, setStarting] = useState(false);

  async function start() {
    setStarting(true);
    try {
      const entry = await api.post<Entry>(`/contests/${c.id}/entries`);
      queryClient.setQueryData(['contest-entries', entry.id], entry);
      await queryClient.invalidateQueries({ queryKey: ['contests'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      void queryClient.invalidateQueries({ queryKey: ['contests', c.id] });
    } finally {
      setStarting(false);
    }
  }

  const mine = c.myEntry;
  return (
    <>
      <Card size="small" data-testid="contest-lobby">
        <Space orientation="vertical" size={6} style={{ width: '100%' }}>
          <ContestStatusTag status={c.status} cancelledAt={c.cancelledAt} />
          <Typography.Title level={4} style={{ margin: 0 }}>{c.title}</Typography.Title>
          <Typography.Text>{formatTime(c.startsAt)} – {formatTime(c.endsAt)} · {t('contest.seconds', { n: c.timeLimitSeconds })}</Typography.Text>
          <Typography.Text type="secondary">{t('contest.tie_rule')}</Typography.Text>
          {c.cancelledAt && <Alert type="error" showIcon message={t('contest.cancelled_notice', { reason: c.cancelReason ?? '' })} data-testid="contest-cancelled" />}
          {!c.cancelledAt && !mine && c.status === 'open' && c.isEntrant && (
            <Button type="primary" size="large" block loading={starting} data-testid="contest-start"
              onClick={() => modal.confirm({ title: c.title, content: t('contest.start_confirm', { n: c.timeLimitSeconds }), onOk: start, okButtonProps: { 'data-testid': 'contest-start-ok' } })}>
              {t('contest.start')}
            </Button>
          )}
          {!c.cancelledAt && !mine && c.status === 'upcoming' && <Alert type="info" showIcon message={t('contest.starts_in', { time: clock(Date.parse(c.startsAt) - now) })} />}
          {!mine && c.status === 'closed' && <Alert type="info" showIcon message={t('contest.closed_without_entry')} />}
          {mine?.status === 'in_progress' && <Alert type="warning" showIcon message={t('contest.time_up')} data-testid="contest-time-up" />}
        </Space>
      </Card>
      {mine?.status === 'submitted' && (
        <Card data-testid="contest-my-result">
          <Result style={{ padding: '8px 0' }} status="success" title={t('contest.submitted')} />
          <Space style={{ width: '100%', justifyContent: 'space-around' }} wrap>
            <Statistic title={t('contest.my_score')} value={mine.score ?? 0} valueStyle={{ fontVariantNumeric: 'tabular-nums' }} />
            <Statistic title={t('contest.my_rank')} value={mine.rank ?? '—'} data-testid="contest-my-rank" />
            <Statistic title={t('contest.my_duration')} value={mine.durationMs == null ? '—' : t('contest.duration_value', { s: seconds(mine.durationMs) })} />
          </Space>
        </Card>
      )}
      {c.status !== 'upcoming' && <MemberBoard contestId={c.id} memberId={me?.user.memberId ?? null} />}
    </>
  );
}

function MemberBoard({ contestId, memberId }: { contestId: string; memberId: string | null }) {
  const t = useT();
  const queryClient = useQueryClient();
  const { board, state } = useLiveBoard(contestId, 20);
  // my rank moves as others submit: refresh it with each new board
  const entryCount = board?.entryCount;
  useEffect(() => {
    if (entryCount !== undefined) void queryClient.invalidateQueries({ queryKey: ['contests', contestId] });
  }, [entryCount, contestId, queryClient]);
  return (
    <Card size="small" title={t('contest.leaderboard')} extra={<StreamStateTag state={state} />} styles={{ body: { padding: 0 } }}>
      <BoardTable board={board} highlight={memberId} />
    </Card>
  );
}

function AnswerSheet({ contest, entry }: { contest: Contest; entry: Entry }) {
  const t = useT();
  const { modal, message } = App.useApp();
  const queryClient = useQueryClient();
  const [responses, setResponses] = useState<Record<string, Response>>(() => loadAnswers(entry.id));
  const [submitting, setSubmitting] = useState(false);
  const [isTimeUp, setTimeUp] = useState(false);
  const hasSubmitted = useRef(false);
  const now = useNow(250);
  const remaining = Date.parse(entry.deadlineAt) - now;
  const answeredCount = entry.questions.filter((q) => isAnswered(responses[q.id])).length;

  useEffect(() => { localStorage.setItem(answersKey(entry.id), JSON.stringify(responses)); }, [entry.id, responses]);

  const submit = useCallback(async () => {
    if (hasSubmitted.current) return;
    hasSubmitted.current = true;
    setSubmitting(true);
    try {
      const answers = entry.questions.filter((q) => isAnswered(responses[q.id])).map((q) => ({ questionId: q.id, response: responses[q.id]! }));
      const result = await api.post<Entry>(`/contest-entries/${entry.id}/submit`, { answers });
      localStorage.removeItem(answersKey(entry.id));
      // the contest (my entry, score, rank) first: the page turns to the result without a flash of the sheet
      await queryClient.invalidateQueries({ queryKey: ['contests'] });
      queryClient.setQueryData(['contest-entries', entry.id], result);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
      setTimeUp(true);
      void queryClient.invalidateQueries({ queryKey: ['contests', contest.id] });
    } finally {
      setSubmitting(false);
    }
  }, [entry, responses, queryClient, message, t, contest.id]);

  // the server refuses a submission after the deadline: send what there is just before it
  const isDue = remaining <= AUTO_SUBMIT_MS;
  useEffect(() => { if (isDue) void submit(); }, [isDue, submit]);

  const confirmSubmit = () => {
    const unanswered = entry.questions.length - answeredCount;
    modal.confirm({
      title: t('contest.submit'),
      content: unanswered > 0 ? t('contest.submit_unanswered', { n: unanswered }) : t('contest.submit_confirm'),
      onOk: submit,
      okButtonProps: { 'data-testid': 'contest-submit-ok' },
    });
  };

  if (isTimeUp) return <Alert type="warning" showIcon message={t('contest.time_up')} data-testid="contest-time-up" />;
  return (
    <>
      <Card size="small" style={{ position: 'sticky', top: 56, zIndex: 5 }} styles={{ body: { padding: '8px 12px' } }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }} align="center">
          <Space orientation="vertical" size={0} style={{ minWidth: 0 }}>
            <Typography.Text strong ellipsis style={{ maxWidth: 180 }}>{contest.title}</Typography.Text>
            <Typography.Text type="secondary" data-testid="contest-answered">{t('contest.answered', { n: answeredCount, total: entry.questions.length })}</Typography.Text>
          </Space>
          <Space orientation="vertical" size={0} align="end">
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('contest.time_left')}</Typography.Text>
            <Typography.Text strong style={{ fontSize: 22, fontVariantNumeric: 'tabular-nums', color: remaining < 30_000 ? '#cf1322' : undefined }} data-testid="contest-timer">
              {clock(remaining)}
            </Typography.Text>
          </Space>
        </Space>
      </Card>
      {entry.questions.map((q, i) => (
        <Card key={q.id} size="small" data-testid="contest-question">
          <Space orientation="vertical" size={10} style={{ width: '100%' }}>
            <QuestionStem question={q} index={i} score={q.score} />
            <QuestionInput question={q} value={responses[q.id]} disabled={submitting || isDue} onChange={(v) => setResponses((r) => ({ ...r, [q.id]: v }))} />
          </Space>
        </Card>
      ))}
      <Button type="primary" danger size="large" block loading={submitting} disabled={isDue} onClick={confirmSubmit} data-testid="contest-submit">{t('contest.submit')}</Button>
    </>
  );
}
