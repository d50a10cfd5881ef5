import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Drawer, Empty, Form, Grid, Input, List, Pagination, Rate, Result, Segmented, Space, Tag, Timeline, Typography } from 'antd';
import { CheckCircleOutlined, ClockCircleOutlined, HeartOutlined, WarningOutlined } from '@ant-design/icons';
import {
  SERVICE_STATUSES, type PublicFeedback, type PublicProject, type PublicProjectDetail, type PublicProjectPage, type ServiceStatus,
} from '../../../../contracts/service_projects.js';
import type { PublicWishPage } from '../../../../contracts/micro_wishes.js';
import { api, isNotFound } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { ServiceProgress, ServiceStatusTag } from '../service_projects/ServiceTags.js';
import { WishAgeTag, WishStatusTag } from '../micro_wishes/WishTags.js';
import { CardItem } from '../../platform/CardItem.js';

const PAGE_SIZE = 10;
type Tab = 'projects' | 'wishes';

/** 我为群众办实事 of one tree, public: what was asked, how far it is, what came of it; citizens rate and comment. */
export default function PublicProjectsPage() {
  const t = useT();
  const { treeId = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('tab') === 'wishes' ? 'wishes' : 'projects';
  const q = params.get('q') ?? '';
  const status = SERVICE_STATUSES.find((s) => s === params.get('status'));
  const page = Number(params.get('page') ?? '1');
  const overdue = params.get('overdue') === '1';
  const [openId, setOpenId] = useState<string | null>(null);
  const set = (changes: Record<string, string | undefined>) => setParams((current) => {
    const next = new URLSearchParams(current);
    for (const [k, v] of Object.entries(changes)) if (v) next.set(k, v); else next.delete(k);
    if (!('page' in changes)) next.delete('page');
    return next;
  }, { replace: true });

  const query = { q: q || undefined, status, overdue: overdue ? '1' : undefined, page, pageSize: PAGE_SIZE };
  const projects = useQuery({
    queryKey: ['public', treeId, 'projects', query],
    queryFn: () => api.get<PublicProjectPage>(`/public/service-projects/trees/${treeId}/projects`, query),
    placeholderData: keepPreviousData,
  });
  if (projects.error && isNotFound(projects.error)) return <Result status="404" title={t('public.not_found')} />;

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-projects">
      <Card size="small" styles={{ body: { padding: 14 } }}>
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="public-tree-name">
            {projects.data ? t('public.subtitle', { tree: projects.data.treeName }) : t('public.title')}
          </Typography.Title>
          <Link to={`/public/${treeId}/wishes/new`} data-testid="public-post-wish">
            <Button type="primary" size="large" block icon={<HeartOutlined />}>{t('public.post_wish')}</Button>
          </Link>
        </Space>
      </Card>
      <Segmented<Tab> block value={tab} onChange={(v) => setParams(v === 'projects' ? {} : { tab: v }, { replace: true })}
        options={[{ value: 'projects', label: t('service.title') }, { value: 'wishes', label: t('public.wishes') }]} />
      {tab === 'wishes' ? <PublicWishes treeId={treeId} /> : (
        <>
          <Input.Search key={q} defaultValue={q} placeholder={t('public.search')} allowClear enterButton size="large" onSearch={(v) => set({ q: v.trim() || undefined })} data-testid="public-search" />
          <div style={{ overflowX: 'auto' }}>
            <Segmented<ServiceStatus | 'all'> value={status ?? 'all'} onChange={(v) => set({ status: v === 'all' ? undefined : v })}
              options={[{ value: 'all', label: t('public.all_status') }, ...SERVICE_STATUSES.map((s) => ({ value: s, label: t(`service.status.${s}`) }))]} />
          </div>
          <QueryState isLoading={projects.isLoading} error={projects.error} retry={() => void projects.refetch()}>
            <Space wrap size={12} style={{ width: '100%', justifyContent: 'space-between' }}>
              <Typography.Text type="secondary">{t('public.total', { total: projects.data?.total ?? 0 })}</Typography.Text>
              <Space size={8}>
                <Tag color={projects.data?.overdueTotal ? 'red' : undefined} icon={<ClockCircleOutlined />} data-testid="public-overdue-total">
                  {t('public.overdue_total', { total: projects.data?.overdueTotal ?? 0 })}
                </Tag>
                <Checkbox checked={overdue} onChange={(e) => set({ overdue: e.target.checked ? '1' : undefined })} data-testid="public-overdue-filter">{t('public.overdue_filter')}</Checkbox>
              </Space>
            </Space>
            {(projects.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('public.none')} /></Card> : (
              <List dataSource={projects.data?.items ?? []} data-testid="public-project-list"
                renderItem={(p) => <CardItem><ProjectCard project={p} onOpen={() => setOpenId(p.id)} /></CardItem>} />
            )}
            {(projects.data?.total ?? 0) > PAGE_SIZE && (
              <Pagination simple current={page} pageSize={PAGE_SIZE} total={projects.data?.total ?? 0} onChange={(p) => set({ page: String(p) })} style={{ textAlign: 'center' }} />
            )}
          </QueryState>
        </>
      )}
      <ProjectDrawer treeId={treeId} id={openId} onClose={() => setOpenId(null)} />
    </Space>
  );
}

function ProjectCard({ project: p, onOpen }: { project: PublicProject; onOpen: () => void }) {
  const t = useT();
  return (
    <Card size="small" hoverable onClick={onOpen} style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }} data-testid="public-project-card">
      <Space orientation="vertical" size={6} style={{ width: '100%' }}>
        <Space size={6} wrap>
          <Typography.Text strong style={{ fontSize: 16 }}>{p.title}</Typography.Text>
          {p.isMajorProblem && <Tag color="red" icon={<WarningOutlined />}>{t('service.major')}</Tag>}
          {p.isOverdue && <Tag color="red" icon={<ClockCircleOutlined />} data-testid="public-overdue-tag">{t('public.overdue_tag')}</Tag>}
        </Space>
        <Typography.Text type="secondary">{p.orgName} · {p.category} · {t(`service.source.${p.source}`)}</Typography.Text>
        <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{p.need}</Typography.Paragraph>
        <Space size={8} style={{ width: '100%' }}>
          <ServiceStatusTag status={p.status} />
          <div style={{ flex: 1, minWidth: 120 }}><ServiceProgress progress={p.progress} status={p.status} /></div>
        </Space>
        {p.result && <Typography.Paragraph type="success" ellipsis={{ rows: 2 }} style={{ margin: 0 }}><CheckCircleOutlined /> {p.result}</Typography.Paragraph>}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('service.planned_completion')} {p.plannedCompletion}
          {p.satisfaction.count > 0 && ` · ${t('service.satisfaction')} ${t('service.satisfaction_value', { average: p.satisfaction.average ?? 0, count: p.satisfaction.count })}`}
        </Typography.Text>
      </Space>
    </Card>
  );
}

function ProjectDrawer({ treeId, id, onClose }: { treeId: string; id: string | null; onClose: () => void }) {
  const t = useT();
  const screens = Grid.useBreakpoint();
  const detail = useQuery({
    queryKey: ['public', treeId, 'projects', id],
    queryFn: () => api.get<PublicProjectDetail>(`/public/service-projects/trees/${treeId}/projects/${id}`),
    enabled: !!id,
  });
  const p = detail.data;
  return (
    <Drawer open={!!id} onClose={onClose} placement={screens.md ? 'right' : 'bottom'} size={screens.md ? 520 : '88%'} title={p?.title} destroyOnHidden>
      <QueryState isLoading={detail.isLoading} error={detail.error}>
        {p && (
          <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-project-detail">
            <Space wrap><ServiceStatusTag status={p.status} />{p.isMajorProblem && <Tag color="red">{t('service.major')}</Tag>}{p.isOverdue && <Tag color="red">{t('public.overdue_tag')}</Tag>}</Space>
            <ServiceProgress progress={p.progress} status={p.status} size="default" />
            <Typography.Text type="secondary">{p.orgName} · {p.category} · {t(`service.source.${p.source}`)}</Typography.Text>
            <div>
              <Typography.Text strong>{t('service.need')}</Typography.Text>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{p.need}</Typography.Paragraph>
            </div>
            <Typography.Text>{t('service.started_on')} {p.startedOn} · {t('service.planned_completion')} {p.plannedCompletion}{p.completedOn ? ` · ${t('service.completed_on')} ${p.completedOn}` : ''}</Typography.Text>
            {p.result && (
              <Alert type="success" showIcon message={t('service.result')} description={<span style={{ whiteSpace: 'pre-wrap' }}>{p.result}</span>} />
            )}
            {p.milestones.length > 0 && (
              <Card size="small" title={t('service.milestones')}>
                <Timeline items={p.milestones.map((m, i) => ({
                  key: i, color: m.doneOn ? 'green' : 'gray',
                  content: <span>{m.title} <Typography.Text type="secondary">{m.doneOn ?? m.dueOn}</Typography.Text></span>,
                }))} />
              </Card>
            )}
            <Card size="small" title={t('public.comments')}>
              {p.satisfaction.count > 0 && (
                <Space style={{ marginBottom: 8 }}><Rate disabled allowHalf value={p.satisfaction.average ?? 0} /><span>{t('service.satisfaction_value', { average: p.satisfaction.average ?? 0, count: p.satisfaction.count })}</span></Space>
              )}
              <List size="small" dataSource={p.comments} locale={{ emptyText: t('public.no_comments') }} data-testid="public-comments"
                renderItem={(c) => (
                  <List.Item>
                    <Space orientation="vertical" size={0}>
                      <Space><Rate disabled value={c.rating} style={{ fontSize: 12 }} /><Typography.Text type="secondary">{c.nickname ?? ''} {formatTime(c.createdAt)}</Typography.Text></Space>
                      {c.comment && <Typography.Text>{c.comment}</Typography.Text>}
                    </Space>
                  </List.Item>
                )} />
            </Card>
            <FeedbackForm treeId={treeId} projectId={p.id} />
          </Space>
        )}
      </QueryState>
    </Drawer>
  );
}

interface FeedbackValues { rating: number; comment?: string; nickname?: string }

function FeedbackForm({ treeId, projectId }: { treeId: string; projectId: string }) {
  const t = useT();
  const [form] = Form.useForm<FeedbackValues>();
  const { saving, run } = useFormSubmit(form);
  const [sent, setSent] = useState(false);
  const submit = (v: FeedbackValues) => run(async () => {
    const body: PublicFeedback = { rating: v.rating, comment: v.comment || null, nickname: v.nickname || null };
    await api.post(`/public/service-projects/trees/${treeId}/projects/${projectId}/feedback`, body);
    setSent(true);
  });
  if (sent) return <Alert type="success" showIcon message={t('public.feedback_received')} data-testid="public-feedback-received" />;
  return (
    <Card size="small" title={t('public.rate')}>
      <Form<FeedbackValues> form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="public-feedback-form">
        <Form.Item name="rating" label={t('public.rating')} rules={[{ required: true, message: t('service.required') }]}><Rate /></Form.Item>
        <Form.Item name="comment" label={t('public.comment')}><Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} /></Form.Item>
        <Form.Item name="nickname" label={t('public.nickname')}><Input maxLength={20} /></Form.Item>
        <Button type="primary" htmlType="submit" block size="large" loading={saving}>{t('public.submit')}</Button>
      </Form>
    </Card>
  );
}

function PublicWishes({ treeId }: { treeId: string }) {
  const t = useT();
  const [page, setPage] = useState(1);
  const wishes = useQuery({
    queryKey: ['public', treeId, 'wishes', page],
    queryFn: () => api.get<PublicWishPage>(`/public/micro-wishes/trees/${treeId}`, { page, pageSize: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  return (
    <QueryState isLoading={wishes.isLoading} error={wishes.error} retry={() => void wishes.refetch()}>
      {(wishes.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('wish.none')} /></Card> : (
        <List dataSource={wishes.data?.items ?? []} data-testid="public-wish-list" renderItem={(w) => (<CardItem>
          <Card size="small" style={{ marginBottom: 12 }} styles={{ body: { padding: 14 } }}>
            <Space orientation="vertical" size={4} style={{ width: '100%' }}>
              <Typography.Text strong style={{ fontSize: 16 }}>{w.title}</Typography.Text>
              <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{w.content}</Typography.Paragraph>
              <Space size={4} wrap>
                <WishStatusTag status={w.status} />
                <WishAgeTag ageDays={w.ageDays} isStale={w.isStale} />
                {w.communityName && <Tag>{w.communityName}</Tag>}
                {w.claimantOrgName && <Tag color="blue">{t('public.claimant_org')}：{w.claimantOrgName}</Tag>}
              </Space>
            </Space>
          </Card></CardItem>
        )} />
      )}
      {(wishes.data?.total ?? 0) > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={wishes.data?.total ?? 0} onChange={setPage} style={{ textAlign: 'center' }} />}
    </QueryState>
  );
}
