import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError } from '../core/errors/access-denied-error.js';
import { NotFoundError, shownNames } from '../core/errors/not-found-error.js';
import { isUserError } from '../core/errors/user-error.js';

const NAMES: Readonly<Record<number, string>> = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 408: 'request_timeout', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'unavailable' };

/** The route that lists the things of a kind, named when one of them is not found. */
const LISTED_BY: Readonly<Record<string, string>> = { audience: 'GET /api/audiences' };

/**
 * Every error as `{ error, message }`, never a stack: a schema violation is
 * 400 with the field and the rule it broke; a `UserError` (bad input to a
 * library function) 400 with its hint, an `AccessDeniedError` 403, a
 * `NotFoundError` (an audience that is not stored) 404 in the API's words —
 * the route that lists them and the names there are, never the CLI's message,
 * which names the warehouse's file; fastify's
 * own client errors (413, 415, …) keep their status; anything else is a bug:
 * 500, logged with its stack on the server only.
 */
export function handleServerError(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error: unknown = thrown;
  if (thrown.validation) {
    const listed = notOneOfMessage(thrown, request);
    if (listed) {
      void reply.code(400).send({ error: 'bad_request', message: listed });
      return;
    }
    void reply.code(400).send({ error: 'bad_request', message: `${thrown.validationContext ?? 'request'}${thrown.message.startsWith('/') ? '' : ' '}${thrown.message.replace(/^(body|querystring|params|headers)\s*/, '')}`.trim() });
    return;
  }
  if (error instanceof AccessDeniedError) {
    void reply.code(403).send({ error: 'forbidden', message: `${error.message}${error.hint ? `; ${error.hint}` : ''}` });
    return;
  }
  if (error instanceof NotFoundError) {
    void reply.code(404).send({ error: 'not_found', message: notFoundMessage(error) });
    return;
  }
  if (isUserError(error)) {
    void reply.code(400).send({ error: 'bad_request', message: `${error.message}${error.hint ? ` (hint: ${error.hint})` : ''}` });
    return;
  }
  const status = typeof thrown.statusCode === 'number' ? thrown.statusCode : 500;
  if (status >= 400 && status < 500) {
    void reply.code(status).send({ error: NAMES[status] ?? 'client_error', message: thrown.message });
    return;
  }
  request.log.error({ err: thrown }, 'request failed');
  void reply.code(500).send({ error: 'internal', message: 'internal error: the server log has the details' });
}

/** `no audience x (GET /api/audiences lists them: a, b)`; `…; none is stored yet)` when there is none. */
function notFoundMessage(error: NotFoundError): string {
  const route = LISTED_BY[error.what];
  if (!route) return `no ${error.what} ${error.missing}`;
  return `no ${error.what} ${error.missing} (${route} lists them${error.known.length === 0 ? '; none is stored yet' : `: ${shownNames(error.known)}`})`;
}

interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
}

/**
 * A value outside a fixed list (a union of literals: stage, tier, sort, format, timeUnit…) as one sentence with
 * the list and what was sent — ajv reports one `const` error per allowed value and an `anyOf`, which read
 * "must be equal to constant, …/stage must be equal to constant, …" without saying what is allowed. Null for
 * every other schema error (they keep fastify's words).
 */
function notOneOfMessage(thrown: FastifyError, request: FastifyRequest): string | null {
  const errors = (thrown.validation ?? []) as unknown as readonly SchemaError[];
  const consts = errors.filter((e) => e.keyword === 'const');
  if (consts.length === 0) return null;
  const path = consts[0]!.instancePath;
  if (!errors.every((e) => e.instancePath === path && (e.keyword === 'const' || e.keyword === 'anyOf'))) return null;
  const context = thrown.validationContext ?? 'request';
  const sources: Record<string, unknown> = { body: request.body, querystring: request.query, params: request.params, headers: request.headers };
  const sent = valueAt(sources[context], path);
  const shown = typeof sent === 'string' || typeof sent === 'number' || typeof sent === 'boolean' ? ` (got ${JSON.stringify(typeof sent === 'string' && sent.length > 80 ? `${sent.slice(0, 80)}…` : sent)})` : '';
  return `${context} ${path} must be one of: ${consts.map((e) => JSON.stringify(e.params.allowedValue)).join(', ')}${shown}`;
}

/** The value at a JSON pointer (`/a/0/b`) of a request part; undefined when it is not there. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
