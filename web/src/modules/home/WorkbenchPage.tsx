import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Badge, Card, Empty, Space, Tag, Typography } from 'antd';
import type { TodoSeverity, Workbench, WorkbenchItem } from '../../../../contracts/home.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const SEVERITY_COLOR: Record<TodoSeverity, string> = { overdue: 'red', due_soon: 'orange', info: 'blue' };

function TodoRow({ item }: { item: WorkbenchItem }) {
  const t = useT();
  const muted = (text: string) => <Typography.Text type="secondary">{text}</Typography.Text>;
  return (
    <li style={{ listStyle: 'none', padding: '10px 0', borderTop: '1px solid rgba(0,0,0,0.06)' }} data-testid={`todo-${item.kind}`}>
      <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'space-between', alignItems: 'baseline', gap: 8 }}>
        <Space wrap size={6} style={{ minWidth: 0 }}>
          <Typography.Text strong>{t(`workbench.kind.${item.kind}`)}</Typography.Text>
          {item.subject && <Typography.Text style={{ overflowWrap: 'anywhere' }}>《{item.subject}》</Typography.Text>}
          <Tag color={SEVERITY_COLOR[item.severity]} data-testid="todo-count">{t(`workbench.count.${item.kind}`, { n: item.count })}</Tag>
          {item.outOf !== undefined && muted(t('workbench.read_of', { read: item.outOf - item.count, total: item.outOf }))}
          {item.dueDate && muted(t('workbench.due', { date: item.dueDate }))}
        </Space>
        <Link to={item.link} data-testid="todo-link">{t('workbench.go')}</Link>
      </div>
      {item.kind !== 'notice_unread' && item.orgs.length > 0 && (item.orgs.length > 1 || item.orgs[0]?.orgId !== item.orgId) && (
        <Space wrap size={[6, 4]} style={{ marginTop: 6 }}>
          {item.orgs.map((o) => (
            <Link key={`${o.orgId}-${o.severity}`} to={o.link}>
              <Tag style={{ marginInlineEnd: 0 }}>{o.orgName} {o.count}</Tag>
            </Link>
          ))}
          {item.orgCount > item.orgs.length && muted(t('workbench.orgs_more', { n: item.orgCount - item.orgs.length }))}
        </Space>
      )}
    </li>
  );
}

/** 工作台 of an org administrator: what is due in the org's subtree, by urgency, each to-do opening the list where it is done. */
export default function WorkbenchPage() {
  const t = useT();
  const [params, update] = useSearchState();
  const chosen = params.get('orgId') ?? undefined;
  const workbench = useQuery({
    queryKey: ['home', 'workbench', chosen ?? null],
    queryFn: () => api.get<Workbench>('/home/workbench', { orgId: chosen }),
    placeholderData: keepPreviousData,
  });
  const w = workbench.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="workbench">
      <Card size="small">
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('workbench.title')}</Typography.Title>
          <Space wrap>
            <OrgTreeSelect value={chosen ?? w?.org.id} onChange={(id) => update({ orgId: id })} allowClear={false} aria-label={t('workbench.org')} style={{ width: 260, maxWidth: '100%' }} />
            {w && <Typography.Text type="secondary">{t('workbench.as_of', { date: w.asOf })}</Typography.Text>}
          </Space>
        </Space>
      </Card>
      <QueryState isLoading={workbench.isLoading} error={workbench.error} retry={() => void workbench.refetch()}>
        {w && w.groups.length === 0 && (
          <Card><Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={<span data-testid="workbench-empty">{t('workbench.nothing')}</span>} /></Card>
        )}
        {w?.groups.map((g) => (
          <Card
            key={g.severity}
            size="small"
            data-testid={`todo-group-${g.severity}`}
            title={<Space><Badge color={SEVERITY_COLOR[g.severity]} /><Typography.Title level={2} style={{ fontSize: 15, margin: 0 }}>{t(`workbench.severity.${g.severity}`)}</Typography.Title><Tag>{g.items.length}</Tag></Space>}
            styles={{ body: { paddingTop: 0 } }}
          >
            <ul style={{ margin: 0, padding: 0 }}>
              {g.items.map((item) => <TodoRow key={`${item.kind}-${item.link}`} item={item} />)}
            </ul>
          </Card>
        ))}
      </QueryState>
    </Space>
  );
}
