import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Grid, Input, InputNumber, Modal, Progress, Space, Statistic, Table } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Campaign, CampaignPage, CreateCampaign, OrgTotals } from '../../../../contracts/donations.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useSearchState } from '../../platform/search-state.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { toFen, yuan } from './money.js';

/** 募捐活动 of the viewer's subtree with what each raised; below, what each sub-org gave across campaigns. */
export default function CampaignListPage() {
  const t = useT();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const orgId = params.get('orgId') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const [creating, setCreating] = useState(false);
  const query = { orgId, page, pageSize: 20 };
  const list = useQuery({
    queryKey: ['donations', 'list', query],
    queryFn: ({ signal }) => api.get<CampaignPage>('/donations/campaigns', query, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('donation.title')}
        extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="campaign-new">{t('donation.create')}</Button>}
        styles={{ body: { padding: screens.md ? 24 : 12 } }}
      >
        <Space wrap style={{ marginBottom: 16 }}>
          <OrgTreeSelect value={orgId} onChange={(v) => set({ orgId: v })} placeholder={t('donation.filter_org')} style={{ width: 240 }} />
        </Space>
        {list.error ? <Alert type="error" showIcon message={errorMessage(list.error, t('app.error'))} style={{ marginBottom: 16 }} /> : null}
        <Table<Campaign>
          rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('donation.none') }} data-testid="campaign-table"
          pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
          columns={[
            { title: t('donation.campaign_title'), dataIndex: 'title', width: 220, render: (title: string, c) => <Link to={`/service/donations/${c.id}`}>{title}</Link> },
            { title: t('donation.org'), dataIndex: 'orgName', width: 160 },
            { title: t('donation.period'), key: 'period', width: 200, render: (_: unknown, c) => `${c.startsOn} — ${c.endsOn ?? ''}` },
            { title: t('donation.total'), dataIndex: 'totalFen', width: 130, align: 'right', render: (fen: number) => yuan(fen) },
            { title: t('donation.count'), dataIndex: 'donationCount', width: 70, align: 'right' },
            {
              title: t('donation.goal'), dataIndex: 'goalFen', width: 180, responsive: ['md'],
              render: (goal: number | null, c) => (goal ? <Space>{yuan(goal)}<Progress aria-label={t('donation.goal')} percent={Math.min(100, Math.round((c.totalFen / goal) * 100))} size="small" style={{ width: 80 }} /></Space> : '—'),
            },
          ]}
        />
      </Card>
      <OrgTotalsCard />
      <CampaignDialog open={creating} defaultOrgId={orgId} onClose={() => setCreating(false)} onSaved={(c) => { setCreating(false); void navigate(`/service/donations/${c.id}`); }} />
    </Space>
  );
}

/** Across campaigns, what an org's subtree gave, in all and per direct child (a member's gift counts for the member's org). */
function OrgTotalsCard() {
  const t = useT();
  const [orgId, setOrgId] = useState<string>();
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  // before a choice: the viewer's own org
  const own = useOwnOrg();
  const effectiveOrgId = orgId ?? own.orgId;
  const query = { orgId: effectiveOrgId, from: isoDay(range?.[0]) ?? undefined, to: isoDay(range?.[1]) ?? undefined };
  const totals = useQuery({ queryKey: ['donations', 'org-totals', query], queryFn: () => api.get<OrgTotals>('/donations/org-totals', query), enabled: !!effectiveOrgId });
  return (
    <Card title={t('donation.org_totals')} size="small">
      <Space wrap style={{ marginBottom: 12 }}>
        <OrgTreeSelect value={effectiveOrgId} onChange={setOrgId} allowClear={false} style={{ width: 260 }} />
        <DatePicker.RangePicker allowEmpty={[true, true]} value={range} onChange={(v) => setRange(v)} />
      </Space>
      {totals.error ? <Alert type="error" showIcon message={errorMessage(totals.error, t('app.error'))} /> : null}
      {totals.data && (
        <>
          <Space size={32} wrap style={{ marginBottom: 12 }}>
            <Statistic title={t('donation.total')} value={yuan(totals.data.totalFen)} />
            <Statistic title={t('donation.count')} value={totals.data.count} />
          </Space>
          <Table rowKey="orgId" size="small" dataSource={totals.data.byChildOrg} pagination={false} scroll={{ x: 'max-content' }} data-testid="org-totals"
            columns={[
              { title: t('donation.by_child_org'), dataIndex: 'orgName' },
              { title: t('donation.total'), dataIndex: 'totalFen', align: 'right', render: (fen: number) => yuan(fen) },
              { title: t('donation.count'), dataIndex: 'count', align: 'right' },
            ]} />
        </>
      )}
    </Card>
  );
}

interface CampaignValues { orgId?: string; title: string; description?: string | null; startsOn: Dayjs | null; endsOn: Dayjs | null; goalYuan?: number | null }

function CampaignDialog({ open, defaultOrgId, onClose, onSaved }: { open: boolean; defaultOrgId?: string; onClose: () => void; onSaved: (c: Campaign) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<CampaignValues>();
  const { saving, run } = useFormSubmit(form);
  useEffect(() => {
    if (open) { form.resetFields(); form.setFieldsValue({ orgId: defaultOrgId, startsOn: todayInChina() }); }
  }, [open, defaultOrgId, form]);
  const submit = (v: CampaignValues) => run(async () => {
    const body: CreateCampaign = {
      orgId: v.orgId ?? '', title: v.title, description: v.description || null, startsOn: isoDay(v.startsOn) ?? '', endsOn: isoDay(v.endsOn),
      goalFen: v.goalYuan ? toFen(v.goalYuan) : null,
    };
    onSaved(await api.post<Campaign>('/donations/campaigns', body));
    void message.success(t('donation.created'));
  });
  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal open={open} title={t('donation.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'campaign-save' }} destroyOnHidden>
      <Form<CampaignValues> form={form} name="campaign" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="orgId" label={t('donation.org')} rules={required}><OrgTreeSelect /></Form.Item>
        <Form.Item name="title" label={t('donation.campaign_title')} rules={required}><Input maxLength={100} /></Form.Item>
        <Form.Item name="description" label={t('donation.description')}><Input.TextArea maxLength={2000} autoSize={{ minRows: 2 }} /></Form.Item>
        <Space wrap>
          <Form.Item name="startsOn" label={t('donation.starts_on')} rules={required}><DatePicker /></Form.Item>
          <Form.Item name="endsOn" label={t('donation.ends_on')}><DatePicker /></Form.Item>
        </Space>
        <Form.Item name="goalYuan" label={t('donation.goal')}><InputNumber min={0.01} precision={2} style={{ width: 200 }} /></Form.Item>
      </Form>
    </Modal>
  );
}
