import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import { isUserError } from '../core/errors/user-error.js';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import { CLVKIT_VERSION } from '../core/version.js';
import { isToken } from '../privacy/tokens/pseudonymise.js';
import { createAuthenticator } from './auth/authenticate.js';
import { checkAccess } from './auth/require-can.js';
import { csrfMatches, SessionStore } from './auth/session-store.js';
import type { LoginPolicy } from './auth/login-guard.js';
import { handleServerError, routeOf } from './handle-server-error.js';
import { requestValidatorCompiler } from './request-validators.js';
import { closeIdleAfterReading } from './close-idle-after-reading.js';
import { NO_HINT, Problem, problem } from './api-problem.js';
import { NO_STORE, SECURITY_HEADERS } from './security-headers.js';
import { noteRefusal, RefusalTally } from './refusal-tally.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerAccountRoutes } from './routes/account-routes.js';
import { registerHealthRoute } from './routes/health-route.js';
import { registerReadRoutes } from './routes/read-routes.js';
import { CUSTOMER_KEY_WORDS } from './routes/request-fields.js';
import type { RouteAccess, ServerApp } from './server-app.js';
import type { ServerContext } from './server-context.js';
import { RunJobs } from './runs/run-jobs.js';
import { IngestQueue, type ApplyFile, type ApplyGroup } from './ingest/ingest-queue.js';
import { registerIngestRoutes } from './routes/ingest-routes.js';
import { registerRunRoutes } from './routes/run-routes.js';
import { registerActionRoutes } from './routes/action-routes.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The built dashboard (web/dist), beside src/ and dist/ alike. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface CreateServerOptions {
  /** fastify's pino logger options, or false (tests) */
  readonly logger?: FastifyServerOptions['logger'];
  /** the dashboard's built files (default web/dist); a placeholder page when absent */
  readonly webRoot?: string;
  /** mark cookies Secure (the server runs behind TLS) */
  readonly secureCookies?: boolean;
  /** sessions (default: in memory, 30 min idle, 12 h absolute) */
  readonly sessions?: SessionStore;
  /** largest request body in bytes (default 1 MiB; ingest routes allow more) */
  readonly bodyLimit?: number;
  /** a request must arrive whole within this (default 30 s): stalled bodies are cut off */
  readonly requestTimeoutMs?: number;
  /** an idle connection is closed after this (default 60 s) */
  readonly connectionTimeoutMs?: number;
  /** a kept-alive connection with no request is closed after this (default 5 s) */
  readonly keepAliveTimeoutMs?: number;
  readonly loginsPerIpPerMinute?: number;
  /**
   * the reverse proxy's addresses (IPs/CIDRs, `clvkit serve --trust-proxy`): a request from one of them is the client
   * its X-Forwarded-For names (login locks and limits count by it); default none: X-Forwarded-For is ignored
   */
  readonly trustProxy?: readonly string[];
  readonly loginPolicy?: LoginPolicy;
  /** the analysis jobs (default: a new RunJobs writing under the OS temp folder) */
  readonly runs?: RunJobs;
  /** the folder of the ingestion endpoint's write-ahead log (default: a new temp folder) */
  readonly walDir?: string;
  /** acknowledged records not yet applied above which ingest requests get 503 (default 1,000,000) */
  readonly maxBacklogRecords?: number;
  /** how an ingested group's file is loaded into the data warehouse (default: `ingestFiles` on DuckDB) */
  readonly applyFile?: ApplyFile;
  /** instead of `applyFile`: the group's bodies handed on to be written and loaded elsewhere (the warehouse thread) */
  readonly applyGroup?: ApplyGroup;
  /** resolves when the warehouse is gone for good (its thread died): the ingest queue stops applying (the write-ahead log keeps the backlog) */
  readonly warehouseLost?: Promise<Error>;
  /** how long refused requests are counted before their tallies are audited (`request_refused`; default one minute) */
  readonly refusalAuditWindowMs?: number;
  /** told how many acknowledged batches the write-ahead log held unapplied at start */
  readonly onReplay?: (batches: number) => void;
}

/** A route as registered, with the access it declares (the route × role matrix test reads these). */
export interface DeclaredRoute {
  readonly method: string;
  readonly url: string;
  readonly access: RouteAccess;
  /** the names of its querystring parameters (from its schema), for the tests that try every filter */
  readonly query: readonly string[];
}

const declared = new WeakMap<object, DeclaredRoute[]>();

/** The routes of a server made by `createServer`, with their declared access. */
export function declaredRoutes(app: ServerApp): readonly DeclaredRoute[] {
  return declared.get(app) ?? [];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Logged for a request: method, path (never the query: it may hold a search term) and the client address. */
function requestLogLine(request: { method: string; url: string; ip?: string; socket?: { remoteAddress?: string } }) {
  return { method: request.method, path: loggedPath(request.url), remoteAddress: request.ip ?? request.socket?.remoteAddress };
}

/**
 * A request's path as logged: without its query, and without a customer id given in place of the token in
 * `/api/customers/<token>` (the customer 360 takes either; an id — a number, an e-mail, a phone — is personal).
 *
 * Example: `loggedPath('/api/customers/jane%40example.com?reveal=1')` → `/api/customers/(an id)`
 */
function loggedPath(url: string): string {
  const path = url.split('?')[0]!;
  const customer = /^(\/api\/customers\/)([^/]+)(.*)$/.exec(path);
  if (!customer) return path;
  let segment = customer[2]!;
  try {
    segment = decodeURIComponent(segment);
  } catch {
    // not valid percent-encoding: not a token either
  }
  return isToken(segment) ? path : `${customer[1]}(an id)${customer[3]}`;
}

/** fastify's pino logger, without personal data: no query strings, no bodies, no cookies or authorization headers. */
export function serverLoggerOptions(level = 'info'): FastifyServerOptions['logger'] {
  return {
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', 'body', 'password'], censor: '[redacted]' },
    serializers: { req: requestLogLine },
  };
}

/**
 * The HTTP server: cookies, rate limits, OpenAPI (`/openapi.json`, `/docs`,
 * served offline from the package), the error handler (400 with a message
 * for bad input, never a stack), the auth hook (every route declares
 * `config.action`; the hook sets `request.actor` and answers 401/403 from
 * the privacy matrix, and 403 for a session change without its CSRF token),
 * the API routes and the dashboard's static files with an SPA fallback.
 * Not listening yet: the caller calls `listen`.
 *
 * Example: `const app = await createServer(context, { logger: false }); await app.listen({ port: 8080 })`
 */
export async function createServer(context: ServerContext, options: CreateServerOptions = {}): Promise<ServerApp> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 5_000;
  const app = Fastify({
    // Node checks request timeouts every connectionsCheckingInterval (default 30 s): checked often enough that a stalled body is cut off on time;
    // a timed-out connection is closed only after the requests waiting on it are read (close-idle-after-reading.ts)
    serverFactory: (handler) => closeIdleAfterReading(createHttpServer({ requestTimeout: requestTimeoutMs, headersTimeout: Math.min(requestTimeoutMs, 20_000), connectionsCheckingInterval: Math.max(250, Math.min(1_000, requestTimeoutMs / 4)), keepAliveTimeout: keepAliveTimeoutMs }, handler)),
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimit ?? 1 << 20,
    requestTimeout: requestTimeoutMs,
    connectionTimeout: options.connectionTimeoutMs ?? 60_000,
    keepAliveTimeout: keepAliveTimeoutMs,
    // only the named proxy is believed about the client (X-Forwarded-For); never `true`, which would believe anyone
    trustProxy: options.trustProxy && options.trustProxy.length > 0 ? [...options.trustProxy] : false,
    // a customer id of up to 128 characters reaches its route (fastify's default stops path parameters at 100), longer ones its 400
    routerOptions: { maxParamLength: MAX_PATH_PARAMETER },
    frameworkErrors: pathRefused,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as ServerApp;
  // a JSON body is checked as sent, the query string, path and headers (text) turned into their types (request-validators.ts)
  app.setValidatorCompiler(requestValidatorCompiler());
  const routes: DeclaredRoute[] = [];
  declared.set(app, routes);
  const sessions = options.sessions ?? new SessionStore();
  const authenticate = createAuthenticator(context.state, sessions);

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('refusalAudited', false);
  app.addHook('onRoute', (route) => {
    let access = route.config?.action;
    if (access === undefined) {
      if (route.url.startsWith('/api/') || route.url === '/api') throw new Error(`route ${String(route.method)} ${route.url} declares no config.action (the privacy action its callers need, 'authenticated' or 'public')`);
      access = 'public'; // documentation and the dashboard's files
      route.config = { ...(route.config ?? {}), action: access };
    }
    // every API route's errors are { error, message, hint } (api-problem.ts): said in the OpenAPI document, and serialised by that schema
    if (route.url.startsWith('/api/')) route.schema = { ...(route.schema ?? {}), response: { '4xx': Problem, '5xx': Problem, ...((route.schema?.response as object | undefined) ?? {}) } };
    const querystring = route.schema?.querystring as { properties?: Record<string, unknown> } | undefined;
    const query = Object.keys(querystring?.properties ?? {});
    for (const method of [route.method].flat()) routes.push({ method: String(method), url: route.url, access, query });
  });
  app.setErrorHandler(context.engine === 'clickhouse' ? notOnClickHouse : handleServerError);
  // an error answer without a hint (a plugin's own) gets one: every error says what to do
  app.addHook('preSerialization', async (_request, reply, payload: unknown) => {
    if (reply.statusCode < 400 || payload === null || typeof payload !== 'object' || !('error' in payload) || 'hint' in payload) return payload;
    return { ...payload, message: 'message' in payload ? payload.message : String(payload.error), hint: NO_HINT };
  });
  // a refused API request is counted in the minute's tallies, audited request_refused (refusal-tally.ts): the answer does not wait
  const refusals = new RefusalTally(context, options.refusalAuditWindowMs ? { windowMs: options.refusalAuditWindowMs } : {});
  app.addHook('onClose', () => refusals.close());
  // every answer (the dashboard, the API, its errors, the docs): security-headers.ts; an API answer is never stored
  app.addHook('onSend', async (request, reply, payload) => {
    noteRefusal(refusals, request, reply.statusCode, payload);
    reply.headers(SECURITY_HEADERS);
    if (request.url.startsWith('/api/')) reply.headers(NO_STORE);
    return payload;
  });
  app.addContentTypeParser(['application/x-ndjson', 'application/ndjson', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));

  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'clvkit API', version: CLVKIT_VERSION, description: 'Customer-lifecycle analytics: the dashboard API, runs, actions and event ingestion. Roles and actions as in docs/privacy.md. Every error answer is { error, message, hint }: a stable code, what is wrong (the field and what it takes), and what to do.' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'clvkit_session' }, bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ session: [] }, { bearer: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config?.action;
    if (access === undefined) return; // no route: the not-found handler answers
    if (access === 'public' && !request.url.startsWith('/api/')) return; // static files and docs: no warehouse lookup
    const credentials = await authenticate(request);
    request.actor = credentials.actor;
    request.sessionId = credentials.session?.id ?? null;
    if (!credentials.actor && 'problem' in credentials && credentials.problem !== 'none' && access !== 'public') {
      const refused = credentials.problem === 'expired-token'
        ? problem('unauthenticated', 'the API token has expired', 'an admin creates a new one (POST /api/tokens, or clvkit tokens create)')
        : problem('unauthenticated', 'the API token is not valid (unknown, revoked or malformed)', 'send a token an admin created (POST /api/tokens) and has not revoked, as Authorization: Bearer TOKEN');
      return reply.code(401).send(refused);
    }
    const refusal = checkAccess(request.actor, access);
    if (refusal) return reply.code(refusal.statusCode).send(refusal.body);
    if (access !== 'public' && credentials.session && !SAFE_METHODS.has(request.method) && !csrfMatches(credentials.session, request.headers['x-csrf-token'])) {
      return reply.code(403).send(problem('csrf', 'missing or wrong x-csrf-token header: a change through a session needs the session\'s CSRF token', 'send the csrfToken from GET /api/me or the login answer as x-csrf-token'));
    }
  });

  app.get('/openapi.json', { config: { action: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await registerHealthRoute(app, context);
  await registerAuthRoutes(app, context, { sessions, secureCookies: options.secureCookies === true, ...(options.loginsPerIpPerMinute ? { loginsPerIpPerMinute: options.loginsPerIpPerMinute } : {}), ...(options.loginPolicy ? { loginPolicy: options.loginPolicy } : {}) });
  await registerAccountRoutes(app, context, { sessions, onTokenRevoked: authenticate.forgetToken, ...(options.loginPolicy ? { loginPolicy: options.loginPolicy } : {}) });
  // folders made here when the caller gave none are this server's scratch: removed when it closes (after the queue has
  // applied what it acknowledged), not left in the system's temp folder by every server started
  const scratch: string[] = [];
  const scratchFolder = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  };
  const runs = options.runs ?? new RunJobs(context, scratchFolder('clvkit-runs-'));
  await registerRunRoutes(app, context, runs);
  app.addHook('preClose', async () => runs.shutdown()); // a running analysis stops at its next stage and ends its SSE streams before the server closes
  const { queue, replayed } = await IngestQueue.open(context, { walDir: options.walDir ?? scratchFolder('clvkit-wal-'), ...(options.maxBacklogRecords ? { maxBacklogRecords: options.maxBacklogRecords } : {}), ...(options.applyFile ? { applyFile: options.applyFile } : {}), ...(options.applyGroup ? { applyGroup: options.applyGroup } : {}) });
  if (replayed > 0) app.log.warn({ batches: replayed }, 'replaying acknowledged batches from the write-ahead log');
  options.onReplay?.(replayed);
  void options.warehouseLost?.then(() => queue.abandon());
  app.addHook('onClose', async () => {
    await queue.close(); // after in-flight requests: what was acknowledged is applied before the warehouse closes
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });
  await registerIngestRoutes(app, context, queue);
  await registerActionRoutes(app, context);
  await registerReadRoutes(app, context);
  await registerDashboard(app, options.webRoot ?? DEFAULT_WEB_ROOT);
  return app;
}

/**
 * The error handler on ClickHouse: what would be a 500 on an API route is a
 * 501 `not_on_clickhouse` — the route's SQL does not run on the cluster yet
 * (DuckDB-only statements; issue 18 makes the stages portable). Logged with
 * its stack on the server only, like any failure; client errors as usual.
 */
function notOnClickHouse(thrown: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = typeof thrown.statusCode === 'number' ? thrown.statusCode : 500;
  if (thrown.validation || isUserError(thrown) || status < 500 || !request.url.startsWith('/api/')) return handleServerError(thrown, request, reply);
  request.log.error({ err: thrown }, 'request failed on ClickHouse');
  void reply.code(501).send(problem('not_on_clickhouse', `${routeOf(request)} does not run on ClickHouse yet (its SQL still uses DuckDB-only statements)`, 'serve a DuckDB warehouse for it, or see docs/server.md'));
}

/** The dashboard's files at `/`, any other non-API GET answered with index.html (the SPA routes); a placeholder when it is not built. */
async function registerDashboard(app: ServerApp, webRoot: string): Promise<void> {
  const built = existsSync(`${webRoot}/index.html`);
  if (built) await app.register(fastifyStatic, { root: webRoot, prefix: '/', wildcard: true, index: ['index.html'], dotfiles: 'deny' });
  else {
    app.get('/', { config: { action: 'public' }, schema: { hide: true } }, async (_request, reply) =>
      reply.type('text/html; charset=utf-8').send('<!doctype html><meta charset="utf-8"><title>clvkit</title><p>The clvkit API is running (<a href="/docs">API docs</a>). The dashboard is not built: run <code>npm run build</code>.</p>'),
    );
  }
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0]!;
    if (built && request.method === 'GET' && !path.startsWith('/api/') && !path.includes('..') && !/%2e|%2f|%5c/i.test(path) && !/\.[a-z0-9]+$/i.test(path)) return reply.sendFile('index.html');
    // /api/customers/<one segment> reaches no route only when the segment is too long for the router (the dashboard's
    // wildcard takes it then): the customer 360's 400, as without the dashboard (pathRefused)
    if ((request.method === 'GET' || request.method === 'HEAD') && CUSTOMER_PATH.test(path)) return customerKeyTooLong(reply);
    // the path as logged: a customer id given under /api/customers/ is personal (an e-mail, a phone), never echoed
    return reply.code(404).send(problem('not_found', `no route ${request.method} ${loggedPath(path)}`, 'GET /openapi.json (or /docs) lists the routes'));
  });
}

/** `GET /api/customers/<id>` with an id longer than the router takes: 400 with the field's words and its length, not the id. */
function customerKeyTooLong(reply: FastifyReply): FastifyReply {
  return reply.code(400).send(problem('bad_request', `path parameter token must be a customer token, or a customer id as given: ${CUSTOMER_KEY_WORDS} (got more than ${MAX_PATH_PARAMETER.toLocaleString('en-US')} characters)`, 'GET /api/customers?q=… finds a token prefix or a customer id as given'));
}

/** A customer's own path (`/api/customers/<token or id>`), whose parameter too long gets the customer 360's 400. */
const CUSTOMER_PATH = /^\/api\/customers\/[^/]+$/;

/** The longest path parameter the router takes; a longer one is refused by `pathRefused`. */
const MAX_PATH_PARAMETER = 2048;

/**
 * The router's own refusals (a path parameter longer than `MAX_PATH_PARAMETER`, a path that is not valid
 * percent-encoding): fastify answers them with the whole path in the message; here as `{ error, message, hint }`,
 * the path as logged (`loggedPath`: no customer id), and a customer id too long as the customer 360's field says.
 */
function pathRefused(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH' && CUSTOMER_PATH.test(request.url.split('?')[0]!)) {
    void customerKeyTooLong(reply);
    return;
  }
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(400).send(problem('bad_request', `a path parameter of this ${request.method} request is longer than ${MAX_PATH_PARAMETER.toLocaleString('en-US')} characters`, 'GET /openapi.json (or /docs) lists the routes and what their parameters take'));
    return;
  }
  void reply.code(400).send(problem('bad_request', `the path of ${request.method} ${loggedPath(request.url)} is not valid percent-encoding`, 'encode the path as a URL component (encodeURIComponent)'));
}
