import { useState } from 'react';
import { Link } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Card, Form, Input, Modal, Space, Tag, Timeline, Typography } from 'antd';
import type { Rectification } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';

/** One rectification task: its progress reports (the branch adds them) and its closing (the level above). */
export function RectificationCard({ task, showRound = false }: { task: Rectification; showRound?: boolean }) {
  const t = useT();
  return (
    <Card size="small" data-testid={`rectification-${task.id}`}>
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Space wrap size={[6, 4]}>
          <Tag color={task.status === 'open' ? 'orange' : 'green'}>{task.status === 'open' ? t('std.task_open') : t('std.task_closed')}</Tag>
          {showRound && <Link to={`/standardization/rounds/${task.roundId}`}>{task.orgName} · {task.schemeName}</Link>}
        </Space>
        <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>{task.task}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('std.deadline_on', { date: task.deadline, owner: task.ownerName })}</Typography.Text>
        {task.progress.length > 0 && (
          <Timeline style={{ marginTop: 8 }} items={task.progress.map((p) => ({
            children: <div style={{ overflowWrap: 'anywhere' }}>{p.note}{p.evidence ? `（${p.evidence}）` : ''}<br /><Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.authorName} · {formatTime(p.createdAt)}</Typography.Text></div>,
          }))} />
        )}
        {task.closingComment && <Typography.Text type="secondary">{t('std.closing_comment')}：{task.closingComment}</Typography.Text>}
        <Space wrap>
          {task.canReport && <TaskAction task={task} action="progress" />}
          {task.canClose && <TaskAction task={task} action="close" />}
        </Space>
      </Space>
    </Card>
  );
}

function TaskAction({ task, action }: { task: Rectification; action: 'progress' | 'close' }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ note?: string; evidence?: string; comment?: string }>();
  const { saving, run } = useFormSubmit(form);
  const label = action === 'progress' ? t('std.report_progress') : t('std.close_task');
  const send = () => run(async () => {
    const v = await form.validateFields();
    await api.post(`/standardization/rectifications/${task.id}/${action}`, action === 'progress' ? { note: v.note, evidence: v.evidence ?? null } : { comment: v.comment ?? null });
    await queryClient.invalidateQueries({ queryKey: ['standardization'] });
    setOpen(false);
  });
  return (
    <>
      <Button size="small" type={action === 'close' ? 'primary' : 'default'} onClick={() => setOpen(true)}>{label}</Button>
      <Modal open={open} title={label} onCancel={() => setOpen(false)} onOk={() => void send()} okButtonProps={{ loading: saving }} cancelText={t('std.cancel')} destroyOnHidden>
        <Form form={form} layout="vertical">
          {action === 'progress' ? (
            <>
              <Form.Item name="note" label={t('std.progress_note')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={1000} /></Form.Item>
              <Form.Item name="evidence" label={t('std.progress_evidence')}><Input.TextArea rows={2} maxLength={2000} /></Form.Item>
            </>
          ) : <Form.Item name="comment" label={t('std.closing_comment')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>}
        </Form>
      </Modal>
    </>
  );
}
