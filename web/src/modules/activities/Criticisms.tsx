import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import type { Activity, Criticism, Participant, SaveCriticism } from '../../../../contracts/activities.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

const pre = { whiteSpace: 'pre-wrap', marginBottom: 0 } as const;

/** 批评与自我批评 of a 组织生活会 or 民主生活会: one record per participant, written by the meeting's organizer. */
export function CriticismsCard({ activity, participants }: { activity: Activity; participants: Participant[] }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<{ memberId?: string; current?: Criticism } | null>(null);
  const key = ['activities', activity.id, 'criticisms'];
  const list = useQuery({ queryKey: key, queryFn: () => api.get<{ items: Criticism[] }>(`/activities/${activity.id}/criticisms`) });
  const editable = activity.status !== 'cancelled';
  async function remove(memberId: string) {
    try {
      await api.delete(`/activities/${activity.id}/criticisms/${memberId}`);
      await queryClient.invalidateQueries({ queryKey: key });
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    }
  }
  return (
    <Card title={t('activity.criticisms')} data-testid="criticisms-card"
      extra={editable && <Button onClick={() => setEditing({})} data-testid="criticism-add">{t('activity.criticism_add')}</Button>}>
      <Table<Criticism>
        rowKey="memberId" size="small" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }} locale={{ emptyText: t('activity.criticism_none') }} data-testid="criticism-table"
        columns={[
          { title: t('activity.criticism_member'), dataIndex: 'name' },
          { title: t('activity.criticism_self'), dataIndex: 'selfCriticism', render: (v: string) => <Typography.Paragraph style={{ ...pre, maxWidth: 360 }}>{v}</Typography.Paragraph> },
          { title: t('activity.criticism_received'), dataIndex: 'criticismsReceived', render: (v: string | null) => <Typography.Paragraph style={{ ...pre, maxWidth: 320 }}>{v ?? '—'}</Typography.Paragraph> },
          { title: t('activity.criticism_rectification'), dataIndex: 'rectification', render: (v: string | null) => <Typography.Paragraph style={{ ...pre, maxWidth: 320 }}>{v ?? '—'}</Typography.Paragraph> },
          { title: t('activity.criticism_updated'), dataIndex: 'updatedAt', render: (v: string) => formatTime(v) },
          ...(editable ? [{
            title: t('common.actions'), key: 'actions', render: (_: unknown, c: Criticism) => (
              <Space>
                <Button size="small" onClick={() => setEditing({ memberId: c.memberId, current: c })}>{t('activity.criticism_edit')}</Button>
                <Popconfirm title={t('activity.criticism_delete_confirm')} onConfirm={() => remove(c.memberId)}>
                  <Button size="small" danger>{t('activity.criticism_delete')}</Button>
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]}
      />
      {editing && <CriticismDialog activityId={activity.id} participants={participants} editing={editing} onClose={() => setEditing(null)}
        onSaved={() => { setEditing(null); message.success(t('activity.criticism_saved')); void queryClient.invalidateQueries({ queryKey: key }); }} />}
    </Card>
  );
}

function CriticismDialog({ activityId, participants, editing, onClose, onSaved }: {
  activityId: string; participants: Participant[]; editing: { memberId?: string; current?: Criticism }; onClose: () => void; onSaved: () => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<SaveCriticism & { memberId: string }>();
  const [saving, setSaving] = useState(false);
  async function submit(values: SaveCriticism & { memberId: string }) {
    setSaving(true);
    try {
      const { memberId, ...body } = values;
      await api.put(`/activities/${activityId}/criticisms/${memberId}`, body);
      onSaved();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  const c = editing.current;
  return (
    <Modal open title={t('activity.criticisms')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden
      okButtonProps={{ 'data-testid': 'criticism-save' }}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={{ memberId: editing.memberId, selfCriticism: c?.selfCriticism, criticismsReceived: c?.criticismsReceived ?? '', rectification: c?.rectification ?? '' }}>
        <Form.Item name="memberId" label={t('activity.criticism_member')} rules={[{ required: true }]}>
          <Select showSearch optionFilterProp="label" disabled={!!editing.memberId} data-testid="criticism-member"
            options={participants.map((p) => ({ value: p.memberId, label: `${p.name}（${p.orgName}）` }))} />
        </Form.Item>
        <Form.Item name="selfCriticism" label={t('activity.criticism_self')} rules={[{ required: true }]}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>
        <Form.Item name="criticismsReceived" label={t('activity.criticism_received')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
        <Form.Item name="rectification" label={t('activity.criticism_rectification')}><Input.TextArea rows={3} maxLength={5000} /></Form.Item>
      </Form>
    </Modal>
  );
}
