import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App as AntApp, Button, Card, Form, Input, Modal, Popconfirm, Result, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { NewsItem } from '../../../../contracts/news.js';
import { api, isNotFound } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage, QueryState } from '../../platform/status.js';
import { NewsBody, NewsPublicTag, NewsStatusTag } from './NewsTags.js';

/** One news item: the reader's view, with the author's and the reviewer's actions when the item allows them. */
export default function NewsItemPage() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const item = useQuery({ queryKey: ['news', 'item', id], queryFn: () => api.get<NewsItem>(`/news/items/${id}`) });
  const act = useMutation({
    mutationFn: ({ action, body }: { action: 'submit' | 'approve' | 'return' | 'withdraw'; body?: unknown }) => api.post<NewsItem>(`/news/items/${id}/${action}`, body),
    onSuccess: async (updated) => {
      queryClient.setQueryData(['news', 'item', id], updated);
      await queryClient.invalidateQueries({ queryKey: ['news', 'items'] });
      setReturning(false);
      void message.success(t('news.done'));
    },
    onError: (error) => void message.error(errorMessage(error, t('app.error'))),
  });
  if (item.error && isNotFound(item.error)) return <Result status="404" title={t('portal.not_found')} />;
  const n = item.data;

  return (
    <QueryState isLoading={item.isLoading} error={item.error} retry={() => void item.refetch()}>
      {n && (
        <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 860 }} data-testid="news-item">
          <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => void navigate(-1)} style={{ padding: 0 }}>{t('news.back')}</Button>
          <Card>
            <Typography.Title level={1} style={{ marginTop: 0, fontSize: 22, overflowWrap: 'anywhere' }}>{n.title}</Typography.Title>
            <Space wrap size={[8, 4]} style={{ marginBottom: 12 }}>
              <NewsStatusTag status={n.status} />
              <NewsPublicTag isPublic={n.isPublic} />
              <Typography.Text type="secondary">{n.columnName} · {t('news.by', { org: n.orgName, author: n.authorName })}</Typography.Text>
              {n.publishedAt && <Typography.Text type="secondary">{t('news.published_at', { time: formatTime(n.publishedAt) })}</Typography.Text>}
              {n.reviewerName && <Typography.Text type="secondary">{t('news.reviewed_by', { name: n.reviewerName })}</Typography.Text>}
            </Space>
            {n.status === 'returned' && n.returnReason && <Alert type="warning" showIcon message={t('news.returned_because', { reason: n.returnReason })} style={{ marginBottom: 12 }} />}
            {n.coverUrl && <img src={n.coverUrl} alt="" style={{ width: '100%', maxHeight: 360, objectFit: 'cover', borderRadius: 6, marginBottom: 12 }} />}
            {n.summary && <Typography.Paragraph type="secondary" style={{ fontSize: 15 }}>{n.summary}</Typography.Paragraph>}
            <NewsBody html={n.bodyHtml} />
          </Card>
          <Space wrap>
            {n.canEdit && <Link to={`/news/manage/${n.id}/edit`}><Button>{t('news.edit')}</Button></Link>}
            {n.canSubmit && <Button type="primary" loading={act.isPending} onClick={() => act.mutate({ action: 'submit' })} data-testid="news-submit">{t('news.submit')}</Button>}
            {n.canReview && <Button type="primary" loading={act.isPending} onClick={() => act.mutate({ action: 'approve' })} data-testid="news-approve">{t('news.approve')}</Button>}
            {n.canReview && <Button danger onClick={() => setReturning(true)}>{t('news.return')}</Button>}
            {n.canWithdraw && (
              <Popconfirm title={t('news.withdraw_confirm')} onConfirm={() => act.mutate({ action: 'withdraw' })}>
                <Button danger>{t('news.withdraw')}</Button>
              </Popconfirm>
            )}
          </Space>
          <Modal open={returning} title={t('news.return')} onCancel={() => setReturning(false)} okText={t('news.return')} cancelText={t('news.cancel')}
            okButtonProps={{ disabled: !reason.trim(), loading: act.isPending }} onOk={() => act.mutate({ action: 'return', body: { reason } })}>
            <Form layout="vertical">
              <Form.Item label={t('news.return_reason')} htmlFor="news-return-reason" required>
                <Input.TextArea id="news-return-reason" rows={3} maxLength={300} value={reason} onChange={(e) => setReason(e.target.value)} />
              </Form.Item>
            </Form>
          </Modal>
        </Space>
      )}
    </QueryState>
  );
}
