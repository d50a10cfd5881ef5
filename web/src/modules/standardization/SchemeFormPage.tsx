import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Checkbox, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { CriterionKind, IndicatorOption, Scheme } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface SchemeForm {
  orgId?: string;
  name: string;
  year: number;
  grades: { name: string; isLow?: boolean; minPoints?: number | null }[];
  criteria: { text: string; kind: CriterionKind; indicatorCode?: string | null; threshold?: number | null; requiredForLevel?: number | null; points?: number }[];
}

const DEFAULT_GRADES = [{ name: '先进' }, { name: '达标' }, { name: '后进', isLow: true }];

/** A scheme's grades (best first) and its criteria, each computed from an indicator or evidenced by the branch; editable while a draft. */
export default function SchemeFormPage() {
  const t = useT();
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<SchemeForm>();
  const { saving, run } = useFormSubmit(form);
  const indicators = useQuery({ queryKey: ['standardization', 'indicators'], queryFn: () => api.get<{ items: IndicatorOption[] }>('/standardization/indicators') });
  const scheme = useQuery({ queryKey: ['standardization', 'scheme', id], queryFn: () => api.get<Scheme>(`/standardization/schemes/${id}`), enabled: !!id });
  useEffect(() => {
    const s = scheme.data;
    if (s) form.setFieldsValue({ name: s.name, year: s.year, grades: s.grades, criteria: s.criteria });
  }, [form, scheme.data]);
  const grades = Form.useWatch('grades', form) ?? [];
  const save = () => run(async () => {
    const v = await form.validateFields();
    const body = {
      name: v.name, year: v.year,
      grades: v.grades.map((g) => ({ name: g.name, isLow: !!g.isLow, minPoints: g.minPoints ?? null })),
      criteria: (v.criteria ?? []).map((c) => ({ text: c.text, kind: c.kind, indicatorCode: c.kind === 'computed' ? c.indicatorCode ?? null : null,
        threshold: c.kind === 'computed' ? c.threshold ?? null : null, requiredForLevel: c.requiredForLevel ?? null, points: c.points ?? 0 })),
    };
    if (id) await api.put<Scheme>(`/standardization/schemes/${id}`, body);
    else await api.post<Scheme>('/standardization/schemes', { ...body, orgId: v.orgId });
    await queryClient.invalidateQueries({ queryKey: ['standardization'] });
    void message.success(t('std.saved'));
    void navigate('/standardization/schemes');
  });
  return (
    <QueryState isLoading={!!id && scheme.isLoading} error={scheme.error}>
      <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 860 }}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{id ? t('std.edit_scheme') : t('std.new_scheme')}</Typography.Title>
        <Form form={form} layout="vertical" data-testid="scheme-form"
          initialValues={{ year: todayInChina().year(), grades: DEFAULT_GRADES, criteria: [{ kind: 'evidenced', points: 10 }] }}>
          {!id && <Form.Item name="orgId" label={t('std.scheme_org')} rules={[{ required: true }]}><OrgTreeSelect /></Form.Item>}
          <Form.Item name="name" label={t('std.scheme_name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={80} /></Form.Item>
          <Form.Item name="year" label={t('std.year')} rules={[{ required: true }]}><InputNumber min={1900} max={2199} /></Form.Item>
          <Card size="small" title={t('std.grades')} style={{ marginBottom: 12 }}>
            <Form.List name="grades">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" size={4} style={{ width: '100%' }}>
                  {fields.map((f, i) => (
                    <Space key={f.key} wrap align="baseline">
                      <Form.Item name={[f.name, 'name']} rules={[{ required: true, whitespace: true }]} style={{ marginBottom: 4 }}>
                        <Input aria-label={`${t('std.grade_name')} ${i + 1}`} placeholder={t('std.grade_name')} maxLength={20} style={{ width: 140 }} />
                      </Form.Item>
                      <Form.Item name={[f.name, 'isLow']} valuePropName="checked" style={{ marginBottom: 4 }}><Checkbox>{t('std.grade_low')}</Checkbox></Form.Item>
                      <Form.Item name={[f.name, 'minPoints']} style={{ marginBottom: 4 }}>
                        <InputNumber aria-label={`${t('std.min_points')} ${i + 1}`} placeholder={t('std.min_points')} min={0} max={10000} />
                      </Form.Item>
                      <Button aria-label={t('std.remove')} icon={<DeleteOutlined />} onClick={() => remove(f.name)} disabled={fields.length <= 2} />
                    </Space>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ name: '' })} disabled={fields.length >= 10}>{t('std.add_grade')}</Button>
                </Space>
              )}
            </Form.List>
          </Card>
          <Card size="small" title={t('std.criteria')}>
            <Form.List name="criteria">
              {(fields, { add, remove }) => (
                <Space orientation="vertical" size={8} style={{ width: '100%' }}>
                  {fields.map((f, i) => (
                    <Card size="small" key={f.key} extra={<Button aria-label={t('std.remove')} size="small" icon={<DeleteOutlined />} onClick={() => remove(f.name)} />} title={`${i + 1}`}>
                      <Form.Item name={[f.name, 'text']} label={t('std.criterion_text')} rules={[{ required: true, whitespace: true }]}><Input.TextArea rows={2} maxLength={300} /></Form.Item>
                      <Form.Item name={[f.name, 'kind']} label={t('std.criterion_kind')} rules={[{ required: true }]}>
                        <Select options={(['evidenced', 'computed'] as const).map((k) => ({ value: k, label: t(`std.kind.${k}`) }))} />
                      </Form.Item>
                      <Form.Item noStyle shouldUpdate>
                        {() => form.getFieldValue(['criteria', f.name, 'kind']) === 'computed' && (
                          <Space wrap>
                            <Form.Item name={[f.name, 'indicatorCode']} label={t('std.indicator')} rules={[{ required: true }]}>
                              <Select style={{ minWidth: 220 }} loading={indicators.isLoading} options={(indicators.data?.items ?? []).map((o) => ({ value: o.code, label: o.name }))} />
                            </Form.Item>
                            <Form.Item name={[f.name, 'threshold']} label={t('std.threshold')} rules={[{ required: true }]}><InputNumber min={0} step={0.05} /></Form.Item>
                          </Space>
                        )}
                      </Form.Item>
                      <Space wrap>
                        <Form.Item name={[f.name, 'requiredForLevel']} label={t('std.required_for')}>
                          <Select allowClear style={{ minWidth: 160 }} placeholder={t('std.required_for_none')}
                            options={grades.map((g, level) => ({ value: level + 1, label: g?.name || `${level + 1}` }))} />
                        </Form.Item>
                        <Form.Item name={[f.name, 'points']} label={t('std.points')}><InputNumber min={0} max={1000} /></Form.Item>
                      </Space>
                    </Card>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add({ kind: 'evidenced', points: 10 })}>{t('std.add_criterion')}</Button>
                </Space>
              )}
            </Form.List>
          </Card>
        </Form>
        <Space>
          <Button type="primary" loading={saving} onClick={() => void save()}>{t('std.save')}</Button>
          <Button onClick={() => void navigate('/standardization/schemes')}>{t('std.cancel')}</Button>
        </Space>
      </Space>
    </QueryState>
  );
}
