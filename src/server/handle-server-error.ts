import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError } from '../core/errors/access-denied-error.js';
import { ConflictError } from '../core/errors/conflict-error.js';
import { NotFoundError, shownNames } from '../core/errors/not-found-error.js';
import { isUserError } from '../core/errors/user-error.js';
import { accessHint, clientErrorWords, NO_HINT, problem, type ApiProblemWords } from './api-problem.js';
import { bodyExample, schemaErrorWords, type FieldSchema, type RequestPart, type SchemaError } from './schema-error-words.js';

const NAMES: Readonly<Record<number, string>> = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 408: 'request_timeout', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'unavailable' };

/** The route that lists the things of a kind, named when one of them is not found, and the route that makes one. */
const LISTED_BY: Readonly<Record<string, { readonly list: string; readonly create: string }>> = { audience: { list: 'GET /api/audiences', create: 'POST /api/audiences' } };

/**
 * Every error as `{ error, message, hint }`, never a stack: the message says
 * what is wrong, the hint what to do. A schema violation is 400 naming the
 * field, what it must be and what was sent (`schemaErrorWords`); a
 * `UserError` (bad input to a library function) 400 with its message and
 * hint, a `ConflictError` (what is stored does not allow it) 409, an
 * `AccessDeniedError` 403, a `NotFoundError` (an audience that is
 * not stored) 404 in the API's words — the route that lists them and the
 * names there are, never the CLI's message, which names the warehouse's
 * file; fastify's own client errors (invalid JSON, 413, 415, …) keep their
 * status, in words (`clientErrorWords`); anything else is a bug: 500, logged
 * with its stack on the server only.
 */
export function handleServerError(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error: unknown = thrown;
  const route = routeOf(request);
  if (thrown.validation) {
    const part = (thrown.validationContext ?? 'body') as RequestPart;
    const words = schemaErrorWords(thrown.validation as unknown as readonly SchemaError[], { route, method: request.method, path: request.url.split('?')[0]!, part });
    void reply.code(400).send(problem('bad_request', words.message, words.hint));
    return;
  }
  if (error instanceof AccessDeniedError) {
    void reply.code(403).send(problem('forbidden', error.message, accessHint(error)));
    return;
  }
  if (error instanceof NotFoundError) {
    const words = notFoundWords(error);
    void reply.code(404).send(problem('not_found', words.message, words.hint));
    return;
  }
  if (error instanceof ConflictError) {
    void reply.code(409).send(problem('conflict', error.message, error.hint ?? NO_HINT));
    return;
  }
  if (isUserError(error)) {
    void reply.code(400).send(problem('bad_request', error.message, error.hint ?? NO_HINT));
    return;
  }
  const status = typeof thrown.statusCode === 'number' ? thrown.statusCode : 500;
  if (status >= 400 && status < 500) {
    const body = request.routeOptions.schema?.body as FieldSchema | undefined;
    const words = clientErrorWords(thrown.code, status, thrown.message, route, body?.properties ? bodyExample(body) : undefined);
    void reply.code(status).send(problem(NAMES[status] ?? 'client_error', words.message, words.hint));
    return;
  }
  request.log.error({ err: thrown }, 'request failed');
  void reply.code(500).send(problem('internal', 'internal error: the server log has the details', 'try again; if it fails again, the server\'s operator finds the cause in its log'));
}

/** `POST /api/runs`: the route as registered (its parameters as `:name`), or the path when no route matched. */
export function routeOf(request: FastifyRequest): string {
  return `${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]}`;
}

/** `no audience x` with the hint `GET /api/audiences lists them: a, b`; when none is stored, the route that makes one. */
function notFoundWords(error: NotFoundError): ApiProblemWords {
  const routes = LISTED_BY[error.what];
  const message = `no ${error.what} ${error.missing}`;
  if (!routes) return { message, hint: NO_HINT };
  return { message, hint: error.known.length === 0 ? `none is stored yet: ${routes.create} makes one` : `${routes.list} lists them: ${shownNames(error.known)}` };
}
