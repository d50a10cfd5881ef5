import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Form, Popconfirm, Space, Table, Tag } from 'antd';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import type { AgreementPage, Community, CommunityMembers, CommunityReport, ReportToCommunity } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { CommunityFormDialog } from './CommunityFormDialog.js';
import { MemberPicker } from './MemberPicker.js';
import { AgreementPeriod } from './AgreementParts.js';

/** One community: its register entry, the members who reported to it (those the viewer may see) and the co-building agreements with it. */
export default function CommunityDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const [page, setPage] = useState(1);
  const community = useQuery({ queryKey: ['communities', id], queryFn: () => api.get<Community>(`/communities/${id}`) });
  const members = useQuery({
    queryKey: ['communities', id, 'members', page],
    queryFn: () => api.get<CommunityMembers>(`/communities/${id}/members`, { page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });
  const agreements = useQuery({ queryKey: ['co-building', 'list', { communityId: id }], queryFn: () => api.get<AgreementPage>('/co-building/agreements', { communityId: id, pageSize: 100 }) });
  const c = community.data;

  const withdraw = async (report: CommunityReport) => {
    try {
      await api.delete(`/communities/reports/${report.memberId}`);
      void message.success(t('community.withdrawn'));
      void queryClient.invalidateQueries({ queryKey: ['communities'] });
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };

  return (
    <QueryState isLoading={community.isLoading} error={community.error} retry={() => void community.refetch()}>
      {c && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="community-detail">
          <Card
            title={<Space><Link to="/service/communities" aria-label={t('common.back')}><ArrowLeftOutlined /></Link><span data-testid="community-name">{c.name}</span>{c.archived && <Tag>{t('community.archived')}</Tag>}</Space>}
            extra={c.canManage && <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="community-edit">{t('common.edit')}</Button>}
          >
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label={t('community.street')}>{c.street}</Descriptions.Item>
              <Descriptions.Item label={t('community.keeper')}>{c.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('community.contact_name')}>{c.contactName ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('community.contact_phone')}>{c.contactPhone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('community.address')}>{c.address ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t('community.reported_count')}><span data-testid="community-reported-count">{c.reportedCount}</span></Descriptions.Item>
            </Descriptions>
          </Card>

          <Card title={t('community.members')} size="small">
            {!c.archived && <RecordReportForm communityId={c.id} />}
            <Table<CommunityReport>
              rowKey="memberId" size="small" loading={members.isFetching} dataSource={members.data?.items ?? []} scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('community.no_members') }} data-testid="community-members"
              pagination={{ current: page, pageSize: 20, total: members.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
              columns={[
                { title: t('community.member_name'), dataIndex: 'memberName', width: 100 },
                { title: t('community.member_org'), dataIndex: 'orgName', width: 200 },
                { title: t('community.reported_on'), dataIndex: 'reportedOn', width: 110 },
                {
                  title: t('common.actions'), key: 'actions', width: 100,
                  render: (_: unknown, r) => (
                    <Popconfirm title={t('community.withdraw')} onConfirm={() => void withdraw(r)}>
                      <Button size="small" type="link" danger>{t('community.withdraw')}</Button>
                    </Popconfirm>
                  ),
                },
              ]}
            />
          </Card>

          <Card title={t('community.agreements')} size="small">
            <Table
              rowKey="id" size="small" loading={agreements.isFetching} dataSource={agreements.data?.items ?? []} pagination={false} scroll={{ x: 'max-content' }}
              locale={{ emptyText: t('co_building.none') }}
              columns={[
                { title: t('co_building.agreement_title'), dataIndex: 'title', width: 200, render: (title: string, a) => <Link to={`/service/co-building/${a.id}`}>{title}</Link> },
                { title: t('co_building.org'), dataIndex: 'orgName', width: 180 },
                { title: t('co_building.period'), key: 'period', width: 220, render: (_: unknown, a) => <AgreementPeriod agreement={a} /> },
                { title: t('co_building.project_count'), dataIndex: 'projectCount', width: 90, align: 'right' },
              ]}
            />
          </Card>
          <CommunityFormDialog open={editing} community={c} onClose={() => setEditing(false)}
            onSaved={(next) => { setEditing(false); queryClient.setQueryData(['communities', id], next); void queryClient.invalidateQueries({ queryKey: ['communities', 'list'] }); }} />
        </Space>
      )}
    </QueryState>
  );
}

/** An admin records the report of a member of the own subtree (who could not do it on the phone). */
function RecordReportForm({ communityId }: { communityId: string }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ memberId?: string; reportedOn: Dayjs | null }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (values: { memberId?: string; reportedOn: Dayjs | null }) => run(async () => {
    await api.post(`/communities/${communityId}/reports`, { memberId: values.memberId, reportedOn: isoDay(values.reportedOn) ?? undefined } satisfies ReportToCommunity);
    void message.success(t('community.report_done'));
    form.resetFields();
    void queryClient.invalidateQueries({ queryKey: ['communities'] });
  });
  return (
    <Form form={form} layout="inline" initialValues={{ reportedOn: todayInChina() }} onFinish={(v) => void submit(v)} style={{ marginBottom: 12, rowGap: 8 }}>
      <Form.Item name="memberId" label={t('community.record_report_member')} rules={[{ required: true, message: t('service.required') }]}>
        <MemberPicker placeholder={t('community.member_search')} testId="community-report-member" style={{ width: 240 }} />
      </Form.Item>
      <Form.Item name="reportedOn" label={t('community.reported_on')}><DatePicker allowClear={false} /></Form.Item>
      <Form.Item><Button htmlType="submit" loading={saving}>{t('community.record_report')}</Button></Form.Item>
    </Form>
  );
}
