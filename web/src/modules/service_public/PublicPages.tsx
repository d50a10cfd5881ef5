import { Suspense, lazy, type ReactNode } from 'react';
import { Route, Routes } from 'react-router';
import { Button, Dropdown, Layout, Result, Typography } from 'antd';
import { GlobalOutlined } from '@ant-design/icons';
import { LANGUAGES, LANGUAGE_NAMES, type Language } from '../../platform/i18n.js';
import { useLocale, useT } from '../../platform/locale.js';
import { Loading } from '../../platform/status.js';

const PublicProjectsPage = lazy(() => import('./PublicProjectsPage.js'));
const PublicWishFormPage = lazy(() => import('./PublicWishFormPage.js'));
const PublicWishTrackPage = lazy(() => import('./PublicWishTrackPage.js'));
const PublicPledgesPage = lazy(() => import('../pledges/PublicPledgesPage.js'));
const PublicPledgePage = lazy(() => import('../pledges/PublicPledgesPage.js').then((m) => ({ default: m.PublicPledgePage })));
const PublicBrandGalleryPage = lazy(() => import('../brands/GalleryPage.js').then((m) => ({ default: m.PublicGalleryPage })));
const PublicNoticeViewPage = lazy(() => import('../public_notices/PublicNoticeViewPage.js'));
const PublicNoticeListPage = lazy(() => import('../public_notices/PublicNoticeViewPage.js').then((m) => ({ default: m.PublicNoticeListPage })));

/**
 * The pages citizens open without an account (a QR code on a notice board, a link in a WeChat group):
 * outside the console's shell, phone-first, and showing only what the public API whitelists.
 */
export function PublicFrame({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useLocale();
  return (
    <Layout style={{ minHeight: '100%', background: '#f5f5f5' }}>
      <Layout.Header style={{ background: '#c0161b', padding: '0 16px', display: 'flex', alignItems: 'center', gap: 8, height: 52, lineHeight: '52px' }}>
        <span aria-hidden style={{ width: 28, height: 28, borderRadius: 6, background: '#ffd700', color: '#c0161b', display: 'inline-flex', alignItems: 'center', justifyContent: 'center', fontWeight: 700 }}>党</span>
        <Typography.Text strong style={{ color: '#fff', fontSize: 16, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{t('public.title')}</Typography.Text>
        <div style={{ flex: 1 }} />
        <Dropdown trigger={['click']} menu={{ items: LANGUAGES.map((l) => ({ key: l, label: LANGUAGE_NAMES[l] })), selectable: true, selectedKeys: [lang], onClick: ({ key }) => setLang(key as Language) }}>
          <Button type="text" icon={<GlobalOutlined style={{ color: '#fff' }} />} aria-label={t('lang.switch')} />
        </Dropdown>
      </Layout.Header>
      <Layout.Content style={{ padding: 12, width: '100%', maxWidth: 960, margin: '0 auto' }}>{children}</Layout.Content>
    </Layout>
  );
}

function PublicNotFound() {
  const t = useT();
  return <Result status="404" title={t('public.not_found')} />;
}

/** Mounted by App.tsx at /public/* (no session needed). */
export default function PublicPages() {
  return (
    <PublicFrame>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="wishes/track/:code" element={<PublicWishTrackPage />} />
          <Route path=":treeId" element={<PublicProjectsPage />} />
          <Route path=":treeId/wishes/new" element={<PublicWishFormPage />} />
          <Route path=":treeId/pledges" element={<PublicPledgesPage />} />
          <Route path=":treeId/brands" element={<PublicBrandGalleryPage />} />
          <Route path="pledges/:id" element={<PublicPledgePage />} />
          <Route path="notices/:id" element={<PublicNoticeViewPage />} />
          <Route path=":treeId/notices" element={<PublicNoticeListPage />} />
          <Route path="*" element={<PublicNotFound />} />
        </Routes>
      </Suspense>
    </PublicFrame>
  );
}
