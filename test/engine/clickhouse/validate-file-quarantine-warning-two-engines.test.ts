import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClickHouseWarehouse, type ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { cli, useFixedKey } from '../../helpers/cli.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, dropScratchDatabase } from '../../helpers/clickhouse.js';

// `validate FILE` warns how many of the file's rows were quarantined, and why, on DuckDB (in memory: "left out of these
// results"); `validate FILE --engine clickhouse` ingested the same file into the cluster and said nothing of them
// (session 41: Online Retail's 30,000 lines, 12,186 quarantined, without a word on the cluster). Now it warns with the
// same counts and reasons, naming where the cluster keeps them.
describe.skipIf(!CLICKHOUSE_URL)(`validate FILE names its quarantined rows on the cluster as on DuckDB${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let file: string;
  let cluster: ClickHouseWarehouse | undefined;
  const database = `clvkit_test_validate_quarantine_${process.pid}`;
  useFixedKey(43);

  beforeAll(async () => {
    const dir = scratchDir();
    await generateShop({ outDir: join(dir, 'shop'), customers: 150, products: 20, seed: 43 });
    file = join(dir, 'orders.csv');
    // the shop's lines and 3 more without a customer id and 2 with a date no format reads
    const lines = readFileSync(join(dir, 'shop', 'transactions.csv'), 'utf8').trimEnd().split('\n');
    const [header, first] = [lines[0]!, lines[1]!.split(',')];
    const column = (name: string) => header.split(',').indexOf(name);
    const variant = (changes: Record<string, string>, i: number) => first.map((v, c) => (c === column('order_id') ? `Z${i}` : (Object.entries(changes).find(([name]) => column(name) === c)?.[1] ?? v))).join(',');
    const extra = [0, 1, 2].map((i) => variant({ customer_id: '' }, i)).concat([3, 4].map((i) => variant({ order_date: '2023-13-45T10:00:00' }, i)));
    writeFileSync(file, [...lines, ...extra].join('\n') + '\n');
  }, 120_000);
  afterAll(async () => {
    cluster = await openClickHouseWarehouse(CLICKHOUSE_URL, { database, ...(process.env.CLVKIT_CLICKHOUSE_CLUSTER ? { cluster: process.env.CLVKIT_CLICKHOUSE_CLUSTER } : {}) });
    await dropScratchDatabase(cluster);
  });

  it('the same counts and reasons in one warning on both engines', async () => {
    const args = ['validate', file, '--calibration-end', '2023-06-30', '--no-learned', '--json'];
    const duck = await cli(args);
    expect(duck.code, duck.stderr).toBe(0);
    const onCluster = await cli([...args, ...clickhouseFlags(database)]);
    expect(onCluster.code, onCluster.stderr).toBe(0);
    const counts = (stderr: string) => stderr.split('\n').find((line) => line.includes('quarantined ('))?.replace(/\): the quarantined rows .*$/, ')');
    const duckCounts = counts(duck.stderr);
    expect(duckCounts).toMatch(/orders\.csv: [\d,]+ rows read, [\d,]+ accepted, [\d,]+ quarantined \(.*missing_customer_id \d+.*bad_date 2/);
    expect(counts(onCluster.stderr)).toBe(duckCounts);
    expect(onCluster.stderr).toMatch(/the quarantined rows are left out of these results \(the cluster keeps them, with the reason of each, in its quarantine table\)/);
    expect(JSON.parse(onCluster.stdout).chosen).toBe(JSON.parse(duck.stdout).chosen);
  }, 300_000);
});
