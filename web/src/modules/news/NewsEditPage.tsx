import { useEffect } from 'react';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Checkbox, Form, Input, Select, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import type { CreateNewsItem, NewsColumnList, NewsItem } from '../../../../contracts/news.js';
import { api } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { useT } from '../../platform/locale.js';
import { RichTextEditor } from '../../platform/RichTextEditor.js';
import { errorMessage, QueryState } from '../../platform/status.js';

/** Writing or correcting a news item (draft, returned or withdrawn): the editor, the column, the portal flag and the cover. */
export default function NewsEditPage() {
  const t = useT();
  const { id } = useParams();
  const navigate = useNavigate();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateNewsItem>();
  const { saving, run } = useFormSubmit(form);
  const columns = useQuery({ queryKey: ['news', 'columns'], queryFn: () => api.get<NewsColumnList>('/news/columns') });
  const item = useQuery({ queryKey: ['news', 'item', id], queryFn: () => api.get<NewsItem>(`/news/items/${id}`), enabled: !!id });
  useEffect(() => {
    if (item.data) form.setFieldsValue({ columnId: item.data.columnId, title: item.data.title, summary: item.data.summary ?? '', bodyHtml: item.data.bodyHtml, isPublic: item.data.isPublic });
  }, [item.data, form]);
  const cover = useMutation({
    mutationFn: (file: File) => {
      const body = new FormData();
      body.append('file', file);
      return api.upload<NewsItem>(`/news/items/${id}/cover`, body);
    },
    onSuccess: (updated) => { queryClient.setQueryData(['news', 'item', id], updated); void message.success(t('news.saved')); },
    onError: (error) => void message.error(errorMessage(error, t('app.error'))),
  });

  const save = () => run(async () => {
    const values = await form.validateFields();
    const saved = id
      ? await api.patch<NewsItem>(`/news/items/${id}`, { title: values.title, summary: values.summary, bodyHtml: values.bodyHtml, isPublic: values.isPublic })
      : await api.post<NewsItem>('/news/items', values);
    await queryClient.invalidateQueries({ queryKey: ['news'] });
    void message.success(t('news.saved'));
    void navigate(`/news/${saved.id}`, { replace: true });
  });

  const writable = (columns.data?.items ?? []).filter((c) => c.canWrite || c.id === item.data?.columnId);
  return (
    <QueryState isLoading={columns.isLoading || (!!id && item.isLoading)} error={columns.error ?? item.error}>
      <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 900 }} data-testid="news-edit">
        <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{id ? t('news.edit') : t('news.write')}</Typography.Title>
        <Card>
          <Form form={form} layout="vertical" initialValues={{ isPublic: false, bodyHtml: '' }}>
            <Form.Item name="columnId" label={t('news.form.column')} rules={[{ required: true }]}>
              <Select disabled={!!id} options={writable.map((c) => ({ value: c.id, label: `${c.name}（${c.orgName}）` }))} />
            </Form.Item>
            <Form.Item name="title" label={t('news.form.title')} rules={[{ required: true, whitespace: true }]}><Input maxLength={80} /></Form.Item>
            <Form.Item name="summary" label={t('news.form.summary')}><Input.TextArea rows={2} maxLength={200} /></Form.Item>
            <Form.Item name="bodyHtml" label={t('news.form.body')} rules={[{ required: true }]}>
              <RichTextEditor ariaLabel={t('news.form.body')} />
            </Form.Item>
            <Form.Item name="isPublic" valuePropName="checked"><Checkbox>{t('news.form.public')}</Checkbox></Form.Item>
            <Form.Item label={t('news.form.cover')} extra={id ? undefined : t('news.form.cover_hint')}>
              <Space wrap align="start">
                {item.data?.coverUrl && <img src={`${item.data.coverUrl}?v=${encodeURIComponent(item.data.updatedAt)}`} alt="" style={{ width: 160, height: 100, objectFit: 'cover', borderRadius: 4 }} />}
                <Upload accept="image/jpeg,image/png,image/webp" showUploadList={false} disabled={!id}
                  beforeUpload={(file) => { cover.mutate(file); return false; }}>
                  <Button icon={<UploadOutlined />} disabled={!id} loading={cover.isPending}>{t('news.form.cover_upload')}</Button>
                </Upload>
              </Space>
            </Form.Item>
            <Space wrap>
              <Button type="primary" loading={saving} onClick={() => void save()} data-testid="news-save">{t('news.save_draft')}</Button>
              <Button onClick={() => void navigate(-1)}>{t('news.cancel')}</Button>
            </Space>
          </Form>
        </Card>
      </Space>
    </QueryState>
  );
}
