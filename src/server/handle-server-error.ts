import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError } from '../core/errors/access-denied-error.js';
import { isUserError } from '../core/errors/user-error.js';

const NAMES: Readonly<Record<number, string>> = { 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 408: 'request_timeout', 409: 'conflict', 413: 'payload_too_large', 415: 'unsupported_media_type', 429: 'too_many_requests', 503: 'unavailable' };

/**
 * Every error as `{ error, message }`, never a stack: a schema violation is
 * 400 with the field and the rule it broke; a `UserError` (bad input to a
 * library function) 400 with its hint, an `AccessDeniedError` 403; fastify's
 * own client errors (413, 415, …) keep their status; anything else is a bug:
 * 500, logged with its stack on the server only.
 */
export function handleServerError(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const error: unknown = thrown;
  if (thrown.validation) {
    void reply.code(400).send({ error: 'bad_request', message: `${thrown.validationContext ?? 'request'}${thrown.message.startsWith('/') ? '' : ' '}${thrown.message.replace(/^(body|querystring|params|headers)\s*/, '')}`.trim() });
    return;
  }
  if (error instanceof AccessDeniedError) {
    void reply.code(403).send({ error: 'forbidden', message: `${error.message}${error.hint ? `; ${error.hint}` : ''}` });
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
