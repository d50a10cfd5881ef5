import { defineMessages } from '../../../platform/i18n.js';
import '../messages.js';

/** The member import's messages (its errors and the per-row report). */
defineMessages({
  'member_import.not_admin': { zh: '只有党组织管理员可以导入、导出党员', en: 'Only organization administrators may import or export members' },
  'member_import.file_required': { zh: '请选择要导入的 Excel 文件（.xlsx）', en: 'Choose an Excel file (.xlsx) to import' },
  'member_import.not_xlsx': { zh: '文件不是有效的 Excel 文件（.xlsx），请用导入模板填写后上传', en: 'The file is not a valid Excel workbook (.xlsx); fill in the template and upload it' },
  'member_import.xls_unsupported': { zh: '不支持旧版 .xls 文件，请在 Excel 中“另存为” .xlsx 格式后上传', en: 'Old .xls files are not supported; save the file as .xlsx and upload it again' },
  'member_import.empty': { zh: '文件中没有党员数据（表头下方第 2 行起填写数据）', en: 'The file has no member rows (data starts on row 2, under the headers)' },
  'member_import.not_template': { zh: '第一行不是党员导入模板的表头，请下载导入模板填写', en: 'The first row is not the header row of the member template; download the template and use it' },
  'member_import.missing_headers': { zh: '表头缺少以下列：{columns}。请下载最新导入模板填写', en: 'These columns are missing from the header row: {columns}. Download the latest template' },
  'member_import.duplicate_header': { zh: '表头“{column}”出现了不止一次', en: 'The column "{column}" appears more than once' },
  'member_import.too_many_rows': { zh: '一次最多导入 {max} 行，本文件超过了 {max} 行，请按党组织拆分后分批导入', en: 'At most {max} rows can be imported at once; split the file by organization' },
  'member_import.org_column_or_default': { zh: '文件没有“所在党组织”列，请在导入时选择默认党组织', en: 'The file has no organization column; choose a default organization for the import' },
  'member_import.org_not_found': { zh: '党组织“{org}”不存在或不在您的管理范围内', en: 'Organization "{org}" does not exist or is outside your scope' },
  'member_import.org_ambiguous': { zh: '有 {count} 个党组织名为“{org}”，请填写完整路径，如“{example}”', en: '{count} organizations are named "{org}"; write the full path, e.g. "{example}"' },
  'member_import.org_dissolved': { zh: '党组织“{org}”已撤销', en: 'Organization "{org}" has been dissolved' },
  'member_import.org_required': { zh: '必填（或在导入时选择默认党组织）', en: 'Required (or choose a default organization for the import)' },
  'member_import.gender_invalid': { zh: '应填“男”或“女”', en: 'Must be 男 (male) or 女 (female)' },
  'member_import.stage_invalid': { zh: '应为 入党申请人 / 积极分子 / 发展对象 / 预备党员 / 正式党员 之一', en: 'Must be one of 入党申请人 / 积极分子 / 发展对象 / 预备党员 / 正式党员' },
  'member_import.date_invalid': { zh: '日期无法识别，请填写 YYYY-MM-DD 格式（如 2015-07-01）', en: 'Not a recognizable date; write YYYY-MM-DD (e.g. 2015-07-01)' },
  'member_import.id_number_as_number': { zh: '身份证号被 Excel 存成了数字，后几位已丢失；请把该列设为“文本”格式后重新填写', en: 'Excel stored the ID number as a number and lost its last digits; format the column as text and type it again' },
  'member_import.cell_error': { zh: '单元格是公式错误值（{value}）', en: 'The cell holds a formula error ({value})' },
  'member_import.duplicate_in_file': { zh: '与第 {row} 行的身份证号重复', en: 'Same ID number as row {row}' },
  'member_import.duplicate_in_db': { zh: '该身份证号已登记在系统中，不能重复导入', en: 'This ID number is already registered' },
  'member_import.interrupted': { zh: '导入任务因服务重启而中断，请重新上传', en: 'The import was interrupted by a server restart; upload the file again' },
  'member_import.failed': { zh: '导入失败，没有写入任何数据：{reason}', en: 'The import failed and wrote nothing: {reason}' },
  'member_import.job_not_found': { zh: '导入任务不存在或无权查看', en: 'No such import job' },
});
