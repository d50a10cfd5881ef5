import { useCallback, useState, type ReactNode } from 'react';
import { App, Card, DatePicker, Empty, Grid, Input, List, Pagination, Select, Space, Table, Tag, Typography, type FormRule } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { Bill, Payment } from '../../../../contracts/dues.js';
import { api, type Query } from '../../platform/api.js';
import { CardItem } from '../../platform/CardItem.js';
import { todayInChina } from '../../platform/format.js';
import { useT, type Translate } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { fenOf, yuan } from './money.js';

/** One column of a dues list: a table column on a desktop, a labelled line of a card on a phone. */
export interface DuesColumn<T> {
  key: string;
  title: string;
  render: (row: T) => ReactNode;
  align?: 'right';
  /** The card's heading on a phone (the columns so marked, side by side). */
  isHeading?: boolean;
}

interface Paging { current: number; pageSize: number; total: number; onChange: (page: number) => void }

/**
 * A list of the dues pages: a table where there is room, a list of cards on a phone (a table's
 * sideways scroll hides the amounts a treasurer looks for). One component for every tab, so that
 * each list has both shapes.
 */
export function DuesList<T extends object>({ rows, rowKey, columns, loading, emptyText, paging, testId, rowTestId }: {
  rows: readonly T[];
  rowKey: (row: T) => string;
  columns: readonly DuesColumn<T>[];
  loading?: boolean;
  emptyText: string;
  paging?: Paging;
  testId?: string;
  rowTestId?: string;
}) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  if (screens.md) {
    return (
      <Table<T>
        rowKey={rowKey} size="middle" loading={loading} dataSource={[...rows]} scroll={{ x: 'max-content' }} data-testid={testId}
        locale={{ emptyText }}
        onRow={() => ({ 'data-testid': rowTestId } as React.HTMLAttributes<HTMLElement>)}
        pagination={paging && paging.total > paging.pageSize
          ? { current: paging.current, pageSize: paging.pageSize, total: paging.total, onChange: paging.onChange, showSizeChanger: false, showTotal: (total) => t('common.total', { total }) }
          : false}
        columns={columns.map((c) => ({ key: c.key, title: c.title, align: c.align, render: (_: unknown, row: T) => c.render(row) }))}
      />
    );
  }
  const headings = columns.filter((c) => c.isHeading);
  const lines = columns.filter((c) => !c.isHeading);
  return (
    <div data-testid={testId}>
      {rows.length === 0 && !loading ? <Empty description={emptyText} /> : (
        <List loading={loading} dataSource={[...rows]} rowKey={rowKey} renderItem={(row) => (
          <CardItem>
            <Card size="small" style={{ marginBottom: 8 }} styles={{ body: { padding: 12 } }} data-testid={rowTestId}>
              {headings.length > 0 && <Space wrap size={6} style={{ marginBottom: 6 }}>{headings.map((c) => <span key={c.key}>{c.render(row)}</span>)}</Space>}
              {lines.map((c) => (
                <div key={c.key} style={{ display: 'flex', justifyContent: 'space-between', gap: 12, padding: '2px 0' }}>
                  <Typography.Text type="secondary" style={{ flex: 'none' }}>{c.title}</Typography.Text>
                  <span style={{ textAlign: 'right', minWidth: 0, overflowWrap: 'anywhere' }}>{c.render(row)}</span>
                </div>
              ))}
            </Card>
          </CardItem>
        )} />
      )}
      {paging && paging.total > paging.pageSize && (
        <Pagination simple align="center" current={paging.current} pageSize={paging.pageSize} total={paging.total} onChange={paging.onChange} style={{ marginTop: 8 }} />
      )}
    </div>
  );
}

export function BillStatusTag({ bill }: { bill: Pick<Bill, 'status' | 'reduced'> }) {
  const t = useT();
  const color = bill.status === 'paid' ? 'green' : bill.status === 'exempt' ? 'default' : 'orange';
  return (
    <Space size={4} wrap>
      <Tag color={color}>{t(`dues.bill_status.${bill.status}`)}</Tag>
      {bill.reduced && <Tag color="blue">{t('dues.reduced')}</Tag>}
    </Space>
  );
}

export const thisMonth = (): string => todayInChina().format('YYYY-MM');
export const thisYear = (): number => todayInChina().year();

/** A month filter ('YYYY-MM'), named for screen readers. */
export function MonthPicker({ value, onChange, label, testId }: { value: string; onChange: (month: string) => void; label: string; testId?: string }) {
  return (
    <DatePicker picker="month" allowClear={false} value={dayjs(`${value}-01`)} aria-label={label} data-testid={testId} style={{ width: 140 }}
      onChange={(d: Dayjs | null) => { if (d) onChange(d.format('YYYY-MM')); }} />
  );
}

/** A year filter: this year and the five before it (and next year, for bases decided in advance). */
export function YearSelect({ value, onChange, label }: { value: number; onChange: (year: number) => void; label: string }) {
  const current = thisYear();
  const years = [current + 1, ...Array.from({ length: 6 }, (_, i) => current - i)];
  return <Select aria-label={label} value={value} onChange={onChange} style={{ width: 110 }} options={years.map((y) => ({ value: y, label: String(y) }))} />;
}

/** A search box of a list, named by its placeholder. */
export function SearchBox({ value, onSearch, placeholder }: { value?: string; onSearch: (q: string | undefined) => void; placeholder: string }) {
  return <Input.Search allowClear defaultValue={value} aria-label={placeholder} placeholder={placeholder} onSearch={(q) => onSearch(q.trim() || undefined)} style={{ width: 200 }} />;
}

/** 元 text with at most two decimals (kept as text: fenOf converts it exactly). */
export function useYuanRules(required: boolean): FormRule[] {
  const t = useT();
  return [
    ...(required ? [{ required: true, message: t('dues.required') }] : []),
    { validator: async (_: unknown, value: string | undefined) => { if (value && fenOf(value) == null) throw new Error(t('dues.amount_invalid')); } },
  ];
}

/** A spreadsheet the server makes (template, export): saved under the server's name; a refusal is shown as a message. */
export function useDownload(): { busy: string | null; download: (key: string, path: string, query?: Query) => Promise<void> } {
  const t = useT();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const download = useCallback(async (key: string, path: string, query?: Query) => {
    setBusy(key);
    try {
      await api.download(path, query, `${key}.xlsx`);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  }, [message, t]);
  return { busy, download };
}

/** A card of a tab: its title, then its filters and actions (wrapping on a phone), then its content. */
export function Section({ title, toolbar, children, testId }: { title: ReactNode; toolbar?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <Card size="small" title={title} data-testid={testId}>
      {toolbar && <Space wrap style={{ marginBottom: 12 }}>{toolbar}</Space>}
      {children}
    </Card>
  );
}

/** What a receipt covered: its months, the voluntary extra and the special amount. */
export function paymentLines(t: Translate, p: Pick<Payment, 'lines'>): string {
  const months = p.lines.filter((l) => l.kind === 'dues' && l.month).map((l) => l.month);
  const parts = months.length ? [t('dues.lines_months', { months: months.join('、') })] : [];
  for (const l of p.lines) if (l.kind !== 'dues') parts.push(`${t(`dues.line.${l.kind}`)} ${yuan(l.amountFen)}`);
  return parts.join('；');
}

