// Bench case: clvkit ingest + customer summary of a transactions CSV, and its baselines.
//   <csv>                      ingest + summary, no key
//   <csv> --keyed              with a key, as `clvkit ingest --db` runs: tokens, encrypted quarantine, keyed row hashes
//   … --summary-uncapped       the summary without the engine memory cap analyze's summary stage sets (the old behaviour)
//   <csv> --baseline           DuckDB's bare read_csv + GROUP BY customer (the old baseline)
//   <csv> --engine-baseline    DuckDB materialising the file as a typed table with an MD5 per row, then GROUP BY customer (issue 14)
//   <csv> --engine-baseline-db the same, into a fresh DuckDB database file (CHECKPOINT included): the comparable work when the
//                              user gives --db (the whole keyed CLI process writes its warehouse file)
//   <csv> --reingest           the same file ingested a second time (measured: the second call) and the SHA-256 of the file alone
//   <csv> --append <held.csv> [--keyed] [--duplicate-text]   <held.csv> ingested first (not measured), then <csv>, which
//                              overlaps it; --duplicate-text: duplicates quarantined with their text (duplicateText 'text',
//                              --keep-duplicate-text; the default keeps line, reason and detail only); <csv> may be a
//                              re-export of the held lines without order ids (reportCase's repeatedLines: the lines the
//                              repeated-lines warning counts)
//   <csv> --cli                the whole `clvkit ingest --db <fresh file> <csv>` process as a user runs it (keyed: the key file is
//                              created), from dist/ (build first); its own peak RSS is read with /usr/bin/time
// Optional trailing column names (customer quantity price date) for the two DuckDB baselines.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { buildCustomerSummarySql } from '../../src/features/customer-summary.js';
import { ingestFiles, type IngestOptions } from '../../src/ingest/ingest-files.js';
import { rowsMemoryLimitBytes, withEngineMemoryLimit } from '../../src/ingest/ingest-memory.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { reportCase } from '../bench-harness.js';

const argv = process.argv.slice(2);
const [path, mode] = argv;
if (!path) throw new Error('usage: ingest-summary.ts <csv> [--keyed | --baseline | --engine-baseline | --engine-baseline-db | --reingest | --append <held.csv> [--keyed]] [customer quantity price date]');
const keyed = argv.includes('--keyed');
const held = mode === '--append' ? argv[2] : undefined;
const [customer = 'CustomerID', quantity = 'Quantity', price = 'UnitPrice', date = 'InvoiceDate'] = argv.slice(2).filter((a) => !a.startsWith('--') && a !== held);
const NOW = new Date('2030-01-01T00:00:00Z');
const options = (): IngestOptions => ({ now: NOW, ...(keyed ? { keyring: keyringFromKey(generateKey()) } : {}) });
const seconds = (from: number, to = performance.now()) => (to - from) / 1000;

async function duckdbBaseline(materialise: boolean, file = false): Promise<void> {
  const dir = file ? mkdtempSync(join(tmpdir(), 'clvkit-bench-baseline-')) : null;
  try {
    await runBaseline(materialise, dir === null ? ':memory:' : join(dir, 'baseline.duckdb'));
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

async function runBaseline(materialise: boolean, database: string): Promise<void> {
  const instance = await DuckDBInstance.create(database, { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  const started = performance.now();
  const groupBy = (from: string) =>
    `CREATE TABLE g AS SELECT "${customer}", count(*) AS n, sum("${quantity}" * "${price}") AS spend, min("${date}") AS first, max("${date}") AS last FROM ${from} GROUP BY "${customer}"`;
  if (materialise) {
    await connection.run(`CREATE TABLE t AS SELECT *, md5(concat_ws('|', *COLUMNS(*))) AS h FROM read_csv('${path}')`);
    const loaded = performance.now();
    await connection.run(groupBy('t'));
    if (database !== ':memory:') await connection.run('CHECKPOINT'); // the table is on disk, as a warehouse file's is when the ingest ends
    reportCase(seconds(started), { loadSeconds: seconds(started, loaded) });
  } else {
    await connection.run(groupBy(`read_csv('${path}')`));
    reportCase(seconds(started));
  }
}

async function sha256Seconds(file: string): Promise<number> {
  const started = performance.now();
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  hash.digest('hex');
  return seconds(started);
}

/** The built CLI run as a user runs it; its wall time and its own peak RSS (the bench harness reads this process's, so it is passed as maxRssKiB). */
function cliIngest(): void {
  const cli = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  if (!existsSync(cli)) throw new Error(`--cli needs the build: ${cli} is missing (npm run build)`);
  const dir = mkdtempSync(join(tmpdir(), 'clvkit-bench-cli-'));
  try {
    const started = performance.now();
    const run = spawnSync('/usr/bin/time', ['-f', 'maxrss %M', process.execPath, cli, 'ingest', '--db', join(dir, 'w.duckdb'), path!], { encoding: 'utf8' });
    const took = seconds(started);
    if (run.status !== 0) throw new Error(`clvkit ingest failed (exit ${run.status}): ${run.stderr}`);
    const maxRssKiB = Number(/maxrss (\d+)/.exec(run.stderr)?.[1]);
    const message = { seconds: took, extra: { maxRssKiB } };
    if (process.send) process.send(message);
    else console.log(JSON.stringify(message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (mode === '--cli') {
  cliIngest();
} else if (mode === '--baseline' || mode === '--engine-baseline' || mode === '--engine-baseline-db') {
  await duckdbBaseline(mode !== '--baseline', mode === '--engine-baseline-db');
} else if (mode === '--reingest') {
  const warehouse = await openDuckDbWarehouse(':memory:');
  const ingestOptions = options();
  await ingestFiles(warehouse, [path], ingestOptions);
  const started = performance.now();
  const again = await ingestFiles(warehouse, [path], ingestOptions);
  const took = seconds(started);
  if (!again.files[0]!.alreadyIngested) throw new Error('the second ingest of the same file was not recognised');
  reportCase(took, { hashSeconds: await sha256Seconds(path) });
  await warehouse.close();
} else if (mode === '--append') {
  if (!held) throw new Error('--append needs the file already held');
  const warehouse = await openDuckDbWarehouse(':memory:');
  const ingestOptions = options();
  await ingestFiles(warehouse, [held], ingestOptions);
  const started = performance.now();
  const report = await ingestFiles(warehouse, [path], { ...ingestOptions, ...(argv.includes('--duplicate-text') ? { duplicateText: 'text' as const } : {}) });
  // a re-export without order ids is accepted and its repeats warned about (repeatedLinesWarning): how many
  const repeated = report.files[0]!.warnings.map((w) => /^([\d,]+) of the file's [\d,]+ accepted lines? without an order id .*repeats? purchases/.exec(w)?.[1]).find(Boolean);
  reportCase(seconds(started), { rows: report.rowsRead, accepted: report.accepted, duplicates: report.rules.duplicate, repeatedLines: Number((repeated ?? '0').replaceAll(',', '')) });
  await warehouse.close();
} else {
  const warehouse = await openDuckDbWarehouse(':memory:');
  const started = performance.now();
  const report = await ingestFiles(warehouse, [path], options());
  const ingested = performance.now();
  // as analyze's summary stage runs it: under the engine memory cap for the lines held (--summary-uncapped: without)
  const summary = () => warehouse.execute(`CREATE TABLE s AS ${buildCustomerSummarySql(warehouse.dialect, { asOf: '2022-12-31', timeUnit: 'week' })}`);
  await (argv.includes('--summary-uncapped') ? summary() : withEngineMemoryLimit(warehouse, rowsMemoryLimitBytes(report.accepted), summary));
  const done = performance.now();
  // The summary's own baseline: a bare GROUP BY customer over the same table, same engine.
  await warehouse.execute('CREATE TABLE g AS SELECT customer_id, count(*) AS n, sum(amount) AS spend, min(ts) AS first, max(ts) AS last FROM transactions GROUP BY customer_id');
  const bare = performance.now();
  reportCase(seconds(started, done), { rows: report.rowsRead, ingestSeconds: seconds(started, ingested), summarySeconds: seconds(ingested, done), bareGroupBySeconds: seconds(done, bare) });
  await warehouse.close();
}
