import { Space, Tag } from 'antd';
import type { Item } from '../../../../contracts/responsibility_lists.js';
import { useT } from '../../platform/locale.js';

const COLORS: Record<Item['status'], string> = { open: 'default', reported: 'processing', rectifying: 'warning', closed: 'success' };

/** An item's status, and the overdue flag when it is past its (rectification) deadline. */
export function ItemTags({ item }: { item: Pick<Item, 'status' | 'isOverdue' | 'rectifyDeadline'> }) {
  const t = useT();
  return (
    <Space wrap size={4}>
      <Tag color={COLORS[item.status]}>{t(`resp.status.${item.status}`)}</Tag>
      {item.isOverdue && <Tag color="error">{t('resp.overdue')}</Tag>}
      {item.status === 'rectifying' && item.rectifyDeadline && <Tag>{t('resp.rectify_by', { date: item.rectifyDeadline })}</Tag>}
    </Space>
  );
}
