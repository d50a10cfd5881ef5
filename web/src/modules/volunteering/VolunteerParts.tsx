import { useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { App, DatePicker, Form, Input, InputNumber, Modal, Select, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { CommunityPage } from '../../../../contracts/communities.js';
import type { CreateVolunteerProject, UpdateVolunteerProject, VolunteerProject } from '../../../../contracts/volunteering.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';

export type ProjectPhase = 'cancelled' | 'ended' | 'in_progress' | 'upcoming';

export function phaseOf(p: VolunteerProject, now = Date.now()): ProjectPhase {
  if (p.isCancelled) return 'cancelled';
  if (new Date(p.endsAt).getTime() <= now) return 'ended';
  if (new Date(p.startsAt).getTime() <= now) return 'in_progress';
  return 'upcoming';
}

export function PhaseTag({ project }: { project: VolunteerProject }) {
  const t = useT();
  const phase = phaseOf(project);
  const color = { cancelled: 'default', ended: 'default', in_progress: 'processing', upcoming: 'green' }[phase];
  return <Tag color={color} data-testid="volunteer-phase">{t(`volunteer.${phase === 'cancelled' ? 'cancelled' : phase}`)}</Tag>;
}

/** 2026-05-01 09:00 – 11:30 (the day once when both ends fall on it). */
export function timeRange(p: Pick<VolunteerProject, 'startsAt' | 'endsAt'>): string {
  const start = formatTime(p.startsAt), end = formatTime(p.endsAt);
  return start.slice(0, 10) === end.slice(0, 10) ? `${start} – ${end.slice(11)}` : `${start} – ${end}`;
}

/** The project's length in hours, to one decimal: the most hours an organizer can confirm. */
export const lengthInHours = (p: Pick<VolunteerProject, 'startsAt' | 'endsAt'>) =>
  Math.ceil((new Date(p.endsAt).getTime() - new Date(p.startsAt).getTime()) / 360_000) / 10;

interface FormValues {
  orgId?: string; communityId?: string; title: string; description?: string | null; place: string; startsAt: Dayjs | null; endsAt: Dayjs | null; capacity: number;
}

/** Post a volunteer project for an org the viewer runs (optionally in a community), or edit one. */
export function VolunteerProjectDialog({ open, project, onClose, onSaved }: {
  open: boolean;
  project?: VolunteerProject;
  onClose: () => void;
  onSaved: (p: VolunteerProject) => void;
}) {
  const t = useT();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const communities = useQuery({ queryKey: ['communities', 'all'], queryFn: () => api.get<CommunityPage>('/communities', { pageSize: 200 }), enabled: open && !project });
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(project
      ? { title: project.title, description: project.description, place: project.place, startsAt: dayjs(project.startsAt), endsAt: dayjs(project.endsAt), capacity: project.capacity }
      : { capacity: 10 });
  }, [open, project, form]);

  const submit = (v: FormValues) => run(async () => {
    const common = {
      title: v.title, description: v.description || null, place: v.place,
      startsAt: v.startsAt?.toISOString() ?? '', endsAt: v.endsAt?.toISOString() ?? '', capacity: v.capacity,
    };
    const saved = project
      ? await api.patch<VolunteerProject>(`/volunteering/projects/${project.id}`, common satisfies UpdateVolunteerProject)
      : await api.post<VolunteerProject>('/volunteering/projects', { ...common, orgId: v.orgId ?? '', communityId: v.communityId } satisfies CreateVolunteerProject);
    void message.success(project ? t('common.saved') : t('volunteer.created'));
    onSaved(saved);
  });
  const required = [{ required: true, message: t('service.required') }];
  return (
    <Modal open={open} title={project ? t('volunteer.edit') : t('volunteer.create')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={saving}
      okButtonProps={{ 'data-testid': 'volunteer-save' }} destroyOnHidden>
      <Form<FormValues> form={form} name="volunteer_project" layout="vertical" onFinish={(v) => void submit(v)} data-testid="volunteer-form">
        {!project && (
          <>
            <Form.Item name="orgId" label={t('volunteer.org')} rules={required}><OrgTreeSelect placeholder={t('volunteer.pick_org')} /></Form.Item>
            <Form.Item name="communityId" label={t('volunteer.community')}>
              <Select allowClear showSearch optionFilterProp="label" loading={communities.isLoading}
                options={(communities.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name}（${c.street}）` }))} />
            </Form.Item>
          </>
        )}
        <Form.Item name="title" label={t('volunteer.project_title')} rules={required}><Input maxLength={100} /></Form.Item>
        <Form.Item name="description" label={t('volunteer.description')}><Input.TextArea maxLength={2000} autoSize={{ minRows: 3 }} /></Form.Item>
        <Form.Item name="place" label={t('volunteer.place')} rules={required}><Input maxLength={200} /></Form.Item>
        <Form.Item name="startsAt" label={t('volunteer.starts_at')} rules={required}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="endsAt" label={t('volunteer.ends_at')} rules={required}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="capacity" label={t('volunteer.capacity')} rules={required}><InputNumber min={1} max={10000} precision={0} style={{ width: 160 }} /></Form.Item>
      </Form>
    </Modal>
  );
}
