import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Form, Input, List, Space, Typography } from 'antd';
import { LikeFilled, LikeOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { CreateShare, Share, SharePageSchema } from '../../../../contracts/learning.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSession } from '../../platform/session.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';

type SharePage = z.infer<typeof SharePageSchema>;
const PAGE_SIZE = 20;

/** 读书分享: what members of my branch read and think, newest first, with likes. */
export default function SharesPage() {
  const t = useT();
  const { audiences } = useSession();
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['learning', 'shares', page], placeholderData: keepPreviousData,
    queryFn: () => api.get<SharePage>('/learning/shares', { page, pageSize: PAGE_SIZE }),
  });
  const data = list.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="shares-page">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('menu.reading_shares')}</Typography.Title>
      {audiences.has('member') && <ShareForm />}
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {data && data.items.length === 0 ? <Card><Empty description={t('share.none')} /></Card> : (
          <List<Share> dataSource={data?.items ?? []} data-testid="share-list"
            pagination={data && data.total > PAGE_SIZE ? { current: page, pageSize: PAGE_SIZE, total: data.total, simple: true, onChange: setPage } : false}
            renderItem={(s) => <CardItem key={s.id}><ShareCard share={s} canLike={audiences.has('member')} /></CardItem>} />
        )}
      </QueryState>
    </Space>
  );
}

function ShareForm() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateShare>();
  const [saving, setSaving] = useState(false);

  async function save(v: CreateShare) {
    setSaving(true);
    try {
      await api.post<Share>('/learning/shares', { title: v.title, content: v.content });
      form.resetFields();
      void message.success(t('share.published_ok'));
      await queryClient.invalidateQueries({ queryKey: ['learning', 'shares'] });
      void queryClient.invalidateQueries({ queryKey: ['points'] });
    } catch (error) {
      const { handled } = showFieldErrors(form, error);
      if (!handled) void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card title={t('share.new')} size="small" extra={<Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('share.hint')}</Typography.Text>}>
      <Form form={form} layout="vertical" onFinish={save} data-testid="share-form">
        <Form.Item name="title" label={t('share.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={200} data-testid="share-title" /></Form.Item>
        <Form.Item name="content" label={t('share.content')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={3} maxLength={10000} data-testid="share-content" /></Form.Item>
        <Button type="primary" htmlType="submit" block loading={saving} data-testid="share-submit">{t('share.submit')}</Button>
      </Form>
    </Card>
  );
}

function ShareCard({ share, canLike }: { share: Share; canLike: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);

  async function toggleLike() {
    setSaving(true);
    try {
      const path = `/learning/shares/${share.id}/like`;
      const updated = share.isLikedByMe ? await api.delete<Share>(path) : await api.post<Share>(path);
      queryClient.setQueriesData<SharePage>({ queryKey: ['learning', 'shares'] }, (old) => (old ? { ...old, items: old.items.map((s) => (s.id === updated.id ? updated : s)) } : old));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="share-card">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Typography.Text strong style={{ fontSize: 16 }}>{share.title}</Typography.Text>
        <Typography.Text type="secondary">{share.memberName} · {formatTime(share.createdAt)}</Typography.Text>
        <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>{share.content}</Typography.Paragraph>
        <Space>
          <Button size="small" type={share.isLikedByMe ? 'primary' : 'default'} ghost={share.isLikedByMe} disabled={!canLike} loading={saving}
            icon={share.isLikedByMe ? <LikeFilled /> : <LikeOutlined />} onClick={() => void toggleLike()} data-testid="share-like"
            aria-label={`${share.isLikedByMe ? t('share.unlike') : t('share.like')} ${share.likeCount}`}>
            <span data-testid="share-like-count">{share.likeCount}</span>
          </Button>
        </Space>
      </Space>
    </Card>
  );
}
