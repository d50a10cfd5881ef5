import { useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Space, Upload } from 'antd';
import { DeleteOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import type { Check, Round } from '../../../../contracts/standardization.js';
import { api } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { errorMessage } from '../../platform/status.js';

/** A criterion's evidence files: links for every reader; upload and removal while the branch assesses itself. */
export function EvidenceFiles({ round, check, editable }: { round: Round; check: Check; editable: boolean }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const replace = (next: Round) => queryClient.setQueryData(['standardization', 'round', round.id], next);
  const fail = (error: unknown) => void message.error(errorMessage(error, t('app.error')));
  if (!editable && check.files.length === 0) return null;
  return (
    <Space orientation="vertical" size={2} style={{ width: '100%', marginTop: 6 }}>
      {check.files.map((f) => (
        <Space key={f.id} size={4} style={{ maxWidth: '100%' }}>
          <PaperClipOutlined />
          <a href={f.url} target="_blank" rel="noreferrer" style={{ overflowWrap: 'anywhere' }}>{f.fileName}</a>
          {editable && (
            <Button size="small" type="text" aria-label={`${t('std.remove')} ${f.fileName}`} icon={<DeleteOutlined />}
              onClick={() => api.delete<Round>(`/standardization/rounds/${round.id}/files/${f.id}`).then(replace, fail)} />
          )}
        </Space>
      ))}
      {editable && (
        <Upload showUploadList={false} accept="image/*,.pdf,.doc,.docx,.xls,.xlsx"
          customRequest={({ file, onSuccess, onError }) => {
            const form = new FormData();
            form.append('file', file as Blob);
            api.upload<Round>(`/standardization/rounds/${round.id}/criteria/${check.criterionId}/files`, form)
              .then((next) => { replace(next); onSuccess?.(next); }, (error: unknown) => { fail(error); onError?.(error as Error); });
          }}>
          <Button size="small" icon={<UploadOutlined />}>{t('std.attach')}</Button>
        </Upload>
      )}
    </Space>
  );
}
