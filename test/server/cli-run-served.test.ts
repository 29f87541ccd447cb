/**
 * Regression (a server trial): after `clvkit analyze --db shop.duckdb`, a server started on that file answered every
 * page with 404 "no analysis has finished on this warehouse yet" — it read only the runs it had started itself. The
 * CLI's analysis of a warehouse file is now recorded in the file's `server_runs`, as a server's run is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('an analysis run from the CLI on a warehouse file', () => {
  it('is the latest run a server on that file shows', async () => {
    const dir = scratchDir('clvkit-cli-run-');
    const lines = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 40; c++) for (let m = 1; m <= 1 + (c % 3); m++) lines.push(`O${c}-${m},C${c},2024-0${m}-1${c % 9},${10 + c}`);
    writeFileSync(join(dir, 'orders.csv'), `${lines.join('\n')}\n`);
    const db = join(dir, 'shop.duckdb');
    const keyring = keyringFromKey(generateKey());
    const run = await analyze({ files: [join(dir, 'orders.csv')], db, keyring, outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true, actor: 'ana' });
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const [row] = await warehouse.query("SELECT status, started_by, finished_at IS NOT NULL AS finished FROM server_runs");
      expect(row).toMatchObject({ status: 'finished', started_by: 'clvkit analyze (ana)', finished: true });
      const latest = await createServerContext({ warehouse, dbPath: db, keyring }).latestRun();
      expect(latest?.summary.headline.customers).toBe(40);
      expect(latest?.summary).toEqual(JSON.parse(JSON.stringify(run)));
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
