/**
 * A request the route's schema refuses, in words: which field, what it must be, what was sent — and, apart, a
 * hint (an example of what to send, the field meant). Read from ajv's first error (fastify validates with
 * `allErrors: false`) and its schema (`verbose: true` gives `parentSchema` and `data`): the field's `description`
 * says what a value must be, as a noun phrase ("a day, YYYY-MM-DD"; request-fields.ts), else the words come from
 * its type and limits; its `examples` give the hint's example. A field marked `writeOnly` (a password) is never
 * shown back.
 */
import type { ApiProblemWords } from './api-problem.js';
import { nearestName } from '../core/edit-distance.js';

/** The part of a ajv error read here (`verbose: true`). */
export interface SchemaError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  readonly parentSchema?: FieldSchema;
  readonly data?: unknown;
}

/** The JSON-schema keywords the words are made of (TypeBox writes plain JSON schema). */
export interface FieldSchema {
  readonly type?: string;
  readonly description?: string;
  readonly examples?: readonly unknown[];
  readonly writeOnly?: boolean;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly const?: unknown;
  readonly anyOf?: readonly FieldSchema[];
  readonly properties?: Readonly<Record<string, FieldSchema>>;
  readonly required?: readonly string[];
}

/** The request part a schema checks (fastify's `validationContext`). */
export type RequestPart = 'body' | 'querystring' | 'params' | 'headers';

/** What the words need of the request: the route as written (`POST /api/runs`), its path as sent, and the part. */
export interface RefusedRequest {
  readonly route: string;
  readonly method: string;
  readonly path: string;
  readonly part: RequestPart;
}

const FIELD: Readonly<Record<RequestPart, string>> = { body: 'body field', querystring: 'query parameter', params: 'path parameter', headers: 'header' };
const FIELDS: Readonly<Record<RequestPart, string>> = { body: 'body fields', querystring: 'query parameters', params: 'path parameters', headers: 'headers' };
const DOCS = 'GET /openapi.json (or /docs) describes';

const count = (n: number) => n.toLocaleString('en-US');
/** `a, b and c` */
const quoted = (names: readonly string[]) => (names.length === 0 ? '(none)' : names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`);

/**
 * The message and hint of a schema refusal.
 *
 * Example: the body `{"bogus": 1}` to `POST /api/runs` → `{ message: 'body field bogus is not one POST /api/runs takes (it takes asOf, timeUnit, skipPatterns, skipReport, horizonMonths, …)', hint: 'leave bogus out; GET /openapi.json (or /docs) describes the body fields of POST /api/runs' }`
 */
export function schemaErrorWords(errors: readonly SchemaError[], request: RefusedRequest): ApiProblemWords {
  const first = errors[0];
  if (!first) return { message: `the ${request.part === 'querystring' ? 'query' : request.part} does not fit ${request.route}`, hint: `${DOCS} ${request.route}` };
  const union = oneOfWords(errors, request);
  if (union) return union;
  const parent = first.parentSchema ?? {};
  const at = fieldName(first.instancePath);
  switch (first.keyword) {
    case 'additionalProperties': {
      const name = joinName(at, String(first.params.additionalProperty));
      const takes = Object.keys(parent.properties ?? {});
      const near = nearestName(String(first.params.additionalProperty), takes);
      return {
        message: `${FIELD[request.part]} ${name} is not one ${request.route} takes (it takes ${quoted(takes)})`,
        hint: near ? `did you mean ${joinName(at, near)}? ${example(request, parent, [near])}` : `leave ${name} out; ${DOCS} the ${FIELDS[request.part]} of ${request.route}`,
      };
    }
    case 'required': {
      const missing = String(first.params.missingProperty);
      const needs = parent.required ?? [missing];
      const sent = first.data !== null && typeof first.data === 'object' && !Array.isArray(first.data) ? Object.keys(first.data) : [];
      const unknown = sent.filter((name) => !Object.hasOwn(parent.properties ?? {}, name));
      const instead = unknown.find((name) => nearestName(name, [missing]) !== null) ?? (unknown.length === 1 && needs.filter((n) => !sent.includes(n)).length === 1 ? unknown[0] : undefined);
      const got = unknown.length > 0 ? `; it got ${quoted(unknown)}, which it does not take` : '';
      return {
        message: `${FIELD[request.part]} ${joinName(at, missing)} is missing (${request.route} needs ${quoted(needs)}${got})`,
        hint: instead ? `send ${missing} in place of ${instead}, ${example(request, parent, needs)}` : `send ${example(request, parent, needs)}`,
      };
    }
    case 'type':
      if (at === '' && request.part === 'body') return { message: `the body must be a JSON object (got ${kindOf(first.data)})`, hint: `send ${example(request, parent)}` };
      break;
    default:
      break;
  }
  if (at === '') return { message: `the ${request.part === 'querystring' ? 'query' : request.part} ${first.message ?? 'does not fit the schema'}`, hint: `${DOCS} ${request.route}` };
  return {
    message: `${FIELD[request.part]} ${at} must be ${allowedWords(parent)}${shownValue(first, parent)}`,
    hint: fieldHint(request, at, parent),
  };
}

/**
 * A value outside a fixed list (a union of literals: stage, tier, sort, format, timeUnit…) as one sentence with the
 * list and what was sent — ajv reports one `const` error per allowed value and an `anyOf`, which read "must be equal
 * to constant, …" without saying what is allowed. Null for every other error.
 */
function oneOfWords(errors: readonly SchemaError[], request: RefusedRequest): ApiProblemWords | null {
  const consts = errors.filter((e) => e.keyword === 'const');
  if (consts.length === 0) return null;
  const path = consts[0]!.instancePath;
  if (!errors.every((e) => e.instancePath === path && (e.keyword === 'const' || e.keyword === 'anyOf'))) return null;
  const union = errors.find((e) => e.keyword === 'anyOf')?.parentSchema;
  const allowed = consts.map((e) => e.params.allowedValue);
  const name = fieldName(path);
  return {
    message: `${FIELD[request.part]} ${name} must be one of: ${allowed.map((v) => JSON.stringify(v)).join(', ')}${shownValue(consts[0]!, union ?? {})}`,
    hint: fieldHint(request, name, { ...(union ?? {}), examples: union?.examples ?? [allowed[0]] }),
  };
}

/** `a/b` of a JSON pointer `/a/b` ('' at the root). */
function fieldName(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((key) => key.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

const joinName = (at: string, name: string) => (at === '' ? name : `${at}.${name}`);

/** What a value of the field must be, as a noun phrase: its description, else words from its type and limits. */
export function allowedWords(schema: FieldSchema): string {
  if (schema.description) return schema.description;
  if (schema.anyOf?.every((s) => s.const !== undefined)) return `one of: ${schema.anyOf.map((s) => JSON.stringify(s.const)).join(', ')}`;
  switch (schema.type) {
    case 'integer':
    case 'number':
      return `${schema.type === 'integer' ? 'an integer' : 'a number'}${rangeWords(schema)}`;
    case 'boolean':
      return 'true or false';
    case 'object':
      return 'a JSON object';
    case 'array':
      return 'a list';
    case 'string': {
      const length = schema.minLength !== undefined && schema.maxLength !== undefined ? `${count(schema.minLength)} to ${count(schema.maxLength)} characters` : schema.maxLength !== undefined ? `at most ${count(schema.maxLength)} characters` : schema.minLength !== undefined ? `at least ${count(schema.minLength)} character${schema.minLength === 1 ? '' : 's'}` : '';
      if (schema.pattern) return `text matching ${schema.pattern}${length ? ` (${length})` : ''}`;
      return length ? `text of ${length}` : 'text';
    }
    default:
      return 'a value of the documented form';
  }
}

/** ` from 1 to 500`, ` between 0 and 1 (both excluded)`, ` of at least 1`, ` above 0`… ('' without limits). */
function rangeWords(schema: FieldSchema): string {
  const low = schema.minimum !== undefined ? { value: schema.minimum, excluded: false } : schema.exclusiveMinimum !== undefined ? { value: schema.exclusiveMinimum, excluded: true } : null;
  const high = schema.maximum !== undefined ? { value: schema.maximum, excluded: false } : schema.exclusiveMaximum !== undefined ? { value: schema.exclusiveMaximum, excluded: true } : null;
  if (low && high) {
    if (!low.excluded && !high.excluded) return ` from ${count(low.value)} to ${count(high.value)}`;
    const excluded = low.excluded && high.excluded ? 'both excluded' : low.excluded ? `${count(low.value)} excluded` : `${count(high.value)} excluded`;
    return ` between ${count(low.value)} and ${count(high.value)} (${excluded})`;
  }
  if (low) return low.excluded ? ` above ${count(low.value)}` : ` of at least ${count(low.value)}`;
  if (high) return high.excluded ? ` below ${count(high.value)}` : ` of at most ${count(high.value)}`;
  return '';
}

/** ` (got "abc")`, ` (got 2,500 characters)`; '' for a field not shown back (writeOnly) or a value too big to show. */
function shownValue(error: SchemaError, schema: FieldSchema): string {
  const value = error.data;
  if (schema.writeOnly) return '';
  if ((error.keyword === 'minLength' || error.keyword === 'maxLength') && typeof value === 'string') return ` (got ${count(value.length)} character${value.length === 1 ? '' : 's'})`;
  if (typeof value === 'string') return ` (got ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)})`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return ` (got ${JSON.stringify(value)})`;
  return ` (got ${kindOf(value)})`;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'text';
  return `a ${typeof value}`;
}

/** The hint of a field refused for its value: an example of it (`true` for a switch without one), or where it is described. */
function fieldHint(request: RefusedRequest, name: string, schema: FieldSchema): string {
  const value = schema.examples?.[0] ?? (schema.type === 'boolean' ? true : undefined);
  if (value === undefined) return `${DOCS} the ${FIELDS[request.part]} of ${request.route}`;
  switch (request.part) {
    case 'body':
      return `e.g. "${name}": ${JSON.stringify(value)}`;
    case 'querystring':
      return `e.g. ${name}=${encodeURIComponent(String(value))}`;
    case 'params':
      return `e.g. ${request.method} ${request.route.split(' ')[1]!.replace(`:${name}`, encodeURIComponent(String(value)))}`;
    case 'headers':
      return `e.g. ${name}: ${String(value)}`;
  }
}

/**
 * An example of the object part with `names` (the fields needed, or the one meant): `e.g. {"a": 1}` for the body,
 * `e.g. GET /path?a=1` on the path as sent; a field without `examples` shows `…`.
 */
function example(request: RefusedRequest, schema: FieldSchema, names?: readonly string[]): string {
  const props = schema.properties ?? {};
  const valueOf = (name: string) => props[name]?.examples?.[0];
  switch (request.part) {
    case 'body':
      return `e.g. ${bodyExample(schema, names)}`;
    case 'querystring':
      return `e.g. ${request.method} ${request.path}?${(names ?? schema.required ?? []).map((n) => `${n}=${valueOf(n) === undefined ? '…' : encodeURIComponent(String(valueOf(n)))}`).join('&')}`;
    default:
      return `e.g. ${(names ?? schema.required ?? []).map((n) => `${n}: ${String(valueOf(n) ?? '…')}`).join(', ')}`;
  }
}

/**
 * A JSON body of `names` (default: the required fields, or the first two fields with an example when none is required),
 * each with its first example, `"…"` without one.
 *
 * Example: `bodyExample(loginSchema)` → `{"username": "ana", "password": "…"}`
 */
export function bodyExample(schema: FieldSchema, names?: readonly string[]): string {
  const props = schema.properties ?? {};
  // without required fields, the first two with an example: a body of every option is no example (POST /api/runs has ten)
  const shown = names ?? ((schema.required?.length ?? 0) > 0 ? schema.required! : Object.keys(props).filter((n) => props[n]?.examples !== undefined).slice(0, 2));
  return `{${shown.map((n) => `"${n}": ${JSON.stringify(props[n]?.examples?.[0] ?? '…')}`).join(', ')}}`;
}

