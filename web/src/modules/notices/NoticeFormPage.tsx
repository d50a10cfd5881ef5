import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, DatePicker, Form, Input, Radio, Space, Switch, Typography } from 'antd';
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import type { Notice, NoticeFile, NoticeInput, NoticeTargetKind } from '../../../../contracts/notices.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { useOwnOrg } from '../../platform/own-org.js';
import { RichTextEditor } from '../../platform/RichTextEditor.js';
import { QueryState } from '../../platform/status.js';
import { OrgTreeSelect } from '../orgs/OrgTreeSelect.js';
import { NoticeFiles } from './NoticeFiles.js';

interface FormValues {
  orgId: string;
  title: string;
  body: string;
  targetKind: NoticeTargetKind;
  targetOrgIds: (string | undefined)[];
  toMembers: boolean;
  toOrgAdmins: boolean;
  mustRead: boolean;
  readDeadline: Dayjs | null;
}

const toInput = (v: FormValues): NoticeInput => ({
  orgId: v.orgId, title: v.title, body: v.body ?? '', targetKind: v.targetKind,
  targetOrgIds: v.targetKind === 'orgs' ? (v.targetOrgIds ?? []).filter((id): id is string => !!id) : [],
  toMembers: v.toMembers, toOrgAdmins: v.toOrgAdmins, mustRead: v.mustRead,
  readDeadline: v.mustRead && v.readDeadline ? v.readDeadline.toISOString() : null,
});

/** A notice's draft: new (/notices/new) or edited (/notices/:id/edit); publishing is on its page. */
export default function NoticeFormPage() {
  const t = useT();
  const { id } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const { saving, run } = useFormSubmit(form);
  const own = useOwnOrg();
  const existing = useQuery({ queryKey: ['notices', id], queryFn: () => api.get<Notice>(`/notices/${id}`), enabled: !!id });
  const [files, setFiles] = useState<NoticeFile[]>([]);
  const targetKind = Form.useWatch('targetKind', form);
  const mustRead = Form.useWatch('mustRead', form);

  useEffect(() => {
    const n = existing.data;
    if (!n) return;
    form.setFieldsValue({
      orgId: n.orgId, title: n.title, body: n.bodyHtml, targetKind: n.targetKind, targetOrgIds: n.targetOrgs.map((o) => o.id),
      toMembers: n.toMembers, toOrgAdmins: n.toOrgAdmins, mustRead: n.mustRead, readDeadline: n.readDeadline ? dayjs(n.readDeadline) : null,
    });
    setFiles(n.files);
  }, [existing.data, form]);
  useEffect(() => {
    if (!id && own.orgId && !form.getFieldValue('orgId')) form.setFieldValue('orgId', own.orgId);
  }, [id, own.orgId, form]);

  const submit = (values: FormValues) => run(async () => {
    const saved = id ? await api.put<Notice>(`/notices/${id}`, toInput(values)) : await api.post<Notice>('/notices', toInput(values));
    queryClient.setQueryData(['notices', saved.id], saved);
    void queryClient.invalidateQueries({ queryKey: ['notices', 'list'] });
    void message.success(t('notice.saved'));
    void navigate(`/notices/${saved.id}`);
  });

  const uploadImage = id ? async (file: File) => {
    const data = new FormData();
    data.append('file', file, file.name);
    const uploaded = await api.upload<NoticeFile>(`/notices/${id}/files`, data);
    setFiles((current) => [...current, uploaded]);
    return uploaded.url;
  } : undefined;

  const required = [{ required: true, message: t('notice.required') }];
  return (
    <QueryState isLoading={!!id && existing.isLoading} error={existing.error}>
      <Card
        title={<Typography.Title level={1} style={{ fontSize: 18, margin: 0 }}>{id ? t('notice.edit') : t('notice.create')}</Typography.Title>}
        extra={<Link to={id ? `/notices/${id}` : '/notices'}><Button icon={<ArrowLeftOutlined />}>{t('common.back')}</Button></Link>}
        styles={{ body: { padding: 16 } }}
      >
        {existing.data?.status === 'scheduled' && <Alert type="info" showIcon message={t('notice.edit_hint')} style={{ marginBottom: 16 }} />}
        <Form<FormValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} style={{ maxWidth: 860 }}
          initialValues={{ targetKind: 'subtree', targetOrgIds: [undefined], toMembers: true, toOrgAdmins: false, mustRead: false, readDeadline: null, body: '' }}>
          <Form.Item name="orgId" label={t('notice.org')} rules={required}><OrgTreeSelect placeholder={t('notice.pick_org')} allowClear={false} /></Form.Item>
          <Form.Item name="title" label={t('notice.title')} rules={required}><Input maxLength={100} /></Form.Item>
          <Form.Item name="body" label={t('notice.body')} rules={required}>
            <RichTextEditor ariaLabel={t('notice.body')} onUploadImage={uploadImage} />
          </Form.Item>
          <Form.Item name="targetKind" label={t('notice.targets')}>
            <Radio.Group options={[{ value: 'subtree', label: t('notice.target.subtree') }, { value: 'orgs', label: t('notice.target.orgs') }]} />
          </Form.Item>
          {targetKind === 'orgs' && (
            <Form.List name="targetOrgIds">
              {(fields, { add, remove }) => (
                <Form.Item label={t('notice.target_orgs')} required>
                  <Space orientation="vertical" style={{ width: '100%' }}>
                    {fields.map((field, index) => (
                      <Space.Compact key={field.key} style={{ width: '100%' }}>
                        <Form.Item name={field.name} noStyle rules={required}>
                          <OrgTreeSelect aria-label={`${t('notice.target_orgs')} ${index + 1}`} style={{ width: '100%' }} />
                        </Form.Item>
                        <Button icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${index + 1}`} onClick={() => remove(field.name)} disabled={fields.length === 1} />
                      </Space.Compact>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add()}>{t('notice.add_target')}</Button>
                  </Space>
                </Form.Item>
              )}
            </Form.List>
          )}
          <Form.Item label={t('notice.audience')} required>
            <Space wrap>
              <Form.Item name="toMembers" valuePropName="checked" noStyle><Checkbox>{t('notice.to_members')}</Checkbox></Form.Item>
              <Form.Item name="toOrgAdmins" valuePropName="checked" noStyle><Checkbox>{t('notice.to_org_admins')}</Checkbox></Form.Item>
            </Space>
          </Form.Item>
          <Form.Item name="mustRead" label={t('notice.must_read')} valuePropName="checked" extra={t('notice.must_read_hint')}><Switch /></Form.Item>
          {mustRead && (
            <Form.Item name="readDeadline" label={t('notice.read_deadline')} rules={required}>
              <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%', maxWidth: 260 }} />
            </Form.Item>
          )}
          <Form.Item label={t('notice.files')}>
            {id ? <NoticeFiles noticeId={id} files={files} onChange={setFiles} editable /> : <Typography.Text type="secondary">{t('notice.files_after_save')}</Typography.Text>}
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="notice-save">{t('notice.save_draft')}</Button>
        </Form>
      </Card>
    </QueryState>
  );
}
