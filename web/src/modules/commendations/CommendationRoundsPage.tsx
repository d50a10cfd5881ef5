import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Checkbox, DatePicker, Form, Grid, Input, InputNumber, Modal, Table, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ROUND_KINDS, type CreateRound, type Round, type RoundKind, type RoundPage } from '../../../../contracts/commendations.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { RoundStatusTag } from './CommendationTags.js';

type Summary = RoundPage['items'][number];

/** 评选表彰: the rounds the viewer runs, or holds places in. */
export default function CommendationRoundsPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const [open, setOpen] = useState(false);
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: 20 };
  const list = useQuery({ queryKey: ['commendations', 'rounds', query], queryFn: () => api.get<RoundPage>('/commendations/rounds', query), placeholderData: keepPreviousData });
  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.commendations')}</h1>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} data-testid="round-new">{t('commendation.new_round')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Table<Summary>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('commendation.none') }} data-testid="round-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('commendation.title'), dataIndex: 'title', render: (title: string, r) => <Link to={`/commendations/rounds/${r.id}`}>{title}</Link> },
          { title: t('commendation.year'), dataIndex: 'year', width: 70 },
          { title: t('commendation.org'), dataIndex: 'orgName', responsive: ['md'] },
          { title: t('commendation.deadline'), dataIndex: 'nominationDeadline', width: 120, responsive: ['sm'] },
          { title: t('commendation.status'), dataIndex: 'status', width: 90, render: (s: Round['status']) => <RoundStatusTag status={s} /> },
          { title: t('commendation.progress'), key: 'counts', responsive: ['md'], render: (_: unknown, r) => t('commendation.counts', r.counts) },
        ]}
      />
      {open && <NewRoundDialog onClose={() => setOpen(false)} />}
    </Card>
  );
}

interface FormValues { orgId: string; year: number; title: string; kinds: RoundKind[]; nominationDeadline: Dayjs; minPartyYears: number }

function NewRoundDialog({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const year = todayInChina().year();
  const submit = (v: FormValues) => run(async () => {
    const body: CreateRound = { orgId: v.orgId, year: v.year, title: v.title, kinds: v.kinds, nominationDeadline: isoDay(v.nominationDeadline)!, minPartyYears: v.minPartyYears };
    const round = await api.post<Round>('/commendations/rounds', body);
    void message.success(t('commendation.saved'));
    void queryClient.invalidateQueries({ queryKey: ['commendations'] });
    void navigate(`/commendations/rounds/${round.id}`);
  });
  const required = [{ required: true, message: t('commendation.required') }];
  return (
    <Modal open title={t('commendation.new_round')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={{ year, title: `${year}年度“两优一先”评选表彰`, kinds: [...ROUND_KINDS], minPartyYears: 1 }}>
        <Form.Item name="orgId" label={t('commendation.org')} rules={required}><OrgTreeSelect placeholder={t('commendation.org')} /></Form.Item>
        <Form.Item name="title" label={t('commendation.title')} rules={required}><Input maxLength={100} /></Form.Item>
        <Form.Item name="year" label={t('commendation.year')} rules={required}><InputNumber min={1900} max={2199} /></Form.Item>
        <Form.Item name="kinds" label={t('commendation.kinds')} rules={required}>
          <Checkbox.Group options={ROUND_KINDS.map((k) => ({ value: k, label: t(`commendation.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="nominationDeadline" label={t('commendation.deadline')} rules={required}><DatePicker /></Form.Item>
        <Form.Item name="minPartyYears" label={t('commendation.min_party_years')} extra={<Typography.Text type="secondary">{t('commendation.min_party_years_hint')}</Typography.Text>}>
          <InputNumber min={0} max={80} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
