// `clvkit ingest --engine clickhouse`: loaded on first use (see lazy-function.ts), never at --help.
import { openClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { ingestFilesToClickHouse } from '../../ingest/ingest-files-to-clickhouse.js';
import type { IngestOptions } from '../../ingest/ingest-files.js';
import type { IngestReport } from '../../ingest/ingest-report.js';
import { loadKeyring } from '../../privacy/keys/load-keyring.js';

export interface ClickHouseTarget {
  readonly url: string;
  readonly cluster?: string;
  readonly database?: string;
  /** `--key-file`; else CLVKIT_KEY / CLVKIT_KEY_FILE (a cluster never gets a key invented for it) */
  readonly keyFile?: string;
}

/** Ingest files into a ClickHouse cluster with the key given explicitly or in the environment. */
export async function runClickHouseIngest(target: ClickHouseTarget, files: readonly string[], options: IngestOptions): Promise<IngestReport> {
  const keyring = loadKeyring(target.keyFile ? { keyFile: target.keyFile } : {});
  const cluster = await openClickHouseWarehouse(target.url, {
    ...(target.cluster ? { cluster: target.cluster } : {}),
    ...(target.database ? { database: target.database } : {}),
  });
  try {
    return await ingestFilesToClickHouse(cluster, files, { ...options, keyring });
  } finally {
    await cluster.close();
  }
}
