import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Space, Table } from 'antd';
import { FilePdfOutlined } from '@ant-design/icons';
import type { MemberHoursPage } from '../../../../contracts/volunteering.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type MemberHours = MemberHoursPage['items'][number];

/** Each member's confirmed volunteer hours in an org's subtree, most first, with the certificate for each. */
export default function VolunteerHoursPage() {
  const t = useT();
  const [orgId, setOrgId] = useState<string>();
  const [page, setPage] = useState(1);
  // before a choice: the viewer's own org
  const own = useOwnOrg();
  const effectiveOrgId = orgId ?? own.orgId;
  const query = { orgId: effectiveOrgId, page, pageSize: 50 };
  const hours = useQuery({
    queryKey: ['volunteering', 'hours', query],
    queryFn: () => api.get<MemberHoursPage>('/volunteering/hours', query),
    enabled: !!effectiveOrgId,
    placeholderData: keepPreviousData,
  });
  return (
    <Card title={t('volunteer.hours_title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <OrgTreeSelect value={effectiveOrgId} onChange={(v) => { setOrgId(v); setPage(1); }} allowClear={false} placeholder={t('volunteer.pick_org')} style={{ width: 280 }} />
      </Space>
      <QueryState isLoading={own.isLoading} error={hours.error}>
        <Table<MemberHours>
          rowKey="memberId" size="small" loading={hours.isFetching} dataSource={hours.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="volunteer-hours"
          pagination={{ current: page, pageSize: 50, total: hours.data?.total ?? 0, onChange: setPage, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }}
          columns={[
            { title: t('volunteer.member'), dataIndex: 'memberName', width: 100 },
            { title: t('volunteer.member_org'), dataIndex: 'orgName', width: 200 },
            { title: t('volunteer.projects_attended'), dataIndex: 'projects', width: 100, align: 'right' },
            { title: t('volunteer.hours'), dataIndex: 'hours', width: 100, align: 'right', render: (h: number) => h.toFixed(1) },
            {
              title: t('volunteer.member_certificate'), key: 'certificate', width: 100,
              render: (_: unknown, m) => (m.hours > 0
                ? <a href={`/api/volunteering/members/${m.memberId}/certificate`} target="_blank" rel="noreferrer"><FilePdfOutlined /> PDF</a>
                : '—'),
            },
          ]}
        />
      </QueryState>
    </Card>
  );
}
