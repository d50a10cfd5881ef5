import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import type { z } from 'zod';
import type { OrgLifeDueItemSchema, OrgLifeDuePage } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';

type Item = z.infer<typeof OrgLifeDueItemSchema>;

/** 组织生活会 is held once a year: the branches of the subtree that have not held this year's. */
export function OrgLifeDueCard({ orgId, year }: { orgId: string; year: number }) {
  const t = useT();
  const [page, setPage] = useState({ current: 1, pageSize: 20 });
  const list = useQuery({
    queryKey: ['activities', 'org-life-due', orgId, year, page], placeholderData: keepPreviousData,
    queryFn: () => api.get<OrgLifeDuePage>('/activities/org-life-due', { orgId, year, page: page.current, pageSize: page.pageSize }),
  });
  return (
    <Card title={`${t('activity.org_life_due')}（${list.data?.total ?? 0}）`} data-testid="org-life-due">
      <Typography.Paragraph type="secondary">{t('activity.org_life_due_hint', { year })}</Typography.Paragraph>
      <Table<Item>
        rowKey="orgId" size="small" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('activity.org_life_none_due') }}
        pagination={{ ...page, total: list.data?.total ?? 0, hideOnSinglePage: true, onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        columns={[
          { title: t('activity.org'), dataIndex: 'orgName' },
          { title: t('activity.org_life_last'), dataIndex: 'lastHeldAt', render: (v: string | null) => (v ? formatTime(v) : '—') },
        ]}
      />
    </Card>
  );
}
