import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Grid, Input, Modal, Select, Space, Table, Tabs, Typography } from 'antd';
import { TRANSFER_STATUSES, type Transfer, type TransferPage, type TransferStatus } from '../../../../contracts/transfers.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { TransferStatusTag } from './TransferStatusTag.js';

const BOXES = ['incoming', 'outgoing', 'all'] as const;
type Box = (typeof BOXES)[number];
type Decision = { kind: 'accept' | 'return' | 'cancel'; transfer: Transfer } | null;

export default function TransferInboxPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  // the filters live in the URL: a 工作台 to-do opens exactly the list it counted (box, status, org)
  const [params, update] = useSearchState();
  const box: Box = BOXES.find((b) => b === params.get('box')) ?? 'incoming';
  // issued (waiting) unless the URL says otherwise; 'all' is the cleared filter
  const status: TransferStatus | undefined = params.get('status') === 'all' ? undefined : TRANSFER_STATUSES.find((s) => s === params.get('status')) ?? 'issued';
  const orgId = params.get('orgId') ?? undefined;
  const page = { current: Number(params.get('page') ?? '1') || 1, pageSize: Number(params.get('pageSize') ?? '20') || 20 };
  const [decision, setDecision] = useState<Decision>(null);

  const list = useQuery({
    queryKey: ['transfers', 'list', box, status, orgId, page],
    queryFn: () => api.get<TransferPage>('/transfers', { box, status, orgId, page: page.current, pageSize: page.pageSize }),
    placeholderData: keepPreviousData,
  });
  const orgSelect = (width: number | string) => (
    <OrgTreeSelect value={orgId} onChange={(id) => update({ orgId: id })} placeholder={t('activity.org')} aria-label={t('activity.org')} style={{ width, maxWidth: '100%' }} />
  );

  return (
    // the status filter sits in the card's header: inside the tab bar it would be a child of the tablist
    <Card title={t('transfer.inbox')} styles={{ body: { paddingTop: 0 } }} extra={screens.sm ? (
      <Space wrap>
        {orgSelect(220)}
        <Select aria-label={t('common.status')} allowClear placeholder={t('common.status')} value={status} style={{ width: 120 }}
              onChange={(s?: TransferStatus) => update({ status: s ?? 'all' })}
              options={TRANSFER_STATUSES.map((s) => ({ value: s, label: t(`transfer.status.${s}`) }))} />
      </Space>
    ) : undefined}>
      {!screens.sm && <div style={{ paddingTop: 12 }}>{orgSelect('100%')}</div>}
      <Tabs
        activeKey={box}
        onChange={(k) => update({ box: k })}
        items={[
          { key: 'incoming', label: t('transfer.incoming') },
          { key: 'outgoing', label: t('transfer.outgoing') },
          { key: 'all', label: t('transfer.history') },
        ]}
      />
      <Table<Transfer>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('transfer.none') }}
        data-testid="transfer-table"
        pagination={{ ...page, total: list.data?.total ?? 0, showTotal: (total) => t('common.total', { total }), onChange: (current, pageSize) => update({ page: String(current), pageSize: String(pageSize) }) }}
        columns={[
          { title: t('transfer.member'), dataIndex: 'memberName', render: (name: string, x) => <Link to={`/members/${x.memberId}`}>{name}</Link> },
          { title: t('transfer.from'), dataIndex: 'fromOrgName' },
          { title: t('transfer.to'), dataIndex: 'toOrgName' },
          { title: t('transfer.reason'), dataIndex: 'reason', ellipsis: true },
          { title: t('common.status'), dataIndex: 'status', render: (s: TransferStatus, x) => <Space orientation="vertical" size={0}><TransferStatusTag status={s} />{x.decisionNote && <Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.decisionNote}</Typography.Text>}</Space> },
          { title: t('transfer.issued_at'), dataIndex: 'issuedAt', render: (v: string, x) => <>{formatTime(v)}{x.issuedByName && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.issuedByName}</Typography.Text></div>}</> },
          { title: t('transfer.decided_at'), dataIndex: 'decidedAt', render: (v: string | null, x) => <>{formatTime(v)}{x.decidedByName && <div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{x.decidedByName}</Typography.Text></div>}</> },
          {
            title: t('common.actions'), key: 'actions', fixed: screens.md ? 'right' : undefined,
            render: (_: unknown, x) => (
              <Space size={4}>
                {x.canAccept && <Button size="small" type="primary" onClick={() => setDecision({ kind: 'accept', transfer: x })}>{t('transfer.accept')}</Button>}
                {x.canReturn && <Button size="small" danger onClick={() => setDecision({ kind: 'return', transfer: x })}>{t('transfer.return')}</Button>}
                {x.canCancel && <Button size="small" onClick={() => setDecision({ kind: 'cancel', transfer: x })}>{t('transfer.cancel')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      {decision && <DecisionDialog decision={decision} onClose={() => setDecision(null)} />}
    </Card>
  );
}

/** 接收 (optional note), 退回 (reason required) or 撤回 (optional reason). */
function DecisionDialog({ decision, onClose }: { decision: NonNullable<Decision>; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Record<string, string | undefined>>();
  const [saving, setSaving] = useState(false);
  const { kind, transfer } = decision;
  const field = kind === 'accept' ? 'note' : 'reason';
  const submit = async (values: Record<string, string | undefined>) => {
    const text = values[field];
    setSaving(true);
    try {
      await api.post<Transfer>(`/transfers/${transfer.id}/${kind}`, text ? { [field]: text } : {});
      void message.success(t(kind === 'accept' ? 'transfer.accepted_ok' : kind === 'return' ? 'transfer.returned_ok' : 'transfer.cancelled_ok'));
      void queryClient.invalidateQueries({ queryKey: ['transfers'] });
      void queryClient.invalidateQueries({ queryKey: ['members'] });
      onClose();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  const title = t(kind === 'accept' ? 'transfer.accept' : kind === 'return' ? 'transfer.return' : 'transfer.cancel');
  return (
    <Modal open title={`${title} · ${transfer.memberName}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okButtonProps={{ danger: kind !== 'accept' }} destroyOnHidden>
      <Typography.Paragraph>{transfer.fromOrgName} → {transfer.toOrgName}</Typography.Paragraph>
      <Typography.Paragraph type="secondary">{t('transfer.reason')}：{transfer.reason}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        {/* named after the server's field (`note` to accept, `reason` otherwise) so its errors land here */}
        <Form.Item name={field} label={kind === 'accept' ? t('transfer.note') : kind === 'return' ? t('transfer.return_reason') : t('common.reason')}
          rules={kind === 'return' ? [{ required: true, message: t('transfer.return_reason') }] : []}>
          <Input.TextArea rows={3} maxLength={kind === 'accept' ? 500 : 200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
