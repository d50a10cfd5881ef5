import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, DatePicker, Descriptions, Form, Input, Modal, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { ArrowUpOutlined, EditOutlined, EyeOutlined, SwapOutlined, UserDeleteOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { LEAVE_REASONS, type AdvanceStage, type LeaveMember, type MemberDetail, type Revealed } from '../../../../contracts/members.js';
import type { Transfer, TransferPage } from '../../../../contracts/transfers.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay, toDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { IssueTransferDialog } from '../transfers/IssueTransferDialog.js';
import { TransferStatusTag } from '../transfers/TransferStatusTag.js';
import { MemberAppraisalsCard } from '../appraisals/MemberAppraisalsCard.js';
import { MemberHonoursCard } from '../commendations/MemberHonoursCard.js';
import { MemberStarsCard } from '../monthly_ratings/MemberStarsCard.js';
import { StageTag } from './MemberTags.js';

export default function MemberDetailPage() {
  const { id = '' } = useParams();
  const member = useQuery({ queryKey: ['members', 'one', id], queryFn: () => api.get<MemberDetail>(`/members/${id}`) });
  return (
    <QueryState isLoading={member.isLoading} error={member.error} retry={() => void member.refetch()}>
      {member.data && <MemberView member={member.data} />}
    </QueryState>
  );
}

/** A masked value with a 查看 button: the full value comes from the server, and the look is audited. */
export function RevealableValue({ memberId, field, masked, canReveal }: { memberId: string; field: 'idNumber' | 'phone'; masked: string | null; canReveal: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const [value, setValue] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  if (!masked) return <>—</>;
  const reveal = async () => {
    setLoading(true);
    try {
      const result = await api.post<Revealed>(`/members/${memberId}/reveal`, { field });
      setValue(result.value);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setLoading(false);
    }
  };
  return (
    <Space size={4} wrap>
      <Typography.Text code data-testid={`${field}-value`}>{value ?? masked}</Typography.Text>
      {canReveal && value === null && (
        <Button size="small" type="link" icon={<EyeOutlined />} loading={loading} onClick={() => void reveal()} title={t('member.reveal_hint')} data-testid={`reveal-${field}`}>
          {t('member.reveal')}
        </Button>
      )}
    </Space>
  );
}

export function StageTimeline({ member }: { member: MemberDetail }) {
  const t = useT();
  const items = member.stageHistory.map((e) => ({
    key: e.id,
    color: e.stage === 'full' || e.stage === 'probationary' ? 'red' : 'blue',
    title: e.occurredOn,
    content: (
      <div>
        <StageTag stage={e.stage} />
        {e.recordedByName && <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>{e.recordedByName} · {formatTime(e.recordedAt)}</Typography.Text>}
      </div>
    ),
  }));
  if (member.leftAt) items.push({ key: 'left', color: 'gray', title: member.leftOn ?? member.leftAt.slice(0, 10), content: <Tag>{member.leftReason ? t(`leave_reason.${member.leftReason}`) : t('member.left')}</Tag> });
  return <Timeline items={items} data-testid="stage-history" />;
}

function MemberView({ member }: { member: MemberDetail }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'advance' | 'transfer' | 'leave' | null>(null);
  const transfers = useQuery({
    queryKey: ['transfers', 'member', member.id],
    queryFn: () => api.get<TransferPage>('/transfers', { memberId: member.id, box: 'all', pageSize: 50 }),
  });
  const refresh = () => {
    setDialog(null);
    void queryClient.invalidateQueries({ queryKey: ['members'] });
    void queryClient.invalidateQueries({ queryKey: ['transfers'] });
  };
  const openTransfer = transfers.data?.items.find((x) => x.status === 'issued');
  const active = !member.leftAt;
  const dash = (v: string | null) => v ?? '—';

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card>
        <Space wrap style={{ marginBottom: 12 }}>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="member-name">{member.name}</Typography.Title>
          <StageTag stage={member.stage} />
          {member.leftAt && <Tag>{t('member.left')}</Tag>}
          {openTransfer && <Tag color="processing">{t('transfer.status.issued')} → {openTransfer.toOrgName}</Tag>}
        </Space>
        <div><Typography.Text type="secondary">{member.orgName}</Typography.Text></div>
        {member.canManage && active && (
          <Space wrap style={{ marginTop: 16 }}>
            <Link to={`/members/${member.id}/edit`}><Button icon={<EditOutlined />}>{t('common.edit')}</Button></Link>
            {member.nextStage && <Button icon={<ArrowUpOutlined />} onClick={() => setDialog('advance')} data-testid="advance-stage">{t('member.advance_to', { stage: t(`stage.${member.nextStage}`) })}</Button>}
            {!openTransfer && <Button icon={<SwapOutlined />} onClick={() => setDialog('transfer')}>{t('member.transfer')}</Button>}
            <Button danger icon={<UserDeleteOutlined />} onClick={() => setDialog('leave')}>{t('member.leave')}</Button>
          </Space>
        )}
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Card title={t('member.basic')}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small" data-testid="member-basic">
              <Descriptions.Item label={t('member.gender')}>{t(`gender.${member.gender}`)}</Descriptions.Item>
              <Descriptions.Item label={t('member.ethnicity')}>{member.ethnicity}</Descriptions.Item>
              <Descriptions.Item label={t('member.birth_date')}>{dash(member.birthDate)}</Descriptions.Item>
              <Descriptions.Item label={t('member.education')}>{dash(member.education)}</Descriptions.Item>
              <Descriptions.Item label={t('member.id_number')}><RevealableValue memberId={member.id} field="idNumber" masked={member.idNumberMasked} canReveal={member.canReveal} /></Descriptions.Item>
              <Descriptions.Item label={t('member.phone')}><RevealableValue memberId={member.id} field="phone" masked={member.phoneMasked} canReveal={member.canReveal} /></Descriptions.Item>
              <Descriptions.Item label={t('member.work_unit')}>{dash(member.workUnit)}</Descriptions.Item>
              <Descriptions.Item label={t('member.post')}>{dash(member.post)}</Descriptions.Item>
              <Descriptions.Item label={t('member.residence_community')}>{dash(member.residenceCommunity)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t('member.party')} style={{ marginTop: 16 }}>
            <Descriptions column={{ xs: 1, sm: 2 }} size="small">
              <Descriptions.Item label={t('member.org')}>{member.orgName}</Descriptions.Item>
              <Descriptions.Item label={t('member.stage')}><StageTag stage={member.stage} /></Descriptions.Item>
              <Descriptions.Item label={t('member.applied_on')}>{dash(member.appliedOn)}</Descriptions.Item>
              <Descriptions.Item label={t('member.activist_on')}>{dash(member.activistOn)}</Descriptions.Item>
              <Descriptions.Item label={t('member.candidate_on')}>{dash(member.candidateOn)}</Descriptions.Item>
              <Descriptions.Item label={t('member.joined_on')}>{dash(member.joinedOn)}</Descriptions.Item>
              <Descriptions.Item label={t('member.converted_on')}>{dash(member.convertedOn)}</Descriptions.Item>
              {member.leftAt && <Descriptions.Item label={t('member.left_on')}>{dash(member.leftOn)} {member.leftReason && t(`leave_reason.${member.leftReason}`)} {member.leftNote}</Descriptions.Item>}
            </Descriptions>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card title={t('member.history')}>
            <StageTimeline member={member} />
          </Card>
          <Card title={t('member.transfers')} style={{ marginTop: 16 }}>
            <Table<Transfer>
              rowKey="id" size="small" pagination={false} loading={transfers.isLoading}
              dataSource={transfers.data?.items ?? []}
              locale={{ emptyText: t('transfer.none') }}
              columns={[
                { title: t('transfer.to'), dataIndex: 'toOrgName', render: (to: string, x) => <><div>{to}</div><Typography.Text type="secondary" style={{ fontSize: 12 }}>{t('common.from')} {x.fromOrgName}</Typography.Text></> },
                { title: t('common.status'), dataIndex: 'status', width: 90, render: (s: Transfer['status']) => <TransferStatusTag status={s} /> },
                { title: t('transfer.issued_at'), dataIndex: 'issuedAt', width: 110, render: (v: string) => formatTime(v).slice(0, 10) },
              ]}
            />
          </Card>
          <MemberAppraisalsCard memberId={member.id} />
          <MemberHonoursCard memberId={member.id} />
          <MemberStarsCard memberId={member.id} />
        </Col>
      </Row>
      {dialog === 'advance' && <AdvanceStageDialog member={member} onClose={() => setDialog(null)} onDone={refresh} />}
      {dialog === 'transfer' && <IssueTransferDialog member={member} onClose={() => setDialog(null)} onIssued={refresh} />}
      {dialog === 'leave' && <LeaveDialog member={member} onClose={() => setDialog(null)} onDone={refresh} />}
    </Space>
  );
}

function AdvanceStageDialog({ member, onClose, onDone }: { member: MemberDetail; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ date: Dayjs }>();
  const { saving, run } = useFormSubmit(form);
  const stage = member.nextStage!;
  const earliest = toDay(member.nextStageEarliest);
  const submit = ({ date }: { date: Dayjs }) => run(async () => {
    await api.post<MemberDetail>(`/members/${member.id}/stages`, { stage, date: isoDay(date)! } satisfies AdvanceStage);
    void message.success(t('member.advanced', { stage: t(`stage.${stage}`) }));
    onDone();
  });
  const today = todayInChina();
  return (
    <Modal open title={t('member.advance_to', { stage: t(`stage.${stage}`) })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ date: earliest && earliest.isAfter(today) ? earliest : today }}>
        <Form.Item name="date" label={t('member.advance_on')} rules={[{ required: true }]} extra={earliest ? t('member.next_earliest', { date: earliest.format('YYYY-MM-DD') }) : undefined}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function LeaveDialog({ member, onClose, onDone }: { member: MemberDetail; onClose: () => void; onDone: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: LeaveMember['reason']; date: Dayjs; note?: string }>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: { reason: LeaveMember['reason']; date: Dayjs; note?: string }) => run(async () => {
    await api.post<MemberDetail>(`/members/${member.id}/leave`, { reason: v.reason, date: isoDay(v.date)!, note: v.note ?? '' } satisfies Partial<LeaveMember>);
    void message.success(t('member.left_ok'));
    onDone();
  });
  return (
    <Modal open title={`${t('member.leave')} · ${member.name}`} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ danger: true }} confirmLoading={saving} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} initialValues={{ date: todayInChina() }}>
        <Form.Item name="reason" label={t('member.leave_reason')} rules={[{ required: true, message: t('member.leave_reason') }]}>
          <Select options={LEAVE_REASONS.map((r) => ({ value: r, label: t(`leave_reason.${r}`) }))} />
        </Form.Item>
        <Form.Item name="date" label={t('member.leave_date')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
        <Form.Item name="note" label={t('member.leave_note')}><Input.TextArea maxLength={500} rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
