import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Descriptions, Progress, Space, Table, Tag, Typography } from 'antd';
import { LeftOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { CourseDetail, MemberProgressSchema, ProgressPage as ProgressPageData, StudyPlanDetailSchema } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { CourseKindTag } from './StudyTags.js';

type MemberProgress = z.infer<typeof MemberProgressSchema>;
type PlanDetail = z.infer<typeof StudyPlanDetailSchema>;

/** An organizer's view of one course or study plan: what it holds and how far each member of the org has got. */
export default function ProgressPage() {
  const t = useT();
  const { id = '' } = useParams();
  const kind = useLocation().pathname.startsWith('/learning/plans/') ? 'plans' : 'courses';
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const detail = useQuery({ queryKey: ['learning', kind, 'one', id], queryFn: () => api.get<CourseDetail | PlanDetail>(`/learning/${kind}/${id}`) });
  const progress = useQuery({
    queryKey: ['learning', kind, 'progress', id, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<ProgressPageData>(`/learning/${kind}/${id}/progress`, { page: page.current, pageSize: page.pageSize }),
  });
  const d = detail.data;
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="progress-page">
      <Link to={`/learning?tab=${kind}`}><LeftOutlined /> {t('menu.learning_admin')}</Link>
      <QueryState isLoading={detail.isLoading} error={detail.error ?? progress.error} retry={() => { void detail.refetch(); void progress.refetch(); }}>
        {d && (
          <Card title={<Space>{'kind' in d && <CourseKindTag kind={d.kind} />}<span>{d.title}</span></Space>}>
            <Descriptions size="small" column={{ xs: 1, md: 2 }}>
              <Descriptions.Item label={t('study.org')}>{d.orgName}</Descriptions.Item>
              {'lessons' in d
                ? <Descriptions.Item label={t('course.lessons')}>{t('course.lesson_count', { n: d.lessonCount })}</Descriptions.Item>
                : <Descriptions.Item label={t('plan.dates')}>{d.startsOn} – {d.endsOn}</Descriptions.Item>}
              {d.description && <Descriptions.Item label={t('study.description')} span={2}>{d.description}</Descriptions.Item>}
            </Descriptions>
            {'items' in d && (
              <Table size="small" rowKey="id" pagination={false} dataSource={d.items} style={{ marginTop: 12 }}
                columns={[
                  { title: '#', dataIndex: 'position', width: 48 },
                  { title: t('plan.item_title'), dataIndex: 'title' },
                  { title: t('plan.due_on'), dataIndex: 'dueOn' },
                ]} />
            )}
            {'lessons' in d && d.kind === 'series' && (
              <Table size="small" rowKey="id" pagination={false} dataSource={d.lessons} style={{ marginTop: 12 }}
                columns={[
                  { title: '#', dataIndex: 'position', width: 48 },
                  { title: t('course.lessons'), dataIndex: 'title' },
                  { title: t('course.lesson_minutes'), dataIndex: 'durationMinutes', render: (v: number | null) => v ?? '—' },
                ]} />
            )}
          </Card>
        )}
        <Card title={t('study.progress_title')}>
          <Table<MemberProgress> rowKey="memberId" size="middle" loading={progress.isFetching} dataSource={progress.data?.items ?? []} scroll={{ x: 'max-content' }}
            data-testid="progress-table"
            pagination={{ ...page, total: progress.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
            columns={[
              { title: t('study.member'), dataIndex: 'memberName' },
              { title: t('study.member_org'), dataIndex: 'orgName' },
              {
                title: t('study.progress'), key: 'progress', width: 220,
                render: (_: unknown, m) => (
                  <Space size={8}>
                    <Progress aria-label={`${m.memberName ?? ''} ${m.done}/${m.total}`} percent={m.total ? Math.round((m.done / m.total) * 100) : 0} size="small" style={{ width: 120, margin: 0 }} showInfo={false} status={m.completedAt ? 'success' : 'normal'} />
                    <Typography.Text data-testid="progress-done">{m.done}/{m.total}</Typography.Text>
                  </Space>
                ),
              },
              ...(kind === 'plans' ? [{ title: t('study.overdue'), dataIndex: 'overdue', render: (v: number) => (v > 0 ? <Tag color="error">{v}</Tag> : 0) }] : []),
              { title: t('study.completed_at'), dataIndex: 'completedAt', render: (v: string | null) => (v ? formatTime(v) : '—') },
            ]} />
        </Card>
      </QueryState>
    </Space>
  );
}
