import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Space, Tag, Typography } from 'antd';
import { CheckCircleFilled, LeftOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { ArticleDetailSchema, ReadResultSchema } from '../../../../contracts/learning.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';

type ArticleDetail = z.infer<typeof ArticleDetailSchema>;
type ReadResult = z.infer<typeof ReadResultSchema>;

/** An article to read on a phone; the member says when they have read it (the first time earns points). */
export default function ArticlePage() {
  const t = useT();
  const { id = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [saving, setSaving] = useState(false);
  const article = useQuery({ queryKey: ['learning', 'articles', 'one', id], queryFn: () => api.get<ArticleDetail>(`/learning/articles/${id}`) });
  const a = article.data;

  async function markRead() {
    setSaving(true);
    try {
      const result = await api.post<ReadResult>(`/learning/articles/${id}/read`);
      void message.success(result.points > 0 ? `${t('article.marked')}，${t('study.points_earned', { n: result.points })}` : t('article.marked'));
      await queryClient.invalidateQueries({ queryKey: ['learning'] });
      void queryClient.invalidateQueries({ queryKey: ['points'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="article-page">
      <Link to="/me/learning?tab=articles"><LeftOutlined /> {t('study.tab.articles')}</Link>
      <QueryState isLoading={article.isLoading} error={article.error} retry={() => void article.refetch()}>
        {a && (
          <Card size="small" styles={{ body: { padding: 16 } }}>
            <Space orientation="vertical" size={8} style={{ width: '100%' }}>
              <Typography.Title level={4} style={{ margin: 0 }}>{a.title}</Typography.Title>
              <Typography.Text type="secondary">{[a.source, a.orgName, formatTime(a.publishedAt)].filter(Boolean).join(' · ')}</Typography.Text>
              <Space size={6}>
                {a.isRead ? <Tag color="success">{t('article.read')}</Tag> : <Tag color="orange">{t('article.unread')}</Tag>}
                <Typography.Text type="secondary">{t('article.read_count', { n: a.readCount })}</Typography.Text>
              </Space>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 16, lineHeight: 1.8, marginBottom: 0 }} data-testid="article-body">{a.body}</Typography.Paragraph>
              {a.isRead
                ? <Typography.Text type="success" data-testid="article-read"><CheckCircleFilled /> {t('article.read')}</Typography.Text>
                : <Button type="primary" block size="large" loading={saving} onClick={() => void markRead()} data-testid="article-mark-read">{t('article.mark_read')}</Button>}
            </Space>
          </Card>
        )}
      </QueryState>
    </Space>
  );
}
