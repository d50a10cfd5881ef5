import { useEffect } from 'react';
import { App, Form, Input, Modal, Switch } from 'antd';
import type { Community, CreateCommunity, UpdateCommunity } from '../../../../contracts/communities.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface FormValues { orgId?: string; name: string; street: string; contactName?: string | null; contactPhone?: string | null; address?: string | null; archived?: boolean }

/** Register a community (kept by an org the viewer runs), or edit / archive one. */
export function CommunityFormDialog({ open, community, onClose, onSaved }: {
  open: boolean;
  community?: Community;
  onClose: () => void;
  onSaved: (community: Community) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    if (community) {
      form.setFieldsValue({
        name: community.name, street: community.street, contactName: community.contactName, contactPhone: community.contactPhone,
        address: community.address, archived: community.archived,
      });
    }
  }, [open, community, form]);

  const submit = (values: FormValues) => run(async () => {
    const common = { name: values.name, street: values.street, contactName: values.contactName ?? null, contactPhone: values.contactPhone ?? null, address: values.address ?? null };
    const saved = community
      ? await api.patch<Community>(`/communities/${community.id}`, { ...common, archived: !!values.archived } satisfies UpdateCommunity)
      : await api.post<Community>('/communities', { ...common, orgId: values.orgId ?? '' } satisfies CreateCommunity);
    void message.success(community ? t('common.saved') : t('community.created'));
    onSaved(saved);
  });
  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal open={open} title={community ? t('community.edit') : t('community.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'community-save' }} destroyOnHidden>
      <Form<FormValues> form={form} name="community" layout="vertical" onFinish={(v) => void submit(v)} data-testid="community-form">
        {!community && <Form.Item name="orgId" label={t('community.keeper')} rules={required}><OrgTreeSelect placeholder={t('community.pick_org')} /></Form.Item>}
        <Form.Item name="name" label={t('community.name')} rules={required}><Input maxLength={50} /></Form.Item>
        <Form.Item name="street" label={t('community.street')} rules={required}><Input maxLength={50} /></Form.Item>
        <Form.Item name="contactName" label={t('community.contact_name')}><Input maxLength={30} /></Form.Item>
        <Form.Item name="contactPhone" label={t('community.contact_phone')}><Input maxLength={30} inputMode="tel" /></Form.Item>
        <Form.Item name="address" label={t('community.address')}><Input maxLength={200} /></Form.Item>
        {community && <Form.Item name="archived" label={t('community.archive')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}
