import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Empty, List, Pagination, Space, Tag, Typography } from 'antd';
import type { LessonWinner, LessonWinnerPage } from '../../../../contracts/lesson_selections.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

const PAGE_SIZE = 20;

/** 精品党课: the winning lessons of the published selections of the member's tree, phone-first. */
export default function LessonWinnersPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const winners = useQuery({
    queryKey: ['lesson-winners', page],
    queryFn: () => api.get<LessonWinnerPage>('/lesson-winners', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="lesson-winners">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_lessons')}</Typography.Title>
      <QueryState isLoading={winners.isLoading} error={winners.error}>
        {winners.data && winners.data.items.length === 0 ? <Empty description={t('lesson.winners_none')} /> : (
          <List<LessonWinner> dataSource={winners.data?.items ?? []} split={false} renderItem={(w) => (
            <CardItem>
              <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }}>
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  <Space size={6} wrap>
                    <Tag color="red">{t('lesson.rank_n', { rank: w.rank })}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>{w.selectionTitle}</Typography.Text>
                  </Space>
                  <Typography.Text strong style={{ fontSize: 16 }}>{w.title}</Typography.Text>
                  <Typography.Text type="secondary">{w.lecturerName} · {w.orgName}</Typography.Text>
                  <Typography.Paragraph ellipsis={{ rows: 3, expandable: true }} style={{ marginBottom: 0 }}>{w.summary}</Typography.Paragraph>
                  {w.materialUrl && <a href={w.materialUrl} target="_blank" rel="noreferrer noopener">{t('lesson.watch')}</a>}
                </Space>
              </Card>
            </CardItem>
          )} />
        )}
        {(winners.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={winners.data?.total ?? 0} onChange={(p) => setParams(p === 1 ? {} : { page: String(p) })} />
        )}
      </QueryState>
    </Space>
  );
}
