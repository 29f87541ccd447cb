/**
 * How the routes' schemas check a request, part by part. A query string, path
 * parameters and headers arrive as text, so their values are turned into the
 * schema's types (`limit=50` → 50, `reveal=1` → true); a JSON body says what
 * it means, so it is checked as sent: `{"skipReport": 1}`, `{"holdoutDays":
 * "90"}` or `{"name": 12}` are refused (400 in the API's words,
 * schema-error-words.ts), never read as `true`, 90 or `"12"`. Fastify's own
 * validator coerces every part alike (its default `coerceTypes: 'array'`), so
 * the server compiles each part's schema with the Ajv of that part.
 */
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/** Fastify's defaults but for coercion and removal: an unknown field is refused, not dropped; verbose: the refusal's words read the field's schema and the value sent. */
const COMMON: Options = { useDefaults: true, removeAdditional: false, allErrors: false, verbose: true, addUsedSchema: false };

/** Ajv with the formats fastify's default validator has (`format: 'date'`, …). */
function ajvWith(options: Options): Ajv {
  const ajv = new Ajv({ ...COMMON, ...options });
  // ajv-formats is CommonJS: the module is its function, whose `default` is the function again (the one TypeScript sees)
  addFormats.default(ajv);
  return ajv;
}

type Validator = ReturnType<FastifySchemaCompiler<unknown>>;

/** The two Ajv instances and their validators by schema (its JSON), made once per process: every server shares them. */
let compilers: { body: Ajv; text: Ajv; compiled: Map<string, Validator> } | null = null;

/**
 * The validator compiler of every route: a body's schema compiled without coercion, the other parts' with it. A
 * schema is compiled once per process and part (a validator is a pure function of the request part it is given), not
 * once per server: a server compiled every route's schemas again (~130; ~0.3 CPU s), which a process that creates
 * many servers (the tests) paid each time.
 *
 * Example: `app.setValidatorCompiler(requestValidatorCompiler())`; then `POST /api/runs {"skipReport": 1}` → 400 `body field skipReport must be true or false: … (got 1)`, while `GET /api/runs?limit=50` reads 50
 */
export function requestValidatorCompiler(): FastifySchemaCompiler<unknown> {
  compilers ??= { body: ajvWith({ coerceTypes: false }), text: ajvWith({ coerceTypes: 'array' }), compiled: new Map() };
  const { body, text, compiled } = compilers;
  return ({ schema, httpPart }) => {
    const part = httpPart === 'body' ? 'body' : 'text';
    const key = `${part} ${JSON.stringify(schema)}`;
    let validator = compiled.get(key);
    if (!validator) {
      validator = (part === 'body' ? body : text).compile(schema as object) as Validator;
      compiled.set(key, validator);
    }
    return validator;
  };
}
