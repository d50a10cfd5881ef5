import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Card, Descriptions, Drawer, Form, Grid, Input, Result, Select, Space, Typography } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { EDUCATIONS, type MemberDetail, type UpdateOwnProfile } from '../../../../contracts/members.js';
import { api, isNotFound } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { RevealableValue, StageTimeline } from '../members/MemberDetailPage.js';
import { StageTag } from '../members/MemberTags.js';

/** 我的档案: the signed-in member's own record, laid out for a phone first. */
export default function MyProfilePage() {
  const t = useT();
  const me = useQuery({ queryKey: ['members', 'me'], queryFn: () => api.get<MemberDetail>('/members/me') });
  if (me.error && isNotFound(me.error)) return <Result status="info" title={t('me.not_linked')} />;
  return (
    <QueryState isLoading={me.isLoading} error={me.error} retry={() => void me.refetch()}>
      {me.data && <Profile member={me.data} />}
    </QueryState>
  );
}

function Profile({ member }: { member: MemberDetail }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const [editing, setEditing] = useState(false);
  const dash = (v: string | null) => v ?? '—';
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 760 }} data-testid="my-profile">
      <Card styles={{ body: { padding: 16 } }}>
        <Space size={12} align="center" style={{ width: '100%' }}>
          <Avatar size={56} style={{ background: '#c0161b', fontSize: 24, flex: 'none' }}>{member.name.slice(-1)}</Avatar>
          <div style={{ minWidth: 0 }}>
            <Space size={6} wrap>
              <Typography.Title level={4} style={{ margin: 0 }} data-testid="member-name">{member.name}</Typography.Title>
              <StageTag stage={member.stage} />
            </Space>
            <div><Typography.Text type="secondary">{member.orgName}</Typography.Text></div>
          </div>
        </Space>
        <Button block={!screens.sm} icon={<EditOutlined />} style={{ marginTop: 12 }} onClick={() => setEditing(true)}>{t('common.edit')}</Button>
      </Card>
      <Card title={t('member.basic')} size="small">
        <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 96 } }}>
          <Descriptions.Item label={t('member.gender')}>{t(`gender.${member.gender}`)}</Descriptions.Item>
          <Descriptions.Item label={t('member.ethnicity')}>{member.ethnicity}</Descriptions.Item>
          <Descriptions.Item label={t('member.birth_date')}>{dash(member.birthDate)}</Descriptions.Item>
          <Descriptions.Item label={t('member.id_number')}><RevealableValue memberId={member.id} field="idNumber" masked={member.idNumberMasked} canReveal={member.canReveal} /></Descriptions.Item>
          <Descriptions.Item label={t('member.phone')}><RevealableValue memberId={member.id} field="phone" masked={member.phoneMasked} canReveal={member.canReveal} /></Descriptions.Item>
          <Descriptions.Item label={t('member.education')}>{dash(member.education)}</Descriptions.Item>
          <Descriptions.Item label={t('member.work_unit')}>{dash(member.workUnit)}</Descriptions.Item>
          <Descriptions.Item label={t('member.post')}>{dash(member.post)}</Descriptions.Item>
          <Descriptions.Item label={t('member.residence_community')}>{dash(member.residenceCommunity)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('member.party')} size="small">
        <Descriptions column={1} size="small" colon={false} styles={{ label: { width: 96 } }}>
          <Descriptions.Item label={t('me.my_org')}>{member.orgName}</Descriptions.Item>
          <Descriptions.Item label={t('member.joined_on')}>{dash(member.joinedOn)}</Descriptions.Item>
          <Descriptions.Item label={t('member.converted_on')}>{dash(member.convertedOn)}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('member.history')} size="small">
        <StageTimeline member={member} />
      </Card>
      {editing && <EditOwnProfile member={member} onClose={() => setEditing(false)} />}
    </Space>
  );
}

/** A member keeps their contact and work details up to date; identity and party record are the branch's. */
function EditOwnProfile({ member, onClose }: { member: MemberDetail; onClose: () => void }) {
  const t = useT();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<UpdateOwnProfile>();
  const { saving, run } = useFormSubmit(form);
  const submit = (v: UpdateOwnProfile) => run(async () => {
    const body: Record<string, unknown> = { education: v.education ?? null, workUnit: v.workUnit ?? '', post: v.post ?? '', residenceCommunity: v.residenceCommunity ?? '' };
    // the phone is shown masked: left empty, it stays as it is
    if (v.phone?.trim()) body.phone = v.phone;
    const saved = await api.patch<MemberDetail>('/members/me', body);
    queryClient.setQueryData(['members', 'me'], saved);
    void message.success(t('common.saved'));
    onClose();
  });
  return (
    <Drawer open onClose={onClose} title={t('common.edit')} placement={screens.md ? 'right' : 'bottom'} size={screens.md ? 420 : '85%'}
      footer={<Button type="primary" block loading={saving} onClick={() => form.submit()}>{t('common.save')}</Button>}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}
        initialValues={{ education: member.education, workUnit: member.workUnit ?? '', post: member.post ?? '', residenceCommunity: member.residenceCommunity ?? '' }}>
        <Form.Item name="phone" label={t('member.phone')} extra={member.phoneMasked ? `${member.phoneMasked} · ${t('member.id_number_keep')}` : undefined}>
          <Input inputMode="tel" maxLength={20} />
        </Form.Item>
        <Form.Item name="education" label={t('member.education')}>
          <Select allowClear options={EDUCATIONS.map((e) => ({ value: e, label: e }))} />
        </Form.Item>
        <Form.Item name="workUnit" label={t('member.work_unit')}><Input maxLength={100} /></Form.Item>
        <Form.Item name="post" label={t('member.post')}><Input maxLength={50} /></Form.Item>
        <Form.Item name="residenceCommunity" label={t('member.residence_community')}><Input maxLength={100} /></Form.Item>
      </Form>
    </Drawer>
  );
}
