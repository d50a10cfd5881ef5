import { Tag, Timeline, Typography } from 'antd';
import type { IdeaDetail, IdeaStatus } from '../../../../contracts/ideas.js';
import { useT } from '../../platform/locale.js';

const STATUS_COLORS: Record<IdeaStatus, string> = {
  submitted: 'blue', declined: 'default', adopted: 'green', implementing: 'gold', implemented: 'success', shelved: 'orange',
};

export function IdeaStatusTag({ status }: { status: IdeaStatus }) {
  const t = useT();
  return <Tag color={STATUS_COLORS[status]}>{t(`idea.status.${status}`)}</Tag>;
}

/** The reply and every step since, oldest first: what the member and the reviewers both read. */
export function IdeaProgressList({ idea }: { idea: IdeaDetail }) {
  const t = useT();
  const items = [
    ...(idea.reviewedAt ? [{ key: 'review', content: (
      <>
        <IdeaStatusTag status={idea.status === 'declined' ? 'declined' : 'adopted'} />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{idea.reviewedAt.slice(0, 10)} {idea.reviewedByName ?? ''}</Typography.Text>
        <div>{idea.reply}</div>
      </>
    ) }] : []),
    ...idea.progress.map((p) => ({ key: p.id, content: (
      <>
        {p.status && <IdeaStatusTag status={p.status} />}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>{p.occurredOn} {p.recordedByName ?? ''}</Typography.Text>
        <div>{p.note}</div>
      </>
    ) })),
  ];
  if (items.length === 0) return <Typography.Text type="secondary">{t('idea.no_reply')}</Typography.Text>;
  return <Timeline items={items} style={{ marginTop: 8 }} />;
}
