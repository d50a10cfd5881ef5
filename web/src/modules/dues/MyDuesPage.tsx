import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Badge, Button, Card, Collapse, Empty, List, Space, Statistic, Tag, Typography } from 'antd';
import { BellOutlined, FilePdfOutlined } from '@ant-design/icons';
import type { MyDues } from '../../../../contracts/dues.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { yuan } from './money.js';
import { BillStatusTag, paymentLines, thisMonth } from './parts.js';
import { StatementFiguresView } from './StatementFigures.js';

/**
 * 我的党费, on a phone first: what this month costs, what is still owed, the branch's reminders, every
 * month's bill, every payment with its receipt, and the 公示 of the member's orgs.
 */
export default function MyDuesPage() {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [marking, setMarking] = useState(false);
  const mine = useQuery({ queryKey: ['dues', 'me'], queryFn: ({ signal }) => api.get<MyDues>('/dues/me', undefined, signal) });
  const d = mine.data;
  const month = thisMonth();
  const current = d?.bills.find((b) => b.month === month);
  const unread = d?.reminders.filter((r) => !r.read) ?? [];

  async function markRead() {
    setMarking(true);
    try {
      await api.post('/dues/me/reminders/read');
      void queryClient.invalidateQueries({ queryKey: ['dues', 'me'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setMarking(false);
    }
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }} data-testid="my-dues">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('menu.my_dues')}</Typography.Title>
      <QueryState isLoading={mine.isLoading} error={mine.error} retry={() => void mine.refetch()}>
        {d && (
          <>
            <Card size="small" data-testid="my-dues-summary">
              <Space size={24} wrap>
                <Statistic title={t('dues.this_month', { month })} value={current ? yuan(current.dueFen) : d.monthlyFen != null ? yuan(d.monthlyFen) : '—'} suffix={t('dues.yuan')} />
                <Statistic title={t('dues.unpaid_months')} value={d.unpaidMonths} />
                <Statistic title={t('dues.unpaid_yuan')} value={yuan(d.unpaidFen)} styles={d.unpaidFen > 0 ? { content: { color: '#cf1322' } } : undefined} data-testid="my-dues-unpaid" />
              </Space>
              <div style={{ marginTop: 8 }}>
                {current && <BillStatusTag bill={current} />}
                {d.category && <Tag>{t(`dues.category.${d.category}`)}</Tag>}
              </div>
            </Card>

            {d.reminders.length > 0 && (
              <Card size="small" data-testid="my-dues-reminders"
                title={<Space><BellOutlined />{t('dues.reminders')}<Badge count={unread.length} /></Space>}
                extra={unread.length > 0 && <Button size="small" loading={marking} onClick={() => void markRead()} data-testid="reminders-read">{t('dues.mark_read')}</Button>}>
                <List size="small" dataSource={d.reminders} renderItem={(r) => (
                  <List.Item>
                    <Space orientation="vertical" size={0}>
                      <Typography.Text strong={!r.read}>{t('dues.reminder_text', { months: r.unpaidMonths, amount: yuan(r.unpaidFen) })}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(r.sentAt)}{r.read ? '' : ` · ${t('dues.unread')}`}</Typography.Text>
                    </Space>
                  </List.Item>
                )} />
              </Card>
            )}
            {d.unpaidFen > 0 && <Alert type="warning" showIcon title={t('dues.pay_at_branch', { amount: yuan(d.unpaidFen) })} />}

            <Card size="small" title={t('dues.my_bills')}>
              {d.bills.length === 0 ? <Empty description={t('dues.no_bills')} /> : (
                <List size="small" dataSource={d.bills} data-testid="my-bills" renderItem={(b) => (
                  <List.Item extra={<Typography.Text strong>{yuan(b.dueFen)}</Typography.Text>}>
                    <Space wrap size={6}><Typography.Text>{b.month}</Typography.Text><BillStatusTag bill={b} /></Space>
                  </List.Item>
                )} />
              )}
            </Card>

            <Card size="small" title={t('dues.my_payments')}>
              {d.payments.length === 0 ? <Empty description={t('dues.no_payments')} /> : (
                <List size="small" dataSource={d.payments} data-testid="my-payments" renderItem={(p) => (
                  <List.Item>
                    <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                      <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
                        <Space wrap size={4}>
                          <Typography.Text>{p.paidOn}</Typography.Text>
                          {p.kind === 'reversal' && <Tag color="red">{t('dues.reversal')}</Tag>}
                          {p.reversedById && <Tag>{t('dues.reversed')}</Tag>}
                          {p.proxyName && <Tag>{t('dues.proxy_by', { name: p.proxyName })}</Tag>}
                        </Space>
                        <Typography.Text strong>{yuan(p.totalFen)}</Typography.Text>
                      </div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{paymentLines(t, p)}</Typography.Text>
                      <a href={`/api/dues/payments/${p.id}/receipt.pdf`} target="_blank" rel="noreferrer" data-testid="my-receipt">
                        <FilePdfOutlined /> {t('dues.receipt_of', { receiptNo: p.receiptNo })}
                      </a>
                    </Space>
                  </List.Item>
                )} />
              )}
            </Card>

            <Card size="small" title={t('dues.statements_of_my_orgs')} data-testid="my-statements">
              {d.statements.length === 0 ? <Empty description={t('dues.no_published')} /> : (
                <Collapse items={d.statements.map((s) => ({
                  key: s.id,
                  label: `${s.year} · ${s.orgName}`,
                  children: <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                    <Typography.Text type="secondary">{t('dues.published_at', { at: formatTime(s.publishedAt) })}</Typography.Text>
                    <StatementFiguresView figures={s.figures} compact />
                  </Space>,
                }))} />
              )}
            </Card>
          </>
        )}
      </QueryState>
    </Space>
  );
}
