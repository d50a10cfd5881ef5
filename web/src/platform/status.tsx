import type { ReactNode } from 'react';
import { Alert, Button, Result, Spin } from 'antd';
import { Link } from 'react-router';
import { ApiError, isNotFound } from './api.js';
import { useT } from './locale.js';

export function NotFoundPage() {
  const t = useT();
  return <Result status="404" title={t('app.not_found')} extra={<Link to="/"><Button type="primary">{t('app.back_home')}</Button></Link>} />;
}

/** What a page shows for a record it cannot load: out-of-scope and missing records look the same. */
export function NoAccess() {
  const t = useT();
  return <Result status="404" title={t('app.no_access')} data-testid="no-access" extra={<Link to="/"><Button type="primary">{t('app.back_home')}</Button></Link>} />;
}

export function Loading() {
  return <div style={{ padding: 48, textAlign: 'center' }}><Spin /></div>;
}

/** Loading / not found / error states of a query, or its content. */
export function QueryState({ isLoading, error, retry, children }: { isLoading: boolean; error: unknown; retry?: () => void; children: ReactNode }) {
  const t = useT();
  if (isLoading) return <Loading />;
  if (error) {
    if (isNotFound(error)) return <NoAccess />;
    return (
      <Alert
        type="error"
        showIcon
        message={t('app.error')}
        description={error instanceof ApiError ? error.message : String(error)}
        action={retry ? <Button size="small" onClick={retry}>{t('app.retry')}</Button> : undefined}
      />
    );
  }
  return <>{children}</>;
}

export function errorMessage(error: unknown, fallback: string): string {
  return error instanceof ApiError ? error.message : fallback;
}
