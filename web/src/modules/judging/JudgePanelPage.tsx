import { Link, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { JudgeEntry, JudgeEntryPage } from '../../../../contracts/judging.js';
import { api } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { useT, type Translate } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { stateColor } from './MyJudgingPage.js';

/** How a judge names an entry: its title, or 作品 N on a blind panel. */
export const entryName = (t: Translate, entry: Pick<JudgeEntry, 'title' | 'blindLabel'>) => entry.title ?? t('judging.blind_label', { n: entry.blindLabel });

export function MineTag({ entry }: { entry: JudgeEntry }) {
  const t = useT();
  if (!entry.mine) return <Tag>{t('judging.mine.none')}</Tag>;
  if (entry.mine.locked) return <Tag color="green">{t('judging.mine.submitted')}{entry.mine.total != null ? ` · ${entry.mine.total.toFixed(2)}` : ''}</Tag>;
  return <Tag color="orange">{t('judging.mine.draft')}</Tag>;
}

/** The entries of one panel a judge scores (their own subtree left out by the server). */
export default function JudgePanelPage() {
  const t = useT();
  const { id = '' } = useParams();
  const entries = useQuery({
    queryKey: ['judging', 'panel', id],
    queryFn: () => api.get<JudgeEntryPage>(`/judging/panels/${id}/entries`, { pageSize: 200 }),
    retry: false,
  });
  const data = entries.data;
  const panel = data?.panel;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="judge-panel">
      <Link to="/me/judging"><Button icon={<ArrowLeftOutlined />}>{t('judging.back_to_tasks')}</Button></Link>
      <QueryState isLoading={entries.isLoading} error={entries.error}>
        {data && panel && (
          <>
            <Space size={6} wrap>
              <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{panel.title}</Typography.Title>
              <Tag color={stateColor[panel.state]}>{t(`judging.state.${panel.state}`)}</Tag>
              {panel.blind && <Tag>{t('judging.blind')}</Tag>}
            </Space>
            {data.items.length === 0 ? <Empty description={t('judging.entries_none')} /> : (
              <List<JudgeEntry> dataSource={data.items} split={false} renderItem={(entry) => (
                <CardItem>
                  <Link to={`/me/judging/entries/${entry.id}`} style={{ display: 'block', marginBottom: 12 }} data-testid="judge-entry">
                    <Card size="small" hoverable styles={{ body: { padding: 14 } }}>
                      <Space orientation="vertical" size={2} style={{ width: '100%' }}>
                        <Space size={6} wrap>
                          <MineTag entry={entry} />
                          <Typography.Text strong style={{ fontSize: 16 }}>{entryName(t, entry)}</Typography.Text>
                        </Space>
                        {entry.orgName && <Typography.Text type="secondary" style={{ fontSize: 13 }}>{entry.orgName}</Typography.Text>}
                      </Space>
                    </Card>
                  </Link>
                </CardItem>
              )} />
            )}
          </>
        )}
      </QueryState>
    </Space>
  );
}
