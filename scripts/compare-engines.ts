/**
 * Issue 18 item 4, as a bar: `analyze` on the same transaction file with
 * DuckDB (in memory) and with a ClickHouse cluster (a fresh database), the
 * same key, and the same stages (those the cluster runs, see
 * src/pipeline/analyze-on-clickhouse.ts); then customers.csv compared cell
 * by cell (same customers, integers exact, floats within 1e-9 relative)
 * and byte for byte, the chosen model, and recommendations.csv byte for
 * byte. Prints one line per check and the first differences.
 *
 * Run: npx tsx scripts/compare-engines.ts <transactions file> <clickhouse url> [--cluster NAME] [--out DIR] [-- analyze options as JSON]
 *   e.g. npx tsx scripts/compare-engines.ts CDNOW_master.txt http://127.0.0.1:18621
 * Exit code 0 when the answers are the same, 1 when not, 2 on bad usage.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openClickHouseWarehouse } from '../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyze } from '../src/pipeline/analyze.js';
import { analyzeOnClickHouse, clickhouseAnalyzeOptions } from '../src/pipeline/analyze-on-clickhouse.js';
import { generateKey, keyringFromKey } from '../src/privacy/keys/keyring.js';
import { compareCustomersCsv, fileDifference } from './compare-customers-csv.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = args.splice(i, 2);
  return value;
};
const cluster = option('--cluster');
const out = option('--out') ?? mkdtempSync(join(tmpdir(), 'clvkit-engines-'));
const [file, url] = args;
if (!file || !url) {
  console.error('usage: tsx scripts/compare-engines.ts <transactions file> <clickhouse url> [--cluster NAME] [--out DIR]');
  process.exit(2);
}
const keyring = keyringFromKey(generateKey(), { source: 'memory' });
const database = `clvkit_compare_${process.pid}`;
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(1);

let start = performance.now();
const duck = await analyze({ ...clickhouseAnalyzeOptions({ db: ':memory:', outDir: join(out, 'duckdb') }), files: [file], keyring });
console.log(`duckdb      ${seconds(start)} s, ${duck.headline.customers} customers, model ${duck.valueModel?.chosen ?? 'none'}`);
const warehouse = await openClickHouseWarehouse(url, { database, ...(cluster ? { cluster } : {}) });
try {
  start = performance.now();
  const { run } = await analyzeOnClickHouse(warehouse, { db: url, outDir: join(out, 'clickhouse'), files: [file], keyring });
  console.log(`clickhouse  ${seconds(start)} s (ingest included), ${run.headline.customers} customers, model ${run.valueModel?.chosen ?? 'none'}`);
  const comparison = compareCustomersCsv(readFileSync(duck.outputs.customersCsv, 'utf8'), readFileSync(run.outputs.customersCsv, 'utf8'));
  const sameModel = run.valueModel?.chosen === duck.valueModel?.chosen;
  console.log(`customers.csv ${comparison.customers} customers × ${comparison.columns.length} columns: ${comparison.differences.length === 0 ? 'the same' : `${comparison.differences.length} differences`}`);
  for (const difference of comparison.differences.slice(0, 20)) console.log(`  ${difference}`);
  const bytes = fileDifference(duck.outputs.customersCsv, run.outputs.customersCsv);
  console.log(`customers.csv byte for byte: ${bytes === null ? 'the same' : `different, ${bytes}`}`);
  console.log(`chosen model: ${sameModel ? 'the same' : `${duck.valueModel?.chosen} vs ${run.valueModel?.chosen}`}`);
  // cross-sell (when the file has products): recommendations.csv byte for byte
  const [duckRecommendations, clusterRecommendations] = [duck.outputs.recommendationsCsv, run.outputs.recommendationsCsv].map((csv) => (csv ? readFileSync(csv, 'utf8') : null));
  const sameRecommendations = duckRecommendations === clusterRecommendations;
  const written = duckRecommendations === null ? 'none written (no products)' : `${duckRecommendations.split('\n').length - 2} lines`;
  console.log(`recommendations.csv: ${written} on DuckDB, ${sameRecommendations ? 'the same' : 'different'} on the cluster`);
  console.log(`outputs in ${out}`);
  process.exitCode = comparison.differences.length === 0 && bytes === null && sameModel && sameRecommendations ? 0 : 1;
} finally {
  await warehouse.dropDatabase();
  await warehouse.close();
}
