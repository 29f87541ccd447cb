/**
 * Acquisition channels that differ only in case are one channel (a user trial, session 40: a profile file spelling
 * `Email` and `email` made two groups of the KPIs by channel and of the funnels by channel, each smaller — so more of
 * them withheld — while the run's one decision per group, looked up by `groupKey` in lower case, took either's for
 * both). The channel is folded to lower case at ingest (trimmed already), so every table that groups by it — KPIs,
 * funnels, prospects' first-year value, campaigns — sees one group.
 */
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { scratchDir, withMemoryWarehouse, writeLines } from '../helpers/warehouse.js';

describe('acquisition channels differing in case', () => {
  it('are one channel, in lower case, from the ingest on', async () => {
    const path = writeLines(scratchDir(), 'customers.csv', [
      'customer_id,signup_date,acquisition_channel',
      'K1,2023-01-01,Email', 'K2,2023-01-02,email', 'K3,2023-01-03, EMAIL ', 'K4,2023-01-04,Paid Search', 'K5,2023-01-05,paid search', 'K6,2023-01-06,',
    ]);
    await withMemoryWarehouse(async (warehouse) => {
      await ingestFiles(warehouse, [path], { now: new Date('2024-01-01T00:00:00Z') });
      const rows = await warehouse.query('SELECT acquisition_channel AS channel, count(*) AS n FROM customers GROUP BY 1 ORDER BY 1 NULLS LAST');
      expect(rows.map((r) => [r.channel, Number(r.n)])).toEqual([['email', 3], ['paid search', 2], [null, 1]]);
    });
  });
});
