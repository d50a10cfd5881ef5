import { useParams, useSearchParams } from 'react-router';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Input, Pagination, Result, Row, Select, Space, Typography } from 'antd';
import { FlagOutlined } from '@ant-design/icons';
import type { GalleryCard, GalleryPage as GalleryAnswer } from '../../../../contracts/brands.js';
import { api, isNotFound } from '../../platform/api.js';
import { useT } from '../../platform/locale.js';
import { QueryState } from '../../platform/status.js';
import { BrandLevel } from './BrandLevel.js';

const PAGE_SIZE = 12;

function BrandCard({ card, photoUrl }: { card: GalleryCard; photoUrl: string | null }) {
  return (
    <Card
      size="small" style={{ height: '100%' }} data-testid="brand-card"
      cover={photoUrl
        ? <img src={photoUrl} alt={card.name} loading="lazy" style={{ height: 160, objectFit: 'cover' }} />
        : <div aria-hidden style={{ height: 160, background: '#fbe9e7', display: 'flex', alignItems: 'center', justifyContent: 'center', fontSize: 40, color: '#c0161b' }}><FlagOutlined /></div>}
    >
      <Space orientation="vertical" size={4} style={{ width: '100%' }}>
        <Typography.Text strong style={{ fontSize: 16 }}>{card.name}</Typography.Text>
        {card.slogan && <Typography.Text type="secondary" style={{ overflowWrap: 'anywhere' }}>{card.slogan}</Typography.Text>}
        <Typography.Text style={{ fontSize: 13 }}>{card.orgName}</Typography.Text>
        <BrandLevel starLevel={card.starLevel} title={card.title} />
      </Space>
    </Card>
  );
}

/** Cards in a grid that is one column on a phone, two on a tablet, three or four on a desk. */
function Cards({ data, photoUrl, page, onPage }: { data: GalleryAnswer | undefined; photoUrl: (c: GalleryCard) => string | null; page: number; onPage: (n: number) => void }) {
  const t = useT();
  if (!data) return null;
  if (data.items.length === 0) return <Card><Empty description={t('brand.gallery.none')} /></Card>;
  return (
    <>
      <Row gutter={[12, 12]}>
        {data.items.map((c) => <Col key={c.id} xs={24} sm={12} lg={8} xl={6}><BrandCard card={c} photoUrl={photoUrl(c)} /></Col>)}
      </Row>
      {data.total > PAGE_SIZE && <Pagination simple current={page} pageSize={PAGE_SIZE} total={data.total} onChange={onPage} style={{ textAlign: 'center', marginTop: 12 }} />}
    </>
  );
}

function useGalleryParams() {
  const [params, setParams] = useSearchParams();
  const page = Number(params.get('page') ?? '1');
  const change = (key: string, value: string | undefined) => setParams((current) => {
    const next = new URLSearchParams(current);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key !== 'page') next.delete('page');
    return next;
  });
  return { params, page, change };
}

/** 品牌展示 for the signed-in users of a tree: the active brands, the highest rated first. */
export default function GalleryPage() {
  const t = useT();
  const { params, page, change } = useGalleryParams();
  const query = { page, pageSize: PAGE_SIZE, q: params.get('q') ?? undefined, minStars: params.get('minStars') ?? undefined };
  const gallery = useQuery({ queryKey: ['brands', 'gallery', query], queryFn: () => api.get<GalleryAnswer>('/brands/gallery', query), placeholderData: keepPreviousData });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="brand-gallery">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{gallery.data ? `${gallery.data.rootName} · ` : ''}{t('brand.gallery.title')}</Typography.Title>
      <Space wrap>
        <Input.Search allowClear placeholder={t('brand.search')} defaultValue={query.q} style={{ width: 220, maxWidth: '100%' }} aria-label={t('brand.search')} onSearch={(q) => change('q', q)} />
        <Select allowClear placeholder={t('brand.gallery.min_stars')} style={{ width: 140 }} value={query.minStars} aria-label={t('brand.gallery.min_stars')}
          onChange={(v?: string) => change('minStars', v)} options={[5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: t('brand.stars', { n }) }))} />
      </Space>
      <QueryState isLoading={gallery.isLoading} error={gallery.error} retry={() => void gallery.refetch()}>
        <Cards data={gallery.data} page={page} onPage={(n) => change('page', String(n))} photoUrl={(c) => (c.photoId ? `/api/brands/${c.id}/photos/${c.photoId}` : null)} />
      </QueryState>
    </Space>
  );
}

/** The public gallery of a tree (/public/:treeId/brands): names, slogans, org names, levels and photos. */
export function PublicGalleryPage() {
  const t = useT();
  const { treeId = '' } = useParams();
  const { params, page, change } = useGalleryParams();
  const query = { page, pageSize: PAGE_SIZE, q: params.get('q') ?? undefined };
  const gallery = useQuery({
    queryKey: ['public', treeId, 'brands', query], placeholderData: keepPreviousData,
    queryFn: () => api.get<GalleryAnswer>(`/public/brands/trees/${treeId}`, query),
  });
  if (gallery.error && isNotFound(gallery.error)) return <Result status="404" title={t('public.not_found')} />;
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }} data-testid="public-brand-gallery">
      <Typography.Title level={1} style={{ margin: 0, fontSize: 20 }}>{gallery.data ? `${gallery.data.rootName} · ` : ''}{t('brand.gallery.title')}</Typography.Title>
      <Input.Search allowClear placeholder={t('brand.search')} defaultValue={query.q} style={{ maxWidth: 320 }} aria-label={t('brand.search')} onSearch={(q) => change('q', q)} />
      <QueryState isLoading={gallery.isLoading} error={gallery.error} retry={() => void gallery.refetch()}>
        <Cards data={gallery.data} page={page} onPage={(n) => change('page', String(n))}
          photoUrl={(c) => (c.photoId ? `/api/public/brands/trees/${treeId}/photos/${c.photoId}` : null)} />
      </QueryState>
    </Space>
  );
}
