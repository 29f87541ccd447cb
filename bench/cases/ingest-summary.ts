// Bench case: clvkit ingest + customer summary of a transactions CSV (--keyed: with a key, as `clvkit ingest --db` runs: tokens, encrypted quarantine), or (--baseline) DuckDB's bare read_csv + GROUP BY customer.
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { reportCase } from '../bench-harness.js';

const [path, mode, customer = 'CustomerID', quantity = 'Quantity', price = 'UnitPrice', date = 'InvoiceDate'] = process.argv.slice(2);
if (!path) throw new Error('usage: ingest-summary.ts <csv> [--keyed | --baseline [customer quantity price date columns]]');

if (mode === '--baseline') {
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(
    `CREATE TABLE g AS SELECT "${customer}", count(*) AS n, sum("${quantity}" * "${price}") AS spend, min("${date}") AS first, max("${date}") AS last FROM read_csv('${path}') GROUP BY "${customer}"`,
  );
  reportCase((performance.now() - started) / 1000);
} else {
  const warehouse = await openDuckDbWarehouse(':memory:');
  const started = performance.now();
  const report = await ingestFiles(warehouse, [path], { now: new Date('2030-01-01T00:00:00Z'), ...(mode === '--keyed' ? { keyring: keyringFromKey(generateKey()) } : {}) });
  const ingested = performance.now();
  await warehouse.execute(`CREATE TABLE s AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2022-12-31', timeUnit: 'week' })}`);
  const done = performance.now();
  // The summary's own baseline: a bare GROUP BY customer over the same table, same engine.
  await warehouse.execute('CREATE TABLE g AS SELECT customer_id, count(*) AS n, sum(amount) AS spend, min(ts) AS first, max(ts) AS last FROM transactions GROUP BY customer_id');
  const bare = performance.now();
  reportCase((done - started) / 1000, { rows: report.rowsRead, ingestSeconds: (ingested - started) / 1000, summarySeconds: (done - ingested) / 1000, bareGroupBySeconds: (bare - done) / 1000 });
  await warehouse.close();
}
