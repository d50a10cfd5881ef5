import { Suspense, lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { consoleEntries, sections } from './modules/index.js';
import { isVisibleTo } from './platform/menu.js';
import { useSession } from './platform/session.js';
import { Shell } from './platform/Shell.js';
import { ErrorBoundary } from './platform/ErrorBoundary.js';
import { Loading, NoAccess, NotFoundPage } from './platform/status.js';

const LoginPage = lazy(() => import('./platform/LoginPage.js'));
// citizens' pages (我为群众办实事 progress, 微心愿): no session, outside the shell
const PublicPages = lazy(() => import('./modules/service_public/PublicPages.js'));
// a tree's public portal (news, open lessons, search): no session either
const PortalPages = lazy(() => import('./modules/portal/PortalPages.js'));

/** A signed-in user's page: in the shell (menu and header), or alone on the screen (a projector's). */
function RequireSession({ fullScreen = false }: { fullScreen?: boolean }) {
  const { me, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  // a new password comes first: the shell asks for it
  if (fullScreen && me.user.mustChangePassword) return <Navigate to="/" replace />;
  if (fullScreen) {
    return (
      <ErrorBoundary key={location.pathname}>
        <Suspense fallback={<Loading />}><Outlet /></Suspense>
      </ErrorBoundary>
    );
  }
  return <Shell sections={sections} entries={consoleEntries} />;
}

/**
 * Where a user lands: a platform administrator on 组织架构, an org administrator on the 工作台, a member on
 * 首页; anyone else on the first menu entry they may see.
 */
function Home() {
  const { audiences } = useSession();
  const landing = audiences.has('platformAdmin') ? 'orgs' : audiences.has('admin') ? 'workbench' : audiences.has('member') ? 'my-home' : undefined;
  const preferred = landing ? consoleEntries.find((e) => e.key === landing) : undefined;
  const first = preferred ?? consoleEntries.find((e) => isVisibleTo(e, audiences));
  return first ? <Navigate to={first.path} replace /> : <NotFoundPage />;
}

function Guarded({ page: Page, allowed }: { page: LazyExoticComponent<ComponentType>; allowed: boolean }) {
  return allowed ? <Page /> : <NoAccess />;
}

function ConsoleRoutes() {
  const { audiences } = useSession();
  // every route of the registry, with whether the user may open it (its entry's audience)
  const routes = consoleEntries.flatMap((entry) => {
    const allowed = isVisibleTo(entry, audiences);
    return [{ path: entry.path, page: entry.page, fullScreen: false }, ...(entry.routes ?? [])].map((r) => ({ ...r, allowed }));
  });
  const element = (r: (typeof routes)[number]) => <Route key={r.path} path={r.path} element={<Guarded page={r.page} allowed={r.allowed} />} />;
  return (
    <Routes>
      <Route path="/login" element={<Suspense fallback={<Loading />}><LoginPage /></Suspense>} />
      <Route path="/public/*" element={<Suspense fallback={<Loading />}><PublicPages /></Suspense>} />
      <Route path="/portal/*" element={<Suspense fallback={<Loading />}><PortalPages /></Suspense>} />
      <Route element={<RequireSession fullScreen />}>
        {routes.filter((r) => r.fullScreen).map(element)}
      </Route>
      <Route element={<RequireSession />}>
        <Route index element={<Home />} />
        {routes.filter((r) => !r.fullScreen).map(element)}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <ConsoleRoutes />
    </BrowserRouter>
  );
}
