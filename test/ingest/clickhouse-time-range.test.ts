import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

// A future-dated line (quarantined: future_date), a pre-1970 line, a 2023 one and a future one without a customer id
// (quarantined: missing_customer_id, a rule judged before future_date), and one good line.
const LINES = 'customer_id,date,amount\nA,2150-01-01,10\n,1965-05-01,5\n,2023-05-01,3\nD,2023-05-02,10\n,2150-01-01,4\n';
const now = new Date('2024-01-01T00:00:00Z');

function file(name: string, text: string): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, text);
  return path;
}

describe('a quarantined row keeps its date only when it is a real past date', () => {
  let duck: Warehouse;
  beforeAll(async () => {
    duck = await memoryWarehouse();
  });
  afterAll(async () => duck?.close());

  it('drops dates after the ingest and before 1970 (the row then ages by its ingest for retention)', async () => {
    const report = await ingestFiles(duck, [file('range.csv', LINES)], { keyring: keyringFromKey(generateKey()), now });
    expect(report).toMatchObject({ accepted: 1, quarantined: 4 });
    const rows = await duck.query("SELECT reason, strftime(ts, '%Y-%m-%d') AS day FROM quarantine ORDER BY line");
    expect(rows).toEqual([
      { reason: 'future_date', day: null },
      { reason: 'missing_customer_id', day: null },
      { reason: 'missing_customer_id', day: '2023-05-01' },
      { reason: 'missing_customer_id', day: null },
    ]);
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`times outside what ClickHouse holds${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  const keyring = keyringFromKey(generateKey());
  let cluster: ClickHouseWarehouse;
  beforeAll(async () => {
    cluster = await clickhouseWarehouse('time_range');
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('ingests a file whose quarantined rows carry dates after 2105 or before 1970', async () => {
    const report = await ingestFilesToClickHouse(cluster, [file('range.csv', LINES)], { keyring, now });
    expect(report).toMatchObject({ accepted: 1, quarantined: 4 });
    const [counts] = await cluster.query('SELECT count(*) AS n, countIf(ts IS NULL) AS undated FROM quarantine');
    expect(counts).toEqual({ n: 4, undated: 3 });
    const [held] = await cluster.query('SELECT count(*) AS n FROM transactions');
    expect(held!.n).toBe(1);
  });

  it('refuses an accepted line before 1970 with a user error that names the time and the way out, and adds nothing', async () => {
    const failure = await ingestFilesToClickHouse(cluster, [file('old.csv', 'customer_id,date,amount\nE,1965-05-01,10\nF,2023-05-03,10\n')], { keyring, now }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UserError);
    expect(String((failure as Error).message)).toMatch(/^transactions\.ts has the time 1965-05-01.*1970-01-01 to 2105-12-31/);
    expect((failure as UserError).hint).toMatch(/DuckDB|correct/);
    const [held] = await cluster.query('SELECT count(*) AS n FROM transactions');
    expect(held!.n).toBe(1);
  });
});
