import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import type { Course, CourseDetail, CreateLesson, UpdateLesson } from '../../../../contracts/learning.js';
import { ApiError, api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';

type Lesson = CourseDetail['lessons'][number];

/**
 * The lessons of a published series for its organizer: edit, add, move and remove them. Removing a
 * lesson members have studied asks again, with the server's count, before their progress goes.
 */
export function LessonsDialog({ course, onClose }: { course: Course; onClose: () => void }) {
  const t = useT();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const detail = useQuery({ queryKey: ['learning', 'courses', 'one', course.id], queryFn: () => api.get<CourseDetail>(`/learning/courses/${course.id}`) });
  const [editing, setEditing] = useState<Lesson | 'new' | null>(null);
  const [busy, setBusy] = useState(false);
  const lessons = detail.data?.lessons ?? [];
  const base = `/learning/courses/${course.id}/lessons`;

  async function change(action: () => Promise<unknown>, done: 'course.lessons_reordered' | 'course.lesson_removed') {
    setBusy(true);
    try {
      await action();
      void message.success(t(done));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(false);
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
    }
  }

  const move = (index: number, by: -1 | 1) => {
    const ids = lessons.map((l) => l.id);
    [ids[index], ids[index + by]] = [ids[index + by]!, ids[index]!];
    return change(() => api.put(`${base}/order`, { lessonIds: ids }), 'course.lessons_reordered');
  };

  const remove = (lesson: Lesson) => modal.confirm({
    title: t('course.lesson_remove_confirm', { title: lesson.title }), okButtonProps: { danger: true, 'data-testid': 'lesson-remove-ok' },
    onOk: async () => {
      try {
        await api.delete(`${base}/${lesson.id}`);
        void message.success(t('course.lesson_removed'));
        await queryClient.invalidateQueries({ queryKey: ['learning'] });
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'learning.lesson_has_progress')) {
          void message.error(errorMessage(error, t('app.error')));
          return;
        }
        // the server counted the members who studied it: say so, and remove only when confirmed again
        modal.confirm({
          title: t('course.lesson_remove_confirm', { title: lesson.title }), content: error.message, okText: t('course.lesson_remove_progress'),
          okButtonProps: { danger: true, 'data-testid': 'lesson-remove-progress-ok' },
          onOk: () => change(() => api.delete(`${base}/${lesson.id}?confirmProgressLoss=true`), 'course.lesson_removed'),
        });
      }
    },
  });

  return (
    <Modal open title={t('course.lessons_of', { title: course.title })} onCancel={onClose} footer={null} width={880} destroyOnHidden>
      <Alert type="info" showIcon message={t('course.lesson_points_kept')} style={{ marginBottom: 12 }} />
      <QueryState isLoading={detail.isLoading} error={detail.error} retry={() => void detail.refetch()}>
        <Table<Lesson> rowKey="id" size="small" pagination={false} dataSource={lessons} loading={busy || detail.isFetching} data-testid="lesson-table" scroll={{ x: 'max-content' }}
          columns={[
            { title: '#', dataIndex: 'position', width: 48 },
            { title: t('course.lesson_title_plain'), dataIndex: 'title' },
            { title: t('course.lesson_url'), dataIndex: 'url', render: (v: string | null, l) => v ?? (l.videoUrl ? t('course.video') : '—') },
            { title: t('course.lesson_minutes'), dataIndex: 'durationMinutes', render: (v: number | null) => v ?? '—' },
            {
              title: t('common.actions'), key: 'actions', render: (_: unknown, l, i) => (
                <Space size={4} wrap>
                  <Button size="small" icon={<ArrowUpOutlined />} disabled={i === 0 || busy} onClick={() => void move(i, -1)} aria-label={t('course.lesson_move_up')} />
                  <Button size="small" icon={<ArrowDownOutlined />} disabled={i === lessons.length - 1 || busy} onClick={() => void move(i, 1)} aria-label={t('course.lesson_move_down')} />
                  <Typography.Link onClick={() => setEditing(l)} data-testid="lesson-edit">{t('course.lesson_edit')}</Typography.Link>
                  {lessons.length > 1 && <Typography.Link type="danger" onClick={() => remove(l)} data-testid="lesson-remove">{t('course.lesson_remove')}</Typography.Link>}
                </Space>
              ),
            },
          ]} />
        <Button type="dashed" icon={<PlusOutlined />} onClick={() => setEditing('new')} style={{ marginTop: 12 }} data-testid="lesson-new">{t('course.lesson_new')}</Button>
      </QueryState>
      {editing && <LessonFormDialog path={base} lesson={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Modal>
  );
}

interface LessonForm { title: string; url?: string | null; durationMinutes?: number | null; position?: number | null }

function LessonFormDialog({ path, lesson, onClose }: { path: string; lesson: Lesson | null; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<LessonForm>();
  const { saving, run } = useFormSubmit(form);
  const save = (v: LessonForm) => run(async () => {
    const url = v.url?.trim() || null;
    if (lesson) await api.patch(`${path}/${lesson.id}`, { title: v.title, url, durationMinutes: v.durationMinutes ?? null } satisfies UpdateLesson);
    else await api.post(path, { title: v.title, url: url ?? undefined, durationMinutes: v.durationMinutes ?? undefined, position: v.position ?? undefined } satisfies CreateLesson);
    await queryClient.invalidateQueries({ queryKey: ['learning'] });
    void message.success(lesson ? t('common.saved') : t('course.lesson_added'));
    onClose();
  });
  return (
    <Modal open title={lesson ? `${t('course.lesson_edit')}：${lesson.title}` : t('course.lesson_new')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      destroyOnHidden okButtonProps={{ 'data-testid': 'lesson-save' }}>
      <Form<LessonForm> form={form} layout="vertical" onFinish={(v) => void save(v)} data-testid="lesson-form"
        initialValues={lesson ? { title: lesson.title, url: lesson.url, durationMinutes: lesson.durationMinutes } : {}}>
        <Form.Item name="title" label={t('course.lesson_title_plain')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} /></Form.Item>
        <Form.Item name="url" label={t('course.lesson_url')}><Input maxLength={1000} placeholder="https://" /></Form.Item>
        <Form.Item name="durationMinutes" label={t('course.lesson_minutes')}><InputNumber min={1} max={1440} /></Form.Item>
        {!lesson && <Form.Item name="position" label={t('course.lesson_position')}><InputNumber min={1} max={500} /></Form.Item>}
      </Form>
    </Modal>
  );
}
