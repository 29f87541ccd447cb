/**
 * A mistyped --clickhouse-url: one without a scheme (`localhost:18621`) or of another scheme (`ftp://…`) ended in an
 * internal error with a stack trace (a TypeError "Invalid URL", the client's "protocol must be either http or https");
 * `http:/127.0.0.1:18621` (one slash) and a URL with a path (which clvkit dropped, and which @clickhouse/client would
 * have read as the database) were taken silently. Each is now one line naming it, a hint with the URL meant, exit 2 —
 * before anything is connected to (no server is needed here; port 1, where none listens, where one would be asked).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

/** A key file of its own (the commands read it before they connect). */
function keyFile(): string {
  const path = join(scratchDir(), 'cluster.key');
  initKeyFile(path);
  return path;
}

const segments = (url: string) => cli(['segments', '--engine', 'clickhouse', '--clickhouse-url', url, '--key-file', keyFile()]);
const ingest = (url: string) => cli(['ingest', join(FIXTURES, 'shop', 'tiny-shop.csv'), '--engine', 'clickhouse', '--clickhouse-url', url, '--key-file', keyFile()]);

describe('a --clickhouse-url that is no http(s) URL of a server', () => {
  it('without a scheme (localhost:18621) is refused in one line with the URL meant', async () => {
    const run = await segments('localhost:18621');
    expect(run.stderr).toBe('clvkit: error: --clickhouse-url localhost:18621 is not an http(s) URL (hint: write the scheme and two slashes before the host, e.g. http://localhost:18621)\n');
    expect(run.code).toBe(2);
  });

  it('of another scheme (ftp://) is refused in one line, by segments and by ingest', async () => {
    for (const command of [segments, ingest]) {
      const run = await command('ftp://127.0.0.1:18621');
      expect(run.stderr).toBe('clvkit: error: --clickhouse-url ftp://127.0.0.1:18621 is not an http(s) URL (hint: ClickHouse answers HTTP, e.g. http://127.0.0.1:18621)\n');
      expect(run.code).toBe(2);
    }
  });

  it('with one slash after http: is refused, not read as http://', async () => {
    const run = await ingest('http:/127.0.0.1:1');
    expect(run.stderr).toBe('clvkit: error: --clickhouse-url http:/127.0.0.1:1 is not an http(s) URL (hint: write the scheme and two slashes before the host, e.g. http://127.0.0.1:1)\n');
    expect(run.code).toBe(2);
  });

  it('with a path is refused: clvkit talks to the origin alone, and the database is --clickhouse-database', async () => {
    const run = await segments('http://alice:hunter2@127.0.0.1:1/some/path');
    expect(run.stderr).toBe(
      'clvkit: error: --clickhouse-url http://alice:***@127.0.0.1:1/some/path has a path (/some/path), which clvkit does not use (hint: pass the server alone, e.g. http://127.0.0.1:1, and name the database with --clickhouse-database NAME)\n',
    );
    expect(run.code).toBe(2);
  });
});
