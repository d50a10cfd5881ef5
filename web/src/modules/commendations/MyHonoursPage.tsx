import { useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Tag, Typography } from 'antd';
import { FilePdfOutlined, TrophyOutlined } from '@ant-design/icons';
import type { HonourPage } from '../../../../contracts/commendations.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

/** 我的荣誉: the member's honours, phone-first, each 两优一先 with its certificate. */
export default function MyHonoursPage() {
  const t = useT();
  const honours = useQuery({ queryKey: ['commendations', 'mine'], queryFn: () => api.get<HonourPage>('/me/honours', { pageSize: 100 }) });
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.my_honours')}</h1>} styles={{ body: { padding: 12 } }}>
      <QueryState isLoading={honours.isLoading} error={honours.error} retry={() => void honours.refetch()}>
        {honours.data && honours.data.items.length === 0 ? <Empty description={t('commendation.my_none')} /> : (
          <List data-testid="my-honours" dataSource={honours.data?.items ?? []} renderItem={(h) => (
            <List.Item actions={h.hasCertificate ? [
              <a key="pdf" href={`/api/commendations/honours/${h.id}/certificate`} target="_blank" rel="noreferrer"><FilePdfOutlined /> {t('commendation.certificate')}</a>,
            ] : []}>
              <List.Item.Meta
                avatar={<TrophyOutlined style={{ fontSize: 24, color: '#b71c1c' }} aria-hidden />}
                title={<span>{h.title} {h.month && <Tag>{h.month}</Tag>}</span>}
                description={<>
                  <Typography.Text type="secondary">{h.awardedByOrgName} · {h.awardedOn}</Typography.Text>
                  {h.kind === 'micro_star' && h.reason && <Typography.Paragraph style={{ margin: 0 }}>{h.reason}</Typography.Paragraph>}
                </>}
              />
            </List.Item>
          )} />
        )}
      </QueryState>
    </Card>
  );
}
