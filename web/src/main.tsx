import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp } from 'antd';
import { App } from './App.js';
import './platform/accessibility.css';
import { z } from 'zod';
import { LocaleProvider } from './platform/locale.js';
import { SessionProvider } from './platform/session.js';
import { ApiError } from './platform/api.js';
import { PendingCheckInSender } from './modules/activities/OfflineCheckIns.js';

// zod probes `new Function` to decide whether to compile validators; the console's CSP forbids eval,
// and the probe shows up as a CSP violation on every page that validates: validate without compiling
z.config({ jitless: true });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      // a 4xx answer will not change on retry
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
    },
  },
});

// server messages come in the chosen language: refetch what is on screen when it changes
const refetchInNewLanguage = () => void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <LocaleProvider onChange={refetchInNewLanguage}>
        <AntApp style={{ height: '100%' }}>
          <SessionProvider>
            <App />
            <PendingCheckInSender />
          </SessionProvider>
        </AntApp>
      </LocaleProvider>
    </QueryClientProvider>
  </StrictMode>,
);

// the app shell on the phone (web/public/sw.js); named by this build's entry file, so each build brings its own
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  void navigator.serviceWorker.register(`/sw.js?v=${encodeURIComponent(new URL(import.meta.url).pathname)}`)
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      const keep = performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/assets/'));
      registration.active?.postMessage({ keep });
    })
    .catch(() => undefined);
}
