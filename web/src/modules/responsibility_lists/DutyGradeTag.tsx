import { Tag } from 'antd';
import type { DutyGrade } from '../../../../contracts/responsibility_lists.js';
import { useT } from '../../platform/locale.js';

const COLORS: Record<DutyGrade, string> = { good: 'success', fairly_good: 'processing', average: 'warning', poor: 'error' };

/** 好 · 较好 · 一般 · 差 */
export function DutyGradeTag({ grade }: { grade: DutyGrade | null }) {
  const t = useT();
  return grade ? <Tag color={COLORS[grade]}>{t(`duty.grade.${grade}`)}</Tag> : null;
}
