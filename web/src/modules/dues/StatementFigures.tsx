import { Col, Row, Statistic, Typography } from 'antd';
import type { StatementFigures } from '../../../../contracts/dues.js';
import { useT } from '../../platform/locale.js';
import { yuan } from './money.js';

/** A year's 党费收缴使用情况 as it is shown to the members (公示) and drafted by the admin: the same figures in both places. */
export function StatementFiguresView({ figures: f, compact = false }: { figures: StatementFigures; compact?: boolean }) {
  const t = useT();
  const items: [string, string][] = [
    [t('dues.due_yuan'), yuan(f.dueFen)],
    [t('dues.collected_yuan'), yuan(f.collectedFen)],
    [t('dues.unpaid_yuan'), yuan(f.arrearsFen)],
    [t('dues.extra_yuan'), yuan(f.extraFen)],
    [t('dues.special_yuan'), yuan(f.specialFen)],
    [t('dues.received_yuan'), yuan(f.receivedFromBelowFen)],
    [t('dues.remitted_yuan'), yuan(f.remittedUpFen)],
    [t('dues.spent_yuan'), yuan(f.spentFen)],
    [t('dues.paying_members'), String(f.payingMembers)],
  ];
  const spent = f.spentByPurpose.filter((p) => p.amountFen !== 0);
  return (
    <div data-testid="statement-figures">
      <Row gutter={[16, 12]}>
        {items.map(([title, value]) => (
          <Col key={title} xs={12} md={compact ? 8 : 6}><Statistic title={title} value={value} styles={{ content: { fontSize: compact ? 18 : 22 } }} /></Col>
        ))}
      </Row>
      {spent.length > 0 && (
        <div style={{ marginTop: 12 }}>
          <Typography.Text strong>{t('dues.spent_by_purpose')}</Typography.Text>
          {spent.map((p) => (
            <div key={p.purpose} style={{ display: 'flex', justifyContent: 'space-between', gap: 12, maxWidth: 420 }}>
              <Typography.Text type="secondary">{t(`dues.purpose.${p.purpose}`)}</Typography.Text><span>{yuan(p.amountFen)}</span>
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
