import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { ArticleDetailSchema, Course, StudyPlan, UpdateArticle, UpdateCourse, UpdateStudyPlan } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { isoDay, toDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { useSaveErrors } from './ContentDialogs.js';

type ArticleDetail = z.infer<typeof ArticleDetailSchema>;

/** Saves a correction (PATCH), refreshes the learning lists and closes; field errors go under their inputs. */
function useCorrection<V>(path: string, onClose: () => void) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showErrors = useSaveErrors();
  const [saving, setSaving] = useState(false);
  async function save(form: Parameters<typeof showErrors<V>>[0], body: unknown, renamed?: Record<string, string>) {
    setSaving(true);
    try {
      await api.patch(path, body);
      void message.success(t('common.saved'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      onClose();
    } catch (error) {
      showErrors(form, error, renamed);
    } finally {
      setSaving(false);
    }
  }
  return { saving, save };
}

interface CourseForm { title: string; description?: string | null; url?: string | null; liveWindow?: [Dayjs, Dayjs] }

export function EditCourseDialog({ course, onClose }: { course: Course; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<CourseForm>();
  const { saving, save } = useCorrection<CourseForm>(`/learning/courses/${course.id}`, onClose);
  const hasUrl = course.kind !== 'series';
  const isLive = course.kind === 'live';
  const submit = (v: CourseForm) => {
    const body: UpdateCourse = { title: v.title, description: v.description?.trim() || null };
    if (hasUrl && v.url?.trim()) body.url = v.url.trim();
    if (isLive && v.liveWindow) Object.assign(body, { liveStartsAt: v.liveWindow[0].toISOString(), liveEndsAt: v.liveWindow[1].toISOString() });
    return save(form, body, { liveStartsAt: 'liveWindow', liveEndsAt: 'liveWindow' });
  };
  return (
    <Modal open title={t('course.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={640} destroyOnHidden okButtonProps={{ 'data-testid': 'course-edit-ok' }}>
      <Form<CourseForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="course-edit-form"
        initialValues={{ title: course.title, description: course.description, url: course.url,
          liveWindow: course.liveStartsAt && course.liveEndsAt ? [dayjs(course.liveStartsAt), dayjs(course.liveEndsAt)] : undefined }}>
        <Form.Item name="title" label={t('study.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('study.description')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
        {hasUrl && <Form.Item name="url" label={t('course.url')}><Input maxLength={1000} placeholder="https://" /></Form.Item>}
        {isLive && (
          <Form.Item name="liveWindow" label={t('course.live_time')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

interface ArticleForm { title: string; source?: string | null; body: string }

export function EditArticleDialog({ articleId, onClose }: { articleId: string; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<ArticleForm>();
  const { saving, save } = useCorrection<ArticleForm>(`/learning/articles/${articleId}`, onClose);
  const article = useQuery({ queryKey: ['learning', 'articles', 'one', articleId], queryFn: () => api.get<ArticleDetail>(`/learning/articles/${articleId}`) });
  const a = article.data;
  const submit = (v: ArticleForm) => save(form, { title: v.title, body: v.body, source: v.source?.trim() || null } satisfies UpdateArticle);
  return (
    <Modal open title={t('article.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden okButtonProps={{ 'data-testid': 'article-edit-ok', disabled: !a }}>
      <QueryState isLoading={article.isLoading} error={article.error}>
        {a && (
          <Form<ArticleForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ title: a.title, source: a.source, body: a.body }}>
            <Form.Item name="title" label={t('study.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
            <Form.Item name="source" label={t('article.source')}><Input maxLength={200} /></Form.Item>
            <Form.Item name="body" label={t('article.body')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={10} maxLength={100_000} /></Form.Item>
          </Form>
        )}
      </QueryState>
    </Modal>
  );
}

interface PlanForm { title: string; description?: string | null; dates?: [Dayjs, Dayjs] }

export function EditPlanDialog({ plan, onClose }: { plan: StudyPlan; onClose: () => void }) {
  const t = useT();
  const [form] = Form.useForm<PlanForm>();
  const { saving, save } = useCorrection<PlanForm>(`/learning/plans/${plan.id}`, onClose);
  const submit = (v: PlanForm) => save(form, {
    title: v.title, description: v.description?.trim() || null, startsOn: isoDay(v.dates?.[0]) ?? undefined, endsOn: isoDay(v.dates?.[1]) ?? undefined,
  } satisfies UpdateStudyPlan, { startsOn: 'dates', endsOn: 'dates' });
  const start = toDay(plan.startsOn);
  const end = toDay(plan.endsOn);
  return (
    <Modal open title={t('plan.edit')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={640} destroyOnHidden okButtonProps={{ 'data-testid': 'plan-edit-ok' }}>
      <Form<PlanForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="plan-edit-form"
        initialValues={{ title: plan.title, description: plan.description, dates: start && end ? [start, end] : undefined }}>
        <Form.Item name="title" label={t('study.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('study.description')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
        <Form.Item name="dates" label={t('plan.dates')} rules={[{ required: true }]}><DatePicker.RangePicker style={{ width: 300 }} /></Form.Item>
        <Typography.Text type="secondary">{t('plan.edit_hint')}</Typography.Text>
      </Form>
    </Modal>
  );
}
