import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import { AppError, type FieldProblem } from './errors.js';
import { hasMessage } from './i18n.js';

type Issue = z.core.$ZodIssue;

/** Turns every zod issue (not only the first) into a field problem a form can show. */
export function fieldProblemsOf(issues: readonly Issue[], prefix = ''): Record<string, FieldProblem> {
  const fields: Record<string, FieldProblem> = {};
  for (const issue of issues) {
    const path = prefix + (issue.path.length ? issue.path.map(String).join('.') : '_');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields[prefix + [...issue.path.map(String), key].join('.')] ??= { key: 'field.unknown' };
      continue;
    }
    fields[path] ??= problemOf(issue);
  }
  return fields;
}

function problemOf(issue: Issue): FieldProblem {
  // schemas name their own rules with a message key (e.g. 'member.id_number_checksum')
  if (issue.message && hasMessage(issue.message)) return { key: issue.message };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null) return { key: 'field.required' };
      return { key: 'field.wrong_type', params: { expected: `type.${issue.expected}` } };
    case 'too_big':
      if (issue.origin === 'string') return { key: 'field.too_long', params: { max: Number(issue.maximum) } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'field.too_many', params: { max: Number(issue.maximum) } };
      return { key: 'field.too_big', params: { max: Number(issue.maximum) } };
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? { key: 'field.empty' } : { key: 'field.too_short', params: { min: Number(issue.minimum) } };
      if (issue.origin === 'array' || issue.origin === 'set') return { key: 'field.empty' };
      return { key: 'field.too_small', params: { min: Number(issue.minimum) } };
    case 'invalid_value':
      // a missing enum field is reported by zod as a value not in the list
      if (issue.input === undefined || issue.input === null) return { key: 'field.required' };
      return { key: 'field.one_of', params: { values: issue.values.map(String).join(' / ') } };
    case 'invalid_format':
      if (issue.format === 'date') return { key: 'field.date' };
      if (issue.format === 'datetime') return { key: 'field.datetime' };
      return { key: 'field.format' };
    default:
      return { key: 'field.invalid' };
  }
}

/**
 * Fastify validator for zod contracts. Parses with the input kept on each issue so that
 * "missing" and "wrong type" can be told apart, and answers every problem at once.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema }) => (data) => {
  const nul = nulBytesIn(data);
  if (nul.length) return { error: new AppError(400, 'validation_failed', {}, Object.fromEntries(nul.map((path) => [path, { key: 'field.control_character' }]))) };
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return { value: result.data };
  return { error: new AppError(400, 'validation_failed', {}, fieldProblemsOf(result.error.issues)) };
};

/**
 * Paths of the strings (keys included) holding a NUL character. PostgreSQL cannot store one in text or
 * jsonb, so a NUL anywhere in a body, query or path is refused here, for every route at once, before
 * any schema or statement sees it.
 */
export function nulBytesIn(data: unknown, path = '', found: string[] = []): string[] {
  if (found.length >= 20) return found;
  if (typeof data === 'string') {
    if (data.includes('\u0000')) found.push(path || '_');
  } else if (Array.isArray(data)) {
    data.forEach((item, i) => nulBytesIn(item, path ? `${path}.${i}` : String(i), found));
  } else if (data && typeof data === 'object') {
    for (const [key, value] of Object.entries(data)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) found.push(at);
      else nulBytesIn(value, at, found);
    }
  }
  return found;
}
