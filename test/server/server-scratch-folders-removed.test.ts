/**
 * A server leaves nothing in the system's temp folder when it closes. `createServer` without `runs`/`walDir` and
 * `startServer` on an in-memory warehouse made `clvkit-runs-…` and `clvkit-wal-…` there and never removed them: every
 * server started (each test's, each `serve --demo`) left two folders behind, ~850 of them after one test run. Folders
 * the caller names (a warehouse file's `<db>.runs`, `--wal-dir`) stay: they are the caller's. startServer's folders
 * were named after the pid, so a later server of the same pid would have read what a killed one left (its
 * acknowledged batches replayed): each start now makes fresh ones.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server/start-server.js';
import { openTestServer } from './server-fixture.js';

describe('a server removes the scratch folders it made when it closes', () => {
  let previous: string | undefined;
  let temp: string;
  beforeEach(() => {
    previous = process.env.TMPDIR;
    temp = mkdtempSync(join(tmpdir(), 'clvkit-server-scratch-'));
    process.env.TMPDIR = temp; // os.tmpdir() reads it on each call
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(temp, { recursive: true, force: true });
  });
  const scratch = () => readdirSync(temp).filter((name) => /^clvkit-(runs|wal)-/.test(name)).sort();

  it('createServer without runs or walDir: its runs and write-ahead-log folders are made, then gone after close', async () => {
    const server = await openTestServer({ users: false });
    expect(scratch().map((name) => name.replace(/-[^-]+$/, ''))).toEqual(['clvkit-runs', 'clvkit-wal']);
    await server.close();
    expect(scratch()).toEqual([]);
  });

  it('createServer keeps a walDir the caller named', async () => {
    const wal = join(temp, 'my-wal');
    mkdirSync(wal);
    const server = await openTestServer({ users: false, walDir: wal });
    await server.close();
    expect(readdirSync(temp)).toContain('my-wal');
    expect(scratch()).toEqual([]);
  });

  it('startServer on an in-memory warehouse: fresh runs and write-ahead-log folders, gone after close; a killed server\'s left alone', async () => {
    const previousKey = process.env.CLVKIT_KEY;
    process.env.CLVKIT_KEY = Buffer.alloc(32, 7).toString('base64');
    // what a killed server of this pid would have left (named after the pid, they were this server's folders before)
    for (const kind of ['runs', 'wal']) {
      mkdirSync(join(temp, `clvkit-${kind}-${process.pid}`));
      writeFileSync(join(temp, `clvkit-${kind}-${process.pid}`, 'left-by-a-killed-server'), '');
    }
    const left = scratch();
    try {
      const server = await startServer({ db: ':memory:', port: 0, host: '127.0.0.1', logLevel: 'silent' });
      const own = scratch().filter((name) => !left.includes(name));
      expect(own.map((name) => name.replace(/-[^-]+$/, ''))).toEqual(['clvkit-runs', 'clvkit-wal']);
      await server.close();
      expect(scratch()).toEqual(left);
      for (const name of left) expect(readdirSync(join(temp, name))).toEqual(['left-by-a-killed-server']);
    } finally {
      if (previousKey === undefined) delete process.env.CLVKIT_KEY;
      else process.env.CLVKIT_KEY = previousKey;
    }
  });
});
