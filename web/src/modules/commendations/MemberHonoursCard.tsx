import { useQuery } from '@tanstack/react-query';
import { Card, Table, Tag, Typography } from 'antd';
import type { Honour, MemberRecord } from '../../../../contracts/commendations.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { DisciplineTable } from './HonoursPage.js';

const honourColumns = (t: ReturnType<typeof useT>) => [
  { title: t('commendation.honour'), key: 'title', render: (_: unknown, h: Honour) => <>{h.title}{h.month && <Tag style={{ marginLeft: 4 }}>{h.month}</Tag>}</> },
  { title: t('commendation.awarded_by'), dataIndex: 'awardedByOrgName' },
  { title: t('commendation.awarded_on'), dataIndex: 'awardedOn', width: 110 },
  {
    title: t('commendation.certificate'), key: 'certificate', width: 80,
    render: (_: unknown, h: Honour) => h.hasCertificate && <a href={`/api/commendations/honours/${h.id}/certificate`} target="_blank" rel="noreferrer" aria-label={`PDF ${t('commendation.certificate')} ${h.title}`}>PDF</a>,
  },
];

/** 奖惩 on the member's record: honours, and 党纪处分 for the admins of their org. */
export function MemberHonoursCard({ memberId }: { memberId: string }) {
  const t = useT();
  const record = useQuery({ queryKey: ['commendations', 'record', memberId], queryFn: () => api.get<MemberRecord>(`/commendations/members/${memberId}/record`) });
  return (
    <Card title={t('commendation.record')} style={{ marginTop: 16 }} data-testid="member-honours">
      <Typography.Text strong>{t('commendation.record_honours')}</Typography.Text>
      <Table<Honour> rowKey="id" size="small" pagination={false} loading={record.isLoading} dataSource={record.data?.honours ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('commendation.no_honours') }} columns={honourColumns(t)} />
      {(record.data?.discipline.length ?? 0) > 0 && <>
        <Typography.Text strong style={{ display: 'block', marginTop: 12 }}>{t('commendation.record_discipline_title')}</Typography.Text>
        <DisciplineTable items={record.data!.discipline} />
      </>}
    </Card>
  );
}
