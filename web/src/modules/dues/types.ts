import type { z } from 'zod';
import type {
  ExpenditurePageSchema, MemberBasePageSchema, PublishedStatementListSchema, RateRuleListSchema, ReconciliationLineSchema, ReconciliationRecordSchema,
  ReductionPageSchema, RemittancePageSchema,
} from '../../../../contracts/dues.js';

/* The contract exports these schemas without their inferred types; they are inferred here, never copied. */
export type MemberBasePage = z.infer<typeof MemberBasePageSchema>;
export type ReductionPage = z.infer<typeof ReductionPageSchema>;
export type RemittancePage = z.infer<typeof RemittancePageSchema>;
export type ExpenditurePage = z.infer<typeof ExpenditurePageSchema>;
export type RateRuleList = z.infer<typeof RateRuleListSchema>;
export type PublishedStatementList = z.infer<typeof PublishedStatementListSchema>;
export type ReconciliationLine = z.infer<typeof ReconciliationLineSchema>;
export type ReconciliationRecord = z.infer<typeof ReconciliationRecordSchema>;
