import { useQuery } from '@tanstack/react-query';
import { Card, Table, Typography } from 'antd';
import type { MemberAppraisalResults } from '../../../../contracts/appraisals.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { GradeTag } from './AppraisalTags.js';

type Result = MemberAppraisalResults['items'][number];

/** The member's published 民主评议 results, on their record. */
export function MemberAppraisalsCard({ memberId }: { memberId: string }) {
  const t = useT();
  const results = useQuery({ queryKey: ['appraisals', 'member', memberId], queryFn: () => api.get<MemberAppraisalResults>('/appraisals/member-results', { memberId }) });
  return (
    <Card title={t('appraisal.record')} style={{ marginTop: 16 }} data-testid="member-appraisals">
      <Table<Result>
        rowKey="roundId" size="small" pagination={false} loading={results.isLoading} dataSource={results.data?.items ?? []}
        locale={{ emptyText: t('appraisal.record_none') }}
        columns={[
          { title: t('appraisal.year'), dataIndex: 'year', width: 70 },
          { title: t('appraisal.branch'), dataIndex: 'orgName' },
          {
            title: t('appraisal.final_grade'), key: 'grade', width: 160,
            render: (_: unknown, r) => (
              <>
                <GradeTag grade={r.finalGrade} />
                {(r.finalReason ?? r.withdrawnReason) && <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{r.finalReason ?? t('appraisal.withdrawn', { reason: r.withdrawnReason ?? '' })}</Typography.Text>}
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
