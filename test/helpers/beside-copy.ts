import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../src/ingest/ingest-files-to-clickhouse.js';
import type { Keyring } from '../../src/privacy/keys/keyring.js';

/**
 * Ingests `path` on `cluster` with `keyring` (at `now`); when the copy lists
 * the staged parts of `table` (just before attaching them) `work` starts, and
 * the copy waits: `until: 'first-change'` — for `work`'s first mutation to be
 * done, and `work` then waits for the copy to end (the copy attaches what it
 * staged after that mutation, checks it and ends); `until: 'end'` — for
 * `work` to end. `changes` (default 1): the copy waits for that many of
 * `work`'s mutations instead of the first. Returns the ingest's report and
 * `work`'s promise.
 */
export async function besideCopy<T>(cluster: ClickHouseWarehouse, path: string, keyring: Keyring, now: Date, table: string, until: 'first-change' | 'end', work: () => Promise<T>, changes = 1) {
  const wait = cluster.waitForMutations.bind(cluster);
  const onEachShard = cluster.queryOnEachShard.bind(cluster);
  let changed!: () => void;
  const firstChange = new Promise<void>((resolve) => (changed = resolve));
  let copyEnded!: () => void;
  const ended = new Promise<void>((resolve) => (copyEnded = resolve));
  let running: Promise<T> | undefined;
  const staged = new RegExp(`SELECT DISTINCT table, partition_id FROM system\\.parts .*'${table}__staging_`); // the attach's look at the staged partitions (attachStagedTables)
  cluster.queryOnEachShard = async (sql) => {
    if (!running && staged.test(sql)) {
      if (until === 'first-change') {
        let seen = 0;
        cluster.waitForMutations = async (tables, timeout) => {
          seen += 1;
          if (seen < changes) return wait(tables, timeout);
          cluster.waitForMutations = wait;
          await wait(tables, timeout);
          changed();
          await ended; // the copy attaches what it staged, checks it and ends; then the change goes on
        };
      }
      running = work();
      const settled = running.then(() => undefined, () => undefined);
      await Promise.race([until === 'end' ? settled : firstChange, settled]);
    }
    return onEachShard(sql);
  };
  try {
    const report = await ingestFilesToClickHouse(cluster, [path], { keyring, now });
    return { report, running: running! };
  } finally {
    cluster.queryOnEachShard = onEachShard;
    cluster.waitForMutations = wait;
    copyEnded();
  }
}

/** A function writing a file named `name` with `text` in `dir`; returns its path. */
export function fileIn(dir: string): (name: string, text: string) => string {
  return (name, text) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
}
