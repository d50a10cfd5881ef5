import { Link } from 'react-router';
import { Card, List, Space, Tag, Typography } from 'antd';
import type { SearchHit, SearchSourceType } from '../../../../contracts/search.js';
import { formatTime } from '../../platform/format.js';
import { useT } from '../../platform/locale.js';
import { CardItem } from '../../platform/CardItem.js';

const TYPE_COLORS: Record<SearchSourceType, string> = { notice: 'red', news: 'blue', article: 'green', course: 'purple' };

/** Search hits as cards; `linkOf` says where a hit opens (the console's page, or the portal's). */
export function SearchResults({ items, linkOf }: { items: SearchHit[]; linkOf: (hit: SearchHit) => string | null }) {
  const t = useT();
  return (
    <List dataSource={items} data-testid="search-results" renderItem={(hit) => {
      const link = linkOf(hit);
      const title = <Typography.Text strong style={{ overflowWrap: 'anywhere' }}>{hit.title}</Typography.Text>;
      return (
        <CardItem>
          <Card size="small" style={{ marginBottom: 8 }}>
            <Space orientation="vertical" size={4} style={{ width: '100%', minWidth: 0 }}>
              {link ? <Link to={link}>{title}</Link> : title}
              {hit.excerpt && <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: 0 }}>{hit.excerpt}</Typography.Paragraph>}
              <Space wrap size={[6, 4]}>
                <Tag color={TYPE_COLORS[hit.sourceType]}>{t(`search.type.${hit.sourceType}`)}</Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{hit.orgName} · {formatTime(hit.publishedAt)}</Typography.Text>
              </Space>
            </Space>
          </Card>
        </CardItem>
      );
    }} />
  );
}
