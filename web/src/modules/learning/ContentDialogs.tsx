import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, DatePicker, type FormInstance, Form, Input, InputNumber, Modal, Select, Space, Typography, Upload } from 'antd';
import { MinusCircleOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { CourseKind, VideoSchema } from '../../../../contracts/learning.js';
import { ApiError, api, showFieldErrors } from '../../platform/api.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type Video = z.infer<typeof VideoSchema>;

/** Shows the server's field errors; the ones the form maps to another input (a range picker) go there. */
export function useSaveErrors() {
  const t = useT();
  const { message } = App.useApp();
  return <V,>(form: FormInstance<V>, error: unknown, renamed: Record<string, string> = {}) => {
    const { handled, unplaced } = showFieldErrors(form, error);
    const fields = error instanceof ApiError ? error.fields : {};
    const moved = Object.entries(renamed).flatMap(([from, to]) => (fields[from] ? [{ name: to, errors: [fields[from]] }] : []));
    if (moved.length) form.setFields(moved as Parameters<FormInstance<V>['setFields']>[0]);
    const rest = unplaced.filter((m) => !moved.some((x) => x.errors[0] === m));
    if (!handled && moved.length === 0) void message.error(errorMessage(error, t('app.error')));
    else if (rest[0]) void message.error(rest[0]);
  };
}

// ---------- courses ----------

interface CourseForm {
  orgId?: string;
  title: string;
  description?: string;
  kind: CourseKind;
  url?: string;
  liveWindow?: [Dayjs, Dayjs];
  lessons: { title?: string; url?: string; durationMinutes?: number | null }[];
}

export function CreateCourseDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showErrors = useSaveErrors();
  const [form] = Form.useForm<CourseForm>();
  const [saving, setSaving] = useState(false);
  const [video, setVideo] = useState<Video | null>(null);
  const [uploading, setUploading] = useState(false);
  const kind = Form.useWatch('kind', form);
  const orgId = Form.useWatch('orgId', form);

  async function upload(file: File) {
    if (!orgId) {
      form.setFields([{ name: 'orgId', errors: [t('course.upload_org_first')] }]);
      return;
    }
    setUploading(true);
    try {
      const data = new FormData();
      data.append('file', file);
      setVideo(await api.upload<Video>(`/learning/videos?orgId=${encodeURIComponent(orgId)}`, data));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  }

  async function save(v: CourseForm) {
    setSaving(true);
    try {
      const isSeries = v.kind === 'series';
      await api.post('/learning/courses', {
        orgId: v.orgId, title: v.title, description: v.description?.trim() || null, kind: v.kind,
        url: !isSeries && v.url?.trim() ? v.url.trim() : undefined,
        videoId: v.kind === 'video' && video && !v.url?.trim() ? video.id : undefined,
        liveStartsAt: v.kind === 'live' ? v.liveWindow?.[0].toISOString() : undefined,
        liveEndsAt: v.kind === 'live' ? v.liveWindow?.[1].toISOString() : undefined,
        lessons: isSeries ? v.lessons.map((l) => ({ title: l.title ?? '', url: l.url?.trim() || undefined, durationMinutes: l.durationMinutes ?? undefined })) : undefined,
      });
      void message.success(t('course.created_ok'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      onClose();
    } catch (error) {
      showErrors(form, error, { liveStartsAt: 'liveWindow', liveEndsAt: 'liveWindow', videoId: 'url' });
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t('course.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden okButtonProps={{ 'data-testid': 'course-create-ok' }}>
      <Form<CourseForm> form={form} layout="vertical" onFinish={save} data-testid="course-form" initialValues={{ kind: 'link', lessons: [{}] }}>
        <Space wrap align="start">
          <Form.Item name="orgId" label={t('study.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 300 }} /></Form.Item>
          <Form.Item name="kind" label={t('course.kind')} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} data-testid="course-kind" options={(['video', 'link', 'live', 'series'] as const).map((k) => ({ value: k, label: t(`course.kind.${k}`) }))} />
          </Form.Item>
        </Space>
        <Form.Item name="title" label={t('study.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('study.description')}><Input.TextArea rows={2} maxLength={5000} /></Form.Item>
        {kind !== 'series' && (
          <Form.Item name="url" label={t('course.url')} rules={[{ required: kind !== 'video' }]}><Input maxLength={1000} placeholder="https://" /></Form.Item>
        )}
        {kind === 'video' && (
          <Form.Item label={t('course.video')}>
            <Space wrap>
              <Upload showUploadList={false} accept="video/mp4,video/webm" beforeUpload={(file) => { void upload(file); return false; }}>
                <Button icon={<UploadOutlined />} loading={uploading} data-testid="course-video-upload">{t('course.upload')}</Button>
              </Upload>
              {video && <Typography.Text type="success">{t('course.video_uploaded', { name: video.fileName })}</Typography.Text>}
            </Space>
          </Form.Item>
        )}
        {kind === 'live' && (
          <Form.Item name="liveWindow" label={t('course.live_time')} rules={[{ required: true }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
          </Form.Item>
        )}
        {kind === 'series' && (
          <Form.Item label={t('course.lessons')} required>
            <Form.List name="lessons">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" style={{ width: '100%' }}>
                  {fields.map((field, i) => (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item name={[field.name, 'title']} rules={[{ required: true, whitespace: true }]} style={{ marginBottom: 0 }}>
                        <Input placeholder={t('course.lesson_title', { n: i + 1 })} style={{ width: 240 }} maxLength={200} data-testid="lesson-title" />
                      </Form.Item>
                      <Form.Item name={[field.name, 'url']} style={{ marginBottom: 0 }}><Input placeholder={t('course.lesson_url')} style={{ width: 240 }} maxLength={1000} data-testid="lesson-url" /></Form.Item>
                      <Form.Item name={[field.name, 'durationMinutes']} style={{ marginBottom: 0 }}><InputNumber min={1} max={1440} placeholder={t('course.lesson_minutes')} style={{ width: 120 }} /></Form.Item>
                      {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                    </Space>
                  ))}
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="lesson-add">{t('course.add_lesson')}</Button>
                </Space>
              )}
            </Form.List>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

// ---------- articles ----------

interface ArticleForm { orgId?: string; title: string; source?: string; body: string }

export function CreateArticleDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showErrors = useSaveErrors();
  const [form] = Form.useForm<ArticleForm>();
  const [saving, setSaving] = useState(false);

  async function save(v: ArticleForm) {
    setSaving(true);
    try {
      await api.post('/learning/articles', { orgId: v.orgId, title: v.title, source: v.source?.trim() || null, body: v.body });
      void message.success(t('article.published_ok'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      onClose();
    } catch (error) {
      showErrors(form, error);
    } finally {
      setSaving(false);
    }
  }

  return (
    <Modal open title={t('article.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={720} destroyOnHidden okButtonProps={{ 'data-testid': 'article-create-ok' }}>
      <Form<ArticleForm> form={form} layout="vertical" onFinish={save} data-testid="article-form">
        <Form.Item name="orgId" label={t('study.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 300 }} /></Form.Item>
        <Form.Item name="title" label={t('study.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="source" label={t('article.source')}><Input maxLength={200} /></Form.Item>
        <Form.Item name="body" label={t('article.body')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={10} maxLength={100_000} /></Form.Item>
      </Form>
    </Modal>
  );
}

// ---------- study plans ----------

interface PlanForm {
  orgId?: string;
  title: string;
  description?: string;
  dates?: [Dayjs, Dayjs];
  items: { title?: string; content?: string; dueOn?: Dayjs | null }[];
}

export function CreatePlanDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const showErrors = useSaveErrors();
  const [form] = Form.useForm<PlanForm>();
  const [saving, setSaving] = useState(false);

  async function save(v: PlanForm) {
    setSaving(true);
    try {
      await api.post('/learning/plans', {
        orgId: v.orgId, title: v.title, description: v.description?.trim() || null, startsOn: isoDay(v.dates?.[0]), endsOn: isoDay(v.dates?.[1]),
        items: v.items.map((i) => ({ title: i.title ?? '', content: i.content?.trim() || null, dueOn: isoDay(i.dueOn) })),
      });
      void message.success(t('plan.created_ok'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      onClose();
    } catch (error) {
      showErrors(form, error, { startsOn: 'dates', endsOn: 'dates' });
    } finally {
      setSaving(false);
    }
  }

  const today = todayInChina();
  return (
    <Modal open title={t('plan.new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={760} destroyOnHidden okButtonProps={{ 'data-testid': 'plan-create-ok' }}>
      <Form<PlanForm> form={form} layout="vertical" onFinish={save} data-testid="plan-form"
        initialValues={{ dates: [today, today.add(1, 'month')], items: [{ dueOn: today.add(7, 'day') }] }}>
        <Form.Item name="orgId" label={t('study.org')} rules={[{ required: true }]}><OrgTreeSelect style={{ width: 300 }} /></Form.Item>
        <Form.Item name="title" label={t('study.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="description" label={t('study.description')}><Input.TextArea rows={2} maxLength={5000} /></Form.Item>
        <Form.Item name="dates" label={t('plan.dates')} rules={[{ required: true }]}><DatePicker.RangePicker style={{ width: 300 }} /></Form.Item>
        <Form.Item label={t('plan.items')} required>
          <Form.List name="items">
            {(fields, { add, remove }) => (
              <Space orientation="vertical" style={{ width: '100%' }}>
                {fields.map((field, i) => (
                  <Space key={field.key} align="baseline" wrap>
                    <Typography.Text type="secondary">{i + 1}.</Typography.Text>
                    <Form.Item name={[field.name, 'title']} rules={[{ required: true, whitespace: true }]} style={{ marginBottom: 0 }}>
                      <Input placeholder={t('plan.item_title')} style={{ width: 220 }} maxLength={200} data-testid="plan-item-title" />
                    </Form.Item>
                    <Form.Item name={[field.name, 'content']} style={{ marginBottom: 0 }}><Input placeholder={t('plan.item_content')} style={{ width: 240 }} maxLength={5000} /></Form.Item>
                    <Form.Item name={[field.name, 'dueOn']} rules={[{ required: true }]} style={{ marginBottom: 0 }}><DatePicker placeholder={t('plan.due_on')} data-testid="plan-item-due" /></Form.Item>
                    {fields.length > 1 && <MinusCircleOutlined onClick={() => remove(field.name)} />}
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="plan-item-add">{t('plan.add_item')}</Button>
              </Space>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Modal>
  );
}
