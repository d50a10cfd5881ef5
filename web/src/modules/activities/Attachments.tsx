import { useState } from 'react';
import { App, Button, Image, Input, Popconfirm, Select, Space, Typography, Upload } from 'antd';
import { DeleteOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import { isSafeLink, type Activity, type ActivityFile, type AttachmentSchema } from '../../../../contracts/activities.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

export type Attachment = z.infer<typeof AttachmentSchema>;

/** Only web and same-site addresses become links (a stored `javascript:` address must never run). */
export const isSafeUrl = (url: string) => isSafeLink(url.trim());

const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const ACCEPTED = '.jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx';
const kb = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** Photos as thumbnails (tap to enlarge), files as links: the uploaded ones and the linked ones. */
export function Attachments({ items, files = [], onRemove }: { items: Attachment[]; files?: ActivityFile[]; onRemove?: (file: ActivityFile) => void }) {
  const t = useT();
  const photos = [
    ...files.filter((f) => f.kind === 'photo').map((f) => ({ key: `f${f.id}`, url: f.url, name: f.fileName, file: f })),
    ...items.filter((i) => i.kind === 'photo' && isSafeUrl(i.url)).map((i) => ({ key: i.url, url: i.url, name: i.name, file: undefined })),
  ];
  const documents = files.filter((f) => f.kind === 'document');
  const links = items.filter((i) => i.kind === 'file');
  if (items.length === 0 && files.length === 0) return null;
  const remove = (f: ActivityFile) => onRemove && (
    <Popconfirm title={t('activity.remove_file_confirm')} onConfirm={() => onRemove(f)}>
      <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label={`${t('common.delete')} ${f.fileName}`} />
    </Popconfirm>
  );
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="activity-attachments">
      {photos.length > 0 && (
        <>
          <Typography.Text strong>{t('activity.photos')}</Typography.Text>
          <Image.PreviewGroup>
            <Space wrap size={8}>
              {photos.map((p) => (
                <Space key={p.key} orientation="vertical" size={0} align="center">
                  <Image src={p.url} alt={p.name} width={96} height={96} style={{ objectFit: 'cover', borderRadius: 6 }} />
                  {p.file && remove(p.file)}
                </Space>
              ))}
            </Space>
          </Image.PreviewGroup>
        </>
      )}
      {(documents.length > 0 || links.length > 0) && (
        <>
          <Typography.Text strong>{t('activity.attachments')}</Typography.Text>
          {documents.map((f) => (
            <Space key={`f${f.id}`} size={4} wrap>
              <a href={f.url} target="_blank" rel="noreferrer"><PaperClipOutlined /> {f.fileName}</a>
              <Typography.Text type="secondary">{kb(f.sizeBytes)}</Typography.Text>
              {remove(f)}
            </Space>
          ))}
          {links.map((f) => (isSafeUrl(f.url)
            ? <a key={f.url} href={f.url} target="_blank" rel="noreferrer"><PaperClipOutlined /> {f.name}</a>
            : <Typography.Text key={f.url}><PaperClipOutlined /> {f.name}</Typography.Text>))}
        </>
      )}
    </Space>
  );
}

/**
 * The organizer uploads photos and papers of the meeting (several at once, 10 MB each); the server
 * decides the type from the bytes. Files can be removed until the activity is closed.
 */
export function FileUploader({ activity: a, onChanged }: { activity: Activity; onChanged: () => Promise<unknown> }) {
  const t = useT();
  const { message } = App.useApp();
  const [pending, setPending] = useState(0);
  const canRemove = a.status === 'draft' || a.status === 'published';
  async function upload(file: File) {
    if (file.size > MAX_UPLOAD_BYTES) { void message.error(t('activity.file_too_big', { name: file.name })); return; }
    const form = new FormData();
    form.append('file', file, file.name);
    setPending((n) => n + 1);
    try {
      await api.upload<Activity>(`/activities/${a.id}/attachments`, form);
      void message.success(t('activity.file_uploaded', { name: file.name }));
    } catch (error) {
      void message.error(`${file.name}：${errorMessage(error, t('app.error'))}`);
    } finally {
      setPending((n) => n - 1);
      await onChanged();
    }
  }
  async function remove(file: ActivityFile) {
    try {
      await api.delete(`/activities/${a.id}/attachments/${file.id}`);
      await onChanged();
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  }
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }} data-testid="activity-files">
      <Space wrap>
        <Upload multiple showUploadList={false} accept={ACCEPTED} beforeUpload={(file) => { void upload(file); return false; }}>
          <Button icon={<UploadOutlined />} loading={pending > 0} data-testid="activity-file-upload">{t('activity.upload_files')}</Button>
        </Upload>
        <Typography.Text type="secondary">{t(canRemove ? 'activity.upload_hint' : 'activity.upload_hint_closed')}</Typography.Text>
      </Space>
      <Attachments items={[]} files={a.files} onRemove={canRemove ? (f) => void remove(f) : undefined} />
    </Space>
  );
}

/** Edits the list of photos and attachments of a record (name and address of each). */
export function AttachmentsEditor({ value = [], onChange }: { value?: Attachment[]; onChange?: (value: Attachment[]) => void }) {
  const t = useT();
  const set = (index: number, patch: Partial<Attachment>) => onChange?.(value.map((a, i) => (i === index ? { ...a, ...patch } : a)));
  return (
    <Space orientation="vertical" size={8} style={{ width: '100%' }}>
      {value.map((a, i) => (
        <Space.Compact key={i} block>
          <Select value={a.kind} aria-label={t('activity.attachment_kind_label')} style={{ width: 90 }} onChange={(kind: Attachment['kind']) => set(i, { kind })}
            options={(['photo', 'file'] as const).map((k) => ({ value: k, label: t(`activity.attachment_kind.${k}`) }))} />
          <Input value={a.name} placeholder={t('activity.attachment_name')} maxLength={200} style={{ width: '35%' }} onChange={(e) => set(i, { name: e.target.value })} />
          <Input value={a.url} placeholder="https://" maxLength={1000} onChange={(e) => set(i, { url: e.target.value })} />
          <Button icon={<DeleteOutlined />} aria-label={t('common.delete')} onClick={() => onChange?.(value.filter((_, j) => j !== i))} />
        </Space.Compact>
      ))}
      <Button type="dashed" icon={<PlusOutlined />} onClick={() => onChange?.([...value, { kind: 'photo', name: '', url: '' }])}>{t('activity.add_link')}</Button>
    </Space>
  );
}
