import { Tag } from 'antd';
import type { MemberStage } from '../../../../contracts/members.js';
import { useT } from '../../platform/locale.js';

const stageColors: Record<MemberStage, string> = {
  applicant: 'default',
  activist: 'cyan',
  candidate: 'blue',
  probationary: 'orange',
  full: 'red',
};

export function StageTag({ stage }: { stage: MemberStage }) {
  const t = useT();
  return <Tag color={stageColors[stage]} style={{ marginInlineEnd: 0 }}>{t(`stage.${stage}`)}</Tag>;
}
