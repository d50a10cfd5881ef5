import { z } from 'zod';
import { IdSchema } from './common.js';
import { EDUCATIONS, type Gender, type MemberStage } from './members.js';

/**
 * The member sheet (党员名册): one column list shared by the import template, the import parser,
 * the export and the web wizard, so a file exported here can be corrected and imported again.
 * `field` is the CreateMember field the column fills (`orgId` is resolved from the org's name or path).
 */
export interface MemberSheetColumn {
  header: string;
  field: MemberSheetField;
  required: boolean;
  kind: 'text' | 'date' | 'enum';
  /** Other headers accepted on import (files made by hand or by older systems). */
  aliases: readonly string[];
  example: string;
  note: string;
  width: number;
}

export type MemberSheetField =
  | 'name' | 'gender' | 'ethnicity' | 'birthDate' | 'idNumber' | 'phone' | 'education' | 'workUnit' | 'post'
  | 'orgId' | 'stage' | 'appliedOn' | 'activistOn' | 'candidateOn' | 'joinedOn' | 'convertedOn' | 'residenceCommunity';

export const GENDER_LABELS: Record<Gender, string> = { male: '男', female: '女' };
export const STAGE_LABELS: Record<MemberStage, string> = {
  applicant: '入党申请人',
  activist: '积极分子',
  candidate: '发展对象',
  probationary: '预备党员',
  full: '正式党员',
};
/** Spellings people also write in the stage column. */
export const STAGE_ALIASES: Record<string, MemberStage> = {
  入党申请人: 'applicant', 申请人: 'applicant', 申请入党: 'applicant',
  积极分子: 'activist', 入党积极分子: 'activist',
  发展对象: 'candidate',
  预备党员: 'probationary', 预备: 'probationary',
  正式党员: 'full', 党员: 'full', 正式: 'full',
};

export const EDUCATION_OPTIONS = EDUCATIONS;
/** Everyday wordings of 学历 and the roll's label they stand for. */
export const EDUCATION_ALIASES: Record<string, (typeof EDUCATIONS)[number]> = {
  博士: '研究生（博士）', 博士研究生: '研究生（博士）', '研究生(博士)': '研究生（博士）',
  硕士: '研究生（硕士）', 硕士研究生: '研究生（硕士）', 研究生: '研究生（硕士）', '研究生(硕士)': '研究生（硕士）',
  本科: '大学本科', 大本: '大学本科',
  专科: '大学专科', 大专: '大学专科', 大学专科: '大学专科',
  中专: '中专', 中等专科: '中专', 职高: '中专', 技校: '中专',
  高中: '高中',
  初中: '初中及以下', 小学: '初中及以下',
};

export const ETHNICITIES = [
  '汉族', '蒙古族', '回族', '藏族', '维吾尔族', '苗族', '彝族', '壮族', '布依族', '朝鲜族', '满族', '侗族', '瑶族', '白族',
  '土家族', '哈尼族', '哈萨克族', '傣族', '黎族', '傈僳族', '佤族', '畲族', '高山族', '拉祜族', '水族', '东乡族', '纳西族',
  '景颇族', '柯尔克孜族', '土族', '达斡尔族', '仫佬族', '羌族', '布朗族', '撒拉族', '毛南族', '仡佬族', '锡伯族', '阿昌族',
  '普米族', '塔吉克族', '怒族', '乌孜别克族', '俄罗斯族', '鄂温克族', '德昂族', '保安族', '裕固族', '京族', '塔塔尔族',
  '独龙族', '鄂伦春族', '赫哲族', '门巴族', '珞巴族', '基诺族',
] as const;

const dateNote = '日期，格式 YYYY-MM-DD（如 2015-07-01），也可直接填 Excel 日期';

export const MEMBER_SHEET_COLUMNS: readonly MemberSheetColumn[] = [
  { header: '姓名', field: 'name', required: true, kind: 'text', aliases: [], example: '张建国', width: 12, note: '必填，与身份证一致' },
  { header: '性别', field: 'gender', required: true, kind: 'enum', aliases: [], example: '男', width: 8, note: '必填，男 / 女（下拉选择）' },
  { header: '民族', field: 'ethnicity', required: false, kind: 'enum', aliases: [], example: '汉族', width: 10, note: '选填，56 个民族之一（下拉选择）；不填视为汉族' },
  { header: '出生日期', field: 'birthDate', required: false, kind: 'date', aliases: ['出生年月'], example: '1988-05-12', width: 13, note: `选填，${dateNote}` },
  { header: '身份证号', field: 'idNumber', required: true, kind: 'text', aliases: ['公民身份号码', '身份证号码', '身份证'], example: '110105198805121010', width: 22,
    note: '必填，18 位居民身份证号（末位可为 X），按国家标准校验；同一身份证号只能登记一次。本列已设为文本格式，请勿改为数字，否则末几位会丢失' },
  { header: '手机号', field: 'phone', required: false, kind: 'text', aliases: ['手机', '手机号码', '联系电话'], example: '13812345678', width: 14, note: '选填，11 位大陆手机号' },
  { header: '学历', field: 'education', required: false, kind: 'enum', aliases: ['文化程度'], example: '大学本科', width: 14, note: '选填，可下拉选择' },
  { header: '工作单位', field: 'workUnit', required: false, kind: 'text', aliases: ['单位'], example: '市财政局', width: 20, note: '选填' },
  { header: '职务', field: 'post', required: false, kind: 'text', aliases: ['职务职级', '职位'], example: '预算处副处长', width: 16, note: '选填' },
  { header: '所在党组织', field: 'orgId', required: true, kind: 'enum', aliases: ['党组织', '所在支部', '所在党支部'], example: '', width: 36,
    note: '填党组织名称，或用“/”分隔的完整路径（如 市直机关工委/市财政局机关党委/预算处党支部）；名称重复时须填完整路径。须在您的管理范围内。整列留空则使用导入时选择的默认党组织' },
  { header: '党员类别/发展阶段', field: 'stage', required: true, kind: 'enum', aliases: ['党员类别', '发展阶段', '人员类别'], example: '正式党员', width: 18,
    note: '必填，入党申请人 / 积极分子 / 发展对象 / 预备党员 / 正式党员（下拉选择）；各阶段须填写到该阶段为止的日期' },
  { header: '申请入党日期', field: 'appliedOn', required: false, kind: 'date', aliases: ['递交入党申请书日期'], example: '2008-03-01', width: 14, note: dateNote },
  { header: '确定积极分子日期', field: 'activistOn', required: false, kind: 'date', aliases: ['确定为积极分子日期', '确定入党积极分子日期'], example: '2008-09-01', width: 16, note: dateNote },
  { header: '确定发展对象日期', field: 'candidateOn', required: false, kind: 'date', aliases: ['确定为发展对象日期'], example: '2009-09-01', width: 16, note: dateNote },
  { header: '入党日期', field: 'joinedOn', required: false, kind: 'date', aliases: ['加入党组织日期', '接收预备党员日期'], example: '2010-07-01', width: 13, note: `预备党员、正式党员必填；${dateNote}` },
  { header: '转正日期', field: 'convertedOn', required: false, kind: 'date', aliases: [], example: '2011-07-01', width: 13, note: `正式党员必填；${dateNote}` },
  { header: '居住社区', field: 'residenceCommunity', required: false, kind: 'text', aliases: ['居住地社区', '报到社区'], example: '和平里社区', width: 16, note: '选填，用于“双报到”' },
];

export const MEMBER_SHEET_HEADERS = MEMBER_SHEET_COLUMNS.map((c) => c.header);

/** An import may have at most this many data rows (larger rolls are split by org). */
export const MAX_IMPORT_ROWS = 50_000;

export const ImportModeSchema = z.enum(['all', 'valid_only', 'validate']);
export type ImportMode = z.infer<typeof ImportModeSchema>;

/** The form fields sent with the file (multipart): how to import, and the default org. */
export const ImportOptionsSchema = z.strictObject({
  /** all: nothing is imported if any row is bad; valid_only: the good rows are; validate: check only. */
  mode: ImportModeSchema.default('all'),
  orgId: IdSchema.optional(),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

export const ImportAcceptedSchema = z.object({ jobId: IdSchema });
export type ImportAccepted = z.infer<typeof ImportAcceptedSchema>;

/** One problem of one cell: the Excel row number, the Chinese column header, the reason. */
export const ImportProblemSchema = z.object({ row: z.number().int(), column: z.string(), message: z.string() });
export type ImportProblem = z.infer<typeof ImportProblemSchema>;

export const ImportResultSchema = z.object({
  mode: ImportModeSchema,
  /** Data rows in the file. */
  total: z.number().int(),
  /** Rows without any problem. */
  valid: z.number().int(),
  imported: z.number().int(),
  /** Rows with at least one problem. */
  failed: z.number().int(),
  problems: z.array(ImportProblemSchema),
  /** More problems were found than the report keeps. */
  problemsTruncated: z.boolean(),
  /** Why the whole job stopped (status failed), in the uploader's language. */
  error: z.string().optional(),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;

export const JobStatusSchema = z.enum(['queued', 'running', 'done', 'failed']);

export const ImportJobSchema = z.object({
  id: IdSchema,
  status: JobStatusSchema,
  /** Rows checked so far, out of `total`. */
  progress: z.number().int(),
  total: z.number().int(),
  result: ImportResultSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ImportJob = z.infer<typeof ImportJobSchema>;

export const ImportJobParamsSchema = z.object({ jobId: IdSchema });
