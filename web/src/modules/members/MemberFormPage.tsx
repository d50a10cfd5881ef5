import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, DatePicker, Divider, Form, Input, Radio, Row, Select, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import {
  EDUCATIONS, GENDERS, MEMBER_STAGES, STAGE_DATE_FIELD, type CreateMember, type Gender, type MemberDetail, type MemberStage, type StageDateField, type UpdateMember,
} from '../../../../contracts/members.js';
import { ETHNICITIES } from '../../../../contracts/member_import.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { isoDay, toDay } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import type { MessageKey } from '../../platform/i18n.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface Values {
  orgId?: string;
  name: string;
  gender: Gender;
  ethnicity: string;
  birthDate?: Dayjs | null;
  idNumber?: string;
  phone?: string;
  education?: string | null;
  workUnit?: string;
  post?: string;
  residenceCommunity?: string;
  stage: MemberStage;
  appliedOn?: Dayjs | null;
  activistOn?: Dayjs | null;
  candidateOn?: Dayjs | null;
  joinedOn?: Dayjs | null;
  convertedOn?: Dayjs | null;
}

const DATE_LABELS: Record<StageDateField, MessageKey> = {
  appliedOn: 'member.applied_on', activistOn: 'member.activist_on', candidateOn: 'member.candidate_on', joinedOn: 'member.joined_on', convertedOn: 'member.converted_on',
};

export default function MemberFormPage() {
  const { id } = useParams();
  const member = useQuery({ queryKey: ['members', 'one', id], queryFn: () => api.get<MemberDetail>(`/members/${id}`), enabled: id !== undefined });
  if (id === undefined) return <MemberForm />;
  return (
    <QueryState isLoading={member.isLoading} error={member.error}>
      {member.data && <MemberForm member={member.data} />}
    </QueryState>
  );
}

/**
 * The whole member record. The server validates (ID number check digit, dates in order, a year as
 * 积极分子, …) and its field errors appear under the inputs.
 */
function MemberForm({ member }: { member?: MemberDetail }) {
  const t = useT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [searchParams] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [saving, setSaving] = useState(false);
  const [formError, setFormError] = useState<string | null>(null);
  const isEdit = member !== undefined;
  const stage = Form.useWatch('stage', form) ?? member?.stage ?? 'full';
  const reached = MEMBER_STAGES.indexOf(stage);

  useEffect(() => {
    if (member) {
      form.setFieldsValue({
        name: member.name, gender: member.gender, ethnicity: member.ethnicity, birthDate: toDay(member.birthDate),
        education: member.education, workUnit: member.workUnit ?? '', post: member.post ?? '', residenceCommunity: member.residenceCommunity ?? '',
        stage: member.stage, appliedOn: toDay(member.appliedOn), activistOn: toDay(member.activistOn), candidateOn: toDay(member.candidateOn),
        joinedOn: toDay(member.joinedOn), convertedOn: toDay(member.convertedOn),
      });
    }
  }, [member, form]);

  const submit = async (v: Values) => {
    setSaving(true);
    setFormError(null);
    const dates = Object.fromEntries(MEMBER_STAGES.map((s, i) => {
      const field = STAGE_DATE_FIELD[s];
      return [field, i <= reached ? isoDay(v[field]) : null];
    })) as Record<StageDateField, string | null>;
    const profile = {
      name: v.name, gender: v.gender, ethnicity: v.ethnicity, birthDate: isoDay(v.birthDate), education: v.education ?? null,
      workUnit: v.workUnit ?? '', post: v.post ?? '', residenceCommunity: v.residenceCommunity ?? '', ...dates,
    };
    try {
      let saved: MemberDetail;
      if (member) {
        // 身份证号 and 手机号 are shown masked: left empty, they stay as they are
        const body: Record<string, unknown> = { ...profile };
        if (v.idNumber?.trim()) body.idNumber = v.idNumber;
        if (v.phone?.trim()) body.phone = v.phone;
        saved = await api.patch<MemberDetail>(`/members/${member.id}`, body as UpdateMember);
        void message.success(t('common.saved'));
      } else {
        const body = { ...profile, orgId: v.orgId, stage: v.stage, idNumber: v.idNumber ?? '', phone: v.phone ?? '' };
        saved = await api.post<MemberDetail>('/members', body as unknown as CreateMember);
        void message.success(t('member.created'));
      }
      await queryClient.invalidateQueries({ queryKey: ['members'] });
      void navigate(`/members/${saved.id}`, { replace: isEdit });
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled) setFormError(errorMessage(error, t('app.error')));
      else if (unplaced.length) setFormError(unplaced.join('；'));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card title={isEdit ? `${t('member.edit')} · ${member.name}` : t('member.create')}>
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        initialValues={{ gender: 'male', ethnicity: '汉族', stage: 'full', orgId: searchParams.get('orgId') ?? undefined }}
        scrollToFirstError
        data-testid="member-form"
        style={{ maxWidth: 960 }}
      >
        {formError && <Alert type="error" showIcon message={formError} style={{ marginBottom: 16 }} data-testid="form-error" />}
        <Row gutter={16}>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="name" label={t('member.name')} rules={[{ required: true, message: t('member.name') }]}><Input maxLength={50} /></Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="gender" label={t('member.gender')} rules={[{ required: true }]}>
              <Radio.Group options={GENDERS.map((g) => ({ value: g, label: t(`gender.${g}`) }))} optionType="button" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="ethnicity" label={t('member.ethnicity')} rules={[{ required: true }]}>
              <Select showSearch options={ETHNICITIES.map((e) => ({ value: e, label: e }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="idNumber" label={t('member.id_number')} rules={isEdit ? [] : [{ required: true, message: t('member.id_number') }]}
              extra={isEdit ? `${member.idNumberMasked ?? ''} · ${t('member.id_number_keep')}` : undefined}>
              <Input maxLength={20} autoComplete="off" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="birthDate" label={t('member.birth_date')}><DatePicker style={{ width: '100%' }} /></Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="phone" label={t('member.phone')} extra={isEdit && member.phoneMasked ? `${member.phoneMasked} · ${t('member.id_number_keep')}` : undefined}>
              <Input maxLength={20} autoComplete="off" inputMode="tel" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="education" label={t('member.education')}>
              <Select allowClear options={EDUCATIONS.map((e) => ({ value: e, label: e }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="workUnit" label={t('member.work_unit')}><Input maxLength={100} /></Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="post" label={t('member.post')}><Input maxLength={50} /></Form.Item>
          </Col>
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="residenceCommunity" label={t('member.residence_community')}><Input maxLength={100} /></Form.Item>
          </Col>
        </Row>
        <Divider titlePlacement="start">{t('member.party')}</Divider>
        <Row gutter={16}>
          {!isEdit && (
            <Col xs={24} md={12} lg={8}>
              <Form.Item name="orgId" label={t('member.org')} rules={[{ required: true, message: t('member.org') }]}>
                <OrgTreeSelect placeholder={t('member.org')} style={{ width: '100%' }} />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} md={12} lg={8}>
            <Form.Item name="stage" label={t('member.stage')} rules={[{ required: true }]}>
              <Select disabled={isEdit} options={MEMBER_STAGES.map((s) => ({ value: s, label: t(`stage.${s}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          {MEMBER_STAGES.slice(0, reached + 1).map((s) => {
            const field = STAGE_DATE_FIELD[s];
            return (
              <Col xs={24} md={12} lg={8} key={field}>
                <Form.Item name={field} label={t(DATE_LABELS[field])}><DatePicker style={{ width: '100%' }} /></Form.Item>
              </Col>
            );
          })}
        </Row>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="member-save">{t('common.save')}</Button>
          <Button onClick={() => void navigate(-1)}>{t('common.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
