/**
 * After `clvkit ingests drop`, the pages of the latest run still show the data with the dropped rows: the run the server
 * serves says so in its warnings (the dashboard shows them above every page) until the next analysis clears the mark.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/pipeline/analyze.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { createServerContext } from '../../src/server/open-server-context.js';
import { createServedRunCache } from '../../src/server/routes/read-report-cache.js';
import { dropIngest } from '../../src/ingest/drop-ingest.js';
import { scoreWarehouse } from '../../src/pipeline/score-warehouse.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('the run a server serves after an ingest was dropped', () => {
  it('warns that its figures still count the dropped rows, until the derived tables are written again', async () => {
    const dir = scratchDir('clvkit-dropped-served-');
    const orders = (from: number, to: number, month: number) => {
      const lines = ['order_id,customer_id,date,amount'];
      for (let c = from; c <= to; c++) for (let m = 1; m <= 1 + (c % 3); m++) lines.push(`O${month}-${c}-${m},C${c},2024-0${month}-1${(c + m) % 9},${10 + c}`);
      return `${lines.join('\n')}\n`;
    };
    writeFileSync(join(dir, 'jan.csv'), orders(1, 40, 1));
    writeFileSync(join(dir, 'feb.csv'), orders(30, 60, 2));
    const db = join(dir, 'shop.duckdb');
    const keyring = keyringFromKey(generateKey());
    await analyze({ files: [join(dir, 'jan.csv'), join(dir, 'feb.csv')], db, keyring, outDir: join(dir, 'out'), skipModels: true, skipPatterns: true, skipReport: true, actor: 'ana' });
    const warehouse = await openDuckDbWarehouse(db);
    try {
      const context = createServerContext({ warehouse, dbPath: db, keyring });
      const served = createServedRunCache(warehouse, () => context.latestRun());
      expect((await served())!.ref.warnings.some((w) => w.includes('dropped'))).toBe(false);
      const dropped = await dropIngest(warehouse, 2, { keyring, role: 'admin', actor: 'dana', now: new Date('2024-03-05T09:00:00Z') });
      expect(dropped).toMatchObject({ derivedStale: true, customersRemoved: 20 });
      const after = (await served())!;
      // in the API's words: the route that starts an analysis, never the CLI's command with the server's file (a user trial)
      expect(after.ref.warnings[0]).toBe('the scores, segments and stages describe the data before ingest 2 (feb.csv) was dropped on 2024-03-05: they still count its rows; start an analysis (POST /api/runs) to rebuild them');
      // the derived tables written again from the data as it is: the mark goes
      await scoreWarehouse(warehouse, { keyring, access: { actor: 'ana', role: 'analyst' }, minGroupSize: 5 });
      expect((await served())!.ref.warnings.some((w) => w.includes('dropped'))).toBe(false);
    } finally {
      await warehouse.close();
    }
  }, 60_000);
});
