import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Tag, Typography } from 'antd';
import { BellOutlined, CalendarOutlined, EditOutlined, FormOutlined, ReadOutlined, SolutionOutlined, StarOutlined } from '@ant-design/icons';
import type { MemberHome } from '../../../../contracts/home.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { consoleEntries } from '../index.js';

/** The member's inbox (what the unread count counts), or their notices where there is no inbox page. */
const inboxPath = ['/me/inbox', '/me/notices', '/inbox'].find((p) => consoleEntries.some((e) => e.path === p));

/** A card of the home page: a title that opens the place where it is done, a line that says what is true, and a few items. */
function HomeCard({ icon, title, to, status, testId, children }: { icon: ReactNode; title: string; to?: string; status: ReactNode; testId: string; children?: ReactNode }) {
  const t = useT();
  return (
    <Card
      size="small"
      data-testid={testId}
      title={<Space size={6}>{icon}<Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{title}</Typography.Title></Space>}
      extra={to ? <Link to={to} aria-label={`${title}：${t('home.open')}`}>{t('home.open')}</Link> : undefined}
    >
      <div data-testid={`${testId}-status`}>{status}</div>
      {children}
    </Card>
  );
}

/** 首页 of a party member (phone first): what today holds for them, each card opening its page. */
export default function MemberHomePage() {
  const t = useT();
  const home = useQuery({ queryKey: ['home', 'member'], queryFn: () => api.get<MemberHome>('/home/member') });
  const h = home.data;
  const muted = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="member-home">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('home.title')}</Typography.Title>
        {h && muted(t('home.today', { date: h.asOf }))}
      </Space>
      <QueryState isLoading={home.isLoading} error={home.error} retry={() => void home.refetch()}>
        {h && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            {[
              <HomeCard key="quiz" testId="home-quiz" icon={<EditOutlined />} title={t('home.quiz')} to={h.dailyQuiz.status === 'none' ? undefined : '/me/daily-quiz'}
                status={
                  <Space wrap size={4}>
                    {h.dailyQuiz.status === 'done' ? <Tag color="green">{t('home.quiz_done', { correct: h.dailyQuiz.correctCount ?? 0, count: h.dailyQuiz.questionCount })}</Tag>
                      : h.dailyQuiz.status === 'open' ? <Link to="/me/daily-quiz"><Tag color="red">{t('home.quiz_open', { count: h.dailyQuiz.questionCount })}</Tag></Link>
                        : muted(t('home.quiz_none'))}
                    {h.dailyQuiz.streak > 0 && muted(t('home.quiz_streak', { n: h.dailyQuiz.streak }))}
                  </Space>
                }
              />,
              <HomeCard key="activities" testId="home-activities" icon={<CalendarOutlined />} title={t('home.activities')} to="/me/activities"
                status={h.activities.total === 0 ? muted(t('home.activities_none')) : h.activities.total > h.activities.items.length ? muted(t('home.more', { n: h.activities.total })) : null}>
                {h.activities.items.map((a) => (
                  <div key={a.id} style={{ display: 'flex', justifyContent: 'space-between', gap: 8, padding: '6px 0', borderTop: '1px solid rgba(0,0,0,0.06)' }}>
                    <div style={{ minWidth: 0 }}>
                      <Link to={`/me/activities/${a.id}`} style={{ overflowWrap: 'anywhere' }}>{a.title}</Link>
                      <div>{muted(`${formatTime(a.startsAt)}${a.place ? ` · ${a.place}` : ''}`)}</div>
                    </div>
                    {a.canCheckInNow && <Link to={`/me/activities/${a.id}`}><Tag color="red" style={{ marginInlineEnd: 0 }}>{t('home.check_in')}</Tag></Link>}
                  </div>
                ))}
              </HomeCard>,
              <HomeCard key="make-up" testId="home-make-up" icon={<SolutionOutlined />} title={t('home.make_up')} to="/me/activities"
                status={h.makeUp.open === 0 ? muted(t('home.make_up_none')) : <Tag color="orange">{t('home.make_up_open', { n: h.makeUp.open })}</Tag>}>
                {h.makeUp.items.map((m) => (
                  <div key={m.id} style={{ padding: '4px 0' }}><Link to={`/me/activities/${m.activityId}`} style={{ overflowWrap: 'anywhere' }}>{m.activityTitle}</Link></div>
                ))}
              </HomeCard>,
              <HomeCard key="plans" testId="home-plans" icon={<ReadOutlined />} title={t('home.plans')} to="/me/learning"
                status={h.studyPlans.total === 0 ? muted(t('home.plans_none')) : h.studyPlans.total > h.studyPlans.items.length ? muted(t('home.more', { n: h.studyPlans.total })) : null}>
                {h.studyPlans.items.map((p) => (
                  <div key={p.id} style={{ padding: '4px 0' }}>
                    <Link to={`/me/learning/plans/${p.id}`} style={{ overflowWrap: 'anywhere' }}>{p.title}</Link>
                    <div>{muted(t('home.plan_progress', { done: p.doneCount, total: p.itemCount, date: p.endsOn }))}</div>
                  </div>
                ))}
              </HomeCard>,
              <HomeCard key="exams" testId="home-exams" icon={<FormOutlined />} title={t('home.exams')} to="/me/exams"
                status={h.exams.total === 0 ? muted(t('home.exams_none')) : h.exams.total > h.exams.items.length ? muted(t('home.more', { n: h.exams.total })) : null}>
                {h.exams.items.map((e) => (
                  <div key={e.id} style={{ padding: '4px 0' }}>
                    <Link to="/me/exams" style={{ overflowWrap: 'anywhere' }}>{e.title}</Link>
                    <div>{e.inProgress ? <Tag color="blue">{t('home.exam_in_progress')}</Tag> : null}{muted(t('home.exam_left', { n: e.attemptsLeft, date: formatTime(e.closesAt) }))}</div>
                  </div>
                ))}
              </HomeCard>,
              <HomeCard key="unread" testId="home-unread" icon={<BellOutlined />} title={t('home.unread')} to={inboxPath}
                status={h.unreadNotices === null || h.unreadNotices === 0 ? muted(t('home.unread_none')) : <Tag color="red">{t('home.unread_n', { n: h.unreadNotices })}</Tag>} />,
              <HomeCard key="points" testId="home-points" icon={<StarOutlined />} title={t('home.points')} to="/me/points"
                status={
                  <Space wrap size={12} align="baseline">
                    <Typography.Text strong style={{ fontSize: 24, color: '#c0161b' }} data-testid="home-points-year">{h.points.thisYear}</Typography.Text>
                    <Link to="/leaderboard">{t('home.rank')}：{h.points.rank === null ? t('home.rank_none') : t('home.rank_of', { rank: h.points.rank, n: h.points.rankedCount })}</Link>
                  </Space>
                } />,
            ]}
          </Space>
        )}
      </QueryState>
    </Space>
  );
}
