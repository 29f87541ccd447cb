/**
 * Calls to the clvkit API from the dashboard: same origin only, the session
 * cookie sent by the browser, the CSRF token (from `/api/me` or the login
 * response) sent as `x-csrf-token` on every mutating request.
 */
import type { Role } from '../../src/privacy/access/rbac.js';

/** Who is logged in (`GET /api/me`). */
export interface Me {
  readonly name: string;
  readonly role: Role;
  readonly csrfToken: string;
}

/**
 * An API answer other than 2xx: the status and the server's `{ error, message, hint }`. Its `message` is the
 * server's message and hint in one line (what the pages show); `problem` and `hint` are the two apart.
 */
export class ApiError extends Error {
  readonly problem: string;
  readonly hint: string | null;
  constructor(readonly status: number, readonly code: string, problem: string, hint: string | null = null) {
    super(hint ? `${problem} — ${hint}` : problem);
    this.problem = problem;
    this.hint = hint;
  }
}

/** The ApiError of an error answer's body (`{ error, message, hint }`; what a proxy sends in its place: the status). */
function apiErrorOf(response: Response, data: unknown): ApiError {
  const body = (data ?? {}) as { error?: string; message?: string; hint?: string };
  return new ApiError(response.status, body.error ?? `http_${response.status}`, body.message ?? response.statusText, typeof body.hint === 'string' ? body.hint : null);
}

let csrfToken: string | null = null;

/** Remember the CSRF token to send with mutating requests. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Listeners told when the session has ended (a 401 on an API call). */
const unauthorisedListeners = new Set<() => void>();
export function onUnauthorised(listener: () => void): void {
  unauthorisedListeners.add(listener);
}

export interface RequestOptions {
  readonly method?: 'GET' | 'POST' | 'DELETE' | 'PUT' | 'PATCH';
  readonly body?: unknown;
  readonly query?: Readonly<Record<string, string | number | boolean | null | undefined>>;
  /** do not treat a 401 as the end of the session (the login call) */
  readonly quiet401?: boolean;
  readonly signal?: AbortSignal;
}

/** The path with its query string (empty values left out). */
export function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== null && value !== undefined && value !== '' && value !== false) params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** A JSON API call; throws `ApiError` for a non-2xx answer. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(withQuery(path, options.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { error: 'bad_response', message: text.slice(0, 200) };
  }
  if (!response.ok) {
    if (response.status === 401 && !options.quiet401) for (const listener of unauthorisedListeners) listener();
    throw apiErrorOf(response, data);
  }
  return data as T;
}

/** A file download (`GET` with the session cookie), saved under `filename`. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(path, { credentials: 'same-origin' });
  if (!response.ok) {
    throw apiErrorOf(response, await response.json().catch(() => ({})));
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
