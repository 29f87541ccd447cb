/**
 * `serve --demo --engine clickhouse`: the bundled demo data ingested into
 * the cluster and analysed there, through `analyzeOnClickHouse` (the path of
 * `analyze --engine clickhouse FILE`), once. A cluster database that already
 * holds other data is refused: the demo would mix with it.
 */
import type { ClickHouseWarehouse } from '../../engine/clickhouse/clickhouse-warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { shellPath } from '../../core/shell-word.js';
import { warehouseFlags } from '../../engine/warehouse-flags.js';
import { sha256File } from '../../ingest/ingest-bookkeeping.js';
import { NOT_DROPPED } from '../../engine/dropped-ingests.js';
import { DEMO_DATA_FILE } from '../../pipeline/analyze.js';
import type { AnalyzeOptions } from '../../pipeline/analyze-options.js';
import { analyzeOnClickHouse } from '../../pipeline/analyze-on-clickhouse.js';
import type { RunSummary } from '../../pipeline/run-summary.js';
import type { Keyring } from '../../privacy/keys/keyring.js';

/** What the cluster's database holds: files ingested (the demo's among them?) and rows. */
export interface ClusterHoldings {
  readonly demoIngested: boolean;
  /** ingested files other than the demo's */
  readonly otherFiles: number;
  readonly transactions: number;
  readonly events: number;
}

/** The files and rows the cluster holds (its schema in place: `ensureClusterSchema`). */
export async function readClusterHoldings(cluster: ClickHouseWarehouse): Promise<ClusterHoldings> {
  const demo = await sha256File(DEMO_DATA_FILE);
  const files = await cluster.query(`SELECT file_sha256, count(*) AS n FROM ingests WHERE ${NOT_DROPPED} GROUP BY file_sha256`); // a dropped ingest holds its file no more
  const [transactions] = await cluster.query('SELECT count(*) AS n FROM transactions');
  const [events] = await cluster.query('SELECT count(*) AS n FROM events');
  return {
    demoIngested: files.some((f) => String(f.file_sha256) === demo),
    otherFiles: files.filter((f) => String(f.file_sha256) !== demo).length,
    transactions: Number(transactions!.n),
    events: Number(events!.n),
  };
}

/** Refuses (UserError, exit 2) a cluster database holding data that is not the demo's: the demo would be analysed together with it. */
export async function assertClusterTakesDemo(cluster: ClickHouseWarehouse, stateDb: string): Promise<ClusterHoldings> {
  const held = await readClusterHoldings(cluster);
  const foreign = held.otherFiles > 0 || (!held.demoIngested && held.transactions + held.events > 0);
  if (foreign) {
    const what = held.otherFiles > 0 ? `${held.otherFiles} ingested file(s) that are not the demo's` : `${held.transactions.toLocaleString('en-US')} transactions and ${held.events.toLocaleString('en-US')} events`;
    throw new UserError(
      `the ClickHouse database ${cluster.database} already holds data (${what}); --demo loads the bundled data only into an empty database or one holding the demo alone`,
      `serve that data without --demo (clvkit serve ${warehouseFlags(cluster)} --db ${shellPath(stateDb)}), or give another database: --clickhouse-database clvkit_demo`,
    );
  }
  return held;
}

/**
 * The analysis of a demo run on the cluster: the demo file ingested into it
 * (nothing added when it already holds it: same SHA-256), then analysed, as
 * `analyze --engine clickhouse data/online-retail/online_retail.csv.gz` does.
 */
export function demoAnalysisOnCluster(cluster: ClickHouseWarehouse, keyring: Keyring): (options: AnalyzeOptions) => Promise<RunSummary> {
  // recorded by the server in its state file (run-jobs.ts), not in the cluster's server_runs as the CLI's run is
  return async (options) => (await analyzeOnClickHouse(cluster, { ...options, demo: false, files: [DEMO_DATA_FILE], keyring, recordRun: false })).run;
}
