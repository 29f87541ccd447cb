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
  readonly route: string;
  readonly status: number;
  readonly error: string;
  readonly network: string | null;
  refused: number;
  readonly first: number;
  last: number;
}

/**
 * Refused API requests counted in tallies and audited `request_refused`, one entry per tally when its window (a
 * minute) ends or the server closes: a tally is one actor — or, without one, one client network (/24, /48) — one
 * route, status and code, its count in `refused` and the first and last refusal's times in `details`. A flood (an
 * unauthenticated script knocking at /api/users) writes one entry a minute, not one a request; past `maxTallies`
 * tallies in a window (many networks, many routes) the rest are counted together by status and code (actor
 * `various`, target `route:various`), so a window writes at most `maxTallies` entries and one per status and code.
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
  #writing: Promise<void> = Promise.resolve();
  readonly #timer: NodeJS.Timeout;

  constructor(context: Pick<ServerContext, 'audit' | 'log'>, options: RefusalTallyOptions = {}) {
    this.#context = context;
    this.#maxTallies = options.maxTallies ?? 20;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => void this.flush(), options.windowMs ?? 60_000);
    this.#timer.unref();
  }

  /** Counts one refusal in its tally (a tally of its own while the window has room). */
  note(refusal: Refusal): void {
    const t = this.#now();
    const network = refusal.actor ? null : auditedNetwork(refusal.clientIp);
    const actor: AuditActor = refusal.actor ?? { name: 'anonymous', role: 'none' };
    let key = JSON.stringify([actor.name, actor.kind ?? null, actor.role, refusal.route, refusal.status, refusal.error, network]);
    let tally: Omit<Tally, 'refused' | 'first' | 'last'> = { actor, route: refusal.route, status: refusal.status, error: refusal.error, network };
    if (!this.#tallies.has(key) && this.#tallies.size >= this.#maxTallies) {
      key = JSON.stringify(['various', refusal.status, refusal.error]);
      tally = { actor: { name: 'various', role: 'none' }, route: 'various', status: refusal.status, error: refusal.error, network: null };
    }
    const counted = this.#tallies.get(key);
    if (counted) {
      counted.refused += 1;
      counted.last = t;
    } else this.#tallies.set(key, { ...tally, refused: 1, first: t, last: t });
  }

  /** Writes the window's tallies (one entry each, in the order they began) and starts the next window. */
  flush(): Promise<void> {
    const tallies = [...this.#tallies.values()];
    this.#tallies = new Map();
    this.#writing = this.#writing.then(async () => {
      for (const t of tallies) {
        const details = { status: t.status, error: t.error, ...(t.network === null ? {} : { client_network: t.network }), first: new Date(t.first).toISOString(), last: new Date(t.last).toISOString() };
        await auditRefusal(this.#context, this.#context.log, t.actor, { action: 'request_refused', target: `route:${t.route}`, rowCounts: { refused: t.refused }, details });
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
