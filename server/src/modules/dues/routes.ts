import { sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParamsSchema, IdSchema, OkSchema } from '../../../../contracts/common.js';
import {
  AccountQuerySchema, AccountSchema, ArrearsPageSchema, ArrearsQuerySchema, BaseImportResultSchema, BaseListQuerySchema, BillListQuerySchema, BillPageSchema,
  ExpenditureListQuerySchema, ExpenditurePageSchema, ExpenditureSchema, GenerateBillsResultSchema, GenerateBillsSchema, MemberBasePageSchema, MemberBaseSchema,
  MyDuesSchema, OnlineOrderSchema, OnlinePaymentSchema, PaymentListQuerySchema, PaymentPageSchema, PaymentSchema, PublishStatementSchema, PublishedStatementListSchema,
  PublishedStatementSchema, RateRuleListSchema, RecordExpenditureSchema, RecordPaymentSchema, RecordRemittanceSchema, ReconciliationSchema,
  ReconciliationUploadQuerySchema, ReductionListQuerySchema, ReductionPageSchema, ReductionSchema, RemittanceListQuerySchema, RemittancePageSchema,
  RemittanceSchema, RequestReductionSchema, ReversePaymentSchema, ReviewReductionSchema, SendRemindersResultSchema, SendRemindersSchema, SetBaseSchema,
  StatementFiguresSchema, StatementQuerySchema,
} from '../../../../contracts/dues.js';
import { actorOf } from '../../platform/actor.js';
import { audit } from '../../platform/audit.js';
import { invalidField } from '../../platform/errors.js';
import { managedOrg } from '../../platform/org-scope.js';
import { attachmentHeader } from '../../platform/uploads.js';
import * as accounts from './accounts.js';
import * as bases from './bases.js';
import * as exports from './exports.js';
import * as ledger from './ledger.js';
import * as reconciliation from './reconciliation.js';
import * as reductions from './reductions.js';
import './messages.js';

const tags = ['dues'];
const user = { auth: 'user' } as const;
const YearQuerySchema = z.object({ orgId: IdSchema, year: z.coerce.number().int().min(2000).max(2199) });
const MemberParamsSchema = z.object({ memberId: IdSchema });
const BillExportQuerySchema = BillListQuerySchema.omit({ page: true, pageSize: true });
const ArrearsExportQuerySchema = ArrearsQuerySchema.omit({ page: true, pageSize: true });

export const duesRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app.database;
  const xlsx = (fileName: string) => ({ 'content-type': exports.XLSX_TYPE, 'content-disposition': attachmentHeader(fileName, false) });

  app.get('/dues/rules', { config: user, schema: { tags, summary: '党费交纳标准（按有效期）', response: { 200: RateRuleListSchema } } },
    async () => bases.listRules(db));

  /* bases */
  app.get('/dues/bases', { config: user, schema: { tags, summary: '党员交纳基数', querystring: BaseListQuerySchema, response: { 200: MemberBasePageSchema } } },
    async (request) => bases.listBases(db, actorOf(request), request.query));
  app.put('/dues/bases/:memberId', { config: user, schema: { tags, summary: '设定交纳基数', params: MemberParamsSchema, body: SetBaseSchema, response: { 200: MemberBaseSchema } } },
    async (request) => bases.setBase(db, actorOf(request), request.params.memberId, request.body));
  app.get('/dues/bases/template.xlsx', { config: user, schema: { tags, summary: '基数导入模板（含本组织党员）', querystring: YearQuerySchema } },
    async (request, reply) => reply.headers(xlsx(`${request.query.year}年党费基数.xlsx`))
      .send(await bases.baseTemplate(db, actorOf(request), request.query.orgId, request.query.year)));
  app.post('/dues/bases/import', { config: user, schema: { tags, summary: '导入交纳基数（逐行报告）', querystring: YearQuerySchema, consumes: ['multipart/form-data'], response: { 200: BaseImportResultSchema } } },
    async (request) => {
      const actor = actorOf(request);
      await managedOrg(db, actor, request.query.orgId, { allowDissolved: true, field: 'orgId' });
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) throw invalidField('file', 'dues.file_required');
      return bases.importBases(db, actor, request.query.orgId, request.query.year, await file.toBuffer(), request.lang);
    });

  /* bills and payments */
  app.post('/dues/bills/generate', { config: user, schema: { tags, summary: '生成月度账单', body: GenerateBillsSchema, response: { 200: GenerateBillsResultSchema } } },
    async (request) => ledger.generateBills(db, actorOf(request), request.body));
  app.get('/dues/bills', { config: user, schema: { tags, summary: '党费账单', querystring: BillListQuerySchema, response: { 200: BillPageSchema } } },
    async (request) => ledger.listBills(db, actorOf(request), request.query));
  app.get('/dues/bills.xlsx', { config: user, schema: { tags, summary: '导出党费账单 .xlsx', querystring: BillExportQuerySchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      const org = await managedOrg(db, actor, request.query.orgId, { allowDissolved: true });
      const bills = ledger.billsForExport(db, actor, request.query);
      await audit(db, actor, { action: 'dues.export', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { report: 'bills', ...request.query } });
      return reply.headers(xlsx(`党费账单${request.query.month ? `-${request.query.month}` : ''}.xlsx`))
        .send(exports.streamWorkbook([{ name: '党费账单', columns: exports.BILL_COLUMNS, rows: exports.billRows(bills) }], (err) => request.log.error({ err }, 'dues bill export failed')));
    });

  app.post('/dues/payments', { config: user, schema: { tags, summary: '登记缴纳（可多月、代缴）', body: RecordPaymentSchema, response: { 201: PaymentSchema } } },
    async (request, reply) => reply.status(201).send(await ledger.recordPayment(db, actorOf(request), request.body)));
  app.get('/dues/payments', { config: user, schema: { tags, summary: '缴纳记录（收据）', querystring: PaymentListQuerySchema, response: { 200: PaymentPageSchema } } },
    async (request) => ledger.listPayments(db, actorOf(request), request.query));
  app.post('/dues/payments/:id/reverse', { config: user, schema: { tags, summary: '冲正（红字更正）', params: IdParamsSchema, body: ReversePaymentSchema, response: { 201: PaymentSchema } } },
    async (request, reply) => reply.status(201).send(await ledger.reversePayment(db, actorOf(request), request.params.id, request.body)));
  app.get('/dues/payments/:id/receipt.pdf', { config: user, schema: { tags, summary: '党费收据 PDF', params: IdParamsSchema } },
    async (request, reply) => {
      const payment = await ledger.getPayment(db, actorOf(request), request.params.id);
      const tree = (await db.execute<{ name: string } & Record<string, unknown>>(sql`select name from orgs where path = subpath(${payment.orgPath}::ltree, 0, 1)`)).rows[0]?.name ?? '';
      return reply.type('application/pdf').header('content-disposition', attachmentHeader(`党费收据-${payment.receiptNo}.pdf`, true)).send(exports.receiptPdf(payment, tree));
    });

  /* reductions */
  app.post('/dues/reductions', { config: user, schema: { tags, summary: '申报减免（支委会决定）', body: RequestReductionSchema, response: { 201: ReductionSchema } } },
    async (request, reply) => reply.status(201).send(await reductions.requestReduction(db, actorOf(request), request.body)));
  app.get('/dues/reductions', { config: user, schema: { tags, summary: '减免申请', querystring: ReductionListQuerySchema, response: { 200: ReductionPageSchema } } },
    async (request) => reductions.listReductions(db, actorOf(request), request.query));
  app.post('/dues/reductions/:id/review', { config: user, schema: { tags, summary: '上级审批减免', params: IdParamsSchema, body: ReviewReductionSchema, response: { 200: ReductionSchema } } },
    async (request) => reductions.reviewReduction(db, actorOf(request), request.params.id, request.body));

  /* arrears */
  app.get('/dues/arrears', { config: user, schema: { tags, summary: '欠缴党员（含连续6个月未缴）', querystring: ArrearsQuerySchema, response: { 200: ArrearsPageSchema } } },
    async (request) => accounts.listArrears(db, actorOf(request), request.query));
  app.get('/dues/arrears.xlsx', { config: user, schema: { tags, summary: '导出欠缴名单 .xlsx', querystring: ArrearsExportQuerySchema } },
    async (request, reply) => {
      const actor = actorOf(request);
      const rows = await accounts.arrearsForExport(db, actor, request.query);
      const org = await managedOrg(db, actor, request.query.orgId, { allowDissolved: true });
      await audit(db, actor, { action: 'dues.export', targetType: 'org', targetId: org.id, orgPath: org.path, detail: { report: 'arrears', ...request.query, rowCount: rows.length } });
      return reply.headers(xlsx('党费欠缴名单.xlsx')).send(exports.streamWorkbook([exports.arrearsSheet(rows)], (err) => request.log.error({ err }, 'dues arrears export failed')));
    });
  app.post('/dues/reminders', { config: user, schema: { tags, summary: '催缴提醒（批量）', body: SendRemindersSchema, response: { 200: SendRemindersResultSchema } } },
    async (request) => accounts.sendReminders(db, actorOf(request), request.body));

  /* accounts, remittances, expenditures */
  app.get('/dues/accounts', { config: user, schema: { tags, summary: '月度收缴台账（本级与下级）', querystring: AccountQuerySchema, response: { 200: AccountSchema } } },
    async (request) => accounts.monthAccount(db, actorOf(request), request.query));
  app.get('/dues/accounts.xlsx', { config: user, schema: { tags, summary: '导出月度收缴台账 .xlsx', querystring: AccountQuerySchema } },
    async (request, reply) => {
      const account = await accounts.monthAccount(db, actorOf(request), request.query);
      return reply.headers(xlsx(`党费收缴台账-${account.month}.xlsx`)).send(exports.streamWorkbook([exports.accountSheet(account)], (err) => request.log.error({ err }, 'dues account export failed')));
    });
  app.post('/dues/remittances', { config: user, schema: { tags, summary: '登记上缴', body: RecordRemittanceSchema, response: { 201: RemittanceSchema } } },
    async (request, reply) => reply.status(201).send(await accounts.recordRemittance(db, actorOf(request), request.body)));
  app.get('/dues/remittances', { config: user, schema: { tags, summary: '上缴记录（上缴的/收到的）', querystring: RemittanceListQuerySchema, response: { 200: RemittancePageSchema } } },
    async (request) => accounts.listRemittances(db, actorOf(request), request.query));
  app.post('/dues/remittances/:id/confirm', { config: user, schema: { tags, summary: '上级确认收到', params: IdParamsSchema, response: { 200: RemittanceSchema } } },
    async (request) => accounts.confirmRemittance(db, actorOf(request), request.params.id));
  app.post('/dues/expenditures', { config: user, schema: { tags, summary: '登记党费支出', body: RecordExpenditureSchema, response: { 201: ExpenditureSchema } } },
    async (request, reply) => reply.status(201).send(await accounts.recordExpenditure(db, actorOf(request), request.body)));
  app.get('/dues/expenditures', { config: user, schema: { tags, summary: '党费支出', querystring: ExpenditureListQuerySchema, response: { 200: ExpenditurePageSchema } } },
    async (request) => accounts.listExpenditures(db, actorOf(request), request.query));
  app.post('/dues/expenditures/:id/reverse', { config: user, schema: { tags, summary: '冲销支出', params: IdParamsSchema, response: { 201: ExpenditureSchema } } },
    async (request, reply) => reply.status(201).send(await accounts.reverseExpenditure(db, actorOf(request), request.params.id)));

  /* reconciliation */
  app.get('/dues/reconciliations/template.xlsx', { config: user, schema: { tags, summary: '银行对账单格式示例' } },
    async (request, reply) => reply.headers(xlsx('银行对账单格式.xlsx')).send(exports.streamWorkbook([exports.statementTemplateSheet], (err) => request.log.error({ err }, 'template failed'))));
  app.post('/dues/reconciliations', { config: user, schema: { tags, summary: '银行对账（上传对账单）', querystring: ReconciliationUploadQuerySchema, consumes: ['multipart/form-data'], response: { 201: ReconciliationSchema } } },
    async (request, reply) => {
      const actor = actorOf(request);
      await managedOrg(db, actor, request.query.orgId, { allowDissolved: true, field: 'orgId' });
      const file = request.isMultipart() ? await request.file() : undefined;
      if (!file) throw invalidField('file', 'dues.file_required');
      return reply.status(201).send(await reconciliation.reconcile(db, actor, request.query, await file.toBuffer(), file.filename));
    });
  app.get('/dues/reconciliations/:id', { config: user, schema: { tags, summary: '对账结果', params: IdParamsSchema, response: { 200: ReconciliationSchema } } },
    async (request) => reconciliation.getReconciliation(db, actorOf(request), request.params.id));
  app.get('/dues/reconciliations/:id/export.xlsx', { config: user, schema: { tags, summary: '导出对账结果 .xlsx', params: IdParamsSchema } },
    async (request, reply) => {
      const result = await reconciliation.getReconciliation(db, actorOf(request), request.params.id);
      return reply.headers(xlsx(`党费对账-${result.fromDate}-${result.toDate}.xlsx`)).send(exports.streamWorkbook(exports.reconciliationSheets(result), (err) => request.log.error({ err }, 'reconciliation export failed')));
    });

  /* the annual statement */
  app.get('/dues/statement', { config: user, schema: { tags, summary: '年度党费收缴使用情况', querystring: StatementQuerySchema, response: { 200: StatementFiguresSchema } } },
    async (request) => accounts.statementFigures(db, actorOf(request), request.query));
  app.get('/dues/statement.xlsx', { config: user, schema: { tags, summary: '导出年度情况 .xlsx', querystring: StatementQuerySchema } },
    async (request, reply) => {
      const figures = await accounts.statementFigures(db, actorOf(request), request.query);
      return reply.headers(xlsx(`${figures.year}年党费收缴使用情况.xlsx`)).send(exports.streamWorkbook(exports.statementSheets(figures), (err) => request.log.error({ err }, 'statement export failed')));
    });
  app.post('/dues/statements', { config: user, schema: { tags, summary: '公示年度情况', body: PublishStatementSchema, response: { 201: PublishedStatementSchema } } },
    async (request, reply) => reply.status(201).send(await accounts.publishStatement(db, actorOf(request), request.body)));
  app.get('/dues/statements', { config: user, schema: { tags, summary: '已公示的年度情况', querystring: z.object({ orgId: IdSchema }), response: { 200: PublishedStatementListSchema } } },
    async (request) => accounts.listStatements(db, actorOf(request), request.query.orgId));

  /* the member's own */
  app.get('/dues/me', { config: user, schema: { tags, summary: '我的党费', response: { 200: MyDuesSchema } } },
    async (request) => accounts.myDues(db, actorOf(request)));
  app.post('/dues/me/reminders/read', { config: user, schema: { tags, summary: '催缴提醒已读', response: { 200: OkSchema } } },
    async (request) => accounts.markRemindersRead(db, actorOf(request)));
  app.post('/dues/me/online-payments', { config: user, schema: { tags, summary: '线上缴纳（需站点接入支付渠道）', body: OnlinePaymentSchema, response: { 200: OnlineOrderSchema } } },
    async (request) => ledger.startOnlinePayment(db, actorOf(request), request.body.billIds));
  // the provider calls this; the notification's signature, checked by the site's gateway, is its authentication
  app.post('/dues/online-payments/notify', { config: { auth: 'public' }, schema: { tags, summary: '支付渠道的支付结果通知' } },
    async (request) => ledger.completeOnlinePayment(db, { headers: request.headers, body: request.body }));
};
