import { useState } from 'react';
import { Link } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, DatePicker, Empty, Form, Input, InputNumber, List, Modal, Pagination, Popconfirm, Select, Space, Tag, Typography } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, SendOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { ORG_TYPES, type OrgType } from '../../../../contracts/orgs.js';
import { RESPONSIBILITY_LEVELS, type IssueResult, type ResponsibilityLevel, type Template, type TemplatePage } from '../../../../contracts/responsibility_lists.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { isoDay, toDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

const PAGE_SIZE = 20;

interface TemplateForm { orgId: string; level: ResponsibilityLevel; year: number; title: string; items: { task: string; deadline: Dayjs; evidenceRequired: string }[] }
interface IssueForm { subtreeOrgId: string; orgTypes?: OrgType[] }

/** 责任清单模板: written by an org for the level below, then issued to a subtree in one go. */
export default function TemplatesPage() {
  const t = useT();
  const [page, setPage] = useState(1);
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Template | null>(null);
  const [issuing, setIssuing] = useState<Template | null>(null);
  const remove = async (tpl: Template) => {
    try {
      await api.delete(`/responsibility/templates/${tpl.id}`);
      await queryClient.invalidateQueries({ queryKey: ['responsibility', 'templates'] });
      void message.success(t('resp.template_deleted'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  // Issued lists carry their own copy of the items, so a template is corrected only before it is issued.
  const actionsOf = (tpl: Template) => !tpl.canIssue ? [] : [
    ...(tpl.listCount === 0 ? [
      <Button key="edit" size="small" icon={<EditOutlined />} onClick={() => setEditing(tpl)}>{t('resp.edit')}</Button>,
      <Popconfirm key="delete" title={t('resp.delete_confirm')} okText={t('resp.delete')} cancelText={t('resp.cancel')} onConfirm={() => remove(tpl)}>
        <Button size="small" danger icon={<DeleteOutlined />}>{t('resp.delete')}</Button>
      </Popconfirm>,
    ] : []),
    <Button key="issue" size="small" icon={<SendOutlined />} onClick={() => setIssuing(tpl)}>{t('resp.issue')}</Button>,
  ];
  const templates = useQuery({
    queryKey: ['responsibility', 'templates', page],
    queryFn: () => api.get<TemplatePage>('/responsibility/templates', { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="responsibility-templates">
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('resp.templates_title')}</Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('resp.new_template')}</Button>
      </Space>
      <QueryState isLoading={templates.isLoading} error={templates.error} retry={() => void templates.refetch()}>
        {(templates.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('resp.no_templates')} /></Card> : (
          <List bordered dataSource={templates.data?.items ?? []} style={{ background: 'var(--ant-color-bg-container, #fff)' }}
            renderItem={(tpl) => (
              <List.Item actions={actionsOf(tpl)}>
                <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                  <Link to={`/responsibility/lists?templateId=${tpl.id}`} style={{ overflowWrap: 'anywhere' }}>{tpl.title}</Link>
                  <Space wrap size={[6, 4]}>
                    <Tag>{tpl.year}</Tag>
                    <Tag color="red">{t(`resp.level.${tpl.level}`)}</Tag>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {tpl.orgName} · {t('resp.item_count', { n: tpl.items.length })} · {t('resp.list_count', { n: tpl.listCount })}
                    </Typography.Text>
                  </Space>
                </Space>
              </List.Item>
            )} />
        )}
        {(templates.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={templates.data?.total ?? 0} onChange={setPage} />}
      </QueryState>
      {creating && <TemplateModal onClose={() => setCreating(false)} />}
      {editing && <TemplateModal template={editing} onClose={() => setEditing(null)} />}
      {issuing && <IssueModal template={issuing} onClose={() => setIssuing(null)} />}
    </Space>
  );
}

/** New template, or — with `template` — the correction of one not issued yet (its org stays). */
function TemplateModal({ template, onClose }: { template?: Template; onClose: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<TemplateForm>();
  const { saving, run } = useFormSubmit(form);
  const required = [{ required: true, whitespace: true, message: t('resp.required') }];
  const save = (v: TemplateForm) => run(async () => {
    const items = v.items.map((i) => ({ ...i, deadline: isoDay(i.deadline) }));
    if (template) await api.patch<Template>(`/responsibility/templates/${template.id}`, { level: v.level, year: v.year, title: v.title, items });
    else await api.post<Template>('/responsibility/templates', { ...v, items });
    await queryClient.invalidateQueries({ queryKey: ['responsibility', 'templates'] });
    void message.success(t('resp.saved'));
    onClose();
  });
  return (
    <Modal open title={template ? t('resp.edit_template') : t('resp.new_template')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('resp.cancel')} width={720} destroyOnHidden>
      <Form<TemplateForm> form={form} layout="vertical" onFinish={(v) => void save(v)}
        initialValues={template
          ? { orgId: template.orgId, level: template.level, year: template.year, title: template.title, items: template.items.map((i) => ({ ...i, deadline: toDay(i.deadline) ?? undefined })) }
          : { level: 'branch_secretary', year: todayInChina().year(), items: [{ task: '', evidenceRequired: '' }] }}>
        {template
          ? <Form.Item label={t('resp.issuing_org')}><Typography.Text>{template.orgName}</Typography.Text></Form.Item>
          : <Form.Item name="orgId" label={t('resp.issuing_org')} rules={[{ required: true, message: t('resp.required') }]}><OrgTreeSelect /></Form.Item>}
        <Space wrap>
          <Form.Item name="level" label={t('resp.level')} rules={[{ required: true }]}>
            <Select style={{ width: 180 }} options={RESPONSIBILITY_LEVELS.map((l) => ({ value: l, label: t(`resp.level.${l}`) }))} />
          </Form.Item>
          <Form.Item name="year" label={t('resp.year')} rules={[{ required: true }]}><InputNumber min={2000} max={2100} /></Form.Item>
        </Space>
        <Form.Item name="title" label={t('resp.title')} rules={required}><Input maxLength={100} /></Form.Item>
        <Form.List name="items">
          {(fields, { add, remove }) => (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {fields.map((field, index) => (
                <Card key={field.key} size="small" title={`${t('resp.items')} ${index + 1}`}
                  extra={fields.length > 1 && <Button type="text" danger size="small" icon={<DeleteOutlined />} aria-label={t('resp.remove_item')} onClick={() => remove(field.name)} />}>
                  <Form.Item name={[field.name, 'task']} label={t('resp.task')} rules={required}><Input.TextArea rows={2} maxLength={300} /></Form.Item>
                  <Form.Item name={[field.name, 'deadline']} label={t('resp.deadline')} rules={[{ required: true, message: t('resp.required') }]}><DatePicker style={{ width: '100%' }} /></Form.Item>
                  <Form.Item name={[field.name, 'evidenceRequired']} label={t('resp.evidence_required')} rules={required}><Input maxLength={300} /></Form.Item>
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ task: '', evidenceRequired: '' })}>{t('resp.add_item')}</Button>
            </Space>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

function IssueModal({ template, onClose }: { template: Template; onClose: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<IssueForm>();
  const { saving, run } = useFormSubmit(form);
  const issue = (v: IssueForm) => run(async () => {
    const result = await api.post<IssueResult>(`/responsibility/templates/${template.id}/issue`, { subtreeOrgId: v.subtreeOrgId, ...(v.orgTypes?.length ? { orgTypes: v.orgTypes } : {}) });
    await queryClient.invalidateQueries({ queryKey: ['responsibility'] });
    void message.success(t('resp.issued', { issued: result.issued, already: result.alreadyIssued }));
    onClose();
  });
  return (
    <Modal open title={`${t('resp.issue_title')}：${template.title}`} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving} cancelText={t('resp.cancel')} destroyOnHidden>
      <Form<IssueForm> form={form} layout="vertical" onFinish={(v) => void issue(v)} initialValues={{ subtreeOrgId: template.orgId }}>
        <Form.Item name="subtreeOrgId" label={t('resp.issue_subtree')} rules={[{ required: true, message: t('resp.required') }]}><OrgTreeSelect /></Form.Item>
        {template.level === 'member' ? <Typography.Paragraph type="secondary">{t('resp.issue_members_hint')}</Typography.Paragraph> : (
          <Form.Item name="orgTypes" label={t('resp.issue_types')}>
            <Select mode="multiple" allowClear options={ORG_TYPES.map((type) => ({ value: type, label: t(`org_type.${type}`) }))} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
