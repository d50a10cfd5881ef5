import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Input, List, Popconfirm, Space, Typography } from 'antd';
import { CheckCircleFilled, EnvironmentOutlined, HomeOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { Community, CommunityPage, CommunityReport, MyReportSchema } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useSession } from '../../platform/session.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';

type MyReport = z.infer<typeof MyReportSchema>;

/**
 * 双报到 on a phone: the community I reported to, and the communities of my tree to choose from
 * (searched by name or street). Reporting again moves me to the newly chosen one.
 */
export default function MyCommunityPage() {
  const t = useT();
  const { me } = useSession();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [q, setQ] = useState('');
  const [changing, setChanging] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const mine = useQuery({ queryKey: ['communities', 'my-report'], queryFn: () => api.get<MyReport>('/communities/my-report') });
  const report = mine.data?.report ?? null;
  const choosing = !report || changing;
  const communities = useQuery({
    queryKey: ['communities', 'list', { q, pageSize: 50 }],
    queryFn: ({ signal }) => api.get<CommunityPage>('/communities', { q: q || undefined, pageSize: 50 }, signal),
    enabled: choosing,
  });

  const reportTo = async (c: Community) => {
    setBusy(c.id);
    try {
      const next = await api.post<CommunityReport>(`/communities/${c.id}/reports`, {});
      queryClient.setQueryData<MyReport>(['communities', 'my-report'], { report: next });
      void queryClient.invalidateQueries({ queryKey: ['communities', 'list'] });
      setChanging(false);
      void message.success(t('community.report_done'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };
  const withdraw = async () => {
    if (!me?.user.memberId) return;
    setBusy('withdraw');
    try {
      await api.delete(`/communities/reports/${me.user.memberId}`);
      queryClient.setQueryData<MyReport>(['communities', 'my-report'], { report: null });
      void queryClient.invalidateQueries({ queryKey: ['communities', 'list'] });
      void message.success(t('community.withdrawn'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }} data-testid="my-community">
      <Typography.Title level={4} style={{ margin: 0 }}>{t('community.my_title')}</Typography.Title>
      <QueryState isLoading={mine.isLoading} error={mine.error} retry={() => void mine.refetch()}>
        {report ? (
          <Card size="small" data-testid="my-community-current">
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('community.my_current')}</Typography.Text>
              <Space><CheckCircleFilled style={{ color: '#52c41a', fontSize: 20 }} /><Typography.Text strong style={{ fontSize: 18 }} data-testid="my-community-name">{report.communityName}</Typography.Text></Space>
              <Typography.Text type="secondary">{t('community.reported_on')}：{report.reportedOn}</Typography.Text>
              <Space wrap style={{ marginTop: 8 }}>
                {!changing && <Button onClick={() => setChanging(true)} data-testid="my-community-change">{t('community.my_change')}</Button>}
                <Popconfirm title={t('community.withdraw')} onConfirm={() => void withdraw()}>
                  <Button danger loading={busy === 'withdraw'}>{t('community.withdraw')}</Button>
                </Popconfirm>
              </Space>
            </Space>
          </Card>
        ) : (
          <Alert type="info" showIcon message={t('community.my_none')} description={t('community.my_hint')} />
        )}
      </QueryState>
      {choosing && (
        <>
          <Input.Search size="large" allowClear placeholder={t('community.search_placeholder')} onSearch={setQ} data-testid="my-community-search" />
          <QueryState isLoading={communities.isLoading} error={communities.error} retry={() => void communities.refetch()}>
            {(communities.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('community.none')} /></Card> : (
              <List dataSource={communities.data?.items ?? []} data-testid="my-community-choices" renderItem={(c) => (<CardItem>
                <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid={`community-choice-${c.id}`}>
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    <Typography.Text strong style={{ fontSize: 16 }}><HomeOutlined /> {c.name}</Typography.Text>
                    <Typography.Text type="secondary"><EnvironmentOutlined /> {c.street}{c.address ? ` · ${c.address}` : ''}</Typography.Text>
                    {report?.communityId === c.id ? (
                      <Button block disabled>{t('community.reported')}</Button>
                    ) : (
                      <Button type="primary" size="large" block loading={busy === c.id} onClick={() => void reportTo(c)} data-testid="community-report-here">
                        {t('community.report_here')}
                      </Button>
                    )}
                  </Space>
                </Card></CardItem>
              )} />
            )}
          </QueryState>
        </>
      )}
    </Space>
  );
}
