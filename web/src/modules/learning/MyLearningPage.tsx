import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Input, List, Segmented, Space, Tag, Typography } from 'antd';
import type { z } from 'zod';
import type { ArticlePageSchema, Course, CoursePageSchema, StudyPlan, StudyPlanPageSchema } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { CourseKindTag, StudyProgress } from './StudyTags.js';
import { CardItem } from '../../platform/CardItem.js';

type CoursePage = z.infer<typeof CoursePageSchema>;
type ArticlePage = z.infer<typeof ArticlePageSchema>;
type Article = ArticlePage['items'][number];
type PlanPage = z.infer<typeof StudyPlanPageSchema>;
type Tab = 'courses' | 'articles' | 'plans';
const TABS: readonly Tab[] = ['courses', 'articles', 'plans'];
const PAGE_SIZE = 20;

/** 学习园地 on a phone: the courses, articles and study plans addressed to me, each with my progress. */
export default function MyLearningPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'courses';
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['learning', tab, 'mine', q, page],
    // the previous page stays while the next loads, but never another tab's items
    placeholderData: (previous, previousQuery) => (previousQuery?.queryKey[1] === tab ? previous : undefined),
    queryFn: () => api.get<CoursePage | ArticlePage | PlanPage>(`/learning/${tab}`, { q, page, pageSize: PAGE_SIZE }),
  });
  const data = list.data;
  const pagination = data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, simple: true, onChange: setPage } : false;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-learning">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.my_learning')}</Typography.Title>
      <Segmented block value={tab} data-testid="learning-tabs"
        onChange={(v: Tab) => { setParams({ tab: v }, { replace: true }); setPage(1); }}
        options={TABS.map((x) => ({ value: x, label: t(`study.tab.${x}`) }))} />
      <Input.Search allowClear placeholder={t('study.search')} onSearch={(v) => { setQ(v.trim()); setPage(1); }} />
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {data && data.items.length === 0 ? <Card><Empty description={t(tab === 'courses' ? 'course.none' : tab === 'articles' ? 'article.none' : 'plan.none')} /></Card> : (
          <List<Course | Article | StudyPlan> dataSource={data?.items ?? []} pagination={pagination} data-testid="learning-list"
            renderItem={(item) => <CardItem>{tab === 'courses' ? <CourseCard course={item as Course} /> : tab === 'articles' ? <ArticleCard article={item as Article} /> : <PlanCard plan={item as StudyPlan} />}</CardItem>} />
        )}
      </QueryState>
    </Space>
  );
}

function ItemCard({ to, testId, children }: { to: string; testId: string; children: React.ReactNode }) {
  const navigate = useNavigate();
  return (
    <Card size="small" hoverable style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid={testId} onClick={() => void navigate(to)}>
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>{children}</Space>
    </Card>
  );
}

function CourseCard({ course }: { course: Course }) {
  const t = useT();
  return (
    <ItemCard to={`/me/learning/courses/${course.id}`} testId="course-card">
      <Space size={6} wrap>
        <CourseKindTag kind={course.kind} />
        {course.isCompleted && <Tag color="success">{t('study.completed')}</Tag>}
      </Space>
      <Typography.Text strong style={{ fontSize: 16 }}>{course.title}</Typography.Text>
      <Typography.Text type="secondary">{course.orgName}{course.kind === 'series' ? ` · ${t('course.lesson_count', { n: course.lessonCount })}` : ''}</Typography.Text>
      {course.kind === 'live' && <Typography.Text>{t('course.live_at', { from: formatTime(course.liveStartsAt), to: formatTime(course.liveEndsAt) })}</Typography.Text>}
      <StudyProgress done={course.completedLessons} total={course.lessonCount} />
    </ItemCard>
  );
}

function ArticleCard({ article }: { article: Article }) {
  const t = useT();
  return (
    <ItemCard to={`/me/learning/articles/${article.id}`} testId="article-card">
      <Space size={6} wrap>
        {article.isRead ? <Tag color="success">{t('article.read')}</Tag> : <Tag color="orange">{t('article.unread')}</Tag>}
      </Space>
      <Typography.Text strong style={{ fontSize: 16 }}>{article.title}</Typography.Text>
      <Typography.Text type="secondary">{[article.source, article.orgName, formatTime(article.publishedAt)].filter(Boolean).join(' · ')}</Typography.Text>
    </ItemCard>
  );
}

function PlanCard({ plan }: { plan: StudyPlan }) {
  return (
    <ItemCard to={`/me/learning/plans/${plan.id}`} testId="plan-card">
      <Typography.Text strong style={{ fontSize: 16 }}>{plan.title}</Typography.Text>
      <Typography.Text type="secondary">{plan.orgName} · {plan.startsOn} – {plan.endsOn}</Typography.Text>
      <StudyProgress done={plan.doneCount} total={plan.itemCount} />
    </ItemCard>
  );
}
