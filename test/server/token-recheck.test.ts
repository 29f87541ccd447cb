import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { createAuthenticator } from '../../src/server/auth/authenticate.js';
import { SessionStore } from '../../src/server/auth/session-store.js';
import { createApiToken, revokeApiToken } from '../../src/server/auth/token-store.js';
import { serialiseWarehouse } from '../../src/server/serialised-warehouse.js';

describe('API token checks never make a known token wait for the warehouse', () => {
  it('a cached token past its recheck time is answered at once while the warehouse is busy, looked up again in the background, and refused once that lookup finds it revoked', async () => {
    const warehouse = serialiseWarehouse(await openDuckDbWarehouse(':memory:'));
    let release: (() => void) | undefined;
    try {
      const { token, info } = await createApiToken(warehouse, { name: 'shop', role: 'analyst', expiresDays: 1 });
      let nowMs = Date.now();
      const authenticate = createAuthenticator(warehouse, new SessionStore(), () => nowMs);
      const request = { headers: { authorization: `Bearer ${token}` }, cookies: {} } as unknown as FastifyRequest;
      expect((await authenticate(request)).actor).toEqual({ name: 'shop', role: 'analyst', kind: 'token' });

      nowMs += 61_000; // past the one-minute recheck
      let started!: () => void;
      const holding = new Promise<void>((resolve) => (started = resolve));
      const busy = warehouse.transaction(() => new Promise<void>((resolve) => ((release = resolve), started()))); // e.g. a group of batches being applied
      await holding;
      const answered = await Promise.race([authenticate(request), new Promise((resolve) => setTimeout(() => resolve('waited for the warehouse'), 2_000))]);
      expect(answered).toMatchObject({ actor: { name: 'shop', kind: 'token' } });
      release!();
      await busy;
      await warehouse.query('SELECT 1'); // after the background recheck (queued before it): the cache is fresh again

      await revokeApiToken(warehouse, info.id); // behind the server's back: only a recheck can see it
      expect((await authenticate(request)).actor).not.toBeNull(); // still fresh: no lookup
      nowMs += 61_000;
      expect((await authenticate(request)).actor).not.toBeNull(); // stale: answered from the cache, recheck started
      await warehouse.query('SELECT 1');
      expect(await authenticate(request)).toMatchObject({ actor: null, problem: 'bad-token' });
    } finally {
      release?.(); // a failed check must not leave the warehouse held
      await warehouse.close();
    }
  });
});
