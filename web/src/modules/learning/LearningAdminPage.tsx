import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Input, Popconfirm, Segmented, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { ArticlePageSchema, ClockInPageSchema, Course, StudyPlan } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { formatTime, isoDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOrgOrOwn } from '../../platform/own-org.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { errorMessage } from '../../platform/status.js';
import { CreateArticleDialog, CreateCourseDialog, CreatePlanDialog } from './ContentDialogs.js';
import { EditArticleDialog, EditCourseDialog, EditPlanDialog } from './EditDialogs.js';
import { LessonsDialog } from './LessonsDialog.js';
import { CourseKindTag } from './StudyTags.js';

type ArticlePage = z.infer<typeof ArticlePageSchema>;
type Article = ArticlePage['items'][number];
type ClockInPage = z.infer<typeof ClockInPageSchema>;
type Tab = 'courses' | 'articles' | 'plans' | 'clock-ins';
const TABS: readonly Tab[] = ['courses', 'articles', 'plans', 'clock-ins'];

/** 学习管理: the courses, articles and study plans of the viewer's scope; publish new ones, open members' progress. */
export default function LearningAdminPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const tab = TABS.find((x) => x === params.get('tab')) ?? 'courses';
  const tabLabel = (x: Tab) => (x === 'clock-ins' ? t('clock.by_org') : t(`study.tab.${x}`));
  return (
    <Card title={t('menu.learning_admin')} data-testid="learning-admin">
      <Segmented value={tab} onChange={(v: Tab) => setParams({ tab: v }, { replace: true })} options={TABS.map((x) => ({ value: x, label: tabLabel(x) }))}
        style={{ marginBottom: 16 }} data-testid="learning-admin-tabs" />
      {tab === 'courses' && <CourseTable />}
      {tab === 'articles' && <ArticleTable />}
      {tab === 'plans' && <PlanTable />}
      {tab === 'clock-ins' && <ClockInTable />}
    </Card>
  );
}

function usePagedList<T>(path: string, q: string) {
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['learning', path, 'admin', q, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<{ items: T[]; total: number }>(path, { q, page: page.current, pageSize: page.pageSize }),
  });
  return { list, page, setPage };
}

function Toolbar({ onSearch, onCreate, createLabel, testId }: { onSearch: (q: string) => void; onCreate: () => void; createLabel: string; testId: string }) {
  const t = useT();
  return (
    <Space wrap style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }}>
      <Input.Search allowClear placeholder={t('study.search')} style={{ width: 260 }} onSearch={(v) => onSearch(v.trim())} />
      <Button type="primary" icon={<PlusOutlined />} onClick={onCreate} data-testid={testId}>{createLabel}</Button>
    </Space>
  );
}

function CourseTable() {
  const t = useT();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Course | null>(null);
  const [lessonsOf, setLessonsOf] = useState<Course | null>(null);
  const { list, page, setPage } = usePagedList<Course>('/learning/courses', q);
  return (
    <>
      <Toolbar onSearch={(v) => { setQ(v); setPage((p) => ({ ...p, current: 1 })); }} onCreate={() => setCreating(true)} createLabel={t('course.new')} testId="course-new" />
      <Table<Course> rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('course.none') }}
        data-testid="course-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('study.title'), dataIndex: 'title', render: (v: string, c) => <Link to={`/learning/courses/${c.id}/progress`}>{v}</Link> },
          { title: t('course.kind'), dataIndex: 'kind', render: (k: Course['kind']) => <CourseKindTag kind={k} /> },
          { title: t('course.lessons'), dataIndex: 'lessonCount' },
          { title: t('study.org'), dataIndex: 'orgName' },
          { title: t('study.created_at'), dataIndex: 'createdAt', render: (v: string, c) => (c.kind === 'live' ? t('course.live_at', { from: formatTime(c.liveStartsAt), to: formatTime(c.liveEndsAt) }) : formatTime(v)) },
          {
            title: t('common.actions'), key: 'actions', render: (_: unknown, c) => (
              <Space size={12}>
                <Link to={`/learning/courses/${c.id}/progress`} data-testid="course-progress-link">{t('study.progress_title')}</Link>
                <Typography.Link onClick={() => setEditing(c)} data-testid="course-edit">{t('study.edit')}</Typography.Link>
                {c.kind === 'series' && <Typography.Link onClick={() => setLessonsOf(c)} data-testid="course-lessons">{t('course.manage_lessons')}</Typography.Link>}
                <ArchiveLink path={`/learning/courses/${c.id}`} testId="course-archive" />
              </Space>
            ),
          },
        ]} />
      {creating && <CreateCourseDialog onClose={() => setCreating(false)} />}
      {editing && <EditCourseDialog course={editing} onClose={() => setEditing(null)} />}
      {lessonsOf && <LessonsDialog course={lessonsOf} onClose={() => setLessonsOf(null)} />}
    </>
  );
}

function ArticleTable() {
  const t = useT();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const { list, page, setPage } = usePagedList<Article>('/learning/articles', q);
  return (
    <>
      <Toolbar onSearch={(v) => { setQ(v); setPage((p) => ({ ...p, current: 1 })); }} onCreate={() => setCreating(true)} createLabel={t('article.new')} testId="article-new" />
      <Table<Article> rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('article.none') }}
        data-testid="article-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('study.title'), dataIndex: 'title' },
          { title: t('article.source'), dataIndex: 'source', render: (v: string | null) => v ?? '—' },
          { title: t('study.org'), dataIndex: 'orgName' },
          { title: t('study.created_at'), dataIndex: 'publishedAt', render: (v: string) => formatTime(v) },
          { title: t('article.read'), dataIndex: 'readCount' },
          {
            title: t('common.actions'), key: 'actions', render: (_: unknown, a) => (
              <Space size={12}>
                <Typography.Link onClick={() => setEditing(a.id)} data-testid="article-edit">{t('study.edit')}</Typography.Link>
                <ArchiveLink path={`/learning/articles/${a.id}`} testId="article-archive" />
              </Space>
            ),
          },
        ]} />
      {creating && <CreateArticleDialog onClose={() => setCreating(false)} />}
      {editing && <EditArticleDialog articleId={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function PlanTable() {
  const t = useT();
  const [q, setQ] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<StudyPlan | null>(null);
  const { list, page, setPage } = usePagedList<StudyPlan>('/learning/plans', q);
  return (
    <>
      <Toolbar onSearch={(v) => { setQ(v); setPage((p) => ({ ...p, current: 1 })); }} onCreate={() => setCreating(true)} createLabel={t('plan.new')} testId="plan-new" />
      <Table<StudyPlan> rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('plan.none') }}
        data-testid="plan-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('study.title'), dataIndex: 'title', render: (v: string, p) => <Link to={`/learning/plans/${p.id}/progress`}>{v}</Link> },
          { title: t('plan.dates'), key: 'dates', render: (_: unknown, p) => `${p.startsOn} – ${p.endsOn}` },
          { title: t('plan.items'), dataIndex: 'itemCount' },
          { title: t('study.org'), dataIndex: 'orgName' },
          {
            title: t('common.actions'), key: 'actions', render: (_: unknown, p) => (
              <Space size={12}>
                <Link to={`/learning/plans/${p.id}/progress`} data-testid="plan-progress-link">{t('study.progress_title')}</Link>
                <Typography.Link onClick={() => setEditing(p)} data-testid="plan-edit">{t('study.edit')}</Typography.Link>
              </Space>
            ),
          },
        ]} />
      {creating && <CreatePlanDialog onClose={() => setCreating(false)} />}
      {editing && <EditPlanDialog plan={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

/** Withdraws a course or an article after a confirmation; members' records stay. */
function ArchiveLink({ path, testId }: { path: string; testId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  async function archive() {
    try {
      await api.delete(path);
      void message.success(t('study.archived'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  }
  return (
    <Popconfirm title={t('study.archive_confirm')} onConfirm={archive} okButtonProps={{ danger: true }}>
      <Typography.Link type="danger" data-testid={testId}>{t('study.archive')}</Typography.Link>
    </Popconfirm>
  );
}

type ClockIn = ClockInPage['items'][number];

function ClockInTable() {
  const t = useT();
  const [chosenOrgId, setOrgId] = useState<string | undefined>();
  // before a choice: the viewer's own org
  const { orgId } = useOrgOrOwn(chosenOrgId);
  const [date, setDate] = useState<Dayjs | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['learning', 'clock-ins', 'org', orgId, isoDay(date), page], placeholderData: keepPreviousData, enabled: !!orgId,
    queryFn: () => api.get<ClockInPage>('/learning/clock-ins', { orgId, date: isoDay(date), page: page.current, pageSize: page.pageSize }),
  });
  return (
    <>
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={orgId} onChange={(v) => { setOrgId(v); setPage((p) => ({ ...p, current: 1 })); }} placeholder={t('study.member_org')} style={{ width: 300 }} />
        <DatePicker value={date} onChange={(v: Dayjs | null) => { setDate(v); setPage((p) => ({ ...p, current: 1 })); }} />
      </Space>
      {!orgId ? <Typography.Text type="secondary">{t('clock.pick_org')}</Typography.Text> : (
        <Table<ClockIn> rowKey="id" size="middle" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }} locale={{ emptyText: t('clock.none') }}
          pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
          columns={[
            { title: t('study.member'), dataIndex: 'memberName' },
            { title: t('clock.day'), dataIndex: 'day' },
            { title: t('clock.note'), dataIndex: 'note', render: (v: string) => <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{v}</Typography.Text> },
            { title: t('study.created_at'), dataIndex: 'createdAt', render: (v: string) => formatTime(v) },
          ]} />
      )}
    </>
  );
}
