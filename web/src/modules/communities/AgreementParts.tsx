import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, Modal, Select, Space, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import type { Agreement, AgreementDetail, CommunityPage, CreateAgreement, JointProject, JointProjectInput, UpdateAgreement } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, toDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

/** 2025-01-01 — 2027-12-31 (or 长期) with whether it is in force today. */
export function AgreementPeriod({ agreement: a }: { agreement: Agreement }) {
  const t = useT();
  return (
    <Space size={4} wrap>
      <span>{a.startsOn} — {a.endsOn ?? t('co_building.open_ended')}</span>
      {a.isActive ? <Tag color="green">{t('co_building.active')}</Tag> : <Tag>{t('co_building.inactive')}</Tag>}
    </Space>
  );
}

interface AgreementValues { orgId?: string; communityId?: string; title: string; content: string; signedOn: Dayjs | null; startsOn: Dayjs | null; endsOn: Dayjs | null }

/** Sign an agreement (an org the viewer runs with a community of its tree), or edit one. */
export function AgreementFormDialog({ open, agreement, defaultCommunityId, onClose, onSaved }: {
  open: boolean;
  agreement?: AgreementDetail;
  defaultCommunityId?: string;
  onClose: () => void;
  onSaved: (a: AgreementDetail) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<AgreementValues>();
  const { saving, run } = useFormSubmit(form);
  const communities = useQuery({ queryKey: ['communities', 'all'], queryFn: () => api.get<CommunityPage>('/communities', { pageSize: 200 }), enabled: open && !agreement });
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(agreement
      ? { title: agreement.title, content: agreement.content, signedOn: toDay(agreement.signedOn), startsOn: toDay(agreement.startsOn), endsOn: toDay(agreement.endsOn) }
      : { communityId: defaultCommunityId, signedOn: todayInChina(), startsOn: todayInChina(), endsOn: null });
  }, [open, agreement, defaultCommunityId, form]);

  const submit = (v: AgreementValues) => run(async () => {
    const dates = { signedOn: isoDay(v.signedOn) ?? '', startsOn: isoDay(v.startsOn) ?? '', endsOn: isoDay(v.endsOn) };
    const saved = agreement
      ? await api.patch<AgreementDetail>(`/co-building/agreements/${agreement.id}`, { title: v.title, content: v.content, ...dates } satisfies UpdateAgreement)
      : await api.post<AgreementDetail>('/co-building/agreements', { orgId: v.orgId ?? '', communityId: v.communityId ?? '', title: v.title, content: v.content, ...dates } satisfies CreateAgreement);
    void message.success(agreement ? t('common.saved') : t('co_building.agreement_created'));
    onSaved(saved);
  });
  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal open={open} title={agreement ? t('co_building.edit') : t('co_building.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'agreement-save' }} destroyOnHidden>
      <Form<AgreementValues> form={form} name="agreement" layout="vertical" onFinish={(v) => void submit(v)}>
        {!agreement && (
          <>
            <Form.Item name="orgId" label={t('co_building.org')} rules={required}><OrgTreeSelect placeholder={t('community.pick_org')} /></Form.Item>
            <Form.Item name="communityId" label={t('co_building.community')} rules={required}>
              <Select showSearch optionFilterProp="label" loading={communities.isLoading}
                options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.street}）` }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="title" label={t('co_building.agreement_title')} rules={required}><Input maxLength={100} /></Form.Item>
        <Form.Item name="content" label={t('co_building.content')} rules={required}><Input.TextArea maxLength={4000} autoSize={{ minRows: 4 }} /></Form.Item>
        <Space wrap>
          <Form.Item name="signedOn" label={t('co_building.signed_on')} rules={required}><DatePicker /></Form.Item>
          <Form.Item name="startsOn" label={t('co_building.starts_on')} rules={required}><DatePicker /></Form.Item>
          <Form.Item name="endsOn" label={t('co_building.ends_on')}><DatePicker placeholder={t('co_building.open_ended')} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

interface ProjectValues { title: string; description?: string | null; plannedOn: Dayjs | null; doneOn: Dayjs | null }

/** A joint project under an agreement: add one, or edit (e.g. record that it was done). */
export function JointProjectDialog({ open, agreementId, project, onClose, onSaved }: {
  open: boolean;
  agreementId: string;
  project?: JointProject;
  onClose: () => void;
  onSaved: (p: JointProject) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProjectValues>();
  const { saving, run } = useFormSubmit(form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (project) form.setFieldsValue({ title: project.title, description: project.description, plannedOn: toDay(project.plannedOn), doneOn: toDay(project.doneOn) });
  }, [open, project, form]);
  const submit = (v: ProjectValues) => run(async () => {
    const body = { title: v.title, description: v.description || null, plannedOn: isoDay(v.plannedOn), doneOn: isoDay(v.doneOn) } satisfies JointProjectInput;
    const saved = project
      ? await api.patch<JointProject>(`/co-building/projects/${project.id}`, body)
      : await api.post<JointProject>(`/co-building/agreements/${agreementId}/projects`, body);
    void message.success(project ? t('common.saved') : t('co_building.project_created'));
    onSaved(saved);
  });
  return (
    <Modal open={open} title={project ? t('co_building.edit_project') : t('co_building.add_project')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'joint-project-save' }} destroyOnHidden>
      <Form<ProjectValues> form={form} name="joint_project" layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="title" label={t('co_building.project_title')} rules={[{ required: true, message: t('service.required') }]}><Input maxLength={100} /></Form.Item>
        <Form.Item name="description" label={t('co_building.project_description')}><Input.TextArea maxLength={2000} autoSize={{ minRows: 3 }} /></Form.Item>
        <Space wrap>
          <Form.Item name="plannedOn" label={t('co_building.planned_on')}><DatePicker /></Form.Item>
          <Form.Item name="doneOn" label={t('co_building.done_on')}><DatePicker /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
