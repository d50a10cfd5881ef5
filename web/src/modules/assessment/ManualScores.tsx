import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Grid, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { CheckOutlined, CloseOutlined, PlusOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { ManualScore, ManualScoreInput, ManualScorePageSchema, Scheme } from '../../../../contracts/assessment.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type ManualScorePage = z.infer<typeof ManualScorePageSchema>;
const STATUS_COLORS = { pending: 'processing', approved: 'success', rejected: 'error' } as const;

/** The manual scores of a scheme: entered with their evidence by the assessed orgs' admins, approved or rejected by another manager. */
export function ManualScores({ scheme }: { scheme: Scheme }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [entering, setEntering] = useState(false);
  // the 工作台's to-do: the scores of a subtree waiting for review (reviewStatus=pending&orgId=…)
  const [params, setParams] = useSearchParams();
  const reviewStatus = (['pending', 'approved', 'rejected'] as const).find((v) => v === params.get('reviewStatus'));
  const orgId = params.get('orgId') ?? undefined;
  const clearFilter = () => {
    const next = new URLSearchParams(params);
    next.delete('reviewStatus');
    next.delete('orgId');
    setParams(next, { replace: true });
    setPage(1);
  };
  const open = scheme.status === 'draft' || scheme.status === 'computed';
  const list = useQuery({
    queryKey: ['assessment', 'manual', scheme.id, reviewStatus, orgId, page],
    queryFn: () => api.get<ManualScorePage>(`/assessment/schemes/${scheme.id}/manual-scores`, { reviewStatus, orgId, page, pageSize: 20 }),
    placeholderData: keepPreviousData,
  });

  const review = async (score: ManualScore, decision: 'approved' | 'rejected', note?: string) => {
    try {
      await api.post(`/assessment/manual-scores/${score.id}/review`, { decision, note: note ?? null });
      void queryClient.invalidateQueries({ queryKey: ['assessment', 'manual', scheme.id] });
      void message.success(t('assessment.manual.reviewed'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const reject = (score: ManualScore) => {
    let note = '';
    modal.confirm({
      title: t('assessment.manual.reject'),
      content: <Input.TextArea aria-label={t('assessment.manual.reject_note')} placeholder={t('assessment.manual.reject_note')} maxLength={500} onChange={(e) => { note = e.target.value; }} />,
      onOk: () => review(score, 'rejected', note),
    });
  };

  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        {open
          ? <Button icon={<PlusOutlined />} onClick={() => setEntering(true)} data-testid="manual-enter">{t('assessment.manual.enter')}</Button>
          : <Tag>{t('assessment.manual.frozen')}</Tag>}
        {reviewStatus && <Button size="small" onClick={clearFilter}>{`${t(`assessment.manual.status.${reviewStatus}`)} · ${t('assessment.manual.show_all')}`}</Button>}
      </Space>
      <Table<ManualScore>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('assessment.manual.none') }} data-testid="manual-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: setPage, showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('assessment.org'), dataIndex: 'orgName', width: 140 },
          { title: t('assessment.scheme.indicator'), dataIndex: 'indicatorName', width: 120 },
          { title: t('assessment.manual.value'), dataIndex: 'value', width: 70 },
          { title: t('assessment.manual.evidence'), dataIndex: 'evidenceText', width: 240, render: (text: string, s) => (
            <>{text}{s.evidenceLinks.map((l) => <div key={l}><a href={l} target="_blank" rel="noreferrer">{l}</a></div>)}</>
          ) },
          { title: t('assessment.manual.entered_by'), key: 'by', width: 150, responsive: ['md'], render: (_: unknown, s) => `${s.enteredBy} ${formatTime(s.enteredAt)}` },
          { title: t('assessment.manual.status'), dataIndex: 'reviewStatus', width: 160, render: (_: unknown, s) => (
            <Space wrap size={4}>
              <Tag color={STATUS_COLORS[s.reviewStatus]}>{t(`assessment.manual.status.${s.reviewStatus}`)}</Tag>
              {s.reviewNote && <span>{s.reviewNote}</span>}
              {s.canReview && open && (
                <>
                  <Button size="small" icon={<CheckOutlined />} onClick={() => void review(s, 'approved')}>{t('assessment.manual.approve')}</Button>
                  <Button size="small" danger icon={<CloseOutlined />} onClick={() => reject(s)}>{t('assessment.manual.reject')}</Button>
                </>
              )}
            </Space>
          ) },
        ]}
      />
      {entering && <EnterScore scheme={scheme} onClose={() => setEntering(false)} />}
    </>
  );
}

interface FormValues { indicatorId: string; orgId: string; value: number; evidenceText: string; links?: string }

function EnterScore({ scheme, onClose }: { scheme: Scheme; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const manual = scheme.indicators.filter((i) => i.kind === 'manual');
  const required = [{ required: true, message: t('assessment.required') }];
  const submit = (v: FormValues) => run(async () => {
    const body: ManualScoreInput = {
      indicatorId: v.indicatorId, orgId: v.orgId, value: v.value, evidenceText: v.evidenceText,
      evidenceLinks: (v.links ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
    };
    await api.post<ManualScore>(`/assessment/schemes/${scheme.id}/manual-scores`, body);
    void queryClient.invalidateQueries({ queryKey: ['assessment', 'manual', scheme.id] });
    void message.success(t('assessment.manual.saved'));
    onClose();
  });
  return (
    <Modal open title={t('assessment.manual.enter')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} initialValues={{ indicatorId: manual[0]?.indicatorId }}>
        <Form.Item name="indicatorId" label={t('assessment.scheme.indicator')} rules={required}>
          <Select options={manual.map((i) => ({ value: i.indicatorId, label: i.name }))} />
        </Form.Item>
        <Form.Item name="orgId" label={t('assessment.org')} rules={required}><OrgTreeSelect allowClear={false} /></Form.Item>
        <Form.Item name="value" label={t('assessment.manual.value')} rules={required}><InputNumber min={0} max={1e9} style={{ width: 160 }} /></Form.Item>
        <Form.Item name="evidenceText" label={t('assessment.manual.evidence')} rules={required}><Input.TextArea rows={3} maxLength={4000} /></Form.Item>
        <Form.Item name="links" label={t('assessment.manual.links')}><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
