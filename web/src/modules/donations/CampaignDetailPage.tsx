import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Descriptions, Form, Input, InputNumber, Modal, Row, Select, Space, Statistic, Table, Tag } from 'antd';
import { ArrowLeftOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { Campaign, CampaignTotals, Donation, DonationPage, RecordDonation } from '../../../../contracts/donations.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { MemberPicker } from '../communities/MemberPicker.js';
import { toFen, yuan } from './money.js';

/** One campaign: totals (per credited org, anonymous apart) for everyone of the tree; the ledger and recording for its admins. */
export default function CampaignDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const [recording, setRecording] = useState(false);
  const [page, setPage] = useState(1);
  const campaign = useQuery({ queryKey: ['donations', id], queryFn: () => api.get<Campaign>(`/donations/campaigns/${id}`) });
  const c = campaign.data;
  const totals = useQuery({ queryKey: ['donations', id, 'totals'], queryFn: () => api.get<CampaignTotals>(`/donations/campaigns/${id}/totals`), enabled: !!c });
  const ledger = useQuery({
    queryKey: ['donations', id, 'ledger', page],
    queryFn: () => api.get<DonationPage>(`/donations/campaigns/${id}/donations`, { page, pageSize: 20 }),
    enabled: !!c?.canManage,
    placeholderData: keepPreviousData,
  });

  return (
    <QueryState isLoading={campaign.isLoading} error={campaign.error} retry={() => void campaign.refetch()}>
      {c && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="campaign-detail">
          <Card title={<Space><Link to="/service/donations" aria-label={t('common.back')}><ArrowLeftOutlined /></Link>{c.title}</Space>}>
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('donation.org')}>{c.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('donation.period')}>{c.startsOn} — {c.endsOn ?? ''}</Descriptions.Item>
              <Descriptions.Item label={t('donation.goal')}>{c.goalFen ? yuan(c.goalFen) : '—'}</Descriptions.Item>
              {c.description && <Descriptions.Item label={t('donation.description')}>{c.description}</Descriptions.Item>}
            </Descriptions>
          </Card>
          <Card size="small" title={t('donation.totals')}>
            <QueryState isLoading={totals.isLoading} error={totals.error}>
              {totals.data && (
                <Row gutter={[16, 16]}>
                  <Col xs={24} md={8}>
                    <Space orientation="vertical" size={12}>
                      <Statistic title={t('donation.total')} value={yuan(totals.data.totalFen)} data-testid="campaign-total" />
                      <Statistic title={t('donation.count')} value={totals.data.count} />
                      <Statistic title={t('donation.anonymous_total')} value={yuan(totals.data.anonymousFen)} />
                    </Space>
                  </Col>
                  <Col xs={24} md={16}>
                    <Table rowKey="orgId" size="small" dataSource={totals.data.byOrg} pagination={false} scroll={{ x: 'max-content' }} data-testid="campaign-by-org"
                      locale={{ emptyText: t('donation.no_donations') }}
                      columns={[
                        { title: t('donation.by_org'), dataIndex: 'orgName' },
                        { title: t('donation.total'), dataIndex: 'totalFen', align: 'right', render: (fen: number) => yuan(fen) },
                        { title: t('donation.count'), dataIndex: 'count', align: 'right' },
                      ]} />
                  </Col>
                </Row>
              )}
            </QueryState>
          </Card>
          <Card size="small" title={t('donation.ledger')}
            extra={c.canManage && <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setRecording(true)} data-testid="donation-new">{t('donation.record')}</Button>}>
            {c.canManage ? (
              <Table<Donation>
                rowKey="id" size="small" loading={ledger.isFetching} dataSource={ledger.data?.items ?? []} scroll={{ x: 'max-content' }} data-testid="donation-ledger"
                locale={{ emptyText: t('donation.no_donations') }}
                pagination={{ current: page, pageSize: 20, total: ledger.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
                columns={[
                  { title: t('donation.donated_on'), dataIndex: 'donatedOn', width: 110 },
                  {
                    title: t('donation.donor'), dataIndex: 'donorName', width: 180,
                    render: (name: string, d) => <Space size={4}><Tag>{t(`donation.donor_type.${d.donorType}`)}</Tag>{name}</Space>,
                  },
                  { title: t('donation.credited_org'), dataIndex: 'creditedOrgName', width: 160, render: (v: string | null) => v ?? '—' },
                  { title: t('donation.amount'), dataIndex: 'amountFen', width: 120, align: 'right', render: (fen: number) => yuan(fen) },
                  { title: t('donation.receipt_no'), dataIndex: 'receiptNo', width: 130 },
                  { title: t('donation.note'), dataIndex: 'note', width: 160, render: (v: string | null) => v ?? '—' },
                ]}
              />
            ) : <Alert type="info" showIcon message={t('donation.ledger_admins_only')} />}
          </Card>
          <RecordDonationDialog open={recording} campaignId={c.id} onClose={() => setRecording(false)}
            onSaved={() => { setRecording(false); void queryClient.invalidateQueries({ queryKey: ['donations'] }); }} />
        </Space>
      )}
    </QueryState>
  );
}

interface DonationValues {
  donorType: RecordDonation['donorType']; donorOrgId?: string; donorMemberId?: string; amountYuan: number | null; donatedOn: Dayjs | null; receiptNo: string; note?: string | null;
}

function RecordDonationDialog({ open, campaignId, onClose, onSaved }: { open: boolean; campaignId: string; onClose: () => void; onSaved: (d: Donation) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<DonationValues>();
  const { saving, run } = useFormSubmit(form);
  const donorType = Form.useWatch('donorType', form);
  useEffect(() => {
    if (open) { form.resetFields(); form.setFieldsValue({ donorType: 'org', donatedOn: todayInChina() }); }
  }, [open, form]);
  const submit = (v: DonationValues) => run(async () => {
    const body: RecordDonation = {
      donorType: v.donorType,
      donorOrgId: v.donorType === 'org' ? v.donorOrgId : undefined,
      donorMemberId: v.donorType === 'member' ? v.donorMemberId : undefined,
      amountFen: toFen(v.amountYuan ?? 0), donatedOn: isoDay(v.donatedOn) ?? '', receiptNo: v.receiptNo, note: v.note || null,
    };
    onSaved(await api.post<Donation>(`/donations/campaigns/${campaignId}/donations`, body));
    void message.success(t('donation.recorded'));
  });
  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal open={open} title={t('donation.record')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'donation-save' }} destroyOnHidden>
      <Form<DonationValues> form={form} name="donation" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="donorType" label={t('donation.donor_type')} rules={required}>
          <Select options={(['org', 'member', 'anonymous'] as const).map((k) => ({ value: k, label: t(`donation.donor_type.${k}`) }))} />
        </Form.Item>
        {donorType === 'org' && <Form.Item name="donorOrgId" label={t('donation.donor_org')} rules={required}><OrgTreeSelect /></Form.Item>}
        {donorType === 'member' && (
          <Form.Item name="donorMemberId" label={t('donation.donor_member')} rules={required}><MemberPicker placeholder={t('donation.member_search')} /></Form.Item>
        )}
        <Form.Item name="amountYuan" label={t('donation.amount')} rules={[...required, { type: 'number', min: 0.01, message: t('donation.amount_invalid') }]}>
          <InputNumber min={0.01} precision={2} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item name="donatedOn" label={t('donation.donated_on')} rules={required}><DatePicker /></Form.Item>
        <Form.Item name="receiptNo" label={t('donation.receipt_no')} rules={required}><Input maxLength={40} /></Form.Item>
        <Form.Item name="note" label={t('donation.note')}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}
