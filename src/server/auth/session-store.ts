import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Role } from '../../privacy/access/rbac.js';

/** A logged-in person: the id is the cookie value, the CSRF token is sent back in `x-csrf-token`. */
export interface Session {
  readonly id: string;
  readonly name: string;
  readonly role: Role;
  readonly csrfToken: string;
  readonly createdAtMs: number;
  lastSeenAtMs: number;
}

export interface SessionStoreOptions {
  /** a session unused this long ends (default 30 minutes) */
  readonly idleMs?: number;
  /** a session ends this long after login, used or not (default 12 hours) */
  readonly absoluteMs?: number;
  readonly now?: () => number;
}

const randomId = () => randomBytes(32).toString('base64url');

/**
 * Server-side sessions in memory: a restart logs everyone out (nothing to
 * steal from disk). Each login makes a new random id (no fixation: an id the
 * client brings is never adopted); sessions end after an idle time and after
 * an absolute lifetime.
 */
export class SessionStore {
  readonly idleMs: number;
  readonly absoluteMs: number;
  readonly #sessions = new Map<string, Session>();
  readonly #now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.idleMs = options.idleMs ?? 30 * 60_000;
    this.absoluteMs = options.absoluteMs ?? 12 * 3_600_000;
    this.#now = options.now ?? Date.now;
  }

  /** A new session for a user who just logged in; `replaces` (the id the client sent, if any) is ended. */
  create(user: { name: string; role: Role }, replaces?: string): Session {
    if (replaces) this.#sessions.delete(replaces);
    const now = this.#now();
    const session: Session = { id: randomId(), name: user.name, role: user.role, csrfToken: randomId(), createdAtMs: now, lastSeenAtMs: now };
    this.#sessions.set(session.id, session);
    this.#sweep(now);
    return session;
  }

  /** The live session of an id (touched: its idle clock restarts), null when unknown or expired. */
  get(id: string | undefined): Session | null {
    if (!id) return null;
    const session = this.#sessions.get(id);
    if (!session) return null;
    const now = this.#now();
    if (now - session.lastSeenAtMs > this.idleMs || now - session.createdAtMs > this.absoluteMs) {
      this.#sessions.delete(id);
      return null;
    }
    session.lastSeenAtMs = now;
    return session;
  }

  delete(id: string | undefined): void {
    if (id) this.#sessions.delete(id);
  }

  /** Ends every session of a user (after a role change or removal). */
  deleteUser(name: string): void {
    for (const [id, s] of this.#sessions) if (s.name === name) this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(now: number): void {
    for (const [id, s] of this.#sessions) if (now - s.lastSeenAtMs > this.idleMs || now - s.createdAtMs > this.absoluteMs) this.#sessions.delete(id);
  }
}

/** True when the header carries the session's CSRF token (constant-time). */
export function csrfMatches(session: Session, header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  const expected = Buffer.from(session.csrfToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
