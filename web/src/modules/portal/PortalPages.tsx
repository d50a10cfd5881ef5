import { Suspense, useState } from 'react';
import { Link, Route, Routes, useNavigate, useParams, useSearchParams } from 'react-router';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App as AntApp, Button, Card, Empty, Form, Input, List, Modal, Pagination, Result, Space, Typography } from 'antd';
import { ArrowLeftOutlined, CalendarOutlined, HeartOutlined } from '@ant-design/icons';
import type { Portal, PortalOpenLesson, PublicLessonRegistration, PublicNews, PublicNewsPage } from '../../../../contracts/news.js';
import type { SearchResult } from '../../../../contracts/search.js';
import { api, isNotFound } from '../../platform/api.js';
import { useFormSubmit } from '../../platform/form-submit.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { Loading, QueryState } from '../../platform/status.js';
import { CardItem } from '../../platform/CardItem.js';
import { PublicFrame } from '../service_public/PublicPages.js';
import { NewsBody } from '../news/NewsTags.js';
import { SearchResults } from '../search/SearchResults.js';

/**
 * The public portal of a tree (/portal/:rootId, no sign-in): its public news, open lessons with public
 * registration, a link to 办实事 progress, and search over its public texts. Only what the public API
 * whitelists is shown: names of orgs and speakers, and counts.
 */
export default function PortalPages() {
  return (
    <PublicFrame>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path=":rootId" element={<PortalHome />} />
          <Route path=":rootId/news" element={<PortalNewsList />} />
          <Route path=":rootId/news/:id" element={<PortalNews />} />
          <Route path=":rootId/search" element={<PortalSearch />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Suspense>
    </PublicFrame>
  );
}

function NotFound() {
  const t = useT();
  return <Result status="404" title={t('portal.not_found')} />;
}

function NewsList({ rootId, items }: { rootId: string; items: PublicNews[] | PublicNewsPage['items'] }) {
  return (
    <List dataSource={items} data-testid="portal-news" renderItem={(n) => (
      <CardItem>
        <Card size="small" style={{ marginBottom: 8 }}>
          <Link to={`/portal/${rootId}/news/${n.id}`} style={{ display: 'flex', gap: 12, alignItems: 'flex-start', minWidth: 0 }}>
            {n.coverUrl && <img src={n.coverUrl} alt="" style={{ width: 96, height: 64, objectFit: 'cover', borderRadius: 4, flexShrink: 0 }} />}
            <span style={{ minWidth: 0 }}>
              <Typography.Text strong style={{ display: 'block', overflowWrap: 'anywhere' }}>{n.title}</Typography.Text>
              {n.summary && <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{n.summary}</Typography.Paragraph>}
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>{n.orgName} · {formatTime(n.publishedAt)}</Typography.Text>
            </span>
          </Link>
        </Card>
      </CardItem>
    )} />
  );
}

function SearchBox({ rootId, q = '' }: { rootId: string; q?: string }) {
  const t = useT();
  const navigate = useNavigate();
  return (
    <Input.Search key={q} defaultValue={q} placeholder={t('portal.search')} aria-label={t('portal.search')} allowClear enterButton size="large"
      onSearch={(v) => { if (v.trim()) void navigate(`/portal/${rootId}/search?q=${encodeURIComponent(v.trim())}`); }} data-testid="portal-search" />
  );
}

function PortalHome() {
  const t = useT();
  const { rootId = '' } = useParams();
  const [registering, setRegistering] = useState<PortalOpenLesson | null>(null);
  const portal = useQuery({ queryKey: ['portal', rootId], queryFn: () => api.get<Portal>(`/public/portal/${rootId}`) });
  if (portal.error && isNotFound(portal.error)) return <NotFound />;
  const p = portal.data;
  return (
    <QueryState isLoading={portal.isLoading} error={portal.error} retry={() => void portal.refetch()}>
      {p && (
        <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="portal-home">
          <Card size="small">
            <Space orientation="vertical" size={8} style={{ width: '100%' }}>
              <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }} data-testid="portal-tree-name">{p.tree.name} · {t('portal.title')}</Typography.Title>
              <SearchBox rootId={rootId} />
            </Space>
          </Card>
          <Typography.Title level={2} style={{ margin: 0, fontSize: 17 }}>{t('portal.news')}</Typography.Title>
          {p.news.length === 0 ? <Card><Empty description={t('news.none')} /></Card> : <NewsList rootId={rootId} items={p.news} />}
          {p.news.length > 0 && <Link to={`/portal/${rootId}/news`}>{t('portal.more_news')}</Link>}
          <Typography.Title level={2} style={{ margin: 0, fontSize: 17 }}>{t('portal.lessons')}</Typography.Title>
          {p.openLessons.length === 0 ? <Card><Empty description={t('portal.no_lessons')} /></Card> : (
            <List dataSource={p.openLessons} data-testid="portal-lessons" renderItem={(l) => (
              <CardItem>
                <Card size="small" style={{ marginBottom: 8 }}>
                  <Space orientation="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
                    <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>{l.title}</Typography.Text>
                    <Typography.Text type="secondary"><CalendarOutlined /> {formatTime(l.startsAt)} · {l.orgName}</Typography.Text>
                    {l.hostName && <Typography.Text type="secondary">{t('portal.host', { name: l.hostName })}</Typography.Text>}
                    {l.place && <Typography.Text type="secondary">{t('portal.place', { place: l.place })}</Typography.Text>}
                    <Typography.Text data-testid="portal-lesson-counts">{t('portal.lesson_counts', { registrations: l.registrations, attended: l.attended })}</Typography.Text>
                    <Space wrap>
                      {new Date(l.endsAt).getTime() > Date.now() && <Button type="primary" onClick={() => setRegistering(l)}>{t('portal.register')}</Button>}
                      {l.streamUrl && /^https?:\/\//.test(l.streamUrl) && <a href={l.streamUrl} target="_blank" rel="noopener noreferrer">{t('portal.watch')}</a>}
                    </Space>
                  </Space>
                </Card>
              </CardItem>
            )} />
          )}
          <Typography.Title level={2} style={{ margin: 0, fontSize: 17 }}>{t('portal.service')}</Typography.Title>
          <Link to={`/public/${rootId}`}><Button block icon={<HeartOutlined />}>{t('portal.service_link')}</Button></Link>
          {registering && <RegisterDialog rootId={rootId} lesson={registering} onClose={() => setRegistering(null)} />}
        </Space>
      )}
    </QueryState>
  );
}

function RegisterDialog({ rootId, lesson, onClose }: { rootId: string; lesson: PortalOpenLesson; onClose: () => void }) {
  const t = useT();
  const { message } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PublicLessonRegistration>();
  const { saving, run } = useFormSubmit(form);
  const register = useMutation({ mutationFn: (body: PublicLessonRegistration) => api.post<{ registrations: number }>(`/public/portal/${rootId}/open-lessons/${lesson.id}/register`, body) });
  const submit = () => run(async () => {
    const r = await register.mutateAsync(await form.validateFields());
    void message.success(t('portal.registered', { n: r.registrations }));
    await queryClient.invalidateQueries({ queryKey: ['portal', rootId] });
    onClose();
  });
  return (
    <Modal open title={t('portal.register_title', { title: lesson.title })} onCancel={onClose} onOk={() => void submit()} okText={t('portal.register_submit')}
      cancelText={t('news.cancel')} okButtonProps={{ loading: saving }}>
      <Form form={form} layout="vertical">
        <Form.Item name="name" label={t('portal.register_name')} rules={[{ required: true, whitespace: true }]}><Input maxLength={20} autoComplete="name" /></Form.Item>
        <Form.Item name="unit" label={t('portal.register_unit')}><Input maxLength={60} autoComplete="organization" /></Form.Item>
      </Form>
    </Modal>
  );
}

function PortalNewsList() {
  const t = useT();
  const { rootId = '' } = useParams();
  const [page, setPage] = useState(1);
  const list = useQuery({ queryKey: ['portal', rootId, 'news', page], queryFn: () => api.get<PublicNewsPage>(`/public/portal/${rootId}/news`, { page, pageSize: 10 }) });
  if (list.error && isNotFound(list.error)) return <NotFound />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Link to={`/portal/${rootId}`}><ArrowLeftOutlined /> {t('portal.back')}</Link>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('portal.news')}</Typography.Title>
      <QueryState isLoading={list.isLoading} error={list.error} retry={() => void list.refetch()}>
        {(list.data?.items.length ?? 0) === 0 ? <Card><Empty description={t('news.none')} /></Card> : <NewsList rootId={rootId} items={list.data?.items ?? []} />}
        {(list.data?.total ?? 0) > 10 && <Pagination simple current={page} pageSize={10} total={list.data?.total ?? 0} onChange={setPage} />}
      </QueryState>
    </Space>
  );
}

function PortalNews() {
  const t = useT();
  const { rootId = '', id = '' } = useParams();
  const news = useQuery({ queryKey: ['portal', rootId, 'news', 'item', id], queryFn: () => api.get<PublicNews>(`/public/portal/${rootId}/news/${id}`) });
  if (news.error && isNotFound(news.error)) return <NotFound />;
  const n = news.data;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Link to={`/portal/${rootId}`}><ArrowLeftOutlined /> {t('portal.back')}</Link>
      <QueryState isLoading={news.isLoading} error={news.error} retry={() => void news.refetch()}>
        {n && (
          <Card data-testid="portal-news-item">
            <Typography.Title level={1} style={{ marginTop: 0, fontSize: 22, overflowWrap: 'anywhere' }}>{n.title}</Typography.Title>
            <Typography.Paragraph type="secondary">{n.columnName} · {n.orgName} · {formatTime(n.publishedAt)}</Typography.Paragraph>
            {n.coverUrl && <img src={n.coverUrl} alt="" style={{ width: '100%', maxHeight: 360, objectFit: 'cover', borderRadius: 6, marginBottom: 12 }} />}
            <NewsBody html={n.bodyHtml} />
          </Card>
        )}
      </QueryState>
    </Space>
  );
}

function PortalSearch() {
  const t = useT();
  const { rootId = '' } = useParams();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const results = useInfiniteQuery({
    queryKey: ['portal', rootId, 'search', q],
    queryFn: ({ pageParam }) => api.get<SearchResult>(`/public/portal/${rootId}/search`, { q, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: [...q].length >= 2,
  });
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="portal-search-page">
      <Link to={`/portal/${rootId}`}><ArrowLeftOutlined /> {t('portal.back')}</Link>
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{t('portal.search')}</Typography.Title>
      <SearchBox rootId={rootId} q={q} />
      {[...q].length < 2 ? <Card><Empty description={t('search.hint')} /></Card> : (
        <QueryState isLoading={results.isLoading} error={results.error} retry={() => void results.refetch()}>
          {items.length === 0 ? <Card><Empty description={t('search.none')} /></Card>
            : <SearchResults items={items} linkOf={(hit) => (hit.sourceType === 'news' ? `/portal/${rootId}/news/${hit.sourceId}` : null)} />}
          {results.hasNextPage && <Button block loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>{t('search.more')}</Button>}
        </QueryState>
      )}
    </Space>
  );
}
