import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Descriptions, Form, Input, List, Radio, Space, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, FileOutlined, UploadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { FULFILMENT_RATINGS, type AddProgress, type Pledge, type RatePledge } from '../../../../contracts/pledges.js';
import { api, showFieldErrors } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime, isoDay, todayInChina } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { PledgeItemsForm } from './PledgeItemsForm.js';
import { PhaseTag, PledgeStatusTag, SatisfactionText } from './PledgeTags.js';

/**
 * One pledge, phone-first: the pledger edits and submits it, records progress with photos and rates
 * it at the end; the branch approves or returns it and gives its rating.
 */
export default function PledgePage() {
  const t = useT();
  const { id = '' } = useParams();
  const isAdminView = useLocation().pathname.startsWith('/pledges');
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const pledge = useQuery({ queryKey: ['pledges', id], queryFn: () => api.get<Pledge>(`/pledges/${id}`) });
  const p = pledge.data;
  const saved = (next: Pledge) => {
    queryClient.setQueryData(['pledges', id], next);
    void queryClient.invalidateQueries({ queryKey: ['pledges', 'list'] });
  };
  const act = async (name: string, run: () => Promise<Pledge>, done: string) => {
    setBusy(name);
    try {
      saved(await run());
      void message.success(done);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };
  const [returnReason, setReturnReason] = useState('');

  return (
    <QueryState isLoading={pledge.isLoading} error={pledge.error} retry={() => void pledge.refetch()}>
      {p && (
        <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }} data-testid="pledge-detail">
          <Space align="center" wrap>
            <Link to={isAdminView ? '/pledges' : '/me/pledges'} aria-label={t('common.back')}><ArrowLeftOutlined /></Link>
            <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{p.pledgerName} · {p.periodName}</Typography.Title>
          </Space>
          <Space wrap><PledgeStatusTag status={p.status} /><PhaseTag phase={p.phase} /><Typography.Text type="secondary">{p.orgName}</Typography.Text></Space>
          {p.status === 'returned' && p.returnReason && <Alert type="warning" showIcon message={t('pledge.returned_because', { reason: p.returnReason })} />}

          {p.canEdit ? (
            <Card size="small" title={t('pledge.items')}>
              <PledgeItemsForm initial={p.items.map(({ content, category, target }) => ({ content, category, target }))}
                onSave={async (items) => { saved(await api.put<Pledge>(`/pledges/${id}/items`, { items })); void message.success(t('pledge.saved')); }} />
              <Button type="primary" ghost block style={{ marginTop: 8 }} loading={busy === 'submit'} data-testid="pledge-submit"
                onClick={() => void act('submit', () => api.post<Pledge>(`/pledges/${id}/submit`), t('pledge.submitted'))}>{t('pledge.submit')}</Button>
            </Card>
          ) : (
            <Card size="small" title={t('pledge.items')}>
              <List size="small" dataSource={p.items} renderItem={(item) => (
                <List.Item>
                  <Space orientation="vertical" size={2} style={{ minWidth: 0 }}>
                    <Typography.Text style={{ overflowWrap: 'anywhere' }}>{item.content}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 13 }}>{t(`pledge.category.${item.category}`)} · {item.target}</Typography.Text>
                  </Space>
                </List.Item>
              )} />
            </Card>
          )}

          {p.canApprove && (
            <Card size="small" title={t('pledge.to_approve')}>
              <Space orientation="vertical" style={{ width: '100%' }}>
                <Button type="primary" block loading={busy === 'approve'} data-testid="pledge-approve"
                  onClick={() => void act('approve', () => api.post<Pledge>(`/pledges/${id}/approve`), t('pledge.approved'))}>{t('pledge.approve')}</Button>
                <Input.TextArea placeholder={t('pledge.return_reason')} value={returnReason} onChange={(e) => setReturnReason(e.target.value)} maxLength={200} />
                <Button danger block disabled={!returnReason.trim()} loading={busy === 'return'}
                  onClick={() => void act('return', () => api.post<Pledge>(`/pledges/${id}/return`, { reason: returnReason }), t('pledge.returned_because', { reason: returnReason }))}>{t('pledge.return')}</Button>
              </Space>
            </Card>
          )}

          {p.status === 'published' && (
            <Card size="small" title={t('pledge.progress')}>
              {p.progress.length === 0 && <Typography.Text type="secondary">{t('pledge.progress_none')}</Typography.Text>}
              <List size="small" dataSource={p.progress} renderItem={(g) => (
                <List.Item>
                  <Space orientation="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
                    <Typography.Text strong>{g.doneOn}</Typography.Text>
                    <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{g.note}</Typography.Paragraph>
                    <Space wrap>
                      {g.files.map((f) => f.kind === 'photo'
                        ? <a key={f.id} href={f.url} target="_blank" rel="noreferrer"><img src={f.url} alt={f.fileName} style={{ width: 72, height: 72, objectFit: 'cover', borderRadius: 4 }} /></a>
                        : <a key={f.id} href={f.url} target="_blank" rel="noreferrer"><FileOutlined /> {f.fileName}</a>)}
                    </Space>
                    {p.canAddProgress && <EvidenceUpload pledgeId={id} progressId={g.id} onSaved={saved} />}
                  </Space>
                </List.Item>
              )} />
              {p.canAddProgress && <ProgressForm pledgeId={id} onSaved={saved} />}
            </Card>
          )}

          {p.status === 'published' && (
            <Card size="small" title={t('pledge.rate')}>
              <Descriptions column={1} size="small">
                <Descriptions.Item label={t('pledge.self_review')}>{p.selfReview ? `${t(`pledge.rating.${p.selfReview.rating}`)} · ${p.selfReview.comment}` : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('pledge.branch_review')}>{p.branchReview ? `${t(`pledge.rating.${p.branchReview.rating}`)} · ${p.branchReview.comment}` : '—'}</Descriptions.Item>
                <Descriptions.Item label={t('pledge.satisfaction')}><SatisfactionText satisfaction={p.satisfaction} /></Descriptions.Item>
                <Descriptions.Item label={t('pledge.approved')}>{formatTime(p.publishedAt)}</Descriptions.Item>
              </Descriptions>
              {p.canSelfReview && <ReviewForm url={`/pledges/${id}/self-review`} title={t('pledge.self_review')} initial={p.selfReview} onSaved={saved} />}
              {p.canBranchReview && <ReviewForm url={`/pledges/${id}/branch-review`} title={t('pledge.branch_review')} initial={p.branchReview} onSaved={saved} />}
            </Card>
          )}
        </Space>
      )}
    </QueryState>
  );
}

function ProgressForm({ pledgeId, onSaved }: { pledgeId: string; onSaved: (p: Pledge) => void }) {
  const t = useT();
  const [form] = Form.useForm<{ doneOn: Dayjs; note: string }>();
  const { saving, run } = useFormSubmit(form);
  return (
    <Form form={form} layout="vertical" initialValues={{ doneOn: todayInChina() }} style={{ marginTop: 12 }} data-testid="pledge-progress-form"
      onFinish={(values) => run(async () => {
        const body: AddProgress = { doneOn: isoDay(values.doneOn) ?? '', note: values.note };
        try {
          onSaved(await api.post<Pledge>(`/pledges/${pledgeId}/progress`, body));
          form.resetFields();
        } catch (error) {
          if (!showFieldErrors(form, error).handled) throw error;
        }
      })}>
      <Form.Item name="doneOn" label={t('pledge.progress_date')} rules={[{ required: true }]}><DatePicker style={{ width: '100%' }} inputReadOnly /></Form.Item>
      <Form.Item name="note" label={t('pledge.progress_note')} rules={[{ required: true }]}><Input.TextArea autoSize={{ minRows: 3 }} maxLength={1000} /></Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} block>{t('pledge.progress_add')}</Button>
    </Form>
  );
}

function EvidenceUpload({ pledgeId, progressId, onSaved }: { pledgeId: string; progressId: string; onSaved: (p: Pledge) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file);
    setUploading(true);
    try {
      onSaved(await api.upload<Pledge>(`/pledges/${pledgeId}/progress/${progressId}/files`, form));
      void message.success(t('pledge.uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  };
  return (
    <Upload showUploadList={false} accept="image/*,.pdf,.doc,.docx" beforeUpload={(file) => { void upload(file); return false; }}>
      <Button size="small" icon={<UploadOutlined />} loading={uploading}>{t('pledge.photo_add')}</Button>
    </Upload>
  );
}

function ReviewForm({ url, title, initial, onSaved }: { url: string; title: string; initial: RatePledge | null; onSaved: (p: Pledge) => void }) {
  const t = useT();
  const [form] = Form.useForm<RatePledge>();
  const { saving, run } = useFormSubmit(form);
  return (
    <Form form={form} layout="vertical" initialValues={initial ?? undefined} style={{ marginTop: 12 }}
      onFinish={(values) => run(async () => {
        try {
          onSaved(await api.post<Pledge>(url, values));
        } catch (error) {
          if (!showFieldErrors(form, error).handled) throw error;
        }
      })}>
      <Form.Item name="rating" label={title} rules={[{ required: true }]}>
        <Radio.Group optionType="button" options={FULFILMENT_RATINGS.map((r) => ({ value: r, label: t(`pledge.rating.${r}`) }))} />
      </Form.Item>
      <Form.Item name="comment" label={t('pledge.review_comment')} rules={[{ required: true }]}><Input.TextArea autoSize={{ minRows: 2 }} maxLength={500} /></Form.Item>
      <Button type="primary" htmlType="submit" loading={saving} block>{t('pledge.rate')}</Button>
    </Form>
  );
}
