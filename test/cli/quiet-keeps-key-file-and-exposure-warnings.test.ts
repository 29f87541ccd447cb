/**
 * `--quiet` (session 43, review): it muted the line saying a key file was created ("keep a backup of it": without it
 * the encrypted data cannot be read) — said once, on the first ingest, the night a cron job runs it quiet — and
 * `privacy report`'s warning of a warehouse file other users may read. They are said under --quiet too, as errors are.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { FIXTURES, scratchDir } from '../helpers/warehouse.js';

describe('--quiet keeps the lines an operator must see', () => {
  it('ingest --quiet creating a key file says so; privacy report --quiet names a file others may read', async () => {
    const previous = process.env.CLVKIT_KEY;
    delete process.env.CLVKIT_KEY;
    try {
      const db = join(scratchDir(), 'shop.duckdb');
      const ingest = await cli(['ingest', `${FIXTURES}shop/tiny-shop.csv`, '--db', db, '--quiet']);
      expect(ingest.code, ingest.stderr).toBe(0);
      expect(ingest.stderr).toMatch(new RegExp(`^clvkit: created key file ${db}\\.key \\(key k[0-9a-f]{10}, mode 0600\\); keep a backup of it: without it the encrypted data cannot be read and customer tokens cannot be matched\\n$`));
      chmodSync(db, 0o644);
      const report = await cli(['privacy', 'report', '--db', db, '--role', 'admin', '--quiet']);
      expect(report.code, report.stderr).toBe(0);
      expect(report.stderr).toBe(`clvkit: warning: the warehouse file ${db} is readable by other users of this machine (mode 644): besides the envelopes it holds personal data in clear (password hashes, gender, birth years, search queries, login attempts); make it yours only: chmod 600 ${db}\n`);
    } finally {
      if (previous !== undefined) process.env.CLVKIT_KEY = previous;
    }
  }, 120_000);
});
