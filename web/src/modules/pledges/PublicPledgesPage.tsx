import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Empty, Form, Image, Input, List, Pagination, Radio, Result, Space, Tag, Timeline, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { PUBLIC_RATINGS, type PostPublicRating, type PublicPledge, type PublicPledgeDetail, type PublicPledgePage, type PublicRatingReceipt } from '../../../../contracts/pledges.js';
import { api, isNotFound } from '../../platform/api.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState, errorMessage } from '../../platform/status.js';
import { SatisfactionText } from './PledgeTags.js';

const PAGE_SIZE = 10;

function PledgeCard({ pledge }: { pledge: PublicPledge }) {
  const t = useT();
  return (
    <Card size="small" title={<Link to={`/public/pledges/${pledge.id}`}>{pledge.pledgerName}</Link>} extra={<Tag>{t(`pledge.kind.${pledge.kind}`)}</Tag>}>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>{pledge.orgName} · {pledge.periodName}</Typography.Text>
      <ul style={{ paddingLeft: 18, margin: '8px 0' }}>
        {pledge.items.map((item, n) => <li key={n} style={{ overflowWrap: 'anywhere' }}>{item.content}<Typography.Text type="secondary">（{item.target}）</Typography.Text></li>)}
      </ul>
      <Space wrap size={[8, 4]}>
        <span>{t('pledge.progress')} {pledge.progressCount}</span>
        {pledge.selfRating && <Tag color="blue">{t('pledge.self_review')}：{t(`pledge.rating.${pledge.selfRating}`)}</Tag>}
        {pledge.branchRating && <Tag color="red">{t('pledge.branch_review')}：{t(`pledge.rating.${pledge.branchRating}`)}</Tag>}
        <span>{t('pledge.satisfaction')} <SatisfactionText satisfaction={pledge.satisfaction} /></span>
      </Space>
    </Card>
  );
}

/** 承诺公示栏 of one tree, public and phone-first: names and org names only. */
export default function PublicPledgesPage() {
  const t = useT();
  const { treeId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const query = { page, pageSize: PAGE_SIZE, orgId: params.get('orgId') ?? undefined };
  const list = useQuery({
    queryKey: ['public', treeId, 'pledges', query], placeholderData: keepPreviousData,
    queryFn: () => api.get<PublicPledgePage>(`/public/pledges/trees/${treeId}`, query),
  });
  if (list.error && isNotFound(list.error)) return <Result status="404" title={t('public.not_found')} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-pledges">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('pledge.board')}</Typography.Title>
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {(list.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('pledge.none')} /></Card>
          : (list.data?.items ?? []).map((p) => <PledgeCard key={p.id} pledge={p} />)}
        {(list.data?.total ?? 0) > PAGE_SIZE && (
          <Pagination simple current={page} pageSize={PAGE_SIZE} total={list.data?.total ?? 0} style={{ textAlign: 'center' }}
            onChange={(n) => setParams((current) => { const next = new URLSearchParams(current); next.set('page', String(n)); return next; })} />
        )}
      </QueryState>
    </Space>
  );
}

/** One pledge on the board: its progress with photos, the approved comments, and the public's rating in the review phase. */
export function PublicPledgePage() {
  const t = useT();
  const { id = '' } = useParams();
  const detail = useQuery({ queryKey: ['public', 'pledge', id], queryFn: () => api.get<PublicPledgeDetail>(`/public/pledges/${id}`) });
  const d = detail.data;
  if (detail.error && isNotFound(detail.error)) return <Result status="404" title={t('public.not_found')} />;
  return (
    <QueryState isLoading={detail.isLoading} error={detail.error} retry={() => void detail.refetch()}>
      {d && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-pledge">
          <Space align="center">
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('common.back')} onClick={() => window.history.back()} />
            <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{d.pledgerName}</Typography.Title>
          </Space>
          <PledgeCard pledge={d} />
          <Card size="small" title={t('pledge.progress')}>
            {d.progress.length === 0 ? <Typography.Text type="secondary">{t('pledge.progress_none')}</Typography.Text> : (
              <Timeline items={d.progress.map((g, n) => ({
                key: n,
                children: (
                  <Space orientation="vertical" size={4}>
                    <Typography.Text strong>{g.doneOn}</Typography.Text>
                    <Typography.Paragraph style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{g.note}</Typography.Paragraph>
                    <Image.PreviewGroup>{g.photos.map((ph) => <Image key={ph.id} src={ph.url} width={88} height={88} style={{ objectFit: 'cover' }} />)}</Image.PreviewGroup>
                  </Space>
                ),
              }))} />
            )}
          </Card>
          {d.isRatingOpen ? <RateForm id={id} /> : <Alert type="info" message={t('pledge.public_rating_closed')} />}
          {d.comments.length > 0 && (
            <Card size="small" title={t('pledge.public_comments')}>
              <List size="small" dataSource={d.comments} renderItem={(c) => (
                <List.Item>
                  <Space orientation="vertical" size={2}>
                    <Space><Tag>{t(`pledge.public.${c.rating}`)}</Tag><Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(c.createdAt)}</Typography.Text></Space>
                    <Typography.Text style={{ overflowWrap: 'anywhere' }}>{c.comment}</Typography.Text>
                  </Space>
                </List.Item>
              )} />
            </Card>
          )}
        </Space>
      )}
    </QueryState>
  );
}

function RateForm({ id }: { id: string }) {
  const t = useT();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PostPublicRating>();
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <Card size="small" title={t('pledge.public_rate_title')}>
      {result ? <Alert type={result.ok ? 'success' : 'error'} message={result.text} /> : (
        <Form form={form} layout="vertical" onFinish={async (values) => {
          setSaving(true);
          try {
            const receipt = await api.post<PublicRatingReceipt>(`/public/pledges/${id}/ratings`, { rating: values.rating, comment: values.comment || undefined });
            setResult({ ok: true, text: receipt.commentPending ? t('pledge.public_thanks') : t('pledge.public_thanks_plain') });
            void queryClient.invalidateQueries({ queryKey: ['public', 'pledge', id] });
          } catch (error) {
            setResult({ ok: false, text: errorMessage(error, t('app.error')) });
          } finally {
            setSaving(false);
          }
        }}>
          <Form.Item name="rating" rules={[{ required: true }]}>
            <Radio.Group optionType="button" buttonStyle="solid" size="large" options={PUBLIC_RATINGS.map((r) => ({ value: r, label: t(`pledge.public.${r}`) }))} />
          </Form.Item>
          <Form.Item name="comment" label={t('pledge.public_comment')}><Input.TextArea autoSize={{ minRows: 2 }} maxLength={300} /></Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={saving}>{t('pledge.rate')}</Button>
        </Form>
      )}
    </Card>
  );
}
