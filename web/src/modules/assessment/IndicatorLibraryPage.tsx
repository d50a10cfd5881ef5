import { useState } from 'react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Grid, Input, InputNumber, Modal, Radio, Select, Space, Switch, Table, Tag } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import {
  INDICATOR_KINDS, INDICATOR_UNITS, PERIOD_KINDS, type CreateIndicator, type Indicator, type IndicatorPageSchema, type IndicatorSourceListSchema,
} from '../../../../contracts/assessment.js';
import type { z } from 'zod';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { useSearchState } from '../../platform/search-state.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type IndicatorPage = z.infer<typeof IndicatorPageSchema>;
type SourceList = z.infer<typeof IndicatorSourceListSchema>;
type Kind = (typeof INDICATOR_KINDS)[number];

/** The indicator library: the orgs' indicators along the viewer's path, and a new one (computed from a source, or manual with a rubric). */
export default function IndicatorLibraryPage() {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [params, set] = useSearchState();
  const kind = INDICATOR_KINDS.find((k) => k === params.get('kind'));
  const q = params.get('q') ?? undefined;
  const page = Number(params.get('page') ?? '1');
  const query = { kind, q, page, pageSize: 20 };
  const list = useQuery({ queryKey: ['assessment', 'indicators', query], queryFn: () => api.get<IndicatorPage>('/assessment/indicators', query), placeholderData: keepPreviousData });
  const [creating, setCreating] = useState(false);

  return (
    <Card
      title={<h1 style={{ fontSize: 16, margin: 0 }}>{t('menu.assessment_indicators')}</h1>}
      extra={<Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="indicator-new">{t('assessment.indicator.create')}</Button>}
      styles={{ body: { padding: screens.md ? 24 : 12 } }}
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Select aria-label={t('assessment.filter_kind')} allowClear placeholder={t('assessment.filter_kind')} style={{ width: 160 }} value={kind}
          onChange={(v?: string) => set({ kind: v, page: undefined })}
          options={INDICATOR_KINDS.map((k) => ({ value: k, label: t(`assessment.indicator.kind.${k}`) }))} />
        <Input.Search aria-label={t('assessment.search')} placeholder={t('assessment.search')} allowClear defaultValue={q} style={{ width: 220 }}
          onSearch={(v) => set({ q: v || undefined, page: undefined })} />
      </Space>
      <Table<Indicator>
        rowKey="id" size={screens.md ? 'middle' : 'small'} loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('assessment.indicator.none') }} data-testid="indicator-table"
        pagination={{ current: page, pageSize: 20, total: list.data?.total ?? 0, onChange: (p) => set({ page: String(p) }), showTotal: (total) => t('common.total', { total }) }}
        columns={[
          { title: t('assessment.indicator.name'), dataIndex: 'name', width: 200 },
          { title: t('assessment.indicator.kind'), dataIndex: 'kind', width: 100, render: (k: Kind) => <Tag color={k === 'computed' ? 'blue' : 'gold'}>{t(`assessment.indicator.kind.${k}`)}</Tag> },
          { title: t('assessment.indicator.code'), dataIndex: 'code', width: 140, responsive: ['md'] },
          { title: t('assessment.indicator.unit'), dataIndex: 'unit', width: 80, render: (u: Indicator['unit']) => t(`assessment.indicator.unit.${u}`) },
          { title: t('assessment.indicator.period'), dataIndex: 'periodKind', width: 80, responsive: ['md'], render: (p: Indicator['periodKind']) => t(`assessment.indicator.period.${p}`) },
          { title: t('assessment.indicator.weight'), dataIndex: 'defaultWeight', width: 90 },
          { title: t('assessment.indicator.org'), dataIndex: 'orgName', width: 160, responsive: ['lg'] },
          { title: t('assessment.indicator.formula'), dataIndex: 'formula', width: 360, responsive: ['lg'] },
        ]}
      />
      {creating && <IndicatorForm onClose={() => setCreating(false)} />}
    </Card>
  );
}

interface FormValues {
  orgId: string; code: string; kind: Kind; sourceCode?: string; name: string; formula?: string; unit?: (typeof INDICATOR_UNITS)[number];
  periodKind: (typeof PERIOD_KINDS)[number]; defaultWeight: number; higherIsBetter: boolean;
}

function IndicatorForm({ onClose }: { onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const own = useOwnOrg();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const kind = Form.useWatch('kind', form);
  const sources = useQuery({ queryKey: ['assessment', 'sources'], queryFn: () => api.get<SourceList>('/assessment/sources') });
  const required = [{ required: true, message: t('assessment.required') }];

  const submit = (v: FormValues) => run(async () => {
    const body: CreateIndicator = {
      orgId: v.orgId, code: v.code, kind: v.kind, sourceCode: v.kind === 'computed' ? v.sourceCode : null, name: v.name, formula: v.formula ?? null,
      unit: v.kind === 'manual' ? v.unit : undefined, periodKind: v.periodKind, defaultWeight: v.defaultWeight, higherIsBetter: v.higherIsBetter,
    };
    await api.post<Indicator>('/assessment/indicators', body);
    void queryClient.invalidateQueries({ queryKey: ['assessment', 'indicators'] });
    void message.success(t('assessment.indicator.saved'));
    onClose();
  });

  return (
    <Modal open title={t('assessment.indicator.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={560} destroyOnHidden>
      <Form<FormValues> form={form} layout="vertical" onFinish={submit}
        initialValues={{ orgId: own.orgId, kind: 'computed', periodKind: 'annual', defaultWeight: 10, higherIsBetter: true, unit: 'score' }}>
        <Form.Item name="orgId" label={t('assessment.indicator.org')} rules={required}><OrgTreeSelect allowClear={false} /></Form.Item>
        <Form.Item name="kind" label={t('assessment.indicator.kind')}>
          <Radio.Group options={INDICATOR_KINDS.map((k) => ({ value: k, label: t(`assessment.indicator.kind.${k}`) }))} />
        </Form.Item>
        {kind !== 'manual' && (
          <Form.Item name="sourceCode" label={t('assessment.indicator.source')} rules={required}>
            <Select showSearch optionFilterProp="label" loading={sources.isLoading}
              onChange={(code: string) => {
                const s = sources.data?.items.find((i) => i.code === code);
                if (s && !form.getFieldValue('name')) form.setFieldsValue({ name: s.name, code: code.replace(/^[a-z_]+\./, '') });
              }}
              options={(sources.data?.items ?? []).map((s) => ({ value: s.code, label: s.name, title: s.formula }))} />
          </Form.Item>
        )}
        <Form.Item name="name" label={t('assessment.indicator.name')} rules={required}><Input maxLength={100} /></Form.Item>
        <Form.Item name="code" label={t('assessment.indicator.code')} rules={required}><Input maxLength={64} /></Form.Item>
        <Form.Item name="formula" label={t('assessment.indicator.formula')}><Input.TextArea rows={3} maxLength={2000} /></Form.Item>
        {kind === 'manual' && (
          <Form.Item name="unit" label={t('assessment.indicator.unit')}>
            <Select options={INDICATOR_UNITS.map((u) => ({ value: u, label: t(`assessment.indicator.unit.${u}`) }))} />
          </Form.Item>
        )}
        <Space wrap>
          <Form.Item name="periodKind" label={t('assessment.indicator.period')}>
            <Select style={{ width: 120 }} options={PERIOD_KINDS.map((p) => ({ value: p, label: t(`assessment.indicator.period.${p}`) }))} />
          </Form.Item>
          <Form.Item name="defaultWeight" label={t('assessment.indicator.weight')} rules={required}><InputNumber min={0.01} max={10000} /></Form.Item>
          <Form.Item name="higherIsBetter" label={t('assessment.indicator.higher_is_better')} valuePropName="checked"><Switch /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
