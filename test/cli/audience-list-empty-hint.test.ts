import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';

// `audience list` on a warehouse without audiences hints the command that draws one, naming the warehouse as the
// other hints do on either engine (audience show's "no audience", ingests list): the cluster's flags on ClickHouse,
// the file on DuckDB — which said `--db PATH`, a placeholder, while the cluster's hint spelled out its flags.
const hintFlags = (stdout: string) => /^no audiences \(clvkit audience create (.*) --name NAME --where EXPR\)\n$/.exec(stdout)?.[1];
const notFoundFlags = (stderr: string) => /create one with clvkit audience create (.*) --name NAME --where EXPR/.exec(stderr)?.[1];

describe('audience list on an empty warehouse: the hint names the warehouse', () => {
  useFixedKey(42); // the cluster's commands read the key from CLVKIT_KEY
  it('DuckDB: --db and the file, as audience show names it', async () => {
    const dir = scratchDir();
    const db = join(dir, 'shop.duckdb');
    writeFileSync(join(dir, 'orders.csv'), 'order_id,customer_id,date,amount\nO1,C1,2024-01-02,10\n');
    expect((await cli(['ingest', join(dir, 'orders.csv'), '--db', db])).code).toBe(0);
    const listed = await cli(['audience', 'list', '--db', db]);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(listed.stdout).toBe(`no audiences (clvkit audience create --db ${db} --name NAME --where EXPR)\n`);
    const shown = await cli(['audience', 'show', 'x', '--db', db]);
    expect(shown.code).toBe(2);
    expect(notFoundFlags(shown.stderr)).toBe(hintFlags(listed.stdout));
  });

  it.skipIf(!CLICKHOUSE_URL)(`ClickHouse: the cluster's flags, as audience show names them${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, async () => {
    const none = await clickhouseWarehouse('audience_list_hint');
    try {
      const listed = await cli(['audience', 'list', ...clickhouseFlags(none.database)]);
      expect([listed.code, listed.stderr]).toEqual([0, '']);
      expect(listed.stdout).toBe(`no audiences (clvkit audience create ${clickhouseFlags(none.database).join(' ')} --name NAME --where EXPR)\n`);
      const shown = await cli(['audience', 'show', 'x', ...clickhouseFlags(none.database)]);
      expect(shown.code).toBe(2);
      expect(notFoundFlags(shown.stderr)).toBe(hintFlags(listed.stdout));
    } finally {
      await dropScratchDatabase(none);
    }
  });
});
