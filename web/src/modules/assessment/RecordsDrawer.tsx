import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Checkbox, Drawer, Grid, Table, Tag, Typography } from 'antd';
import type { z } from 'zod';
import type { IndicatorRecordPage, IndicatorRecordSchema } from '../../../../contracts/assessment.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

type IndicatorRecord = z.infer<typeof IndicatorRecordSchema>;

export interface RecordsTarget {
  code: string; indicatorName: string; orgId: string; orgName: string; from: string; to: string; numerator: number | null; denominator: number | null;
}

/** The records behind one org's computed figure: all of them (the denominator) or only the counted ones (the numerator). */
export function RecordsDrawer({ target, onClose }: { target: RecordsTarget; onClose: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [page, setPage] = useState(1);
  const [onlyCounted, setOnlyCounted] = useState(false);
  const query = { orgId: target.orgId, from: target.from, to: target.to, page, pageSize: 20, counted: onlyCounted ? '1' : undefined };
  const records = useQuery({
    queryKey: ['assessment', 'records', target.code, query],
    queryFn: () => api.get<IndicatorRecordPage>(`/assessment/indicators/${encodeURIComponent(target.code)}/records`, query),
    placeholderData: keepPreviousData,
  });
  return (
    <Drawer open onClose={onClose} title={`${target.orgName} · ${target.indicatorName}`} placement={screens.md ? 'right' : 'bottom'} size={screens.md ? 640 : '85%'}>
      <Typography.Paragraph>
        {t('assessment.records')}：{target.from} ~ {target.to}
        {target.denominator !== null && <>（{t('assessment.figure', { numerator: target.numerator ?? 0, denominator: target.denominator })}）</>}
      </Typography.Paragraph>
      {records.error && <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={errorMessage(records.error, t('app.error'))} />}
      <Checkbox checked={onlyCounted} onChange={(e) => { setOnlyCounted(e.target.checked); setPage(1); }} style={{ marginBottom: 12 }}>{t('assessment.records_only_counted')}</Checkbox>
      <Table<IndicatorRecord>
        rowKey={(r) => `${r.kind}-${r.id}`} size="small" loading={records.isFetching} dataSource={records.data?.items ?? []} scroll={{ x: 'max-content' }}
        data-testid="records-table"
        pagination={{ current: page, pageSize: 20, total: records.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('assessment.record.title'), dataIndex: 'title', width: 240, render: (title: string, r) => <Link to={r.link}>{title}</Link> },
          { title: t('assessment.org'), dataIndex: 'orgName', width: 140 },
          { title: t('assessment.record.date'), dataIndex: 'date', width: 100 },
          { title: t('assessment.record.counts'), dataIndex: 'counts', width: 80, render: (c: boolean) => <Tag color={c ? 'success' : 'default'}>{c ? t('assessment.yes') : t('assessment.no')}</Tag> },
        ]}
      />
    </Drawer>
  );
}
