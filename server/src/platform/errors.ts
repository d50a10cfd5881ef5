import { defineMessages } from './i18n.js';

/** A field's problem: a message key and its parameters, translated when answered. */
export interface FieldProblem {
  key: string;
  params?: Record<string, string | number>;
}

/**
 * The one error type of the API. `code` is stable for clients and tests; the message is
 * looked up from the code in the request's language when the error is answered.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly params: Record<string, string | number> = {},
    readonly fields?: Record<string, FieldProblem>,
    readonly headers?: Record<string, string>,
  ) {
    super(code);
  }
}

export const badRequest = (code: string, params?: Record<string, string | number>) => new AppError(400, code, params);
/** 400 naming one or more fields, as a form shows them. */
export const invalidFields = (fields: Record<string, FieldProblem>, code = 'validation_failed') => new AppError(400, code, {}, fields);
export const invalidField = (field: string, key: string, params?: Record<string, string | number>) =>
  invalidFields({ [field]: { key, params } }, key);
export const unauthorized = (code = 'auth.required') => new AppError(401, code);
export const forbidden = (code = 'forbidden') => new AppError(403, code);
/** Also the answer for a record outside the viewer's scope: existence never leaks. */
export const notFound = (code = 'not_found') => new AppError(404, code);
export const conflict = (code: string, params?: Record<string, string | number>) => new AppError(409, code, params);
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError(429, 'auth.too_many_attempts', { seconds: retryAfterSeconds }, undefined, { 'retry-after': String(retryAfterSeconds) });

defineMessages({
  validation_failed: { zh: '提交的内容有误，请检查标出的字段', en: 'Some fields are invalid; please check the marked fields' },
  not_found: { zh: '记录不存在或无权访问', en: 'Not found' },
  route_not_found: { zh: '接口不存在', en: 'No such endpoint' },
  forbidden: { zh: '没有执行此操作的权限', en: 'You are not allowed to do this' },
  body_too_large: { zh: '提交的内容过大（上限 10 MB）', en: 'The request body is too large (limit 10 MB)' },
  bad_json: { zh: '请求内容不是有效的 JSON', en: 'The request body is not valid JSON' },
  bad_request: { zh: '请求格式不正确', en: 'Malformed request' },
  uri_too_long: { zh: '请求地址过长', en: 'The request URL is too long' },
  headers_too_large: { zh: '请求头过大（Cookie 过多或过长），请清除本站 Cookie 后重试', en: 'Request headers too large; clear this site’s cookies and retry' },
  unsupported_media_type: { zh: '不支持的内容类型', en: 'Unsupported content type' },
  internal: { zh: '服务器内部错误，请稍后重试（编号 {requestId}）', en: 'Internal server error; please retry (ref {requestId})' },
  'field.required': { zh: '必填', en: 'Required' },
  'field.wrong_type': { zh: '类型不正确，应为{expected}', en: 'Wrong type; expected {expected}' },
  'field.too_long': { zh: '不能超过 {max} 个字符', en: 'At most {max} characters' },
  'field.too_short': { zh: '至少 {min} 个字符', en: 'At least {min} characters' },
  'field.empty': { zh: '不能为空', en: 'Must not be empty' },
  'field.too_big': { zh: '不能大于 {max}', en: 'Must be at most {max}' },
  'field.too_small': { zh: '不能小于 {min}', en: 'Must be at least {min}' },
  'field.too_many': { zh: '最多 {max} 项', en: 'At most {max} items' },
  'field.one_of': { zh: '必须是以下之一：{values}', en: 'Must be one of: {values}' },
  'field.date': { zh: '日期格式应为 YYYY-MM-DD', en: 'Date must be YYYY-MM-DD' },
  'field.datetime': { zh: '时间格式应为 ISO 8601', en: 'Time must be ISO 8601' },
  'field.date_range': { zh: '日期须在 1900 年至 2199 年之间', en: 'The date must lie between 1900 and 2199' },
  'field.control_character': { zh: '含有不允许的控制字符（如 NUL）', en: 'Contains a control character that is not allowed (such as NUL)' },
  'field.format': { zh: '格式不正确', en: 'Wrong format' },
  'field.unknown': { zh: '不支持的字段', en: 'Unknown field' },
  'field.invalid': { zh: '无效的值', en: 'Invalid value' },
  'type.string': { zh: '文本', en: 'text' },
  'type.number': { zh: '数字', en: 'a number' },
  'type.int': { zh: '整数', en: 'a whole number' },
  'type.boolean': { zh: '是/否', en: 'true/false' },
  'type.array': { zh: '列表', en: 'a list' },
  'type.object': { zh: '对象', en: 'an object' },
});
