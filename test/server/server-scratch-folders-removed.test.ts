/**
 * A server leaves nothing in the system's temp folder when it closes. `createServer` without `runs`/`walDir` and
 * `startServer` on an in-memory warehouse made `clvkit-runs-…` and `clvkit-wal-…` there and never removed them: every
 * server started (each test's, each `serve --demo`) left two folders behind, ~850 of them after one test run. Folders
 * the caller names (a warehouse file's `<db>.runs`, `--wal-dir`) stay: they are the caller's.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

  it('startServer on an in-memory warehouse: clvkit-wal-PID (and clvkit-runs-PID once a run made it) gone after close', async () => {
    const previousKey = process.env.CLVKIT_KEY;
    process.env.CLVKIT_KEY = Buffer.alloc(32, 7).toString('base64');
    try {
      const server = await startServer({ db: ':memory:', port: 0, host: '127.0.0.1', logLevel: 'silent' });
      expect(scratch()).toContain(`clvkit-wal-${process.pid}`); // the runs folder is made with the first run
      await server.close();
      expect(scratch()).toEqual([]);
    } finally {
      if (previousKey === undefined) delete process.env.CLVKIT_KEY;
      else process.env.CLVKIT_KEY = previousKey;
    }
  });
});
