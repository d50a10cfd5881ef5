import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import type { z } from 'zod';
import type { ComplianceItem, ComplianceReportSchema } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';

type Report = z.infer<typeof ComplianceReportSchema>;

/**
 * For an org's own page: which 三会一课 of the org and its subtree are overdue or due soon.
 * Meant to be placed by the org pages (web/src/modules/orgs); links to the full report.
 */
export function OrgComplianceCard({ orgId }: { orgId: string }) {
  const t = useT();
  const report = useQuery({ queryKey: ['activities', 'compliance', orgId, 'today'], queryFn: () => api.get<Report>('/activities/compliance', { orgId }) });
  const urgent = (report.data?.items ?? []).filter((i) => i.status === 'overdue' || i.status === 'due_soon')
    .sort((x, y) => (x.status === y.status ? x.periodEnd.localeCompare(y.periodEnd) : x.status === 'overdue' ? -1 : 1));
  return (
    <Card size="small" title={t('compliance.org_title')} extra={<Link to="/activities/compliance">{t('compliance.title')}</Link>} data-testid="org-compliance">
      <QueryState isLoading={report.isLoading} error={report.error}>
        {/* nothing urgent is not everything held: say which of the two (or that there is nothing to hold) */}
        {urgent.length === 0 && report.data ? (
          report.data.summary.units.total === 0 ? <Alert type="info" showIcon message={t('compliance.no_units')} data-testid="org-compliance-state" />
            : report.data.summary.pending > 0 ? <Alert type="info" showIcon message={t('compliance.none_due_yet', { n: report.data.summary.pending })} data-testid="org-compliance-state" />
              : <Alert type="success" showIcon message={t('compliance.all_done')} data-testid="org-compliance-state" />
        ) : (
          <List<ComplianceItem> size="small" dataSource={urgent.slice(0, 20)} renderItem={(i) => (
            <List.Item>
              <Space wrap size={6}>
                <Tag color={i.status === 'overdue' ? 'error' : 'warning'}>{t(`compliance.status.${i.status}`)}</Tag>
                <Typography.Text>{i.orgName}</Typography.Text>
                <Typography.Text strong>{t(`activity.type.${i.type}`)}</Typography.Text>
                <Typography.Text type="secondary">{i.periodStart} – {i.periodEnd} · {t('compliance.last_held')} {formatTime(i.lastHeldAt)}</Typography.Text>
              </Space>
            </List.Item>
          )} />
        )}
      </QueryState>
    </Card>
  );
}
