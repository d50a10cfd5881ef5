import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select, Space, Switch } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import {
  SERVICE_SOURCES, SERVICE_STATUSES, type Categories, type CreateServiceProject, type ServiceProjectDetail, type UpdateServiceProject,
} from '../../../../contracts/service_projects.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { isoDay, toDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

interface MilestoneValues { title: string; dueOn: Dayjs | null; doneOn?: Dayjs | null }
interface FormValues {
  orgId?: string;
  title: string;
  category?: string;
  source?: CreateServiceProject['source'];
  need: string;
  ownerName: string;
  startedOn: Dayjs | null;
  plannedCompletion: Dayjs | null;
  progress: number;
  status: NonNullable<CreateServiceProject['status']>;
  isMajorProblem: boolean;
  result?: string | null;
  isPublic: boolean;
  milestones: MilestoneValues[];
}

/** Categories are per tree (set by its work committee): loaded for the chosen org. */
export function useCategories(orgId: string | undefined) {
  return useQuery({
    queryKey: ['service-projects', 'categories', orgId],
    queryFn: () => api.get<Categories>('/service-projects/categories', { orgId }),
    enabled: !!orgId,
  });
}

function initialValues(project: ServiceProjectDetail | undefined, orgId: string | undefined): Partial<FormValues> {
  if (!project) {
    return { orgId, startedOn: todayInChina(), progress: 0, status: 'planned', isMajorProblem: false, isPublic: true, milestones: [] };
  }
  return {
    orgId: project.orgId, title: project.title, category: project.category, source: project.source, need: project.need, ownerName: project.ownerName,
    startedOn: toDay(project.startedOn), plannedCompletion: toDay(project.plannedCompletion), progress: project.progress, status: project.status,
    isMajorProblem: project.isMajorProblem, result: project.result, isPublic: project.isPublic,
    milestones: project.milestones.map((m) => ({ title: m.title, dueOn: toDay(m.dueOn), doneOn: toDay(m.doneOn) })),
  };
}

/** New project, or edit of one: every field of the ledger, with its milestones. */
export function ProjectFormDialog({ open, project, defaultOrgId, onClose, onSaved }: {
  open: boolean;
  project?: ServiceProjectDetail;
  defaultOrgId?: string;
  onClose: () => void;
  onSaved: (project: ServiceProjectDetail) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const orgId = Form.useWatch('orgId', form);
  const categories = useCategories(orgId ?? project?.orgId);

  useEffect(() => {
    if (open) {
      form.resetFields();
      form.setFieldsValue(initialValues(project, defaultOrgId));
    }
  }, [open, project, defaultOrgId, form]);

  const submit = async (v: FormValues) => {
    const fields = {
      title: v.title, category: v.category!, source: v.source!, need: v.need, ownerName: v.ownerName,
      startedOn: isoDay(v.startedOn) ?? undefined, plannedCompletion: isoDay(v.plannedCompletion)!, progress: v.progress, status: v.status,
      isMajorProblem: v.isMajorProblem, result: v.result ?? null, isPublic: v.isPublic,
      milestones: (v.milestones ?? []).map((m) => ({ title: m.title, dueOn: isoDay(m.dueOn)!, doneOn: isoDay(m.doneOn) })),
    };
    setSaving(true);
    try {
      const saved = project
        ? await api.patch<ServiceProjectDetail>(`/service-projects/${project.id}`, fields satisfies UpdateServiceProject)
        : await api.post<ServiceProjectDetail>('/service-projects', { orgId: v.orgId!, ...fields } satisfies CreateServiceProject);
      void message.success(project ? t('common.saved') : t('service.created'));
      onSaved(saved);
    } catch (error) {
      const { handled, unplaced } = showFieldErrors(form, error);
      if (!handled || unplaced.length) void message.error(unplaced[0] ?? errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };

  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal
      open={open}
      title={project ? t('service.edit') : t('service.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'project-save' }}
      width={760}
      destroyOnHidden
    >
      <Form<FormValues>
        form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="project-form"
        // another org may belong to another tree, with other categories
        onValuesChange={(changed: Partial<FormValues>) => { if ('orgId' in changed) form.setFieldValue('category', undefined); }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="orgId" label={t('service.org')} rules={required}>
              {project ? <Input disabled value={project.orgName} /> : <OrgTreeSelect placeholder={t('service.pick_org')} style={{ width: '100%' }} />}
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="category" label={t('service.category')} rules={required}>
              <Select loading={categories.isLoading} options={(categories.data?.names ?? []).map((n) => ({ value: n, label: n }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="title" label={t('service.project_title')} rules={required}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="need" label={t('service.need')} rules={required}>
          <Input.TextArea maxLength={1000} autoSize={{ minRows: 2, maxRows: 5 }} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="source" label={t('service.source')} rules={required}>
              <Select options={SERVICE_SOURCES.map((s) => ({ value: s, label: t(`service.source.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="ownerName" label={t('service.owner')} rules={required}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="status" label={t('service.status')}>
              <Select options={SERVICE_STATUSES.map((s) => ({ value: s, label: t(`service.status.${s}`) }))}
                onChange={(s: string) => { if (s === 'done') form.setFieldValue('progress', 100); }} />
            </Form.Item>
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="startedOn" label={t('service.started_on')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="plannedCompletion" label={t('service.planned_completion')} rules={required}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="progress" label={`${t('service.progress')} (%)`}>
              <InputNumber min={0} max={100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="result" label={t('service.result')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 2, maxRows: 6 }} />
        </Form.Item>
        <Space size={32} wrap>
          <Form.Item name="isMajorProblem" label={t('service.major_flag')} valuePropName="checked"><Switch /></Form.Item>
          <Form.Item name="isPublic" label={t('service.is_public')} valuePropName="checked"><Switch /></Form.Item>
        </Space>
        <Form.Item label={t('service.milestones')}>
          <Form.List name="milestones">
            {(items, { add, remove }) => (
              <>
                {items.map(({ key, name }) => (
                  <Space key={key} align="baseline" wrap style={{ display: 'flex', marginBottom: 4 }}>
                    <Form.Item name={[name, 'title']} rules={required} style={{ marginBottom: 4 }}>
                      <Input placeholder={t('service.milestone_title')} maxLength={100} style={{ width: 240 }} />
                    </Form.Item>
                    <Form.Item name={[name, 'dueOn']} rules={required} style={{ marginBottom: 4 }}>
                      <DatePicker placeholder={t('service.milestone_due')} />
                    </Form.Item>
                    <Form.Item name={[name, 'doneOn']} style={{ marginBottom: 4 }}>
                      <DatePicker placeholder={t('service.milestone_done')} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(name)} aria-label={t('common.delete')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ title: '', dueOn: null })}>{t('service.add_milestone')}</Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Modal>
  );
}
