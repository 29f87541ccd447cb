import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { ClickHouseWarehouse } from '../../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyze } from '../../../src/pipeline/analyze.js';
import { analyzeOnClickHouse } from '../../../src/pipeline/analyze-on-clickhouse.js';
import type { ProgressEvent } from '../../../src/pipeline/run-stages.js';
import { keyringFromKey } from '../../../src/privacy/keys/keyring.js';
import { scratchDir } from '../../helpers/warehouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../../helpers/clickhouse.js';

const TINY_SHOP = join(__dirname, '../../fixtures/shop/tiny-shop.csv');

// `clvkit analyze FILES --engine clickhouse` ingested the files with no progress line: DuckDB prints
// `clvkit: ingest done in 2.2 s — 233,996 rows read, …`, the cluster said nothing for the ingest's 13 s (synthetic
// 5,000-customer shop) and began with `summary done`.
describe.skipIf(!CLICKHOUSE_URL)(`analyze with files reports its ingest step on both engines${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  const duckEvents: ProgressEvent[] = [];
  const clusterEvents: ProgressEvent[] = [];
  let clusterIngestMs: number | undefined;
  const dir = scratchDir();
  const keyring = keyringFromKey(Buffer.alloc(32, 29), { source: 'memory' });

  beforeAll(async () => {
    const options = { files: [TINY_SHOP], keyring, skipPatterns: true, skipChurn: true, skipReport: true };
    await analyze({ db: ':memory:', outDir: join(dir, 'duckdb'), ...options, onProgress: (event) => duckEvents.push(event) });
    cluster = await clickhouseWarehouse('ingestprogress');
    const { run } = await analyzeOnClickHouse(cluster, { db: 'clickhouse', outDir: join(dir, 'clickhouse'), ...options, onProgress: (event) => clusterEvents.push(event) });
    clusterIngestMs = run.timingsMs.ingest;
  }, 600_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('the ingest step starts and ends first, with the same counts as on DuckDB and its run.json time', () => {
    const ingestOf = (events: ProgressEvent[]) => events.filter((event) => event.step === 'ingest');
    expect(ingestOf(duckEvents).map((event) => event.phase)).toEqual(['start', 'end']);
    expect(ingestOf(clusterEvents).map((event) => event.phase)).toEqual(['start', 'end']);
    expect(clusterEvents[0]).toMatchObject({ step: 'ingest', phase: 'start' });
    const [duckEnd, clusterEnd] = [ingestOf(duckEvents)[1]!, ingestOf(clusterEvents)[1]!];
    expect(duckEnd.detail).toMatch(/^\d[\d,]* rows read, \d[\d,]* accepted, \d[\d,]* quarantined$/);
    expect(clusterEnd.detail).toBe(duckEnd.detail);
    expect(clusterEnd.elapsedMs).toBe(clusterIngestMs);
  });

  it('the steps end in the same order on both engines', () => {
    const ends = (events: ProgressEvent[]) => events.filter((event) => event.phase === 'end').map((event) => event.step);
    expect(ends(clusterEvents)).toEqual(ends(duckEvents));
  });
});
