import { Tag } from 'antd';
import type { MonthlyRatingPhase } from '../../../../contracts/monthly_ratings.js';
import { useT } from '../../platform/locale.js';

const COLORS: Record<MonthlyRatingPhase, string | undefined> = { upcoming: undefined, nominating: 'blue', between: 'gold', voting: 'green', closed: 'orange', published: 'purple' };

export function PhaseTag({ phase }: { phase: MonthlyRatingPhase }) {
  const t = useT();
  return <Tag color={COLORS[phase]}>{t(`mr.phase.${phase}`)}</Tag>;
}
