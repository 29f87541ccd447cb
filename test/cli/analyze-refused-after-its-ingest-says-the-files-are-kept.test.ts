/**
 * A trial as a data engineer: `clvkit analyze orders.csv --db shop.duckdb` on a file of 4 customers was refused with
 * `… so every aggregate would describe individuals; nothing was written` — yet the warehouse kept the file's ingest
 * (its ingest stage stores each file whole, whatever the analysis does after it: docs/pipeline.md), and the next
 * `clvkit ingest orders.csv` said "already ingested". A refusal after the ingest stage of a run that ingests files into
 * a warehouse now says that they are kept there; a run in memory (no --db) keeps nothing and says nothing more.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';

function writeFourCustomers(): string {
  const lines = ['customer_id,date,amount'];
  for (let c = 1; c <= 4; c++) for (let m = 1; m <= 6; m++) lines.push(`K${c},2024-0${m}-1${c},${10 * c + m}.00`);
  const path = join(scratchDir(), 'four-customers.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

describe('analyze refused after its ingest stage', () => {
  useFixedKey(43);

  it('says the files were ingested into the warehouse and are kept; a run in memory does not', async () => {
    const file = writeFourCustomers();
    const db = join(scratchDir(), 'four.duckdb');
    const run = await cli(['analyze', file, '--db', db, '--out', join(scratchDir(), 'out-four'), '--quiet']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      `clvkit: error: 4 customers in the data: fewer than the minimum group size (--min-group-size 5), so every aggregate would describe individuals; nothing was written; this run's files were ingested into ${db} and are kept (a file held adds nothing when ingested again) (hint: pass --min-group-size 4 if publishing figures of 4 customers is acceptable)`,
    ]);
    expect(existsSync(db)).toBe(true);
    const listed = JSON.parse((await cli(['ingests', 'list', '--db', db, '--json'])).stdout);
    expect(listed).toMatchObject([{ ingestId: 1, source: 'four-customers.csv', rowsRead: 24, accepted: 24 }]);

    const inMemory = await cli(['analyze', file, '--out', join(scratchDir(), 'out-four-memory'), '--quiet']);
    expect(inMemory.code).toBe(2);
    expect(inMemory.stderr).toContain('nothing was written (hint:');
    expect(inMemory.stderr).not.toContain('are kept');
  });
});
