import { Tag, Tooltip } from 'antd';
import type { Check, Nomination, Round } from '../../../../contracts/commendations.js';
import { useT } from '../../platform/locale.js';

const ROUND_COLOURS: Record<Round['status'], string> = { nominating: 'blue', public_notice: 'orange', awarded: 'green' };
const NOMINATION_COLOURS: Record<Nomination['status'], string> = { submitted: 'blue', approved: 'green', returned: 'default', withdrawn: 'red', awarded: 'gold' };

export function RoundStatusTag({ status }: { status: Round['status'] }) {
  const t = useT();
  return <Tag color={ROUND_COLOURS[status]}>{t(`commendation.status.${status}`)}</Tag>;
}

export function NominationStatusTag({ status }: { status: Nomination['status'] }) {
  const t = useT();
  return <Tag color={NOMINATION_COLOURS[status]}>{t(`commendation.nstatus.${status}`)}</Tag>;
}

/** The qualification checks: one tag each, the detail on hover and for screen readers. */
export function ChecksTags({ checks }: { checks: Check[] }) {
  const t = useT();
  if (checks.length === 0) return <>—</>;
  return (
    <>
      {checks.map((c) => (
        <Tooltip key={c.code} title={c.detail}>
          <Tag color={c.ok ? 'green' : 'red'}>{c.ok ? '✓' : '✗'} {t(`commendation.check.${c.code}`)}</Tag>
        </Tooltip>
      ))}
    </>
  );
}
