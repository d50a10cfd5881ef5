import { useState } from 'react';
import { App, Button, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

/** Uploads one file (multipart field "file") to `url` and hands the server's answer on. */
export function UploadButton<T>({ url, accept, label, onUploaded, testId }: { url: string; accept: string; label: string; onUploaded: (answer: T) => void; testId?: string }) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  async function upload(file: File) {
    const form = new FormData();
    form.append('file', file, file.name);
    setUploading(true);
    try {
      onUploaded(await api.upload<T>(url, form));
      void message.success(t('brand.uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  }
  return (
    <Upload showUploadList={false} accept={accept} beforeUpload={(file) => { void upload(file); return false; }}>
      <Button icon={<UploadOutlined />} loading={uploading} data-testid={testId}>{label}</Button>
    </Upload>
  );
}
