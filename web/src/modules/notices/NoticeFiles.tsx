import { useState } from 'react';
import { App, Button, List, Upload } from 'antd';
import { DeleteOutlined, FileOutlined, PictureOutlined, UploadOutlined } from '@ant-design/icons';
import type { NoticeFile } from '../../../../contracts/notices.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

/** A notice's attachments: links that download them; while it is a draft, upload and remove. */
export function NoticeFiles({ noticeId, files, onChange, editable = false }: { noticeId: string; files: NoticeFile[]; onChange?: (files: NoticeFile[]) => void; editable?: boolean }) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    const data = new FormData();
    data.append('file', file, file.name);
    setUploading(true);
    try {
      const uploaded = await api.upload<NoticeFile>(`/notices/${noticeId}/files`, data);
      onChange?.([...files, uploaded]);
      void message.success(t('notice.file_uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  };
  const remove = async (file: NoticeFile) => {
    try {
      await api.delete(`/notices/${noticeId}/files/${file.id}`);
      onChange?.(files.filter((f) => f.id !== file.id));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    }
  };
  return (
    <div>
      {files.length > 0 && (
        <List size="small" dataSource={files} style={{ marginBottom: editable ? 8 : 0 }}
          renderItem={(f) => (
            <List.Item actions={editable ? [<Button key="rm" type="text" danger icon={<DeleteOutlined />} aria-label={t('notice.remove_file', { name: f.fileName })} onClick={() => void remove(f)} />] : undefined}>
              <a href={f.url} target="_blank" rel="noreferrer" style={{ wordBreak: 'break-all' }}>
                {f.kind === 'photo' ? <PictureOutlined /> : <FileOutlined />} {f.fileName}
              </a>
            </List.Item>
          )} />
      )}
      {editable && (
        <Upload showUploadList={false} accept="image/jpeg,image/png,image/webp,.pdf,.doc,.docx,.xls,.xlsx" beforeUpload={(file) => { void upload(file); return false; }}>
          <Button icon={<UploadOutlined />} loading={uploading} data-testid="notice-upload">{t('notice.upload')}</Button>
        </Upload>
      )}
    </div>
  );
}
