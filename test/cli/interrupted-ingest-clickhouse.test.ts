/**
 * `clvkit ingest --engine clickhouse` stopped by Ctrl-C says in one line what
 * it did, as on a warehouse file: nothing of the file being read reached the
 * cluster, the files copied before it stay, the rest were not read; exit 130
 * (a user trial: it ended silently).
 */
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';
import { interruptedCli, orders } from '../helpers/interrupted-cli.js';

describe.skipIf(!CLICKHOUSE_URL)(`ingest into a cluster stopped by Ctrl-C${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  useFixedKey(17);

  it('one line: nothing from the file being read reached the cluster, the file before it kept, the one after not read; exit 130', async () => {
    const cluster = await clickhouseWarehouse('interrupted_ingest');
    try {
      const dir = scratchDir();
      const [a, b, c] = [orders(dir, 'a.csv', 'A'), orders(dir, 'b.csv', 'B'), orders(dir, 'c.csv', 'C')];
      const flags = clickhouseFlags(cluster.database);
      const run = await interruptedCli(['ingest', a, b, c, ...flags], `clvkit: reading ${b}`);
      expect(run.stderr.split('\n').at(-2), JSON.stringify(run.stderr)).toBe('clvkit: ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv; not read: c.csv');
      expect(run.code).toBe(130);
      expect(process.listenerCount('SIGINT')).toBe(0);
      expect(await cluster.query('SELECT source, count() AS n FROM transactions GROUP BY source')).toEqual([{ source: 'a.csv', n: 2 }]);
      const again = await cli(['ingest', a, b, c, ...flags, '--json']);
      expect(again.code, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).files.map((f: { alreadyIngested: boolean; accepted: number }) => [f.alreadyIngested, f.accepted])).toEqual([[true, 0], [false, 2], [false, 2]]);
    } finally {
      await dropScratchDatabase(cluster);
    }
  }, 120_000);
});
