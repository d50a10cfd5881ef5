import { Suspense, lazy, type ComponentType, type LazyExoticComponent } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { consoleEntries, sections } from './modules/index.js';
import { isVisibleTo } from './platform/menu.js';
import { useSession } from './platform/session.js';
import { Shell } from './platform/Shell.js';
import { Loading, NoAccess, NotFoundPage } from './platform/status.js';

const LoginPage = lazy(() => import('./platform/LoginPage.js'));
// citizens' pages (我为群众办实事 progress, 微心愿): no session, outside the shell
const PublicPages = lazy(() => import('./modules/service_public/PublicPages.js'));

function RequireSession() {
  const { me, isLoading } = useSession();
  const location = useLocation();
  if (isLoading) return <Loading />;
  if (!me) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  return <Shell sections={sections} entries={consoleEntries} />;
}

/** Where a user lands: the first menu entry they may see (admins: 组织架构, members: 我的档案). */
function Home() {
  const { audiences } = useSession();
  const preferred = audiences.has('admin') ? consoleEntries.find((e) => e.key === 'orgs') : undefined;
  const first = preferred ?? consoleEntries.find((e) => isVisibleTo(e, audiences));
  return first ? <Navigate to={first.path} replace /> : <NotFoundPage />;
}

function Guarded({ page: Page, allowed }: { page: LazyExoticComponent<ComponentType>; allowed: boolean }) {
  return allowed ? <Page /> : <NoAccess />;
}

function ConsoleRoutes() {
  const { audiences } = useSession();
  return (
    <Routes>
      <Route path="/login" element={<Suspense fallback={<Loading />}><LoginPage /></Suspense>} />
      <Route path="/public/*" element={<Suspense fallback={<Loading />}><PublicPages /></Suspense>} />
      <Route element={<RequireSession />}>
        <Route index element={<Home />} />
        {consoleEntries.flatMap((entry) => {
          const allowed = isVisibleTo(entry, audiences);
          return [entry, ...(entry.routes ?? [])].map((r) => (
            <Route key={r.path} path={r.path} element={<Guarded page={r.page} allowed={allowed} />} />
          ));
        })}
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
