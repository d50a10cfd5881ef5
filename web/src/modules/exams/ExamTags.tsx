import { Tag } from 'antd';
import type { Exam } from '../../../../contracts/exams.js';
import { useT } from '../../platform/locale.js';

const statusColor = { upcoming: 'blue', open: 'green', closed: 'default' } as const;

export function ExamStatusTag({ status }: { status: Exam['status'] }) {
  const t = useT();
  return <Tag color={statusColor[status]} data-testid="exam-status">{t(`exam.status.${status}`)}</Tag>;
}

/** Closed-book and make-up marks beside an exam's title. */
export function ExamMarks({ exam }: { exam: Pick<Exam, 'isClosedBook' | 'makeUpOf'> }) {
  const t = useT();
  return (
    <>
      {exam.isClosedBook && <Tag>{t('exam.closed_book_tag')}</Tag>}
      {exam.makeUpOf && <Tag color="orange">{t('exam.make_up_tag')}</Tag>}
    </>
  );
}
