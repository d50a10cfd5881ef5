import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, List, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, LinkOutlined, LeftOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { CompletionResultSchema, CourseDetail } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CourseKindTag, StudyProgress } from './StudyTags.js';
import { CardItem } from '../../platform/CardItem.js';

type CompletionResult = z.infer<typeof CompletionResultSchema>;
type Lesson = CourseDetail['lessons'][number];

/** One course for the member: watch or open each lesson and mark it done; the last one completes the course. */
export default function CoursePage() {
  const t = useT();
  const { id = '' } = useParams();
  const course = useQuery({ queryKey: ['learning', 'courses', 'one', id], queryFn: () => api.get<CourseDetail>(`/learning/courses/${id}`) });
  const c = course.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="course-page">
      <Link to="/me/learning?tab=courses"><LeftOutlined /> {t('course.back')}</Link>
      <QueryState isLoading={course.isLoading} error={course.error} retry={() => void course.refetch()}>
        {c && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Card size="small" styles={{ body: { padding: 14 } }}>
              <Space orientation="vertical" size={6} style={{ width: '100%' }}>
                <Space size={6} wrap>
                  <CourseKindTag kind={c.kind} />
                  {c.isCompleted && <Tag color="success" data-testid="course-completed">{t('study.completed')}</Tag>}
                </Space>
                <Typography.Title level={4} style={{ margin: 0 }}>{c.title}</Typography.Title>
                <Typography.Text type="secondary">{c.orgName}</Typography.Text>
                {c.kind === 'live' && <Typography.Text>{t('course.live_at', { from: formatTime(c.liveStartsAt), to: formatTime(c.liveEndsAt) })}</Typography.Text>}
                {c.description && <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{c.description}</Typography.Paragraph>}
                <StudyProgress done={c.completedLessons} total={c.lessonCount} />
              </Space>
            </Card>
            {c.isCompleted && <Alert type="success" showIcon message={t('course.finished')} />}
            {c.kind === 'series' && <Typography.Text strong>{t('course.lessons')} · {t('course.lesson_count', { n: c.lessonCount })}</Typography.Text>}
            <List dataSource={c.lessons} data-testid="lesson-list" renderItem={(lesson) => <CardItem key={lesson.id}><LessonCard courseId={c.id} lesson={lesson} isSeries={c.kind === 'series'} /></CardItem>} />
          </Space>
        )}
      </QueryState>
    </Space>
  );
}

function LessonCard({ courseId, lesson, isSeries }: { courseId: string; lesson: Lesson; isSeries: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);

  async function complete() {
    setSaving(true);
    try {
      const result = await api.post<CompletionResult>(`/learning/courses/${courseId}/lessons/${lesson.id}/complete`);
      if (result.isCompleted) void message.success(result.points > 0 ? `${t('course.finished')}，${t('study.points_earned', { n: result.points })}` : t('course.finished'));
      else void message.success(t('study.done_of', { done: result.completedLessons, total: result.lessonCount }));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      void queryClient.invalidateQueries({ queryKey: ['points'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="lesson-card">
      <Space orientation="vertical" size={8} style={{ width: '100%' }}>
        {isSeries && (
          <Space size={6} style={{ width: '100%', justifyContent: 'space-between' }}>
            <Typography.Text strong>{lesson.position}. {lesson.title}</Typography.Text>
            {lesson.durationMinutes !== null && <Typography.Text type="secondary">{lesson.durationMinutes}′</Typography.Text>}
          </Space>
        )}
        {lesson.videoUrl && <video src={lesson.videoUrl} controls preload="metadata" playsInline style={{ width: '100%', maxHeight: 360, background: '#000' }} data-testid="lesson-video" />}
        {lesson.url && (
          <a href={lesson.url} target="_blank" rel="noopener noreferrer" data-testid="lesson-link"><LinkOutlined /> {t('course.open')}</a>
        )}
        {lesson.isCompleted
          ? <Typography.Text type="success" data-testid="lesson-done"><CheckCircleFilled /> {t('course.lesson_done')}</Typography.Text>
          : <Button type="primary" block size="large" loading={saving} onClick={() => void complete()} data-testid="lesson-complete">{t('course.mark_done')}</Button>}
      </Space>
    </Card>
  );
}
