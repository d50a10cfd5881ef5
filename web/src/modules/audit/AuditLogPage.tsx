import { useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Card, DatePicker, Input, Select, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { AUDIT_ACTION_LABELS, AUDIT_TARGET_LABELS, type AuditEntry, type AuditPage } from '../../../../contracts/audit.js';
import { api, type Query } from '../../platform/api.js';
import { formatTime, isoDay } from '../../platform/format.js';
import { useLocale } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

/** Action filters: each module as a prefix ('member.'), then each action. */
function actionOptions(lang: string) {
  const label = (key: string) => AUDIT_ACTION_LABELS[key]?.[lang === 'en' ? 'en' : 'zh'] ?? key;
  const prefixes = [...new Set(Object.keys(AUDIT_ACTION_LABELS).map((k) => k.split('.')[0]!))];
  return prefixes.map((prefix) => ({
    label: prefix,
    title: prefix,
    options: [
      { value: `${prefix}.`, label: `${prefix}.*` },
      ...Object.keys(AUDIT_ACTION_LABELS).filter((k) => k.startsWith(`${prefix}.`)).map((k) => ({ value: k, label: label(k) })),
    ],
  }));
}

/** "党员 张三": the kind of object and its name; `#id` only when no name is known. */
function targetText(entry: AuditEntry, lang: string): string {
  const kind = AUDIT_TARGET_LABELS[entry.targetType]?.[lang === 'en' ? 'en' : 'zh'] ?? entry.targetType;
  const name = entry.targetName ?? (entry.targetId ? `#${entry.targetId}` : '');
  return name ? `${kind} ${name}` : kind;
}

export default function AuditLogPage() {
  const { t, lang } = useLocale();
  const [filters, setFilters] = useState<Query>({});
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [page, setPage] = useState({ current: 1, pageSize: 50 });
  const query: Query = { ...filters, from: isoDay(range?.[0]), to: isoDay(range?.[1]), page: page.current, pageSize: page.pageSize };
  const list = useQuery({ queryKey: ['audit', query], queryFn: () => api.get<AuditPage>('/audit', query), placeholderData: keepPreviousData });
  const set = (changes: Query) => {
    setFilters((f) => ({ ...f, ...changes }));
    setPage((p) => ({ ...p, current: 1 }));
  };

  return (
    <Card title={t('audit.title')}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('audit.filter_action')} allowClear showSearch placeholder={t('audit.filter_action')} style={{ width: 220 }} options={actionOptions(lang)} onChange={(action?: string) => set({ action })} />
        <Input.Search allowClear placeholder={t('audit.filter_user')} style={{ width: 180 }} onSearch={(username) => set({ username })} />
        <Input.Search allowClear placeholder={t('audit.ip')} style={{ width: 160 }} onSearch={(ip) => set({ ip })} />
        <DatePicker.RangePicker value={range} onChange={(v) => { setRange(v); setPage((p) => ({ ...p, current: 1 })); }} />
      </Space>
      {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
      <Table<AuditEntry>
        rowKey="id"
        size="small"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        data-testid="audit-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showSizeChanger: true, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => setPage({ current, pageSize }) }}
        expandable={{
          rowExpandable: (e) => Object.keys(e.detail).length > 0,
          expandedRowRender: (e) => <Typography.Paragraph style={{ margin: 0 }}><pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{JSON.stringify(e.detail, null, 2)}</pre></Typography.Paragraph>,
        }}
        columns={[
          { title: t('audit.at'), dataIndex: 'at', width: 150, render: (v: string) => formatTime(v) },
          { title: t('audit.user'), dataIndex: 'username', width: 120, render: (v: string | null) => v ?? '—' },
          { title: t('audit.action'), dataIndex: 'actionLabel', render: (v: string, e) => <span title={e.action}>{v}</span> },
          { title: t('audit.target'), key: 'target', render: (_: unknown, e) => <span title={e.targetId ? `${e.targetType} #${e.targetId}` : e.targetType} data-testid="audit-target">{targetText(e, lang)}</span> },
          { title: t('member.org'), dataIndex: 'orgName', render: (v: string | null) => v ?? '—' },
          { title: t('audit.ip'), dataIndex: 'ip', width: 130, render: (v: string | null) => v ?? '—' },
        ]}
      />
    </Card>
  );
}
