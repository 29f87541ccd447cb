/**
 * A file's `elapsedMs` in the ingest report covers the whole work for that file, on both engines: on ClickHouse the
 * copy to the cluster too (it used to be the local read alone: QA saw 8.3 s reported for a 24 s ingest), on DuckDB the
 * recording of the ingest. No timing: `Date.now` is pushed forward by JUMP at points inside the phase that must be
 * covered (the statements that mark the copy begun and done; the `record` step), so the elapsed time is at least the
 * jumps only when it is measured across them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { memoryWarehouse, scratchDir } from '../helpers/warehouse.js';

const JUMP = 10 * 60_000; // far beyond what the ingest of four lines takes
const keyring = keyringFromKey(Buffer.alloc(32, 5), { source: 'memory' });
const now = new Date('2024-01-01T00:00:00Z');

/** `Date.now` from here on: the real clock plus the jumps made with `jump()`. */
function jumpingClock(): { jump: () => void } {
  const real = Date.now.bind(Date);
  let offset = 0;
  vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
  return { jump: () => void (offset += JUMP) };
}

function orders(name: string): string {
  const path = join(scratchDir(), name);
  writeFileSync(path, 'customer_id,date,amount,order_id\nA,2023-01-05,10,o1\nA,2023-02-05,12,o2\nB,2023-01-20,5,o3\nC,2023-03-01,7,o4\n');
  return path;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a file\'s elapsedMs covers its whole ingest', () => {
  it('DuckDB: the recording of the ingest (its `ingests` row, audit entry) is inside it', async () => {
    const warehouse = await memoryWarehouse();
    try {
      const clock = jumpingClock();
      const report = await ingestFiles(warehouse, [orders('duck.csv')], { keyring, now, onStep: (step) => step === 'record' && clock.jump() });
      expect(report.files[0]).toMatchObject({ accepted: 4 });
      expect(report.files[0]!.elapsedMs).toBeGreaterThanOrEqual(JUMP);
    } finally {
      await warehouse.close();
    }
  });
});

describe.skipIf(!CLICKHOUSE_URL)(`a file's elapsedMs covers its copy to the cluster${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  let cluster: ClickHouseWarehouse | undefined;
  let onCopyMark = () => {};
  const marks: string[] = [];
  beforeAll(async () => {
    // the copy marks itself begun (`copying`) and done (`copied`) by a row of `ingest_copies` each
    cluster = await clickhouseWarehouse('ingest_elapsed', {
      onStatement: (entry) => {
        if (entry.kind === 'insert' && /ingest_copies/.test(entry.sql)) {
          marks.push(entry.sql);
          onCopyMark();
        }
      },
    });
  }, 60_000);
  afterAll(() => dropScratchDatabase(cluster));

  it('from before the copy begins to after it is done', async () => {
    const clock = jumpingClock();
    onCopyMark = clock.jump;
    const report = await ingestFilesToClickHouse(cluster!, [orders('cluster.csv')], { keyring, now });
    onCopyMark = () => {};
    expect(report.files[0]).toMatchObject({ accepted: 4 });
    expect(marks).toHaveLength(2); // copying, copied: the test observes the copy
    expect(report.files[0]!.elapsedMs).toBeGreaterThanOrEqual(2 * JUMP);
  });
});
