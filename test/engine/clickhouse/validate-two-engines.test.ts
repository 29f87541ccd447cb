import { beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { ingestFiles } from '../../../src/ingest/ingest-files.js';
import { generateShop } from '../../../src/synth/generate-shop.js';
import { validateModels, type ValidateModelsResult } from '../../../src/pipeline/validate-models.js';
import { cli } from '../../helpers/cli.js';
import { FIXTURES, scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, differences, useTwoEngines, withoutTimings } from '../../helpers/clickhouse.js';

// Issue 18: clvkit validate on a ClickHouse cluster gives DuckDB's answers: the same chosen value model, the same holdout
// metrics, and the same honest tournament (learned models and MBG/CNBD-k) on a small synthetic shop.
describe.skipIf(!CLICKHOUSE_URL)(`validate gives the same answers on DuckDB and ClickHouse${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let onDuck: ValidateModelsResult;
  let onCluster: ValidateModelsResult;
  const options = { calibrationEnd: '2023-06-30', holdoutEnd: '2023-12-31', timeUnit: 'week' as const, grain: 'day' as const, learned: true, seed: 1 };
  const engines = useTwoEngines('validate', {
    fill: async (duck) => {
      const dir = scratchDir();
      await generateShop({ outDir: dir, customers: 600, seed: 1819 });
      await ingestFiles(duck, [join(dir, 'transactions.csv')], { now: new Date('2024-06-01T00:00:00Z') });
    },
    copy: ['transactions', 'customers'],
    timeout: 900_000,
  });
  beforeAll(async () => {
    onDuck = await validateModels(engines.duck, options);
    onCluster = await validateModels(engines.clickhouse, options);
  }, 900_000);

  it('the same chosen model, fits and holdout metrics', () => {
    expect(onCluster.selection.chosen).toBe(onDuck.selection.chosen);
    expect(onDuck.selection.comparison.length).toBeGreaterThan(2);
    expect(onDuck.selection.calibrationCustomers).toBeGreaterThan(300);
    const metrics = (result: ValidateModelsResult) => result.selection.comparison.map((c) => ({ model: c.label, chosen: c.chosen, logLikelihood: c.logLikelihood, bic: c.bic, holdout: c.holdout }));
    expect(differences(metrics(onCluster), metrics(onDuck))).toEqual([]);
    expect(differences(onCluster.selection, onDuck.selection)).toEqual([]);
  });

  it('a warehouse without purchases: a one-line error with a hint, not an internal error', async () => {
    const empty = await clickhouseWarehouse('validate_empty');
    try {
      await empty.execute('CREATE TABLE transactions (customer_id String, ts DateTime, is_return UInt8) ENGINE = Memory');
      await expect(validateModels(empty, options)).rejects.toThrow(/holds no purchases/);
    } finally {
      await empty.dropDatabase();
      await empty.close();
    }
  });

  it('the same honest tournament: candidates, scores and winner', () => {
    expect(onDuck.honest && 'skipped' in onDuck.honest ? onDuck.honest.skipped : 'ran').toBe('ran');
    expect(differences(withoutTimings(onCluster.honest), withoutTimings(onDuck.honest))).toEqual([]);
  });
});

// The command's flags on ClickHouse: one line with a hint and exit code 2, before any cluster is contacted.
describe('clvkit validate --engine clickhouse, flags', () => {
  it('needs --clickhouse-url; a file is needed on DuckDB only', async () => {
    const run = await cli(['validate', `${FIXTURES}shop/tiny-shop.csv`, '--calibration-end', '2011-06-30', '--engine', 'clickhouse']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--engine clickhouse needs --clickhouse-url/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    const fileless = await cli(['validate', '--calibration-end', '2011-06-30']);
    expect(fileless.code).toBe(2);
    expect(fileless.stderr).toMatch(/validate needs a transaction file/);
  });
});
