/**
 * `clvkit erase --engine clickhouse --db STATE` finds the cluster's key as `serve --engine clickhouse --db STATE`
 * does: --key-file, else CLVKIT_KEY or CLVKIT_KEY_FILE, else STATE.key beside the state file. It used to need
 * --key-file or CLVKIT_KEY, and failed with "no encryption key" beside the server's own key file.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseFlags, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { readKeyFile } from '../../src/privacy/keys/key-file.js';
import { createPseudonymiser } from '../../src/privacy/tokens/pseudonymise.js';
import { scratchDir } from '../helpers/warehouse.js';
import { PII_MAP_FLAGS, rawId, writePiiOrders } from '../privacy/privacy-fixture.js';

describe.skipIf(!CLICKHOUSE_URL)(`erase --engine clickhouse --db STATE and the key beside it${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  afterAll(() => dropScratchDatabase(cluster));

  it('uses STATE.key when no --key-file or CLVKIT_KEY is given, as serve does; without it, one line naming the three places', async () => {
    const dir = scratchDir();
    const state = join(dir, 'state.duckdb');
    const keyFile = `${state}.key`;
    cluster = await clickhouseWarehouse('erase_state_key');
    const saved = { key: process.env.CLVKIT_KEY, file: process.env.CLVKIT_KEY_FILE };
    delete process.env.CLVKIT_KEY;
    delete process.env.CLVKIT_KEY_FILE;
    try {
      expect((await cli(['keys', 'init', '--key-file', keyFile])).code).toBe(0);
      const ingested = await cli(['ingest', writePiiOrders(dir), ...clickhouseFlags(cluster.database), '--key-file', keyFile, ...PII_MAP_FLAGS]);
      expect(ingested.code, ingested.stderr).toBe(0);
      const token = createPseudonymiser(readKeyFile(keyFile))(rawId(7));

      const erase = await cli(['erase', rawId(7), ...clickhouseFlags(cluster.database), '--db', state, '--role', 'admin', '--json']);
      expect(erase.code, erase.stderr).toBe(0);
      expect(JSON.parse(erase.stdout)).toMatchObject({ tokens: [token] });
      expect(JSON.parse(erase.stdout).rows).toBeGreaterThan(0);

      const other = join(dir, 'other.duckdb');
      const refused = await cli(['erase', rawId(8), ...clickhouseFlags(cluster.database), '--db', other, '--role', 'admin']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        `clvkit: error: no encryption key: no --key-file, CLVKIT_KEY or CLVKIT_KEY_FILE, and no ${other}.key beside the state file ${other} (hint: pass the cluster's key with --key-file <path> or CLVKIT_KEY, or --db the state file of the server on this cluster (serve --engine clickhouse --db STATE keeps its key in STATE.key))\n`,
      );
    } finally {
      if (saved.key !== undefined) process.env.CLVKIT_KEY = saved.key;
      if (saved.file !== undefined) process.env.CLVKIT_KEY_FILE = saved.file;
    }
  }, 300_000);
});
