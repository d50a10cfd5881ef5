import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Form, Input, List, Modal, Space, Typography } from 'antd';
import type { Wish, WishPage } from '../../../../contracts/micro_wishes.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';

/** Wishes residents posted on the public form, waiting for an admin of their org before anyone sees them. */
export function WishModerationList() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [rejecting, setRejecting] = useState<Wish | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const list = useQuery({
    queryKey: ['micro-wishes', 'list', { status: 'pending_review', page }],
    queryFn: () => api.get<WishPage>('/micro-wishes', { status: 'pending_review', page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });

  const moderate = async (wish: Wish, body: { decision: 'approve' | 'reject'; reason?: string }) => {
    setBusy(wish.id);
    try {
      await api.post<Wish>(`/micro-wishes/${wish.id}/moderate`, body);
      void message.success(body.decision === 'approve' ? t('service.approved') : t('service.rejected'));
      setRejecting(null);
      setReason('');
      await queryClient.invalidateQueries({ queryKey: ['micro-wishes'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };

  return (
    <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
      {(list.data?.items.length ?? 0) === 0 ? <Empty description={t('service.queue_empty')} /> : (
        <List
          dataSource={list.data?.items ?? []}
          data-testid="wish-moderation-list"
          pagination={(list.data?.total ?? 0) > 20 ? { current: page, pageSize: 20, total: list.data?.total, onChange: setPage } : false}
          renderItem={(w) => (
            <List.Item
              data-testid={`wish-pending-${w.id}`}
              actions={w.canModerate ? [
                <Button key="approve" type="primary" size="small" loading={busy === w.id} onClick={() => void moderate(w, { decision: 'approve' })} data-testid="wish-approve">{t('service.approve')}</Button>,
                <Button key="reject" size="small" danger onClick={() => setRejecting(w)} data-testid="wish-reject">{t('service.reject')}</Button>,
              ] : []}
            >
              <List.Item.Meta
                title={<Space wrap><Typography.Text strong>{w.title}</Typography.Text>{w.communityName && <Typography.Text type="secondary">{w.communityName}</Typography.Text>}</Space>}
                description={(
                  <Space orientation="vertical" size={2}>
                    <Typography.Text style={{ whiteSpace: 'pre-wrap' }}>{w.content}</Typography.Text>
                    <Typography.Text type="secondary">{w.posterName} · {w.posterContactMasked} · {formatTime(w.createdAt)}</Typography.Text>
                  </Space>
                )}
              />
            </List.Item>
          )}
        />
      )}
      <Modal
        open={!!rejecting} title={t('service.reject')} onCancel={() => setRejecting(null)}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: !!busy }}
        onOk={() => rejecting && void moderate(rejecting, { decision: 'reject', reason })}
      >
        <Form layout="vertical">
          <Form.Item label={t('wish.moderate_reason')} required>
            <Input.TextArea value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
      </Modal>
    </QueryState>
  );
}
