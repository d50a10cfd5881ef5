import { Link, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Card, Empty, List, Pagination, Progress, Space, Tag, Typography } from 'antd';
import type { JudgingTask, JudgingTaskPage, PanelState } from '../../../../contracts/judging.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

const PAGE_SIZE = 20;
export const stateColor: Record<PanelState, string> = { upcoming: 'default', open: 'processing', closed: 'default' };

/** 我的评审: the panels a judge sits on, open ones first, each with what is left to score. */
export default function MyJudgingPage() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const tasks = useQuery({
    queryKey: ['judging', 'tasks', page],
    queryFn: () => api.get<JudgingTaskPage>('/judging/tasks', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="my-judging">
      <Space align="center" wrap>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_judging')}</Typography.Title>
        {!!tasks.data?.toScore && <Badge count={t('judging.to_score_total', { n: tasks.data.toScore })} style={{ backgroundColor: '#c0161b' }} />}
      </Space>
      <QueryState isLoading={tasks.isLoading} error={tasks.error}>
        {tasks.data && tasks.data.items.length === 0 ? <Empty description={t('judging.tasks_none')} /> : (
          <List<JudgingTask> dataSource={tasks.data?.items ?? []} split={false} renderItem={(task) => (
            <CardItem>
              <Link to={`/me/judging/panels/${task.panelId}`} style={{ display: 'block', marginBottom: 12 }} data-testid="judging-task">
                <Card size="small" hoverable styles={{ body: { padding: 14 } }}>
                  <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                    <Space size={6} wrap>
                      <Tag color={stateColor[task.state]}>{t(`judging.state.${task.state}`)}</Tag>
                      {task.blind && <Tag>{t('judging.blind')}</Tag>}
                      <Typography.Text strong style={{ fontSize: 16 }}>{task.title}</Typography.Text>
                    </Space>
                    <Progress percent={task.entries ? Math.round((task.submitted / task.entries) * 100) : 0} size="small"
                      format={() => t('judging.progress', { submitted: task.submitted, entries: task.entries })} aria-label={t('judging.progress', { submitted: task.submitted, entries: task.entries })} />
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>
                      {[task.opensAt && t('judging.opens_at', { time: formatTime(task.opensAt) }), task.closesAt && t('judging.closes_at', { time: formatTime(task.closesAt) })].filter(Boolean).join(' · ')}
                    </Typography.Text>
                  </Space>
                </Card>
              </Link>
            </CardItem>
          )} />
        )}
        {(tasks.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={tasks.data?.total ?? 0} onChange={(p) => setParams(p === 1 ? {} : { page: String(p) })} />
        )}
      </QueryState>
    </Space>
  );
}
