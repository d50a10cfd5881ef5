import { Progress, Tag } from 'antd';
import type { CourseKind } from '../../../../contracts/learning.js';
import { useT } from '../../platform/locale.js';

const kindColors: Record<CourseKind, string> = { video: 'red', link: 'blue', live: 'volcano', series: 'purple' };

export function CourseKindTag({ kind }: { kind: CourseKind }) {
  const t = useT();
  return <Tag color={kindColors[kind]}>{t(`course.kind.${kind}`)}</Tag>;
}

/** done of total as a bar with its words: 已完成 when all is done. */
export function StudyProgress({ done, total }: { done: number; total: number }) {
  const t = useT();
  const percent = total === 0 ? 0 : Math.round((done / total) * 100);
  return (
    <div data-testid="study-progress">
      <Progress aria-label={`${done}/${total}`} percent={percent} size="small" status={done >= total && total > 0 ? 'success' : 'normal'} showInfo={false} />
      <span style={{ fontSize: 12, color: 'rgba(0,0,0,0.55)' }}>{done >= total && total > 0 ? t('study.completed') : t('study.done_of', { done, total })}</span>
    </div>
  );
}
