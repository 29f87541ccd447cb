import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignEvaluation } from '../../../src/actions/evaluate-campaign.js';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { openDuckDbWarehouse } from '../../../src/engine/duckdb-warehouse.js';
import { cli } from '../../helpers/cli.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseCopyOfFile, clickhouseFlags, differences, dropScratchDatabase } from '../../helpers/clickhouse.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { welchEraCampaigns } from '../../helpers/welch-era-campaign.js';

// Evaluations stored before the exact tests (Welch's t) are measured again on reading (readStoredEvaluation: the
// audience's group sizes, the members' purchases in the window) on a cluster as on DuckDB: the warehouse of
// welch-era-evaluations.test.ts with the fixture's two stored evaluations, copied row for row to the cluster.
describe.skipIf(!CLICKHOUSE_URL)(`evaluations stored before the exact tests read back alike on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let db = '';
  let clickhouse: ClickHouseWarehouse | undefined;

  beforeAll(async () => {
    const dir = scratchDir();
    db = await welchEraCampaigns(cli, dir);
    const stored = JSON.parse(readFileSync(join(FIXTURES, 'campaigns/welch-era-evaluations.json'), 'utf8')) as CampaignEvaluation[];
    const warehouse = await openDuckDbWarehouse(db);
    try {
      for (const [i, e] of stored.entries()) {
        await warehouse.execute(`INSERT INTO campaign_evaluations VALUES (${warehouse.dialect.literal(e.audience)}, TIMESTAMP '2024-02-01 09:00:0${i}', TIMESTAMP '${e.window.from} 00:00:00', TIMESTAMP '${e.window.to} 00:00:00', ${warehouse.dialect.literal(JSON.stringify(e))})`);
      }
    } finally {
      await warehouse.close();
    }
    clickhouse = await clickhouseCopyOfFile(db, 'welch_era');
  }, 300_000);
  afterAll(() => dropScratchDatabase(clickhouse));

  it('campaign compare: the same figures, measured again with the exact tests on both', async () => {
    const duck = await cli(['campaign', 'compare', '--db', db, '--json']);
    expect(duck.code, duck.stderr).toBe(0);
    const cluster = await cli(['campaign', 'compare', ...clickhouseFlags(clickhouse!.database), '--key-file', `${db}.key`, '--json']);
    expect(cluster.code, cluster.stderr).toBe(0);
    const [d, c] = [JSON.parse(duck.stdout), JSON.parse(cluster.stdout)];
    const trial = d.campaigns.find((x: { audience: string }) => x.audience === 'trial');
    expect(trial.buyers.test).toBe('fisher-exact');
    expect(trial.revenue.test).toBe('permutation');
    expect(trial.storedBeforeExactTests.welch).toEqual([]);
    expect(differences(d, c)).toEqual([]);
  }, 120_000);
});
