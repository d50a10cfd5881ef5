import type { FormInstance } from 'antd';
import { ACCEPT_LANGUAGE, type Language } from './i18n.js';

/** An error answered by the server: `{"error":{"code","message","fields"?}}`, message already translated. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof ApiError && (error.status === 404 || error.status === 403);

let csrfToken: string | null = null;
let language: Language = 'zh-Hans';
let onUnauthorized: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setApiLanguage(lang: Language): void {
  language = lang;
}
/** Called when a signed-in call answers 401 (session ended elsewhere): the shell shows the login page. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { 'accept-language': ACCEPT_LANGUAGE[language] };
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(withQuery(`/api${path}`, options.query), { method, headers, body, credentials: 'same-origin', signal: options.signal });
  if (response.ok) return response;
  let error: ApiError;
  try {
    const payload = (await response.json()) as { error?: { code?: string; message?: string; fields?: Record<string, string> } };
    error = new ApiError(response.status, payload.error?.code ?? 'http', payload.error?.message ?? response.statusText, payload.error?.fields);
  } catch {
    error = new ApiError(response.status, 'http', `${response.status} ${response.statusText}`);
  }
  if (response.status === 401 && !path.startsWith('/auth/login') && onUnauthorized) onUnauthorized();
  throw error;
}

export async function request<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, options?: RequestOptions): Promise<T> {
  const response = await send(method, path, options);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
  upload: <T>(path: string, form: FormData) => request<T>('POST', path, { body: form }),
  /** A file answered by the server (template, export): saved under the server's file name. */
  async download(path: string, query?: Query, fallbackName = 'download'): Promise<void> {
    const response = await send('GET', path, { query });
    const disposition = response.headers.get('content-disposition') ?? '';
    const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
    const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
    const name = star ? decodeURIComponent(star) : (plain ?? fallbackName);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = name;
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

/**
 * Puts the server's field errors under the form's inputs. Field paths are the contract's
 * (`idNumber`, `address.city`); a path the form has no input for is returned so the caller can
 * show it in a message. Returns true when the error was a field error.
 */
export function showFieldErrors<V>(form: FormInstance<V>, error: unknown): { handled: boolean; unplaced: string[] } {
  if (!(error instanceof ApiError) || Object.keys(error.fields).length === 0) return { handled: false, unplaced: [] };
  const registered = new Set(form.getFieldsError().map((f) => f.name.join('.')));
  const placed: { name: (string | number)[]; errors: string[] }[] = [];
  const unplaced: string[] = [];
  for (const [path, message] of Object.entries(error.fields)) {
    if (registered.has(path)) placed.push({ name: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)), errors: [message] });
    else unplaced.push(message);
  }
  form.setFields(placed as Parameters<FormInstance<V>['setFields']>[0]);
  if (placed[0]) form.scrollToField(placed[0].name as Parameters<FormInstance<V>['scrollToField']>[0]);
  return { handled: placed.length > 0, unplaced };
}
