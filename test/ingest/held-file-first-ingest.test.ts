/**
 * A QA pass: ingesting the same file twice printed "already ingested" above a table of zeros (rows read 0, accepted 0,
 * every rule 0), which reads like an empty file. A file held already now says what its first ingest read (rows read =
 * accepted + quarantined, and when), in the text and in --json (`firstIngest`); the run's zero totals stay in the JSON
 * (what this run added) but the text prints no table of zeros when every file was held already.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/warehouse.js';

describe('ingesting a file held already', () => {
  useFixedKey(31);

  it('says what the file held when first ingested, and when, instead of a table of zeros', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'clvkit-held-'));
    const file = join(dir, 'f.csv');
    copyFileSync(`${FIXTURES}shop/tiny-shop.csv`, file);
    const db = join(dir, 'w.duckdb');
    const first = await cli(['ingest', file, '--db', db]);
    expect(first.code, first.stderr).toBe(0);

    const again = await cli(['ingest', file, '--db', db]);
    expect(again.code, again.stderr).toBe(0);
    const lines = again.stdout.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/: already ingested \(same content, sha256 [0-9a-f]{12}…, ingest 1\): nothing added$/),
      expect.stringMatching(/^ {2}ingest 1 \(\d{4}-\d\d-\d\d \d\d:\d\d UTC\) read 22 rows = 14 accepted \+ 8 quarantined$/),
      '',
      'nothing added: the file was ingested before (clvkit ingests list shows what each ingest read)',
    ]);
    expect(again.stdout).not.toMatch(/rows read +0/);

    const json = await cli(['ingest', file, '--db', db, '--json']);
    const report = JSON.parse(json.stdout);
    // this run's counts (nothing added) stay as they were; the first ingest's are added beside them
    expect([report.rowsRead, report.accepted, report.quarantined]).toEqual([0, 0, 0]);
    expect(report.files[0]).toMatchObject({
      alreadyIngested: true, ingestId: 1, rowsRead: 0,
      firstIngest: { ingestId: 1, ingestedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/), rowsRead: 22, accepted: 14, quarantined: 8 },
    });
  });
});
