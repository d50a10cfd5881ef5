import { Tag } from 'antd';
import type { NewsStatus } from '../../../../contracts/news.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<NewsStatus, string> = { draft: 'default', submitted: 'gold', published: 'green', returned: 'red', withdrawn: 'default' };

export function NewsStatusTag({ status }: { status: NewsStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`news.status.${status}`)}</Tag>;
}

export function NewsPublicTag({ isPublic }: { isPublic: boolean }) {
  const t = useT();
  return isPublic ? <Tag color="blue">{t('news.public')}</Tag> : <Tag>{t('news.internal')}</Tag>;
}

/**
 * The body as the server stored it: sanitized by an allowlist on every write (server/src/platform/rich-text.ts),
 * so it is shown as HTML; images scale to the phone's width.
 */
export function NewsBody({ html }: { html: string }) {
  return <div className="news-body" style={{ lineHeight: 1.8, overflowWrap: 'anywhere', maxWidth: '100%' }} dangerouslySetInnerHTML={{ __html: html.replace(/<img /g, '<img style="max-width:100%;height:auto" ') }} />;
}
