import { Tag } from 'antd';
import type { SchemeStatus } from '../../../../contracts/assessment.js';
import { useT } from '../../platform/locale.js';

const COLORS: Record<SchemeStatus, string> = { draft: 'default', computed: 'processing', frozen: 'warning', published: 'success' };

export function SchemeStatusTag({ status }: { status: SchemeStatus }) {
  const t = useT();
  return <Tag color={COLORS[status]}>{t(`assessment.scheme.status.${status}`)}</Tag>;
}
