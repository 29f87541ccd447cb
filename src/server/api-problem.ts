import { Type } from 'typebox';
import type { AccessDeniedError } from '../core/errors/access-denied-error.js';

/** What an error answer says: what is wrong, and apart, what to do about it. */
export interface ApiProblemWords {
  readonly message: string;
  readonly hint: string;
}

/** Every error answer of the API: `{ error, message, hint }`. */
export interface ApiProblem extends ApiProblemWords {
  /** a stable code scripts can test: `bad_request`, `not_found`, `conflict`, `forbidden`, … */
  readonly error: string;
}

/**
 * The error answer's schema, in every API route's OpenAPI responses (`4XX`, `5XX`) and in those routes that list
 * an error status themselves: a response schema drops fields it does not name, so every route's errors go
 * through this one.
 */
export const Problem = Type.Object(
  {
    error: Type.String({ description: 'a stable code: bad_request, unauthenticated, forbidden, csrf, not_found, conflict, no_run, payload_too_large, unsupported_media_type, too_many_attempts, locked, bad_credentials, no_users, unavailable, not_on_clickhouse, internal, …' }),
    message: Type.String({ description: 'what is wrong, in one line: the field or thing at fault and what is allowed' }),
    hint: Type.String({ description: 'what to do about it: an example of what to send, the route that lists what there is, who may' }),
  },
  { description: 'an error: a code, what is wrong (message) and what to do (hint)' },
);

/** A hint for an error that came without one (a `UserError` may have none). */
export const NO_HINT = 'GET /openapi.json (or /docs) describes what each route takes';

/** An error answer. Example: `problem('not_found', 'no run x', 'GET /api/runs lists the runs')` */
export function problem(error: string, message: string, hint: string): ApiProblem {
  return { error, message, hint };
}

/** The words of fastify's own client errors (before a route runs: the body's parser, its size, its type…), by code. */
const CLIENT_ERRORS: Readonly<Record<string, (message: string, example: string) => ApiProblemWords>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: (message, example) => ({ message: `the body is not valid JSON${detail(message)}`, hint: `send one JSON object with double-quoted names and text, e.g. ${example}` }),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => ({ message: 'the body is empty, but its content-type is application/json', hint: 'send a JSON object ({} when no field is set), or no content-type header' }),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (message) => ({ message: `this route does not take a body of this content-type${detail(message)}`, hint: 'send application/json (POST /api/events and /api/orders also take application/x-ndjson)' }),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => ({ message: 'the content-length header does not match the body', hint: 'send the body whole, with its own length' }),
  FST_ERR_CTP_BODY_TOO_LARGE: () => ({ message: 'the body is larger than this route takes', hint: 'send less in one request: split a batch of events or orders into several (at most 10,000 records each)' }),
};

/** `: Unexpected token …` from a parser's message (fastify's own sentence left out); '' when there is none. */
function detail(message: string): string {
  const own = /^(Body is not valid JSON but content-type is set to 'application\/json'|Unsupported Media Type)[:.]?\s*/i;
  const rest = message.replace(own, '').trim();
  return rest ? `: ${rest}` : '';
}

/**
 * Words for a fastify client error (status 4xx), by its code, then by its status; the message as fastify wrote it
 * otherwise. `example`: a body the route takes (`{"name": "spring-2024", "where": "…"}`), for a body that is not JSON.
 */
export function clientErrorWords(code: string | undefined, status: number, message: string, route: string, example = '{"name": "value"}'): ApiProblemWords {
  const known = code ? CLIENT_ERRORS[code] : undefined;
  if (known) return known(message, example);
  if (/JSON/.test(message) && status === 400) return CLIENT_ERRORS.FST_ERR_CTP_INVALID_JSON_BODY!(message, example);
  switch (status) {
    case 413:
      return CLIENT_ERRORS.FST_ERR_CTP_BODY_TOO_LARGE!(message, example);
    case 415:
      return CLIENT_ERRORS.FST_ERR_CTP_INVALID_MEDIA_TYPE!(message, example);
    case 429:
      return { message, hint: 'wait before the next request (the retry-after header says how long)' };
    case 408:
      return { message, hint: 'send the request again, whole: the body must arrive within the server\'s request timeout' };
    default:
      return { message, hint: `GET /openapi.json (or /docs) describes ${route}` };
  }
}

/** What a refused role can do: the roles that may (`roles allowed: admin, analyst`), and who gives an account of one. */
export function accessHint(error: AccessDeniedError): string {
  if (error.allowedRoles.length === 0) return error.hint ?? 'ask an admin';
  return `${error.hint ?? `roles allowed: ${error.allowedRoles.join(', ')}`}: log in as a user of one of them, or ask an admin for such an account or API token`;
}
