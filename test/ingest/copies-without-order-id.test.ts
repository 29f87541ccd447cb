import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

// A user trial: CDNOW's sample (no order id) lost 21 lines as "exact duplicates" without a word — revenue 243,681
// against the file's 244,092. Without an order id a line repeated word for word may be a second purchase.
describe('exact copies of a line in a file without order ids', () => {
  const scratch = useScratchWarehouse();
  const write = (name: string, lines: readonly string[]) => {
    const path = join(scratch.dir, name);
    writeFileSync(path, lines.join('\n') + '\n');
    return path;
  };
  const now = new Date('2025-01-01T00:00:00Z');

  it('are quarantined as before, and a warning says they may be purchases and how to keep them', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('log.csv', ['customer_id,date,amount', 'a,2024-01-02,10', 'a,2024-01-02,10', 'b,2024-01-03,5'])], { now });
    expect(report).toMatchObject({ rowsRead: 3, accepted: 2, quarantined: 1 });
    expect(report.files[0]!.warnings).toContain('1 line is an exact copy of an earlier line of the file, quarantined as duplicate: without an order id it may be a second purchase of the same at the same time, whose spend is then left out; pass --keep-duplicates if the export never repeats a line');
  });

  it('say nothing with order ids, without order values, or for copies of rows held before', async () => {
    const withIds = await ingestFiles(scratch.warehouse, [write('ids.csv', ['customer_id,order_id,date,amount', 'a,o1,2024-01-02,10', 'a,o1,2024-01-02,10'])], { now });
    expect(withIds.files[0]!.warnings.filter((w) => /exact cop/.test(w))).toEqual([]);
    const datesOnly = await ingestFiles(scratch.warehouse, [write('dates.csv', ['customer_id,date', 'c,2024-01-02', 'c,2024-01-02'])], { now });
    expect(datesOnly.files[0]!.warnings.filter((w) => /exact cop/.test(w))).toEqual([]);
    const first = await ingestFiles(scratch.warehouse, [write('first.csv', ['customer_id,date,amount', 'd,2024-02-02,10'])], { now });
    expect(first.accepted).toBe(1);
    const overlap = await ingestFiles(scratch.warehouse, [write('overlap.csv', ['customer_id,date,amount', 'd,2024-02-02,10', 'e,2024-02-03,4'])], { now });
    expect(overlap).toMatchObject({ accepted: 1, quarantined: 1 });
    expect(overlap.files[0]!.warnings.filter((w) => /exact cop/.test(w))).toEqual([]);
  });
});
