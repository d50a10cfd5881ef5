import { Link, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Card, Space, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import type { CreatePledge, Period, Pledge } from '../../../../contracts/pledges.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { PledgeItemsForm } from './PledgeItemsForm.js';

/** 亮诺: a member writes their own pledge for a period; an admin writes the org's (?orgId=). Saved as a draft. */
export default function PledgeNewPage() {
  const t = useT();
  const { periodId = '' } = useParams();
  const [search] = useSearchParams();
  const orgId = search.get('orgId') ?? undefined;
  const isAdminView = useLocation().pathname.startsWith('/pledges');
  const navigate = useNavigate();
  const period = useQuery({ queryKey: ['pledges', 'periods', periodId], queryFn: () => api.get<Period>(`/pledges/periods/${periodId}`) });
  const base = isAdminView ? '/pledges' : '/me/pledges';
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }}>
      <Space align="center">
        <Link to={base} aria-label={t('common.back')}><ArrowLeftOutlined /></Link>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{orgId ? t('pledge.write_org') : t('pledge.write')}</Typography.Title>
      </Space>
      <QueryState isLoading={period.isLoading} error={period.error}>
        <Card size="small" title={period.data?.name}>
          <PledgeItemsForm initial={[]} onSave={async (items) => {
            const body: CreatePledge = { periodId, items, ...(orgId ? { orgId } : {}) };
            const created = await api.post<Pledge>('/pledges', body);
            void navigate(`${base}/${created.id}`);
          }} />
        </Card>
      </QueryState>
    </Space>
  );
}
