/**
 * A file of customer ids and dates only (no order id, no order value): exact copies of a line are quarantined as
 * duplicates, as in any file, and the ingest says how many and what it means. A QA pass cut a synthetic shop's
 * transactions to customer id and date: 1,124 of 1,914 lines (59%) quarantined as `duplicate`, without a word.
 */
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { useScratchWarehouse, writeLines } from '../helpers/warehouse.js';

describe('exact copies in a log of customer ids and dates', () => {
  const scratch = useScratchWarehouse({ threads: 1 });
  const write = (name: string, lines: readonly string[]) => writeLines(scratch.dir, name, lines);
  const now = new Date('2025-01-01T00:00:00Z');
  const copies = (warnings: readonly string[]) => warnings.filter((w) => /exact cop/.test(w));

  it('are quarantined as before, and one warning says how many and that they change no purchase day', async () => {
    // an order's three lines cut to customer and time: two copies of the first; b's second line is another time
    const log = write('log.csv', ['customer_id,date', 'a,2024-01-02T10:00:00', 'a,2024-01-02T10:00:00', 'a,2024-01-02T10:00:00', 'b,2024-01-03T09:00:00', 'b,2024-01-03T11:00:00', 'c,2024-01-04T08:00:00', 'c,2024-01-04T08:00:00']);
    const report = await ingestFiles(scratch.warehouse, [log], { now });
    expect(report).toMatchObject({ rowsRead: 7, accepted: 4, quarantined: 3, rules: { duplicate: 3 } });
    expect(copies(report.files[0]!.warnings)).toEqual([
      "3 lines are exact copies of an earlier line of the file (every column the same), quarantined as duplicates: the file has no order ids and no order values, so a copy is the same customer buying at the same time as a line kept; it changes no purchase day, and the models count purchase days (a customer's lines of one day count once)",
    ]);
    expect(report.files[0]!.copiesWithoutOrderId).toBeUndefined(); // that one is for copies with spend
  });

  it('one copy is said in the singular; none, or copies of rows held before, say nothing', async () => {
    const one = await ingestFiles(scratch.warehouse, [write('one.csv', ['customer_id,date', 'd,2024-02-02', 'd,2024-02-02', 'e,2024-02-03'])], { now });
    expect(copies(one.files[0]!.warnings)).toEqual([
      "1 line is an exact copy of an earlier line of the file (every column the same), quarantined as a duplicate: the file has no order ids and no order values, so a copy is the same customer buying at the same time as a line kept; it changes no purchase day, and the models count purchase days (a customer's lines of one day count once)",
    ]);
    const none = await ingestFiles(scratch.warehouse, [write('none.csv', ['customer_id,date', 'f,2024-03-02', 'f,2024-03-03'])], { now });
    expect(copies(none.files[0]!.warnings)).toEqual([]);
    const overlap = await ingestFiles(scratch.warehouse, [write('overlap.csv', ['customer_id,date', 'f,2024-03-02', 'g,2024-03-04'])], { now });
    expect(overlap).toMatchObject({ accepted: 1, quarantined: 1 });
    expect(copies(overlap.files[0]!.warnings)).toEqual([]);
  });

  it('with order ids, copies say nothing (an export’s repeats)', async () => {
    const withIds = await ingestFiles(scratch.warehouse, [write('ids.csv', ['customer_id,order_id,date', 'h,o1,2024-01-02', 'h,o1,2024-01-02'])], { now });
    expect(withIds.quarantined).toBe(1);
    expect(copies(withIds.files[0]!.warnings)).toEqual([]);
  });
});
