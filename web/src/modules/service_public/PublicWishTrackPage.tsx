import { useState } from 'react';
import { useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Result, Space, Typography } from 'antd';
import { CheckCircleOutlined } from '@ant-design/icons';
import type { TrackedWish } from '../../../../contracts/micro_wishes.js';
import { api, isNotFound } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { WishStatusTag } from '../micro_wishes/WishTags.js';

/** The resident follows the wish with the code they kept, and confirms when it came true. */
export default function PublicWishTrackPage() {
  const t = useT();
  const { code = '' } = useParams();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const key = ['public', 'wish-track', code];
  const wish = useQuery({ queryKey: key, queryFn: () => api.get<TrackedWish>(`/public/micro-wishes/track/${encodeURIComponent(code)}`) });
  const w = wish.data;

  const confirm = async () => {
    setConfirming(true);
    try {
      queryClient.setQueryData(key, await api.post<TrackedWish>(`/public/micro-wishes/track/${encodeURIComponent(code)}/confirm`));
      void message.success(t('public.confirm_thanks'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setConfirming(false);
    }
  };

  if (wish.error && isNotFound(wish.error)) return <Result status="404" title={t('public.not_found')} />;
  return (
    <QueryState isLoading={wish.isLoading} error={wish.error} retry={() => void wish.refetch()}>
      {w && (
        <Card title={t('public.track_title')} data-testid="wish-track">
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Typography.Title level={5} style={{ margin: 0 }}>{w.title}</Typography.Title>
            <WishStatusTag status={w.status} />
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{w.content}</Typography.Paragraph>
            <Descriptions column={1} size="small">
              {w.communityName && <Descriptions.Item label={t('wish.community')}>{w.communityName}</Descriptions.Item>}
              {w.publishedAt && <Descriptions.Item label={t('wish.published_at')}>{formatTime(w.publishedAt)}</Descriptions.Item>}
              {w.claimantOrgName && <Descriptions.Item label={t('public.claimant_org')}>{w.claimantOrgName}</Descriptions.Item>}
              {w.rejectionReason && <Descriptions.Item label={t('wish.rejection_reason')}>{w.rejectionReason}</Descriptions.Item>}
              {w.fulfilmentNote && <Descriptions.Item label={t('wish.fulfilment')}>{w.fulfilmentNote}</Descriptions.Item>}
            </Descriptions>
            {w.status === 'fulfilled' && (
              <Button type="primary" size="large" block icon={<CheckCircleOutlined />} loading={confirming} onClick={() => void confirm()} data-testid="wish-poster-confirm">
                {t('public.confirm_done')}
              </Button>
            )}
            {w.status === 'confirmed' && <Alert type="success" showIcon message={t('wish.status.confirmed')} description={formatTime(w.confirmedAt)} />}
          </Space>
        </Card>
      )}
    </QueryState>
  );
}
