import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { formatRunSummary } from '../../src/cli/commands/analyze-command.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL } from '../helpers/clickhouse.js';
import { FIXTURES, scratchDir, useScratchWarehouse, writeLines } from '../helpers/warehouse.js';

const CDNOW = `${FIXTURES}cdnow/CDNOW_sample.txt.gz`;

// A user trial: CDNOW's sample (no order id) lost 21 lines as "exact duplicates" without a word — revenue 243,681
// against the file's 244,092. Without an order id a line repeated word for word may be a second purchase.
describe('exact copies of a line in a file without order ids', () => {
  const scratch = useScratchWarehouse({ threads: 1 });
  const write = (name: string, lines: readonly string[]) => writeLines(scratch.dir, name, lines);
  const now = new Date('2025-01-01T00:00:00Z');

  it('are quarantined as before, and a warning says they may be purchases and how to keep them', async () => {
    const report = await ingestFiles(scratch.warehouse, [write('log.csv', ['customer_id,date,amount', 'a,2024-01-02,10', 'a,2024-01-02,10', 'b,2024-01-03,5'])], { now });
    expect(report).toMatchObject({ rowsRead: 3, accepted: 2, quarantined: 1 });
    expect(report.files[0]!.warnings).toContain(
      '1 line is an exact copy of an earlier line of the file (every column the same), quarantined as a duplicate with 10.00 of spend: the file has no order ids, so identical lines cannot be told apart from repeat purchases of the same thing at the same time; if it is a real purchase, read the file with --keep-duplicates (which keeps every exact copy, also of lines held from other files; a file held already: clvkit ingest FILE --keep-duplicates --replace --role admin)',
    );
    expect(report.files[0]!.copiesWithoutOrderId).toEqual({ lines: 1, amount: 10 });
  });

  // A user trial: analyze on CDNOW's sample said "21 quarantined" and no more, the warning in run.json's ingest only
  it('are named among analyze’s warnings with their count and spend (CDNOW: 21 lines, 411.07), and --keep-duplicates keeps them', async () => {
    const out = join(scratch.dir, 'out');
    const run = await cli(['analyze', CDNOW, '--out', out, '--skip-models', '--skip-patterns', '--skip-report', '--json', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.ingest).toMatchObject({ rowsRead: 6919, accepted: 6898, quarantined: 21, rules: { duplicate: 21 } });
    expect(summary.ingest.files[0].copiesWithoutOrderId).toEqual({ lines: 21, amount: expect.closeTo(411.07, 6) });
    expect(summary.warnings).toContain(
      'CDNOW_sample.txt.gz: 21 lines are exact copies of an earlier line of the file (every column the same), quarantined as duplicates with 411.07 of spend: the file has no order ids, so identical lines cannot be told apart from repeat purchases of the same thing at the same time; if they are real purchases, read the file with --keep-duplicates (which keeps every exact copy, also of lines held from other files; a file held already: clvkit ingest FILE --keep-duplicates --replace --role admin)',
    );
    // the human summary of the same run (what analyze prints without --json: formatRunSummary of it), not a second run
    expect(formatRunSummary(summary)).toMatch(/\n {2}warning {4}CDNOW_sample\.txt\.gz: 21 lines are exact copies .* with 411\.07 of spend: the file has no order ids/);
    const kept = JSON.parse((await cli(['analyze', CDNOW, '--out', out, '--skip-models', '--skip-patterns', '--skip-report', '--json', '--quiet', '--keep-duplicates'])).stdout);
    expect([kept.ingest.accepted, kept.headline.netRevenue - summary.headline.netRevenue]).toEqual([6919, expect.closeTo(411.07, 6)]);
    expect(kept.warnings.filter((w: string) => /exact cop/.test(w))).toEqual([]);
  }, 120_000);

  it('say nothing with order ids or for copies of rows held before; without order values, they are said otherwise', async () => {
    const withIds = await ingestFiles(scratch.warehouse, [write('ids.csv', ['customer_id,order_id,date,amount', 'a,o1,2024-01-02,10', 'a,o1,2024-01-02,10'])], { now });
    expect(withIds.files[0]!.warnings.filter((w) => /exact cop/.test(w))).toEqual([]);
    const datesOnly = await ingestFiles(scratch.warehouse, [write('dates.csv', ['customer_id,date', 'c,2024-01-02', 'c,2024-01-02'])], { now });
    // without order values no spend is left out: the copies are named as changing no purchase day (copies-in-a-log-of-ids-and-dates.test.ts)
    expect(datesOnly.files[0]!.warnings.filter((w) => /exact cop/.test(w))).toEqual([expect.stringMatching(/^1 line is an exact copy .*: the file has no order ids and no order values, .*changes no purchase day/)]);
    expect(datesOnly.files[0]!.copiesWithoutOrderId).toBeUndefined();
    const first = await ingestFiles(scratch.warehouse, [write('first.csv', ['customer_id,date,amount', 'd,2024-02-02,10'])], { now });
    expect(first.accepted).toBe(1);
    const overlap = await ingestFiles(scratch.warehouse, [write('overlap.csv', ['customer_id,date,amount', 'd,2024-02-02,10', 'e,2024-02-03,4'])], { now });
    expect(overlap).toMatchObject({ accepted: 1, quarantined: 1 });
    expect(overlap.files[0]!.warnings.filter((w) => /exact cop/.test(w))).toEqual([]);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`on a ClickHouse cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  useFixedKey(11);
  const database = `wrong_kind_input_copies_${process.pid}`;
  afterAll(async () => {
    const cluster = await openClickHouseWarehouse(CLICKHOUSE_URL!, { database });
    await cluster.dropDatabase();
    await cluster.close();
  });

  it('analyze names them among its warnings as on DuckDB', async () => {
    const run = await cli(['analyze', CDNOW, '--engine', 'clickhouse', '--clickhouse-url', CLICKHOUSE_URL!, '--clickhouse-database', database, '--out', join(scratchDir(), 'out'), '--skip-models', '--skip-patterns', '--skip-report', '--json', '--quiet']);
    expect(run.code, run.stderr).toBe(0);
    // among the file's warnings, after "no header: guessed …" (ingest-warnings-reach-run-warnings.test.ts)
    expect(JSON.parse(run.stdout).warnings).toContainEqual(expect.stringMatching(/^CDNOW_sample\.txt\.gz: 21 lines are exact copies of an earlier line of the file \(every column the same\), quarantined as duplicates with 411\.07 of spend: /));
  }, 300_000);
});
