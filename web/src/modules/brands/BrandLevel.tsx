import { Space, Tag, Typography } from 'antd';
import { StarFilled } from '@ant-design/icons';
import type { BrandTitle } from '../../../../contracts/brands.js';
import { useT } from '../../platform/locale.js';

/** A brand's stars and title: ★★★★★ 示范. */
export function BrandLevel({ starLevel, title }: { starLevel: number | null; title: BrandTitle | null }) {
  const t = useT();
  if (!starLevel && !title) return <Typography.Text type="secondary">{t('brand.no_level')}</Typography.Text>;
  return (
    <Space size={4} wrap>
      {starLevel ? (
        <span role="img" aria-label={t('brand.stars', { n: starLevel })} title={t('brand.stars', { n: starLevel })} style={{ color: '#d4a017', whiteSpace: 'nowrap' }}>
          {Array.from({ length: starLevel }, (_, i) => <StarFilled key={i} />)}
        </span>
      ) : null}
      {title && <Tag color={title === 'model' ? 'red' : 'gold'}>{t(`brand.title.${title}`)}</Tag>}
    </Space>
  );
}
