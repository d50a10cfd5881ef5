import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Descriptions, Form, Grid, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  MEMBER_KINDS, type Check, type CreateNomination, type HonourPage, type Nomination, type NominationPage, type Quota, type Round, type RoundKind,
} from '../../../../contracts/commendations.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { MemberPicker } from '../communities/MemberPicker.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { ChecksTags, NominationStatusTag, RoundStatusTag } from './CommendationTags.js';

/** The assessment schemes the viewer manages, as far as this page needs them. */
interface SchemeList { items: { id: string; name: string; status: string }[] }

const h2 = (text: string) => <h2 style={{ fontSize: 16, margin: 0 }}>{text}</h2>;

/** One round: places, nominations with their checks and review, the 公示, the award and its certificates. */
export default function CommendationRoundPage() {
  const t = useT();
  const { id = '' } = useParams();
  const round = useQuery({ queryKey: ['commendations', 'round', id], queryFn: () => api.get<Round>(`/commendations/rounds/${id}`) });
  const r = round.data;
  return (
    <QueryState isLoading={round.isLoading} error={round.error} retry={() => void round.refetch()}>
      {r && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card
            title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0, whiteSpace: 'normal' }} data-testid="round-title">{r.title}</Typography.Title>}
            extra={<Link to="/commendations"><Button icon={<ArrowLeftOutlined />} aria-label={t('menu.commendations')} /></Link>}
            styles={{ body: { padding: 16 } }}
          >
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 3 }} items={[
              { key: 'org', label: t('commendation.org'), children: r.orgName },
              { key: 'year', label: t('commendation.year'), children: r.year },
              { key: 'status', label: t('commendation.status'), children: <RoundStatusTag status={r.status} /> },
              { key: 'kinds', label: t('commendation.kinds'), children: r.kinds.map((k) => t(`commendation.kind.${k}`)).join('、') },
              { key: 'deadline', label: t('commendation.deadline'), children: r.nominationDeadline },
              { key: 'age', label: t('commendation.min_party_years'), children: r.minPartyYears },
            ]} />
          </Card>
          <QuotasCard round={r} />
          <NominationsCard round={r} />
          <NoticeCard round={r} />
          <AwardCard round={r} />
        </Space>
      )}
    </QueryState>
  );
}

function useRefresh(round: Round) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['commendations', 'round', round.id] });
    void queryClient.invalidateQueries({ queryKey: ['commendations', 'nominations', round.id] });
    void queryClient.invalidateQueries({ queryKey: ['commendations', 'notice', round.id] });
    void queryClient.invalidateQueries({ queryKey: ['commendations', 'honours'] });
  };
}

// ---------- 名额 ----------

function QuotasCard({ round }: { round: Round }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [dialog, setDialog] = useState<'quotas' | 'extra' | null>(null);
  const isEditable = round.canManage && round.status === 'nominating';
  return (
    <Card title={h2(t('commendation.tab.quotas'))} styles={{ body: { padding: screens.md ? 16 : 8 } }}
      extra={isEditable && (
        <Space wrap>
          <Button onClick={() => setDialog('quotas')} data-testid="quota-edit">{t('commendation.edit_quotas')}</Button>
          <Button onClick={() => setDialog('extra')}>{t('commendation.extra_from_assessment')}</Button>
        </Space>
      )}>
      <Table<Quota> rowKey={(q) => `${q.orgId}-${q.kind}`} size="small" pagination={false} dataSource={round.quotas} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('commendation.no_quotas') }} data-testid="quota-table"
        columns={[
          { title: t('commendation.org'), dataIndex: 'orgName' },
          { title: t('commendation.kinds'), dataIndex: 'kind', render: (k: RoundKind) => t(`commendation.kind.${k}`) },
          { title: t('commendation.places'), dataIndex: 'places', width: 70 },
          { title: t('commendation.extra_places'), dataIndex: 'extraPlaces', width: 90, render: (n: number, q) => (n > 0 ? `+${n}（${q.extraNote ?? ''}）` : '—') },
          { title: t('commendation.used'), dataIndex: 'used', width: 80 },
        ]} />
      {dialog === 'quotas' && <QuotasDialog round={round} onClose={() => setDialog(null)} />}
      {dialog === 'extra' && <ExtraDialog round={round} onClose={() => setDialog(null)} />}
    </Card>
  );
}

interface QuotaRow { orgId: string; kind: RoundKind; places: number }

function QuotasDialog({ round, onClose }: { round: Round; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const refresh = useRefresh(round);
  const [form] = Form.useForm<{ quotas: QuotaRow[] }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { quotas: QuotaRow[] }) => run(async () => {
    await api.put<Round>(`/commendations/rounds/${round.id}/quotas`, { quotas: v.quotas ?? [] });
    void message.success(t('commendation.saved'));
    refresh();
    onClose();
  });
  const initial = round.quotas.map((q) => ({ orgId: q.orgId, kind: q.kind, places: q.places }));
  return (
    <Modal open width={720} title={t('commendation.edit_quotas')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ quotas: initial.length ? initial : [{ kind: round.kinds[0], places: 1 }] }}>
        <Form.List name="quotas">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field, i) => (
                <Space key={field.key} wrap align="start">
                  <Form.Item name={[field.name, 'orgId']} label={t('commendation.org')} rules={[{ required: true, message: t('commendation.required') }]}>
                    <OrgTreeSelect id={`quota-org-${i}`} placeholder={t('commendation.org')} style={{ width: 240 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'kind']} label={t('commendation.kinds')} rules={[{ required: true, message: t('commendation.required') }]}>
                    <Select id={`quota-kind-${i}`} style={{ width: 170 }} options={round.kinds.map((k) => ({ value: k, label: t(`commendation.kind.${k}`) }))} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'places']} label={t('commendation.places')} rules={[{ required: true, message: t('commendation.required') }]}>
                    <InputNumber id={`quota-places-${i}`} min={0} max={1000} style={{ width: 90 }} />
                  </Form.Item>
                  <Form.Item label=" "><Button onClick={() => remove(field.name)}>{t('commendation.remove')}</Button></Form.Item>
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ kind: round.kinds[0], places: 1 })} data-testid="quota-add">{t('commendation.add_quota')}</Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function ExtraDialog({ round, onClose }: { round: Round; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const refresh = useRefresh(round);
  const [form] = Form.useForm<{ schemeId: string; kind: RoundKind; top: number; places: number }>();
  const { saving, run } = useFormSubmit(form);
  const schemes = useQuery({ queryKey: ['assessment', 'schemes', 'frozen'], queryFn: () => api.get<SchemeList>('/assessment/schemes', { pageSize: 100 }) });
  const options = (schemes.data?.items ?? []).filter((s) => s.status === 'frozen' || s.status === 'published').map((s) => ({ value: s.id, label: s.name }));
  const submit = (v: { schemeId: string; kind: RoundKind; top: number; places: number }) => run(async () => {
    await api.post<Round>(`/commendations/rounds/${round.id}/extra-quotas`, v);
    void message.success(t('commendation.saved'));
    refresh();
    onClose();
  });
  const required = [{ required: true, message: t('commendation.required') }];
  return (
    <Modal open title={t('commendation.extra_from_assessment')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ kind: round.kinds[0], top: 3, places: 1 }}>
        <Form.Item name="schemeId" label={t('commendation.scheme')} rules={required}><Select options={options} loading={schemes.isLoading} /></Form.Item>
        <Form.Item name="kind" label={t('commendation.kinds')} rules={required}><Select options={round.kinds.map((k) => ({ value: k, label: t(`commendation.kind.${k}`) }))} /></Form.Item>
        <Space wrap>
          <Form.Item name="top" label={t('commendation.top')} rules={required}><InputNumber min={1} max={100} /></Form.Item>
          <Form.Item name="places" label={t('commendation.extra_places')} rules={required}><InputNumber min={1} max={10} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

// ---------- 推荐与审核 ----------

function NominationsCard({ round }: { round: Round }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const { message } = App.useApp();
  const refresh = useRefresh(round);
  const [nominating, setNominating] = useState(false);
  const [returning, setReturning] = useState<Nomination | null>(null);
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['commendations', 'nominations', round.id, page],
    queryFn: () => api.get<NominationPage>(`/commendations/rounds/${round.id}/nominations`, { page, pageSize: 50 }),
  });
  const isReviewing = round.canManage && round.status === 'nominating';
  const approve = async (n: Nomination) => {
    try {
      await api.post(`/commendations/nominations/${n.id}/approve`, {});
      refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Card title={h2(t('commendation.tab.nominations'))} styles={{ body: { padding: screens.md ? 16 : 8 } }}
      extra={round.status === 'nominating' && round.quotas.length > 0 && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setNominating(true)} data-testid="nominate">{t('commendation.nominate')}</Button>
      )}>
      <Table<Nomination> rowKey="id" size="small" loading={list.isFetching} dataSource={list.data?.items ?? []} scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('commendation.no_nominations') }} data-testid="nomination-table"
        pagination={{ current: page, pageSize: 50, total: list.data?.total ?? 0, onChange: setPage, hideOnSinglePage: true }}
        expandable={{ expandedRowRender: (n) => <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{n.deeds}</Typography.Paragraph> }}
        columns={[
          { title: t('commendation.candidate'), key: 'candidate', render: (_: unknown, n) => <span>{n.candidateName} <Typography.Text type="secondary">{n.candidateOrgName}</Typography.Text></span> },
          { title: t('commendation.kinds'), dataIndex: 'kind', render: (k: RoundKind) => t(`commendation.kind.${k}`) },
          { title: t('commendation.quota_org'), dataIndex: 'orgName', responsive: ['md'] },
          { title: t('commendation.checks'), dataIndex: 'checks', render: (checks: Check[]) => <ChecksTags checks={checks} /> },
          {
            title: t('commendation.status'), key: 'status',
            render: (_: unknown, n) => <><NominationStatusTag status={n.status} />{n.statusReason && <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>{n.statusReason}</Typography.Text>}</>,
          },
          {
            title: '', key: 'actions',
            render: (_: unknown, n) => isReviewing && n.status === 'submitted' && (
              <Space>
                <Button size="small" type="primary" autoInsertSpace={false} onClick={() => void approve(n)} aria-label={`${t('commendation.approve')} ${n.candidateName}`}>{t('commendation.approve')}</Button>
                <Button size="small" autoInsertSpace={false} onClick={() => setReturning(n)} aria-label={`${t('commendation.return')} ${n.candidateName}`}>{t('commendation.return')}</Button>
              </Space>
            ),
          },
        ]} />
      {nominating && <NominateDialog round={round} onClose={() => setNominating(false)} />}
      {returning && <ReturnDialog round={round} nomination={returning} onClose={() => setReturning(null)} />}
    </Card>
  );
}

interface NominateValues { orgId: string; kind: RoundKind; memberId?: string; candidateOrgId?: string; deeds: string }

function NominateDialog({ round, onClose }: { round: Round; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const refresh = useRefresh(round);
  const [form] = Form.useForm<NominateValues>();
  const { saving, run } = useFormSubmit(form);
  const [checks, setChecks] = useState<Check[] | null>(null);
  const orgId = Form.useWatch('orgId', form);
  const kind = Form.useWatch('kind', form);
  const orgs = [...new Map(round.quotas.map((q) => [q.orgId, q.orgName])).entries()];
  const kinds = round.quotas.filter((q) => q.orgId === orgId).map((q) => q.kind);
  const isMemberKind = kind !== undefined && MEMBER_KINDS.includes(kind);
  const check = async () => {
    const memberId = form.getFieldValue('memberId') as string | undefined;
    if (!memberId || !kind) return;
    try {
      setChecks((await api.post<{ checks: Check[] }>(`/commendations/rounds/${round.id}/nominations/check`, { kind, memberId })).checks);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  const submit = (v: NominateValues) => run(async () => {
    const body: CreateNomination = { orgId: v.orgId, kind: v.kind, deeds: v.deeds, ...(MEMBER_KINDS.includes(v.kind) ? { memberId: v.memberId } : { candidateOrgId: v.candidateOrgId }) };
    await api.post<Nomination>(`/commendations/rounds/${round.id}/nominations`, body);
    void message.success(t('commendation.saved'));
    refresh();
    onClose();
  });
  const required = [{ required: true, message: t('commendation.required') }];
  return (
    <Modal open title={t('commendation.nominate')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form<NominateValues> form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={orgs.length === 1 ? { orgId: orgs[0]![0], kind: round.quotas[0]!.kind } : {}}>
        <Form.Item name="orgId" label={t('commendation.quota_org')} rules={required}>
          <Select options={orgs.map(([value, label]) => ({ value, label }))} onChange={() => form.setFieldValue('kind', undefined)} />
        </Form.Item>
        <Form.Item name="kind" label={t('commendation.kinds')} rules={required}>
          <Select options={kinds.map((k) => ({ value: k, label: t(`commendation.kind.${k}`) }))} onChange={() => setChecks(null)} />
        </Form.Item>
        {isMemberKind ? (
          <Form.Item label={t('commendation.candidate')} required>
            <Space.Compact style={{ width: '100%' }}>
              <Form.Item name="memberId" noStyle rules={required}>
                <MemberPicker id="nominate-member" placeholder={t('commendation.candidate')} style={{ width: '100%' }} testId="nominate-member" />
              </Form.Item>
              <Button onClick={() => void check()}>{t('commendation.check')}</Button>
            </Space.Compact>
            {checks && <div style={{ marginTop: 8 }} data-testid="nominate-checks"><ChecksTags checks={checks} /> {checks.filter((c) => !c.ok).map((c) => c.detail).join('；')}</div>}
          </Form.Item>
        ) : kind && (
          <Form.Item name="candidateOrgId" label={t('commendation.candidate_org')} rules={required}><OrgTreeSelect id="nominate-org" placeholder={t('commendation.candidate_org')} /></Form.Item>
        )}
        <Form.Item name="deeds" label={t('commendation.deeds')} rules={required}><Input.TextArea rows={4} maxLength={5000} /></Form.Item>
      </Form>
    </Modal>
  );
}

function ReturnDialog({ round, nomination, onClose }: { round: Round; nomination: Nomination; onClose: () => void }) {
  const t = useT();
  const refresh = useRefresh(round);
  const [form] = Form.useForm<{ reason: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { reason: string }) => run(async () => {
    await api.post(`/commendations/nominations/${nomination.id}/return`, v);
    refresh();
    onClose();
  });
  return (
    <Modal open title={`${t('commendation.return')} · ${nomination.candidateName}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} okText={t('commendation.return')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="reason" label={t('commendation.return_reason')} rules={[{ required: true, message: t('commendation.required') }]}><Input.TextArea rows={3} maxLength={500} /></Form.Item>
      </Form>
    </Modal>
  );
}

// ---------- 公示 ----------

interface NoticeState { id: string; status: 'scheduled' | 'open' | 'ended'; startsOn: string; endsOn: string; pendingObjections: number; withdrawnRefs: string[] }

function NoticeCard({ round }: { round: Round }) {
  const t = useT();
  const refresh = useRefresh(round);
  const [form] = Form.useForm<{ startsOn: Dayjs; endsOn: Dayjs }>();
  const { saving, run } = useFormSubmit(form);
  const state = useQuery({
    queryKey: ['commendations', 'notice', round.id], enabled: round.publicNoticeId !== null,
    queryFn: () => api.get<NoticeState | null>(`/commendations/rounds/${round.id}/public-notice`),
  });
  const submit = (v: { startsOn: Dayjs; endsOn: Dayjs }) => run(async () => {
    await api.post<Round>(`/commendations/rounds/${round.id}/public-notice`, { startsOn: isoDay(v.startsOn), endsOn: isoDay(v.endsOn) });
    refresh();
  });
  const s = state.data;
  return (
    <Card title={h2(t('commendation.tab.notice'))} styles={{ body: { padding: 16 } }} data-testid="notice-card">
      {s ? (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }} items={[
          { key: 'status', label: t('commendation.notice_status'), children: <span data-testid="notice-status">{t(`commendation.notice.${s.status}`)}</span> },
          { key: 'dates', label: `${t('commendation.starts_on')} ~ ${t('commendation.ends_on')}`, children: `${s.startsOn} ~ ${s.endsOn}` },
          { key: 'pending', label: t('commendation.pending_objections'), children: s.pendingObjections },
          { key: 'withdrawn', label: t('commendation.withdrawn_count'), children: s.withdrawnRefs.length },
        ]} />
      ) : round.canManage && round.status === 'nominating' ? (
        <>
          <Typography.Paragraph type="secondary">{t('commendation.notice_hint')}</Typography.Paragraph>
          <Form form={form} layout="inline" onFinish={(v) => void submit(v)} initialValues={{ startsOn: todayInChina(), endsOn: todayInChina().add(6, 'day') }}>
            <Form.Item name="startsOn" label={t('commendation.starts_on')} rules={[{ required: true, message: t('commendation.required') }]}><DatePicker id="notice-starts" /></Form.Item>
            <Form.Item name="endsOn" label={t('commendation.ends_on')} rules={[{ required: true, message: t('commendation.required') }]}><DatePicker id="notice-ends" /></Form.Item>
            {/* not a submit button: Enter in a date field commits the date, it does not publish the 公示 */}
            <Form.Item><Button type="primary" onClick={() => form.submit()} loading={saving} data-testid="notice-open">{t('commendation.open_notice')}</Button></Form.Item>
          </Form>
        </>
      ) : <Typography.Text type="secondary">{t('commendation.no_notice')}</Typography.Text>}
    </Card>
  );
}

// ---------- 表彰 ----------

function AwardCard({ round }: { round: Round }) {
  const t = useT();
  const { message } = App.useApp();
  const refresh = useRefresh(round);
  const honours = useQuery({
    queryKey: ['commendations', 'honours', 'round', round.id], enabled: round.status === 'awarded',
    queryFn: () => api.get<HonourPage>('/commendations/honours', { roundId: round.id, pageSize: 200 }),
  });
  const award = async () => {
    try {
      await api.post<Round>(`/commendations/rounds/${round.id}/award`, {});
      void message.success(t('commendation.awarded'));
      refresh();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <Card title={h2(t('commendation.tab.award'))} styles={{ body: { padding: 16 } }} data-testid="award-card">
      {round.status === 'awarded' ? (
        <Table rowKey="id" size="small" pagination={false} dataSource={honours.data?.items ?? []} loading={honours.isLoading} scroll={{ x: 'max-content' }} data-testid="award-table"
          columns={[
            { title: t('commendation.recipient'), dataIndex: 'recipientName' },
            { title: t('commendation.honour'), dataIndex: 'title' },
            { title: t('commendation.recipient_org'), dataIndex: 'recipientOrgName', responsive: ['md'] },
            {
              title: t('commendation.certificate'), key: 'certificate',
              render: (_: unknown, h: HonourPage['items'][number]) => (
                <a href={`/api/commendations/honours/${h.id}/certificate`} target="_blank" rel="noreferrer" aria-label={`PDF ${t('commendation.certificate')} ${h.recipientName}`}><FilePdfOutlined /> PDF</a>
              ),
            },
          ]} />
      ) : (
        <Space orientation="vertical">
          <Typography.Text type="secondary">{t('commendation.award_hint')}</Typography.Text>
          {round.canManage && round.status === 'public_notice' && (
            <Popconfirm title={t('commendation.award_confirm')} onConfirm={() => void award()} okText={t('commendation.award')} cancelText={t('common.cancel')}>
              <Button type="primary" data-testid="award">{t('commendation.award')}</Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </Card>
  );
}
