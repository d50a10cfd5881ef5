import { useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Input, List, Popconfirm, Space, Typography, Upload } from 'antd';
import { ArrowLeftOutlined, CheckCircleOutlined, FileOutlined, PhoneOutlined, PictureOutlined, UploadOutlined } from '@ant-design/icons';
import type { z } from 'zod';
import type { FulfilWish, Wish, WishContactSchema } from '../../../../contracts/micro_wishes.js';
import { api } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { WishAgeTag, WishStatusTag } from './WishTags.js';

type Contact = z.infer<typeof WishContactSchema>;

/**
 * One wish, phone-first: a member claims it, then sees the poster's contact, and reports it done
 * with a note and photos; the community (an admin of the wish's org) confirms it came true.
 */
export default function WishDetailPage() {
  const t = useT();
  const { id = '' } = useParams();
  const location = useLocation();
  const isAdminView = location.pathname.startsWith('/service/wishes');
  const back = isAdminView ? '/service/wishes' : '/service/my-wishes';
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  const wish = useQuery({ queryKey: ['micro-wishes', id], queryFn: () => api.get<Wish>(`/micro-wishes/${id}`) });
  const w = wish.data;
  const isServing = !!w && w.isMine && (w.status === 'claimed' || w.status === 'fulfilled');
  const contact = useQuery({
    queryKey: ['micro-wishes', id, 'contact'],
    queryFn: () => api.get<Contact>(`/micro-wishes/${id}/contact`),
    // shown to the claimant while serving; an admin asks for it explicitly (each reveal is audited)
    enabled: isServing,
    staleTime: Infinity,
  });
  const [adminWantsContact, setAdminWantsContact] = useState(false);
  const adminContact = useQuery({
    queryKey: ['micro-wishes', id, 'contact', 'admin'],
    queryFn: () => api.get<Contact>(`/micro-wishes/${id}/contact`),
    enabled: adminWantsContact && !isServing,
    staleTime: Infinity,
  });
  const shownContact = contact.data ?? adminContact.data;

  const act = async (name: string, run: () => Promise<Wish>, done: string) => {
    setBusy(name);
    try {
      const next = await run();
      queryClient.setQueryData(['micro-wishes', id], next);
      void queryClient.invalidateQueries({ queryKey: ['micro-wishes', 'list'] });
      void message.success(done);
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setBusy(null);
    }
  };

  return (
    <QueryState isLoading={wish.isLoading} error={wish.error} retry={() => void wish.refetch()}>
      {w && (
        <Space orientation="vertical" size={12} style={{ width: '100%', maxWidth: 720 }} data-testid="wish-detail">
          <Space align="center">
            <Link to={back} aria-label={t('common.back')}><ArrowLeftOutlined /></Link>
            <Typography.Title level={4} style={{ margin: 0 }} data-testid="wish-title">{w.title}</Typography.Title>
          </Space>
          <Space wrap>
            <WishStatusTag status={w.status} />
            <WishAgeTag ageDays={w.ageDays} isStale={w.isStale} />
          </Space>
          <Card size="small">
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', fontSize: 16 }}>{w.content}</Typography.Paragraph>
            <Descriptions column={1} size="small">
              {w.communityName && <Descriptions.Item label={t('wish.community')}>{w.communityName}</Descriptions.Item>}
              <Descriptions.Item label={t('wish.poster')}>{w.posterName}</Descriptions.Item>
              <Descriptions.Item label={t('wish.published_at')}>{formatTime(w.publishedAt)}</Descriptions.Item>
              {w.claimant && <Descriptions.Item label={t('wish.claimant')}>{w.claimant.name}（{w.claimant.orgName}）</Descriptions.Item>}
              {w.claimedAt && <Descriptions.Item label={t('wish.claimed_at')}>{formatTime(w.claimedAt)}</Descriptions.Item>}
              {w.rejectionReason && <Descriptions.Item label={t('wish.rejection_reason')}>{w.rejectionReason}</Descriptions.Item>}
            </Descriptions>
          </Card>

          <Card size="small" title={<Space><PhoneOutlined />{t('wish.contact')}</Space>}>
            {shownContact ? (
              <Space orientation="vertical" size={4} data-testid="wish-contact">
                <Typography.Text strong style={{ fontSize: 16 }}>{shownContact.posterName}</Typography.Text>
                <a href={`tel:${shownContact.posterContact}`} style={{ fontSize: 18 }}>{shownContact.posterContact}</a>
              </Space>
            ) : (
              <Space orientation="vertical" size={4}>
                <Typography.Text data-testid="wish-contact-masked">{w.posterContactMasked}</Typography.Text>
                {w.status === 'open' && <Typography.Text type="secondary">{t('wish.contact_after_claim')}</Typography.Text>}
                {isAdminView && !isServing && (
                  <Button size="small" onClick={() => setAdminWantsContact(true)} loading={adminContact.isFetching}>{t('wish.show_contact')}</Button>
                )}
                {adminContact.error ? <Typography.Text type="danger">{errorMessage(adminContact.error, t('app.error'))}</Typography.Text> : null}
              </Space>
            )}
          </Card>

          {w.canClaim && (
            <Button type="primary" size="large" block loading={busy === 'claim'} data-testid="wish-claim"
              onClick={() => void act('claim', () => api.post<Wish>(`/micro-wishes/${id}/claim`), t('wish.claimed'))}>
              {t('wish.claim')}
            </Button>
          )}

          {(w.status === 'claimed' || w.status === 'fulfilled') && w.isMine && <FulfilCard wish={w} onSaved={(next) => queryClient.setQueryData(['micro-wishes', id], next)} />}

          {w.status === 'claimed' && w.isMine && (
            <Popconfirm title={t('wish.release')} onConfirm={() => void act('release', () => api.post<Wish>(`/micro-wishes/${id}/release`), t('wish.released'))}>
              <Button block danger loading={busy === 'release'}>{t('wish.release')}</Button>
            </Popconfirm>
          )}

          {(w.fulfilmentNote || w.evidence.length > 0) && (
            <Card size="small" title={t('wish.fulfilment')} data-testid="wish-fulfilment">
              {w.fulfilmentNote && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{w.fulfilmentNote}</Typography.Paragraph>}
              {w.fulfilledAt && <Typography.Text type="secondary">{formatTime(w.fulfilledAt)}</Typography.Text>}
              <EvidenceList wish={w} />
            </Card>
          )}

          {w.canConfirm && (
            <Button type="primary" size="large" block icon={<CheckCircleOutlined />} loading={busy === 'confirm'} data-testid="wish-confirm"
              onClick={() => void act('confirm', () => api.post<Wish>(`/micro-wishes/${id}/confirm`), t('wish.confirmed'))}>
              {t('wish.confirm')}
            </Button>
          )}
          {w.status === 'confirmed' && (
            <Alert type="success" showIcon message={t('wish.status.confirmed')}
              description={`${w.confirmedBy ? t(`wish.confirmed_by.${w.confirmedBy}`) : ''} · ${formatTime(w.confirmedAt)}`} />
          )}
        </Space>
      )}
    </QueryState>
  );
}

function EvidenceList({ wish }: { wish: Wish }) {
  if (wish.evidence.length === 0) return null;
  return (
    <List size="small" dataSource={wish.evidence} renderItem={(e) => (
      <List.Item>
        <Space>{e.kind === 'photo' ? <PictureOutlined /> : <FileOutlined />}<a href={e.url} target="_blank" rel="noreferrer">{e.fileName}</a></Space>
      </List.Item>
    )} />
  );
}

/** The claimant's report: photos or documents as evidence, then a note that marks it done. */
function FulfilCard({ wish, onSaved }: { wish: Wish; onSaved: (w: Wish) => void }) {
  const t = useT();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const [uploading, setUploading] = useState(false);
  const upload = async (file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    setUploading(true);
    try {
      onSaved(await api.upload<Wish>(`/micro-wishes/${wish.id}/evidence`, form));
      void message.success(t('service.evidence_uploaded'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setUploading(false);
    }
  };
  const fulfil = async () => {
    setSaving(true);
    try {
      onSaved(await api.post<Wish>(`/micro-wishes/${wish.id}/fulfil`, { note } satisfies FulfilWish));
      void queryClient.invalidateQueries({ queryKey: ['micro-wishes', 'list'] });
      void message.success(t('wish.fulfilled'));
    } catch (error) {
      void message.error(errorMessage(error, t('app.error')));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Card size="small" title={t('wish.fulfil')} data-testid="wish-fulfil-card">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Upload showUploadList={false} accept="image/*,.pdf,.doc,.docx" beforeUpload={(file) => { void upload(file); return false; }}>
          <Button icon={<UploadOutlined />} loading={uploading} data-testid="wish-evidence-upload">{t('service.upload_evidence')}</Button>
        </Upload>
        {wish.status === 'claimed' && (
          <>
            <Form layout="vertical" style={{ width: '100%' }}>
              <Form.Item label={t('wish.fulfil_note')} required style={{ marginBottom: 8 }}>
                <Input.TextArea value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} autoSize={{ minRows: 3 }} data-testid="wish-fulfil-note" />
              </Form.Item>
            </Form>
            <Button type="primary" size="large" block disabled={!note.trim()} loading={saving} onClick={() => void fulfil()} data-testid="wish-fulfil">{t('wish.fulfil')}</Button>
          </>
        )}
      </Space>
    </Card>
  );
}
