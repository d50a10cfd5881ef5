import { lazy, Suspense } from 'react';
import { Alert, Space, Tabs, Typography } from 'antd';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { useOrgOrOwn } from '../../platform/own-org.js';
import { Loading } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const BasesTab = lazy(() => import('./BasesTab.js'));
const BillsTab = lazy(() => import('./BillsTab.js'));
const PaymentsTab = lazy(() => import('./PaymentsTab.js'));
const ArrearsTab = lazy(() => import('./ArrearsTab.js'));
const ReductionsTab = lazy(() => import('./ReductionsTab.js'));
const AccountsTab = lazy(() => import('./AccountsTab.js'));
const ReconciliationTab = lazy(() => import('./ReconciliationTab.js'));
const StatementTab = lazy(() => import('./StatementTab.js'));

const TABS = {
  bases: BasesTab, bills: BillsTab, payments: PaymentsTab, arrears: ArrearsTab,
  reductions: ReductionsTab, accounts: AccountsTab, reconciliation: ReconciliationTab, statement: StatementTab,
} as const;
type TabKey = keyof typeof TABS;
const isTab = (key: string | null): key is TabKey => !!key && key in TABS;

/**
 * 党费管理 for an org's admin: one org (their own by default, any of their subtree by choice) and the
 * year's work in tabs, each linkable (?tab=bills&month=…): bases, bills and payments, arrears,
 * reductions, the ledger with remittances and expenses, bank reconciliation and the annual 公示.
 */
export default function DuesPage() {
  const t = useT();
  const [params, set] = useSearchState();
  // the org in the URL, else the viewer's own (the one they administer, or the top of their scope)
  const { orgId } = useOrgOrOwn(params.get('org'));
  const tab: TabKey = isTab(params.get('tab')) ? (params.get('tab') as TabKey) : 'bases';
  const Active = TABS[tab];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="dues-page">
      <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 12 }}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.dues')}</Typography.Title>
        <OrgTreeSelect value={orgId} allowClear={false} aria-label={t('dues.org')} style={{ width: 280, maxWidth: '100%' }}
          onChange={(org) => set({ org, page: undefined })} />
      </div>
      <Tabs className="dues-tabs" activeKey={tab} onChange={(key) => set({ tab: key, page: undefined })} data-testid="dues-tabs"
        items={(Object.keys(TABS) as TabKey[]).map((key) => ({ key, label: t(`dues.tab.${key}`) }))} />
      {orgId ? (
        <Suspense fallback={<Loading />}>
          <Active key={orgId} orgId={orgId} />
        </Suspense>
      ) : <Alert type="info" showIcon title={t('dues.pick_org')} />}
    </Space>
  );
}
