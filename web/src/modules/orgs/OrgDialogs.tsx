import { useEffect, useState } from 'react';
import { App, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { CHILD_TYPES, TOP_LEVEL_TYPES, type CreateOrg, type Org, type OrgPage, type OrgType, type UpdateOrg } from '../../../../contracts/orgs.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useLatestRequest } from '../../platform/latest-request.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

interface OrgFormValues {
  name: string;
  type?: OrgType;
  secretaryName?: string;
  contactName?: string;
  contactPhone?: string;
  address?: string;
  foundedOn?: Dayjs | null;
  termStart?: Dayjs | null;
  termEnd?: Dayjs | null;
}

const day = (v: string | null) => (v ? dayjs(v) : null);
const iso = (v: Dayjs | null | undefined) => (v ? v.format('YYYY-MM-DD') : null);

/** Create a child of `parent` (without one: a top-level org), or edit `org`. Field errors from the server appear under the inputs. */
export function OrgFormDialog({ mode, org, parent, onClose, onSaved }: {
  mode: 'create' | 'edit';
  org?: Org;
  parent?: Org;
  onClose: () => void;
  onSaved: (org: Org) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<OrgFormValues>();
  const [saving, setSaving] = useState(false);
  const childTypes = parent ? CHILD_TYPES[parent.type] : TOP_LEVEL_TYPES;

  useEffect(() => {
    if (mode === 'edit' && org) {
      form.setFieldsValue({
        name: org.name, secretaryName: org.secretaryName ?? '', contactName: org.contactName ?? '', contactPhone: org.contactPhone ?? '',
        address: org.address ?? '', foundedOn: day(org.foundedOn), termStart: day(org.termStart), termEnd: day(org.termEnd),
      });
    } else if (childTypes[0]) form.setFieldsValue({ type: childTypes.includes('branch') ? 'branch' : childTypes[0] });
  }, [mode, org, form, childTypes]);

  const submit = async (v: OrgFormValues) => {
    setSaving(true);
    const common = {
      name: v.name, secretaryName: v.secretaryName ?? '', contactName: v.contactName ?? '', contactPhone: v.contactPhone ?? '',
      address: v.address ?? '', foundedOn: iso(v.foundedOn), termStart: iso(v.termStart), termEnd: iso(v.termEnd),
    };
    try {
      const saved = mode === 'create'
        ? await api.post<Org>('/orgs', { parentId: parent?.id ?? null, type: v.type, ...common } satisfies Partial<CreateOrg>)
        : await api.patch<Org>(`/orgs/${org!.id}`, common satisfies UpdateOrg);
      void message.success(mode === 'create' ? t('org.created') : t('common.saved'));
      onSaved(saved);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={mode === 'create' ? (parent ? `${t('org.create_child')} · ${parent.name}` : t('org.create_top')) : `${t('common.edit')} · ${org?.name ?? ''}`}
      onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden width={560}>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="org-form">
        <Form.Item name="name" label={t('org.name')} rules={[{ required: true, message: t('org.name') }]}>
          <Input maxLength={100} />
        </Form.Item>
        {mode === 'create' && (
          <Form.Item name="type" label={t('org.type')} rules={[{ required: true }]}>
            <Select options={childTypes.map((type) => ({ value: type, label: t(`org_type.${type}`) }))} />
          </Form.Item>
        )}
        <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(200px, 1fr))', columnGap: 16 }}>
          <Form.Item name="secretaryName" label={t('org.secretary')}><Input maxLength={50} /></Form.Item>
          <Form.Item name="foundedOn" label={t('org.founded_on')}><DatePicker style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="contactName" label={t('org.contact')}><Input maxLength={50} /></Form.Item>
          <Form.Item name="contactPhone" label={t('org.contact_phone')}><Input maxLength={30} /></Form.Item>
          <Form.Item name="termStart" label={t('org.term_start')}><DatePicker style={{ width: '100%' }} /></Form.Item>
          <Form.Item name="termEnd" label={t('org.term_end')}><DatePicker style={{ width: '100%' }} /></Form.Item>
        </div>
        <Form.Item name="address" label={t('org.address')}><Input maxLength={200} /></Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * Orgs `org` may be moved under or merged into, found by name on the server: not itself, nothing
 * inside it, nothing dissolved. Only the latest search's answer is shown.
 */
function useOrgTargets(org: Org) {
  const t = useT();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const begin = useLatestRequest();
  const search = async (q: string) => {
    const isLatest = begin();
    const page = await api.get<OrgPage>('/orgs', { q, pageSize: 30 });
    if (!isLatest()) return;
    setOptions(page.items.filter((o) => o.id !== org.id && !o.path.startsWith(`${org.path}.`) && !o.dissolvedAt)
      .map((o) => ({ value: o.id, label: `${o.name}（${t(`org_type.${o.type}`)}）` })));
  };
  useEffect(() => {
    void search('');
  }, []);
  return { options, search };
}

/** Move an org (with its subtree) under another org found by name. */
export function MoveOrgDialog({ org, onClose, onSaved }: { org: Org; onClose: () => void; onSaved: (org: Org) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ parentId: string }>();
  const { options, search } = useOrgTargets(org);
  const [saving, setSaving] = useState(false);

  const submit = async ({ parentId }: { parentId: string }) => {
    setSaving(true);
    try {
      const saved = await api.post<Org>(`/orgs/${org.id}/move`, { parentId });
      void message.success(t('org.moved'));
      onSaved(saved);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={`${t('org.move')} · ${org.name}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('org.move_hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="parentId" label={t('org.move_to')} rules={[{ required: true, message: t('org.move_to') }]}>
          <Select showSearch={{ filterOption: false, onSearch: (q) => void search(q) }} options={options} placeholder={t('org.search_placeholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function DissolveOrgDialog({ org, onClose, onSaved }: { org: Org; onClose: () => void; onSaved: (org: Org) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [saving, setSaving] = useState(false);
  const submit = async ({ reason }: { reason: string }) => {
    setSaving(true);
    try {
      const saved = await api.post<Org>(`/orgs/${org.id}/dissolve`, { reason });
      void message.success(t('org.dissolved_ok'));
      onSaved(saved);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={`${t('org.dissolve')} · ${org.name}`} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ danger: true }} confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('org.dissolve_hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item name="reason" label={t('org.dissolve_reason')} rules={[{ required: true, message: t('org.dissolve_reason') }]}>
          <Input.TextArea maxLength={200} rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 机构改革: merge this org into another of its type; members, sub-orgs and records go to the survivor. */
export function MergeOrgDialog({ org, onClose, onSaved }: { org: Org; onClose: () => void; onSaved: (org: Org) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ intoId: string; reason: string }>();
  const { options, search } = useOrgTargets(org);
  const [saving, setSaving] = useState(false);

  const submit = async (values: { intoId: string; reason: string }) => {
    setSaving(true);
    try {
      const survivor = await api.post<Org>(`/orgs/${org.id}/merge`, values);
      void message.success(t('org.merged'));
      onSaved(survivor);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title={`${t('org.merge')} · ${org.name}`} onCancel={onClose} onOk={() => form.submit()} okButtonProps={{ danger: true }} confirmLoading={saving} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('org.merge_hint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="org-merge-form">
        <Form.Item name="intoId" label={t('org.merge_into')} rules={[{ required: true, message: t('org.merge_into') }]}>
          <Select showSearch={{ filterOption: false, onSearch: (q) => void search(q) }} options={options} placeholder={t('org.search_placeholder')} />
        </Form.Item>
        <Form.Item name="reason" label={t('org.merge_reason')} rules={[{ required: true, message: t('org.merge_reason') }]}>
          <Input.TextArea maxLength={200} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
