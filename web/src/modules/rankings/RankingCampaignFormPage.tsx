import { useEffect } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Divider, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { ORG_TYPES } from '../../../../contracts/orgs.js';
import { RANKING_SOURCES, type RankingCampaign, type RankingCampaignInput, type RankingIndicatorList } from '../../../../contracts/rankings.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

type FormValues = Omit<RankingCampaignInput, 'dimensions' | 'peerGroups'> & {
  dimensions: { name: string; weight: number; source: RankingCampaignInput['dimensions'][number]['source']; indicatorCode?: string | null; direction: 'up' | 'down' }[];
  peerGroups: { name: string; ruleKind: 'level' | 'type'; depth?: number | null; orgType?: string | null }[];
};

/** The seven 讲/比 pairs a campaign usually starts from (each scored by hand until changed). */
const DEFAULT_DIMENSIONS = ['讲政治·比忠诚', '讲学习·比素质', '讲担当·比作为', '讲服务·比奉献', '讲团结·比协作', '讲创新·比实效', '讲廉洁·比作风'];

const toInput = (v: FormValues): RankingCampaignInput => ({
  orgId: v.orgId, name: v.name, periodKind: v.periodKind, year: v.year,
  dimensions: v.dimensions.map((d) => ({ name: d.name, weight: d.weight, source: d.source, indicatorCode: d.source === 'indicator' ? d.indicatorCode ?? null : null, higherIsBetter: d.direction !== 'down' })),
  peerGroups: v.peerGroups.map((g) => ({ name: g.name, ruleKind: g.ruleKind, depth: g.ruleKind === 'level' ? g.depth ?? null : null, orgType: g.ruleKind === 'type' ? g.orgType ?? null : null, orgIds: [] })),
});

/** The form's values of a saved campaign, to correct it before its first period is computed. */
const toValues = (c: RankingCampaign): FormValues => ({
  orgId: c.orgId, name: c.name, periodKind: c.periodKind, year: c.year,
  dimensions: c.dimensions.map((d) => ({ name: d.name, weight: d.weight, source: d.source, indicatorCode: d.indicatorCode, direction: d.higherIsBetter ? 'up' : 'down' })),
  peerGroups: c.peerGroups.filter((g) => g.ruleKind !== 'orgs').map((g) => ({ name: g.name, ruleKind: g.ruleKind === 'level' ? 'level' : 'type', depth: g.depth, orgType: g.orgType })),
});

/** A new campaign (or, at /rankings/campaigns/:id/edit, a saved one corrected). */
export default function RankingCampaignFormPage() {
  const { id } = useParams();
  const campaign = useQuery({ queryKey: ['rankings', 'campaign', id], queryFn: () => api.get<RankingCampaign>(`/rankings/campaigns/${id}`), enabled: !!id });
  if (!id) return <CampaignForm />;
  return <QueryState isLoading={campaign.isLoading} error={campaign.error}>{campaign.data && <CampaignForm campaign={campaign.data} key={campaign.data.id} />}</QueryState>;
}

/** A campaign's dimensions and how each is scored, its peer groups, and the periods of its year. */
function CampaignForm({ campaign }: { campaign?: RankingCampaign }) {
  const t = useT();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const own = useOwnOrg();
  const indicators = useQuery({ queryKey: ['rankings', 'indicators'], queryFn: () => api.get<RankingIndicatorList>('/rankings/indicators') });
  const dimensions = Form.useWatch('dimensions', form);
  const groups = Form.useWatch('peerGroups', form);

  useEffect(() => {
    if (!campaign && own.orgId && !form.getFieldValue('orgId')) form.setFieldValue('orgId', own.orgId);
  }, [own.orgId, form, campaign]);
  // A group chosen org by org is set up through the API only: the form leaves such groups as they are.
  const keepsGroups = campaign?.peerGroups.some((g) => g.ruleKind === 'orgs') ?? false;

  const submit = (values: FormValues) => run(async () => {
    const input = toInput(values);
    const changes = { name: input.name, periodKind: input.periodKind, year: input.year, dimensions: input.dimensions, ...(keepsGroups ? {} : { peerGroups: input.peerGroups }) };
    const saved = campaign
      ? await api.patch<RankingCampaign>(`/rankings/campaigns/${campaign.id}`, changes)
      : await api.post<RankingCampaign>('/rankings/campaigns', input);
    queryClient.setQueryData(['rankings', 'campaign', saved.id], saved);
    void queryClient.invalidateQueries({ queryKey: ['rankings', 'campaigns'] });
    void message.success(t('ranking.saved'));
    void navigate(`/rankings/campaigns/${saved.id}`);
  });

  const required = [{ required: true, message: t('ranking.required') }];
  return (
    <Card
      title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>{campaign ? t('ranking.edit_title') : t('ranking.create')}</Typography.Title>}
      extra={<Link to={campaign ? `/rankings/campaigns/${campaign.id}` : '/rankings'}><Button icon={<ArrowLeftOutlined />}>{t('ranking.back')}</Button></Link>}
      styles={{ body: { padding: 16 } }}
    >
      <Form<FormValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 900 }}
        initialValues={campaign ? toValues(campaign) : {
          periodKind: 'quarterly', year: Number(todayInChina().format('YYYY')),
          dimensions: DEFAULT_DIMENSIONS.map((name) => ({ name, weight: 1, source: 'manual', direction: 'up' })),
          peerGroups: [{ name: '党支部', ruleKind: 'type', orgType: 'branch' }],
        }}>
        {campaign
          ? <Form.Item label={t('ranking.org')}><Typography.Text>{campaign.orgName}</Typography.Text></Form.Item>
          : <Form.Item name="orgId" label={t('ranking.org')} rules={required}><OrgTreeSelect placeholder={t('ranking.pick_org')} allowClear={false} /></Form.Item>}
        <Form.Item name="name" label={t('ranking.name')} rules={required}><Input maxLength={100} data-testid="ranking-name" /></Form.Item>
        <Space wrap size={16}>
          <Form.Item name="periodKind" label={t('ranking.period_kind')}>
            <Select style={{ width: 140 }} options={[{ value: 'monthly', label: t('ranking.period_kind.monthly') }, { value: 'quarterly', label: t('ranking.period_kind.quarterly') }]} />
          </Form.Item>
          <Form.Item name="year" label={t('ranking.year')} rules={required}><InputNumber min={2000} max={2199} style={{ width: 120 }} /></Form.Item>
        </Space>

        <Divider titlePlacement="start">{t('ranking.dimensions')}</Divider>
        <Form.List name="dimensions">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field, i) => (
                <Space key={field.key} wrap align="start" size={8}>
                  <Form.Item name={[field.name, 'name']} rules={required} noStyle>
                    <Input aria-label={`${t('ranking.dimension_name')} ${i + 1}`} placeholder={t('ranking.dimension_name')} style={{ width: 180 }} maxLength={60} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'weight']} rules={required} noStyle>
                    <InputNumber aria-label={`${t('ranking.weight')} ${i + 1}`} placeholder={t('ranking.weight')} min={0.01} max={1000} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'source']} noStyle>
                    <Select aria-label={`${t('ranking.source')} ${i + 1}`} style={{ width: 170 }} options={RANKING_SOURCES.map((s) => ({ value: s, label: t(`ranking.source.${s}`) }))} />
                  </Form.Item>
                  {dimensions?.[i]?.source === 'indicator' && (
                    <Form.Item name={[field.name, 'indicatorCode']} rules={required} noStyle>
                      <Select aria-label={`${t('ranking.indicator')} ${i + 1}`} placeholder={t('ranking.indicator')} style={{ width: 220 }}
                        options={(indicators.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))} />
                    </Form.Item>
                  )}
                  <Form.Item name={[field.name, 'direction']} noStyle>
                    <Select aria-label={`${t('ranking.higher_is_better')} ${i + 1}`} style={{ width: 110 }}
                      options={[{ value: 'up', label: t('ranking.higher_is_better') }, { value: 'down', label: t('ranking.lower_is_better') }]} />
                  </Form.Item>
                  <Button icon={<DeleteOutlined />} aria-label={t('ranking.remove', { n: i + 1 })} onClick={() => remove(field.name)} disabled={fields.length === 1} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ name: '', weight: 1, source: 'manual', direction: 'up' })}>{t('ranking.add_dimension')}</Button>
            </Space>
          )}
        </Form.List>

        <Divider titlePlacement="start">{t('ranking.peer_groups')}</Divider>
        {keepsGroups ? <Typography.Paragraph type="secondary">{campaign?.peerGroups.map((g) => g.name).join('、')}</Typography.Paragraph> : <Form.List name="peerGroups">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field, i) => (
                <Space key={field.key} wrap align="start" size={8}>
                  <Form.Item name={[field.name, 'name']} rules={required} noStyle>
                    <Input aria-label={`${t('ranking.group_name')} ${i + 1}`} placeholder={t('ranking.group_name')} style={{ width: 160 }} maxLength={60} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'ruleKind']} noStyle>
                    <Select aria-label={`${t('ranking.rule')} ${i + 1}`} style={{ width: 130 }} options={[{ value: 'type', label: t('ranking.rule.type') }, { value: 'level', label: t('ranking.rule.level') }]} />
                  </Form.Item>
                  {groups?.[i]?.ruleKind === 'level' ? (
                    <Form.Item name={[field.name, 'depth']} rules={required} noStyle>
                      <InputNumber aria-label={`${t('ranking.depth')} ${i + 1}`} placeholder={t('ranking.depth')} min={1} max={10} style={{ width: 150 }} />
                    </Form.Item>
                  ) : (
                    <Form.Item name={[field.name, 'orgType']} rules={required} noStyle>
                      <Select aria-label={`${t('ranking.org_type')} ${i + 1}`} style={{ width: 150 }}
                        options={ORG_TYPES.filter((o) => o !== 'work_committee').map((o) => ({ value: o, label: t(`org_type.${o}`) }))} />
                    </Form.Item>
                  )}
                  <Button icon={<DeleteOutlined />} aria-label={t('ranking.remove', { n: i + 1 })} onClick={() => remove(field.name)} disabled={fields.length === 1} />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ name: '', ruleKind: 'level', depth: 1 })}>{t('ranking.add_group')}</Button>
            </Space>
          )}
        </Form.List>}
        <Divider />
        <Button type="primary" htmlType="submit" loading={saving} data-testid="ranking-save">{t('ranking.save')}</Button>
      </Form>
    </Card>
  );
}
