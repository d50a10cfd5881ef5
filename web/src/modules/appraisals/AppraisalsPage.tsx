import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Grid, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { AppraisalRoundPage, AppraisalRoundSummary, OpenAppraisals, OpenedAppraisals } from '../../../../contracts/appraisals.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { PhaseTag } from './AppraisalTags.js';

/** 民主评议党员 for the administrators: the rounds of their branches by year, with their progress. */
export default function AppraisalsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [open, setOpen] = useState(false);
  const year = Number(params.get('year') ?? todayInChina().year());
  const orgId = params.get('orgId') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const query = { year, orgId, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['appraisals', 'list', query], queryFn: () => api.get<AppraisalRoundPage>('/appraisals', query), placeholderData: keepPreviousData });
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.appraisals')}</h1>} styles={{ body: { padding: screens.md ? 24 : 12 } }}>
      <Space wrap style={{ marginBottom: 16 }}>
        <InputNumber aria-label={t('appraisal.year')} min={2000} max={2199} value={year} onChange={(v) => set({ year: v ? String(v) : undefined, page: undefined })} addonAfter={t('appraisal.year')} />
        <OrgTreeSelect aria-label={t('appraisal.org')} placeholder={t('appraisal.org')} value={orgId} onChange={(v) => set({ orgId: v ?? undefined, page: undefined })} style={{ width: 240 }} />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="appraisal-open">{t('appraisal.open')}</Button>
      </Space>
      <Table<AppraisalRoundSummary>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('appraisal.none') }} data-testid="appraisal-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('appraisal.branch'), dataIndex: 'orgName', width: 200, render: (name: string, r) => <Link to={`/appraisals/${r.id}`}>{name}</Link> },
          { title: t('appraisal.year'), dataIndex: 'year', width: 70 },
          { title: t('appraisal.phase'), dataIndex: 'phase', width: 110, render: (_: unknown, r) => <PhaseTag phase={r.phase} /> },
          { title: t('appraisal.participants'), dataIndex: 'participants', width: 90 },
          { title: t('appraisal.self_assessed'), dataIndex: 'selfAssessed', width: 90, responsive: ['md'] },
          { title: t('appraisal.ballots'), dataIndex: 'ballots', width: 90 },
          { title: '', key: 'open', width: 70, render: (_: unknown, r) => <Link to={`/appraisals/${r.id}`} aria-label={`${t('appraisal.detail')} ${r.orgName}`}>{t('appraisal.detail')}</Link> },
        ]}
      />
      {open && <OpenDialog year={year} onClose={() => setOpen(false)} />}
    </Card>
  );
}

interface OpenValues { orgId: string; year: number; excellentSharePercent: number }

function OpenDialog({ year, onClose }: { year: number; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<OpenValues>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: OpenValues) => run(async () => {
    const body: OpenAppraisals = { orgId: v.orgId, year: v.year, excellentSharePercent: v.excellentSharePercent };
    const opened = await api.post<OpenedAppraisals>('/appraisals', body);
    void message.success(t('appraisal.opened', { count: opened.opened }));
    void queryClient.invalidateQueries({ queryKey: ['appraisals'] });
    onClose();
  });
  const required = [{ required: true, message: t('appraisal.required') }];
  return (
    <Modal open title={t('appraisal.open')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('appraisal.open_hint')}</Typography.Paragraph>
      <Form<OpenValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ year, excellentSharePercent: 30 }}>
        <Form.Item name="orgId" label={t('appraisal.org')} rules={required}><OrgTreeSelect placeholder={t('appraisal.org')} /></Form.Item>
        <Space wrap>
          <Form.Item name="year" label={t('appraisal.year')} rules={required}><InputNumber min={2000} max={2199} /></Form.Item>
          <Form.Item name="excellentSharePercent" label={t('appraisal.share')} rules={required}><InputNumber min={0} max={100} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
