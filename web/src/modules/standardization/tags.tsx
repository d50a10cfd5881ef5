import { Tag } from 'antd';
import type { RoundStatus } from '../../../../contracts/standardization.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<RoundStatus, string> = {
  self_assessing: 'default', submitted: 'blue', graded: 'gold', appealed: 'orange', final: 'cyan', published: 'green',
};

export function RoundStatusTag({ status }: { status: RoundStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`std.round.${status}`)}</Tag>;
}

export function GradeTag({ name, isLow }: { name: string; isLow: boolean }) {
  return <Tag color={isLow ? 'red' : 'geekblue'}>{name}</Tag>;
}

/** A computed value as a reader takes it: a rate in per cent. */
export function formatValue(value: number | null, unit: 'rate' | 'per_member' | 'count' | null): string | null {
  if (value === null) return null;
  return unit === 'rate' ? `${Math.round(value * 10_000) / 100}%` : String(value);
}
