import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { z } from 'zod';
import type { CreateScheme, IndicatorPageSchema, Scheme, UpdateScheme } from '../../../../contracts/assessment.js';
import { ORG_TYPES, type Org, type OrgPage, type OrgType } from '../../../../contracts/orgs.js';
import { api, ApiError } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type IndicatorPage = z.infer<typeof IndicatorPageSchema>;

interface FormValues {
  orgId: string;
  name: string;
  periodStart: Dayjs;
  periodEnd: Dayjs;
  indicators: { indicatorId?: string; weight?: number; target?: number | null }[];
}

/** A new scheme (or, at /assessment/schemes/:id/edit, a scheme corrected before its results are frozen). */
export default function SchemeFormPage() {
  const { id } = useParams();
  const scheme = useQuery({ queryKey: ['assessment', 'scheme', id], queryFn: () => api.get<Scheme>(`/assessment/schemes/${id}`), enabled: !!id });
  if (!id) return <SchemeForm />;
  return <QueryState isLoading={scheme.isLoading} error={scheme.error}>{scheme.data && <SchemeForm scheme={scheme.data} key={scheme.data.id} />}</QueryState>;
}

/**
 * Its org and period, the indicators with their weights, and the assessed orgs (one by one or a whole level of the subtree).
 * Correcting a scheme, orgs picked replace the assessed ones; none picked keeps them.
 */
function SchemeForm({ scheme }: { scheme?: Scheme }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const own = useOwnOrg();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const watchedOrgId = Form.useWatch('orgId', form);
  const orgId = scheme?.orgId ?? watchedOrgId;
  const [picked, setPicked] = useState<Map<string, string>>(new Map());
  const [oneOrg, setOneOrg] = useState<string | undefined>();
  const [level, setLevel] = useState<OrgType>('branch');
  const [adding, setAdding] = useState(false);
  const [orgError, setOrgError] = useState<string | null>(null);
  const indicators = useQuery({ queryKey: ['assessment', 'indicators', 'all'], queryFn: () => api.get<IndicatorPage>('/assessment/indicators', { pageSize: 200 }) });

  useEffect(() => {
    if (!scheme && own.orgId && !form.getFieldValue('orgId')) form.setFieldValue('orgId', own.orgId);
  }, [own.orgId, form, scheme]);

  const addOne = async () => {
    if (!oneOrg) return;
    const org = await api.get<Org>(`/orgs/${oneOrg}`);
    setPicked((m) => new Map(m).set(org.id, org.name));
    setOneOrg(undefined);
  };
  const addLevel = async () => {
    if (!orgId) return;
    setAdding(true);
    try {
      const found: Org[] = [];
      for (let page = 1; ; page++) {
        const res = await api.get<OrgPage>('/orgs', { orgId, type: level, page, pageSize: 200 });
        found.push(...res.items);
        if (found.length >= res.total || res.items.length === 0) break;
      }
      setPicked((m) => {
        const next = new Map(m);
        for (const o of found) next.set(o.id, o.name);
        return next;
      });
    } finally {
      setAdding(false);
    }
  };

  const submit = (v: FormValues) => run(async () => {
    setOrgError(null);
    const body: CreateScheme = {
      orgId: v.orgId, name: v.name, periodStart: v.periodStart.format('YYYY-MM-DD'), periodEnd: v.periodEnd.format('YYYY-MM-DD'),
      indicators: (v.indicators ?? []).map((i) => ({ indicatorId: i.indicatorId ?? '', weight: i.weight ?? 0, target: i.target ?? null })),
      orgIds: [...picked.keys()],
    };
    try {
      let saved: Scheme;
      if (scheme) {
        const changes: UpdateScheme = { name: body.name, periodStart: body.periodStart, periodEnd: body.periodEnd, indicators: body.indicators, ...(picked.size > 0 ? { orgIds: body.orgIds } : {}) };
        saved = await api.patch<Scheme>(`/assessment/schemes/${scheme.id}`, changes);
        queryClient.setQueryData(['assessment', 'scheme', saved.id], saved);
        void queryClient.invalidateQueries({ queryKey: ['assessment', 'results', saved.id] });
      } else {
        saved = await api.post<Scheme>('/assessment/schemes', body);
      }
      void queryClient.invalidateQueries({ queryKey: ['assessment', 'schemes'] });
      void message.success(t(scheme ? 'assessment.scheme.updated' : 'assessment.scheme.saved'));
      void navigate(`/assessment/schemes/${saved.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.fields.orgIds) setOrgError(error.fields.orgIds);
      throw error;
    }
  });

  const required = [{ required: true, message: t('assessment.required') }];
  const year = dayjs().year() - 1;
  return (
    <Card title={<h1 style={{ fontSize: 16, margin: 0 }}>{scheme ? t('assessment.scheme.edit_title') : t('assessment.scheme.create')}</h1>}
      extra={<Link to={scheme ? `/assessment/schemes/${scheme.id}` : '/assessment/schemes'}><Button icon={<ArrowLeftOutlined />}>{t('assessment.scheme.back')}</Button></Link>}>
      <Form<FormValues> form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 760 }}
        initialValues={scheme
          ? { orgId: scheme.orgId, name: scheme.name, periodStart: dayjs(scheme.periodStart), periodEnd: dayjs(scheme.periodEnd),
              indicators: scheme.indicators.map((i) => ({ indicatorId: i.indicatorId, weight: i.weight, target: i.target })) }
          : { periodStart: dayjs(`${year}-01-01`), periodEnd: dayjs(`${year}-12-31`), indicators: [{}] }}>
        {scheme && <Typography.Paragraph type="secondary">{t('assessment.scheme.edit_hint')}</Typography.Paragraph>}
        {scheme
          ? <Form.Item label={t('assessment.scheme.org')}><Typography.Text>{scheme.orgName}</Typography.Text></Form.Item>
          : <Form.Item name="orgId" label={t('assessment.scheme.org')} rules={required}><OrgTreeSelect allowClear={false} /></Form.Item>}
        <Form.Item name="name" label={t('assessment.scheme.name')} rules={required}><Input maxLength={100} placeholder={`${year}年度综合考核`} /></Form.Item>
        <Space wrap>
          <Form.Item name="periodStart" label={t('assessment.scheme.period_start')} rules={required}><DatePicker /></Form.Item>
          <Form.Item name="periodEnd" label={t('assessment.scheme.period_end')} rules={required}><DatePicker /></Form.Item>
        </Space>
        <Typography.Title level={2} style={{ fontSize: 15 }}>{t('assessment.scheme.indicators')}</Typography.Title>
        <Typography.Paragraph type="secondary">{t('assessment.scheme.target_hint')}</Typography.Paragraph>
        <Form.List name="indicators">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, index) => (
                <Space key={field.key} wrap align="start" style={{ display: 'flex', marginBottom: 8 }}>
                  <Form.Item name={[field.name, 'indicatorId']} rules={required} style={{ marginBottom: 0 }}>
                    <Select aria-label={`${t('assessment.scheme.indicator')} ${index + 1}`} placeholder={t('assessment.scheme.indicator')} style={{ width: 240 }}
                      showSearch optionFilterProp="label" loading={indicators.isLoading}
                      onChange={(id: string) => {
                        const ind = indicators.data?.items.find((i) => i.id === id);
                        if (ind) form.setFieldValue(['indicators', field.name, 'weight'], ind.defaultWeight);
                      }}
                      options={(indicators.data?.items ?? []).map((i) => ({ value: i.id, label: `${i.name}（${t(`assessment.indicator.kind.${i.kind}`)}）` }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'weight']} rules={required} style={{ marginBottom: 0 }}>
                    <InputNumber aria-label={`${t('assessment.scheme.weight')} ${index + 1}`} placeholder={t('assessment.scheme.weight')} min={0.01} max={10000} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'target']} style={{ marginBottom: 0 }}>
                    <InputNumber aria-label={`${t('assessment.scheme.target')} ${index + 1}`} placeholder={t('assessment.scheme.target')} min={0} style={{ width: 140 }} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('assessment.scheme.remove', { n: index + 1 })} onClick={() => remove(field.name)} disabled={fields.length === 1} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})}>{t('assessment.scheme.add_indicator')}</Button>
            </>
          )}
        </Form.List>

        <Typography.Title level={2} style={{ fontSize: 15, marginTop: 24 }}>{t('assessment.scheme.orgs')}</Typography.Title>
        <Space wrap style={{ marginBottom: 8 }}>
          <Select aria-label={t('assessment.scheme.level')} value={level} onChange={setLevel} style={{ width: 160 }}
            options={ORG_TYPES.map((type) => ({ value: type, label: t(`org_type.${type}`) }))} />
          <Button onClick={() => void addLevel()} loading={adding} disabled={!orgId}>{t('assessment.scheme.add_all')}</Button>
        </Space>
        <Space wrap style={{ marginBottom: 8, display: 'flex' }}>
          <OrgTreeSelect aria-label={t('assessment.scheme.add_org')} placeholder={t('assessment.scheme.add_org')} value={oneOrg} onChange={setOneOrg} style={{ width: 260 }} />
          <Button icon={<PlusOutlined />} onClick={() => void addOne()} disabled={!oneOrg}>{t('assessment.scheme.add_org')}</Button>
        </Space>
        <div style={{ marginBottom: 8 }}>
          <Typography.Text>{scheme && picked.size === 0 ? t('assessment.scheme.orgs_kept', { n: scheme.orgCount }) : t('assessment.scheme.orgs_picked', { n: picked.size })}</Typography.Text>
          {picked.size > 0 && <Button type="link" onClick={() => setPicked(new Map())}>{t('assessment.scheme.clear_orgs')}</Button>}
        </div>
        <div data-testid="scheme-orgs" style={{ marginBottom: 16 }}>
          {[...picked].map(([id, name]) => (
            <Tag key={id} closable onClose={() => setPicked((m) => { const next = new Map(m); next.delete(id); return next; })} style={{ marginBottom: 4 }}>{name}</Tag>
          ))}
        </div>
        {orgError && <Typography.Paragraph type="danger" role="alert">{orgError}</Typography.Paragraph>}
        <Button type="primary" htmlType="submit" loading={saving} data-testid="scheme-save">{scheme ? t('assessment.scheme.save') : t('assessment.scheme.create')}</Button>
      </Form>
    </Card>
  );
}
