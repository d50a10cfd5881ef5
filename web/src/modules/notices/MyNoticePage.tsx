import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { MyNoticeDetail } from '../../../../contracts/notices.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { NoticeBody } from './NoticeBody.js';
import { NoticeFiles } from './NoticeFiles.js';

/** Reading a notice on a phone; opening it is its read receipt (and settles its inbox items). */
export default function MyNoticePage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const notice = useQuery({
    queryKey: ['notice-open', id],
    queryFn: () => api.post<MyNoticeDetail>(`/me/notices/${id}/open`),
    staleTime: Infinity,
    retry: false,
  });
  useEffect(() => {
    if (!notice.data) return;
    void queryClient.invalidateQueries({ queryKey: ['notices', 'mine'], exact: false, refetchType: 'none' });
    void queryClient.invalidateQueries({ queryKey: ['inbox'] });
  }, [notice.data, queryClient]);
  const n = notice.data;
  const isOverdue = !!n?.readDeadline && new Date(n.readDeadline) < new Date(n.readAt ?? Date.now());
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Link to="/me/notices"><Button icon={<ArrowLeftOutlined />}>{t('notice.back')}</Button></Link>
      <QueryState isLoading={notice.isLoading} error={notice.error}>
        {n && (
          <Card styles={{ body: { padding: 16 } }} data-testid="my-notice">
            <Typography.Title level={1} style={{ fontSize: 20, marginTop: 0 }}>{n.title}</Typography.Title>
            <Space wrap size={6} style={{ marginBottom: 12 }}>
              {n.mustRead && <Tag color="orange">{t('notice.must_read')}</Tag>}
              <Typography.Text type="secondary">{t('notice.from', { org: n.orgName })} · {formatTime(n.publishedAt)}</Typography.Text>
            </Space>
            {n.mustRead && n.readDeadline && (
              <Alert type={isOverdue ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }}
                message={isOverdue ? t('notice.overdue') : t('notice.deadline', { time: formatTime(n.readDeadline) })} />
            )}
            <NoticeBody html={n.bodyHtml} />
            {n.files.length > 0 && <div style={{ marginTop: 16 }}><Typography.Text strong>{t('notice.files')}</Typography.Text><NoticeFiles noticeId={n.id} files={n.files} /></div>}
          </Card>
        )}
      </QueryState>
    </Space>
  );
}
