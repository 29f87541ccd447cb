import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function orders(n: number): string {
  const lines = ['customer_id,date,amount,description'];
  for (let i = 0; i < n; i++) lines.push(`c${i % 97},2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')},${(i % 50) + 1}.25,item number ${i} with a longer description ${i * 7919}`);
  return lines.join('\n') + '\n';
}

// A .gz cut short (an interrupted download or copy) was read up to where it stopped: the rows before the cut accepted,
// the cut line malformed_row, every later row lost without a word — the report looked like a complete file.
describe('a truncated gzip file', () => {
  const scratch = useScratchWarehouse();

  it('is refused whole with a hint, nothing stored', async () => {
    const full = gzipSync(orders(5000));
    const path = join(scratch.dir, 'orders.csv.gz');
    writeFileSync(path, full.subarray(0, Math.floor(full.length / 2)));
    const error = await ingestFiles(scratch.warehouse, [path], { now: NOW }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/orders\.csv\.gz is a truncated or damaged gzip file/);
    expect((error as UserError).hint).toMatch(/gzip -t/);
    const [held] = await scratch.warehouse.query('SELECT (SELECT count(*) FROM transactions) + (SELECT count(*) FROM quarantine) + (SELECT count(*) FROM ingests) AS n');
    expect(Number(held!.n)).toBe(0);
  });

  it('a complete one is read whole', async () => {
    const path = join(scratch.dir, 'orders.csv.gz');
    writeFileSync(path, gzipSync(orders(5000)));
    const report = await ingestFiles(scratch.warehouse, [path], { now: NOW });
    expect([report.rowsRead, report.accepted]).toEqual([5000, 5000]);
  });
});
