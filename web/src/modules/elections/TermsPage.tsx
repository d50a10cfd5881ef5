import { useState } from 'react';
import { useNavigate } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { ElectionMethodSchema, type CommitteeMember, type ElectionProcedure, type OrgTerm, type OrgTermPage } from '../../../../contracts/elections.js';
import type { Org } from '../../../../contracts/orgs.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { useSearchState } from '../../platform/search-state.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { CommitteeFields } from './CommitteeFields.js';

const PAGE_SIZE = 20;

/** An org's terms (届次), newest first, with the committee each elected; past terms are recorded from the archive, an election started here. */
export default function TermsPage() {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [params, update] = useSearchState();
  const orgId = params.get('orgId') ?? undefined;
  const page = Number(params.get('page') ?? '1') || 1;
  const [recording, setRecording] = useState(false);
  const org = useQuery({ queryKey: ['orgs', orgId], enabled: !!orgId, queryFn: () => api.get<Org>(`/orgs/${orgId}`) });
  const terms = useQuery({
    queryKey: ['elections', 'terms', orgId, page], enabled: !!orgId, placeholderData: keepPreviousData,
    queryFn: () => api.get<OrgTermPage>('/elections/terms', { orgId, page, pageSize: PAGE_SIZE }),
  });
  async function start() {
    try {
      const p = await api.post<ElectionProcedure>('/elections/procedures', { orgId });
      message.success(t('election.started_ok'));
      void navigate(`/elections/procedures/${p.id}`);
    } catch (error) {
      message.error(errorMessage(error, t('app.error')));
    }
  }
  return (
    <Card title={org.data ? t('election.history_of', { org: org.data.name }) : t('election.history')} extra={
      <Space wrap>
        <OrgTreeSelect value={orgId} onChange={(v) => update({ orgId: v, page: undefined })} placeholder={t('election.pick_org')} aria-label={t('election.org')} style={{ width: 240, maxWidth: '100%' }} />
        {orgId && <Button onClick={() => setRecording(true)} data-testid="term-record">{t('election.record_term')}</Button>}
        {orgId && <Button type="primary" onClick={() => void start()} data-testid="election-start">{t('election.start')}</Button>}
      </Space>
    }>
      {!orgId && <Alert type="info" showIcon message={t('election.pick_org')} />}
      {orgId && org.data && (
        <Space wrap style={{ marginBottom: 12 }}>
          <span>{t('election.term_start')}：{org.data.termStart ?? '—'}</span>
          <span>{t('election.term_end')}：{org.data.termEnd ?? '—'}</span>
          {org.data.isElectionOverdue && <Tag color="error">{t('election.window.overdue')}</Tag>}
          {org.data.isElectionDue && <Tag color="warning">{t('election.window.90')}</Tag>}
        </Space>
      )}
      {orgId && (
        <Table<OrgTerm>
          rowKey="id" size="middle" loading={terms.isFetching} dataSource={terms.data?.items ?? []} scroll={{ x: 'max-content' }}
          locale={{ emptyText: t('election.no_terms') }} data-testid="term-table"
          expandable={{ expandedRowRender: (term) => <Committee members={term.committee} /> }}
          pagination={{ current: page, pageSize: PAGE_SIZE, total: terms.data?.total ?? 0, hideOnSinglePage: true, onChange: (p) => update({ page: String(p) }) }}
          columns={[
            { title: t('election.elected_on'), dataIndex: 'electedOn', render: (v: string, term) => <Space>{v}{term.isCurrent && <Tag color="red">{t('election.current')}</Tag>}</Space> },
            { title: t('election.ends_on'), dataIndex: 'endsOn' },
            { title: t('election.term_years'), dataIndex: 'termYears' },
            { title: t('election.method'), dataIndex: 'method', render: (m: OrgTerm['method']) => t(`election.method.${m}`) },
            { title: t('election.votes_cast'), key: 'votes', render: (_: unknown, term) => `${term.votesCast} / ${term.votersCount}` },
            { title: t('election.committee'), key: 'secretary', render: (_: unknown, term) => term.committee.find((c) => c.role === 'secretary')?.name ?? '—' },
            { title: t('election.filed_on'), dataIndex: 'filedOn', render: (v: string | null, term) => v ?? (term.procedureId ? <Tag color="warning">{t('election.not_filed')}</Tag> : '—') },
          ]}
        />
      )}
      {recording && orgId && <RecordTermDialog orgId={orgId} onClose={() => setRecording(false)} />}
    </Card>
  );
}

function Committee({ members }: { members: CommitteeMember[] }) {
  const t = useT();
  return (
    <Space wrap>
      {members.map((c) => <Tag key={c.memberId}>{t(`election.role.${c.role}`)} {c.name}{c.votes != null ? ` · ${c.votes}` : ''}</Tag>)}
    </Space>
  );
}

interface TermForm { electedOn: Dayjs; termYears: number; method: OrgTerm['method']; votersCount: number; votesCast: number; committee: { memberId: string; role: string; votes?: number }[]; note?: string }

function RecordTermDialog({ orgId, onClose }: { orgId: string; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TermForm>();
  const [saving, setSaving] = useState(false);
  async function submit(v: TermForm) {
    setSaving(true);
    try {
      await api.post('/elections/terms', { orgId, electedOn: v.electedOn.format('YYYY-MM-DD'), termYears: v.termYears, method: v.method, votersCount: v.votersCount,
        votesCast: v.votesCast, committee: v.committee ?? [], note: v.note || undefined });
      await queryClient.invalidateQueries({ queryKey: ['elections'] });
      await queryClient.invalidateQueries({ queryKey: ['orgs'] });
      onClose();
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  }
  return (
    <Modal open title={t('election.record_term')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} width={640} destroyOnHidden>
      <Form<TermForm> form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ termYears: 5, method: 'competitive', committee: [{ role: 'secretary' }] }}>
        <ResultFields />
        <Form.Item name="electedOn" label={t('election.elected_on')} rules={[{ required: true }]}><DatePicker /></Form.Item>
        <CommitteeFields orgId={orgId} />
        <Form.Item name="note" label={t('election.note')}><Input.TextArea rows={2} maxLength={1000} /></Form.Item>
      </Form>
    </Modal>
  );
}

/** Term years, method, voters and ballots: shared by the archive record and the congress step. */
export function ResultFields() {
  const t = useT();
  return (
    <Space wrap>
      <Form.Item name="termYears" label={t('election.term_years')} rules={[{ required: true }]}><InputNumber min={1} max={10} /></Form.Item>
      <Form.Item name="method" label={t('election.method')} rules={[{ required: true }]}>
        <Select style={{ width: 220 }} options={ElectionMethodSchema.options.map((m) => ({ value: m, label: t(`election.method.${m}`) }))} />
      </Form.Item>
      <Form.Item name="votersCount" label={t('election.voters_count')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>
      <Form.Item name="votesCast" label={t('election.votes_cast')} rules={[{ required: true }]}><InputNumber min={0} /></Form.Item>
    </Space>
  );
}
