import { Tag } from 'antd';
import type { AppraisalGrade, AppraisalPhase } from '../../../../contracts/appraisals.js';
import { useT } from '../../platform/locale.js';

const gradeColors: Record<AppraisalGrade, string> = { excellent: 'red', qualified: 'green', basically_qualified: 'orange', unqualified: 'default' };
const phaseColors: Record<AppraisalPhase, string> = {
  self_assessment: 'blue', mutual: 'processing', committee: 'purple', final: 'gold', public_notice: 'orange', published: 'success',
};

export function GradeTag({ grade }: { grade: AppraisalGrade | null }) {
  const t = useT();
  return grade ? <Tag color={gradeColors[grade]}>{t(`appraisal.grade.${grade}`)}</Tag> : <>—</>;
}

export function PhaseTag({ phase }: { phase: AppraisalPhase }) {
  const t = useT();
  return <Tag color={phaseColors[phase]}>{t(`appraisal.phase.${phase}`)}</Tag>;
}
