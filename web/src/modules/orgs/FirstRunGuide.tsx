import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Steps, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { OrgPage } from '../../../../contracts/orgs.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';

type Total = { total: number };

/**
 * The first steps of a real site (started with DEMO=0), each marked done from the data itself:
 * the org tree exists, members are on its rolls, org administrators have accounts. Shown to the
 * platform administrator until all three are done.
 */
export function FirstRunGuide({ onCreateTop }: { onCreateTop: () => void }) {
  const t = useT();
  const orgs = useQuery({ queryKey: ['orgs', 'count'], queryFn: () => api.get<OrgPage>('/orgs', { pageSize: 1 }) });
  const members = useQuery({ queryKey: ['members', 'count'], queryFn: () => api.get<Total>('/members', { pageSize: 1 }) });
  const admins = useQuery({ queryKey: ['users', 'count', 'org_admin'], queryFn: () => api.get<Total>('/users', { role: 'org_admin', pageSize: 1 }) });
  if (!orgs.data || !members.data || !admins.data) return null;
  const done = [orgs.data.total > 0, members.data.total > 0, admins.data.total > 0];
  if (done.every(Boolean)) return null;
  const current = done.findIndex((d) => !d);
  const status = (i: number) => (done[i] ? 'finish' : i === current ? 'process' : 'wait') as 'finish' | 'process' | 'wait';
  return (
    <Card title={t('org.first_run.title')} data-testid="first-run-guide" style={{ marginBottom: 16 }}>
      <Typography.Paragraph type="secondary">{t('org.first_run.intro')}</Typography.Paragraph>
      <Steps orientation="vertical" current={current} items={[
        {
          status: status(0), title: t('org.first_run.tree'),
          description: (
            <>
              <div>{t('org.first_run.tree_hint')}</div>
              {!done[0] && <Button type="primary" icon={<PlusOutlined />} onClick={onCreateTop} style={{ marginTop: 8 }} data-testid="create-top-org">{t('org.create_top')}</Button>}
            </>
          ),
        },
        {
          status: status(1), title: t('org.first_run.members'),
          description: <><div>{t('org.first_run.members_hint')}</div><Link to="/members/import">{t('org.first_run.members_link')}</Link></>,
        },
        {
          status: status(2), title: t('org.first_run.admins'),
          description: <><div>{t('org.first_run.admins_hint')}</div><Link to="/users">{t('org.first_run.admins_link')}</Link></>,
        },
      ]} />
    </Card>
  );
}
