import { useNavigate, useParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Space } from 'antd';
import { ArrowLeftOutlined, FileExcelOutlined, FilePdfOutlined } from '@ant-design/icons';
import type { Report } from '../../../../contracts/dashboard.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { FigureBoard } from './FigureBoard.js';

/**
 * A frozen report: the figures as they were stored when it was frozen (not drillable — the records have
 * changed since), who froze it and when, and its exports.
 */
export default function ReportPage() {
  const t = useT();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const report = useQuery({ queryKey: ['dashboard', 'report', id], queryFn: () => api.get<Report>(`/dashboard/reports/${id}`) });
  const r = report.data;
  const download = (format: 'xlsx' | 'pdf') => void api.download(`/dashboard/reports/${id}/export.${format}`, undefined, `report.${format}`)
    .catch((e: unknown) => message.error(errorMessage(e, t('app.error'))));
  return (
    <Card title={r?.title ?? t('dashboard.reports')} extra={
      <Space wrap>
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate(r ? `/dashboard?orgId=${r.orgId}` : '/dashboard')}>{t('dashboard.report.back')}</Button>
        <Button icon={<FileExcelOutlined />} disabled={!r} onClick={() => download('xlsx')} data-testid="report-export-xlsx">{t('dashboard.report.export_xlsx')}</Button>
        <Button icon={<FilePdfOutlined />} disabled={!r} onClick={() => download('pdf')} data-testid="report-export-pdf">{t('dashboard.report.export_pdf')}</Button>
      </Space>
    }>
      <QueryState isLoading={report.isLoading} error={report.error} retry={() => void report.refetch()}>
        {r && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }}>
            <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} items={[
              { key: 'org', label: t('dashboard.pick_org'), children: r.orgName },
              { key: 'period', label: t('dashboard.period'), children: `${r.period}（${r.figures.from} ~ ${r.figures.to}）` },
              { key: 'by', label: t('dashboard.report.frozen_by'), children: r.frozenBy },
              { key: 'at', label: t('dashboard.report.frozen_at'), children: formatTime(r.frozenAt) },
            ]} />
            <FigureBoard figures={r.figures} />
          </Space>
        )}
      </QueryState>
    </Card>
  );
}
