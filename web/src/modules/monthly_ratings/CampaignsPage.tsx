import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Grid, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { MONTHLY_RATING_TIE_BREAKS, type MonthlyRatingCampaign, type MonthlyRatingCampaignInput, type MonthlyRatingCampaignPage } from '../../../../contracts/monthly_ratings.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

/** 美丽党员 campaigns the viewer runs or nominates into. */
export default function CampaignsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [creating, setCreating] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: 20 };
  const list = useQuery({ queryKey: ['monthly-ratings', 'campaigns', query], queryFn: () => api.get<MonthlyRatingCampaignPage>('/monthly-ratings/campaigns', query), placeholderData: keepPreviousData });
  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.monthly_ratings')}</h1>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="mr-new">{t('mr.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Table<MonthlyRatingCampaign>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('mr.none') }} data-testid="mr-campaigns"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('mr.name'), dataIndex: 'name', render: (name: string, c) => <Link to={`/monthly-ratings/campaigns/${c.id}`}>{name}</Link> },
          { title: t('mr.org'), dataIndex: 'orgName', responsive: ['md'] },
          { title: t('mr.places'), dataIndex: 'places', width: 90 },
          { title: t('mr.votes_per_member'), dataIndex: 'votesPerMember', width: 120, responsive: ['sm'] },
          { title: t('mr.status'), dataIndex: 'isActive', width: 90, render: (active: boolean) => <Tag color={active ? 'green' : undefined}>{t(active ? 'mr.active' : 'mr.inactive')}</Tag> },
        ]}
      />
      {creating && <CreateCampaign onClose={() => setCreating(false)} />}
    </Card>
  );
}

function CreateCampaign({ onClose }: { onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const own = useOwnOrg();
  const [form] = Form.useForm<MonthlyRatingCampaignInput>();
  const { saving, run } = useFormSubmit(form);
  const required = [{ required: true, message: t('mr.required') }];
  const save = (values: MonthlyRatingCampaignInput) => run(async () => {
    const created = await api.post<MonthlyRatingCampaign>('/monthly-ratings/campaigns', values);
    void queryClient.invalidateQueries({ queryKey: ['monthly-ratings'] });
    void navigate(`/monthly-ratings/campaigns/${created.id}`);
  });
  return (
    <Modal open title={t('mr.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={560}>
      <Form<MonthlyRatingCampaignInput> form={form} layout="vertical" onFinish={(v) => void save(v)}
        initialValues={{ orgId: own.orgId, places: 5, votesPerMember: 3, allowRecommendations: false, autoRounds: true, tieBreak: 'earlier_nomination', nominationFromDay: 1, nominationToDay: 10, votingFromDay: 15, votingToDay: 25 }}>
        <Form.Item name="orgId" label={t('mr.org')} rules={required}><OrgTreeSelect placeholder={t('mr.pick_org')} allowClear={false} /></Form.Item>
        <Form.Item name="name" label={t('mr.name')} rules={required}><Input maxLength={100} data-testid="mr-name" /></Form.Item>
        <Space wrap>
          <Form.Item name="places" label={t('mr.places')} rules={required}><InputNumber min={1} max={50} /></Form.Item>
          <Form.Item name="votesPerMember" label={t('mr.votes_per_member')} rules={required}><InputNumber min={1} max={20} /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="nominationFromDay" label={`${t('mr.nomination_days')} ${t('mr.day_from')}`}><InputNumber min={1} max={28} /></Form.Item>
          <Form.Item name="nominationToDay" label={t('mr.day_to')}><InputNumber min={1} max={28} /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="votingFromDay" label={`${t('mr.voting_days')} ${t('mr.day_from')}`}><InputNumber min={1} max={28} /></Form.Item>
          <Form.Item name="votingToDay" label={t('mr.day_to')}><InputNumber min={1} max={28} /></Form.Item>
        </Space>
        <Form.Item name="tieBreak" label={t('mr.tie_break')}>
          <Select options={MONTHLY_RATING_TIE_BREAKS.map((k) => ({ value: k, label: t(`mr.tie_break.${k}`) }))} />
        </Form.Item>
        <Form.Item name="allowRecommendations" valuePropName="checked"><Checkbox>{t('mr.allow_recommendations')}</Checkbox></Form.Item>
        <Form.Item name="autoRounds" valuePropName="checked"><Checkbox>{t('mr.auto_rounds')}</Checkbox></Form.Item>
      </Form>
    </Modal>
  );
}
