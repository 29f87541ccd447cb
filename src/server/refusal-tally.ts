import { auditRefusal } from './audit-refusal.js';
import { auditedNetwork } from './auth/client-network.js';
import type { Actor, AuditActor, ServerContext } from './server-context.js';

/** One refused request (a 4xx answer of an API route) as `RefusalTally.note` counts it. */
export interface Refusal {
  /** who asked: null without a session or token (401, the login route) */
  readonly actor: Actor | null;
  /** the route as registered (`DELETE /api/users/:name`: never the path's own values), or `GET (no route)` */
  readonly route: string;
  readonly status: number;
  /** the answer's code (`unauthenticated`, `forbidden`, `csrf`, …) */
  readonly error: string;
  /** the client's address: kept as its network (`auditedNetwork`) when there is no actor */
  readonly clientIp: string;
}

export interface RefusalTallyOptions {
  /** how long a tally counts before its entry is written (default one minute) */
  readonly windowMs?: number;
  /** tallies per window; refusals past them are counted by status and code alone (default 20) */
  readonly maxTallies?: number;
  readonly now?: () => number;
}

interface Tally {
  readonly actor: AuditActor;
  /** the routes refused, in the order first seen: always one for a named actor's tally */
  readonly routes: Set<string>;
  readonly status: number;
  readonly error: string;
  readonly network: string | null;
  refused: number;
  readonly first: number;
  last: number;
}

/** Routes an anonymous tally lists in `details.routes` (the rest are counted in `other_routes`). */
const ROUTES_LISTED = 10;

const ANONYMOUS: AuditActor = { name: 'anonymous', role: 'none' };
const VARIOUS: AuditActor = { name: 'various', role: 'none' };

/**
 * Refused API requests counted in tallies and audited `request_refused`, one entry per tally when its window (a
 * minute) ends or the server closes, its count in `refused` and the first and last refusal's times in `details`:
 * - a logged-in user's or a token's refusals: one tally per actor, route, status and code, never folded with others
 *   (bounded by the users and tokens there are): nobody outside can make them anonymous by filling the window;
 * - anonymous refusals: one tally per client network (/24, /48), status and code, naming the route (target) when it
 *   saw one and listing them (`details.routes`) when several — a scanner knocking at every route from one network
 *   writes one entry a minute per status and code, not one per route; past `maxTallies` anonymous tallies in a window
 *   (many networks) the rest are counted by status and code alone (actor `various`, target `route:various`).
 * So a window writes at most `maxTallies` anonymous entries plus one per status and code, whatever the outside sends.
 * The answers never wait for an entry; one that cannot be written goes to the server's log (`auditRefusal`), the
 * refusals it counted with it.
 *
 * Example: `const tally = new RefusalTally(context); tally.note({ actor: null, route: 'GET /api/users', status: 401, error: 'unauthenticated', clientIp: '203.0.113.5' }); await tally.close()`
 * → one entry `request_refused` by `anonymous`, `route:GET /api/users`, `{ refused: 1 }`, `client_network: '203.0.113.0/24'`
 */
export class RefusalTally {
  readonly #context: Pick<ServerContext, 'audit' | 'log'>;
  readonly #maxTallies: number;
  readonly #now: () => number;
  #tallies = new Map<string, Tally>();
  #anonymous = 0;
  #writing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(context: Pick<ServerContext, 'audit' | 'log'>, options: RefusalTallyOptions = {}) {
    this.#context = context;
    this.#maxTallies = options.maxTallies ?? 20;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.flush(), options.windowMs ?? 60_000);
    this.#timer.unref();
  }

  /** Counts one refusal in its tally (an anonymous one in a tally of its network's while the window has room). */
  note(refusal: Refusal): void {
    const t = this.#now();
    const { status, error } = refusal;
    let key: string;
    let tally: Omit<Tally, 'refused' | 'first' | 'last' | 'routes'>;
    if (refusal.actor) {
      const actor = refusal.actor;
      key = JSON.stringify(['actor', actor.name, actor.kind ?? null, actor.role, refusal.route, status, error]);
      tally = { actor, status, error, network: null };
    } else {
      const network = auditedNetwork(refusal.clientIp);
      key = JSON.stringify(['network', network, status, error]);
      tally = { actor: ANONYMOUS, status, error, network };
      if (!this.#tallies.has(key) && this.#anonymous >= this.#maxTallies) {
        key = JSON.stringify(['various', status, error]);
        tally = { actor: VARIOUS, status, error, network: null };
      } else if (!this.#tallies.has(key)) this.#anonymous += 1;
    }
    const counted = this.#tallies.get(key);
    if (counted) {
      counted.refused += 1;
      counted.last = t;
      counted.routes.add(refusal.route);
    } else this.#tallies.set(key, { ...tally, routes: new Set([refusal.route]), refused: 1, first: t, last: t });
  }

  /** Writes the window's tallies (one entry each, in the order they began) and starts the next window. */
  flush(): Promise<void> {
    const tallies = [...this.#tallies.values()];
    this.#tallies = new Map();
    this.#anonymous = 0;
    this.#writing = this.#writing.then(async () => {
      for (const t of tallies) {
        const routes = [...t.routes];
        const listed = t.actor === VARIOUS || routes.length === 1 ? {} : { routes: routes.slice(0, ROUTES_LISTED), ...(routes.length > ROUTES_LISTED ? { other_routes: routes.length - ROUTES_LISTED } : {}) };
        const details = { status: t.status, error: t.error, ...(t.network === null ? {} : { client_network: t.network }), ...listed, first: new Date(t.first).toISOString(), last: new Date(t.last).toISOString() };
        const target = `route:${routes.length === 1 && t.actor !== VARIOUS ? routes[0] : 'various'}`;
        await auditRefusal(this.#context, this.#context.log, t.actor, { action: 'request_refused', target, rowCounts: { refused: t.refused }, details });
      }
    });
    return this.#writing;
  }

  /** Stops the window's timer and writes what it counted (the server closing). */
  close(): Promise<void> {
    clearInterval(this.#timer);
    return this.flush();
  }
}

/** The code of an error answer's body (`{ error, message, hint }`, as text or object), else `client_error`. */
function errorCodeOf(payload: unknown): string {
  let body = payload;
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    try {
      body = JSON.parse(String(payload));
    } catch {
      return 'client_error';
    }
  }
  const error = body !== null && typeof body === 'object' && 'error' in body ? (body as { error: unknown }).error : undefined;
  return typeof error === 'string' && /^[a-z_]{1,40}$/.test(error) ? error : 'client_error';
}

/**
 * Counts an answer in `tally` when it refuses an API request (4xx on `/api/…`) whose route did not audit the refusal
 * itself (`request.refusalAudited`: a failed login, the last admin, an Idempotency-Key conflict). The route as
 * registered, never the path (it may hold a customer id): a path no route takes is `METHOD (no route)`.
 */
export function noteRefusal(tally: RefusalTally, request: { url: string; method: string; ip: string; actor: Actor | null; refusalAudited: boolean; routeOptions: { url?: string | undefined } }, status: number, payload: unknown): void {
  if (status < 400 || status >= 500 || request.refusalAudited || !request.url.startsWith('/api/')) return;
  const route = `${request.method} ${request.routeOptions.url ?? '(no route)'}`;
  tally.note({ actor: request.actor, route, status, error: errorCodeOf(payload), clientIp: request.ip });
}
