// The ingest group of `npm run bench`: ingest + customer summary against DuckDB doing comparable work on the same file, in the same run.
import { createReadStream, createWriteStream, existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { DuckDBInstance } from '@duckdb/node-api';
import { runCase, type BenchResult } from '../bench-harness.js';
import { generateTransactionsCsv } from './generate-transactions.js';

const CASE = './cases/ingest-summary.ts';
const ENGINE_BASELINE = 'duckdb typed table + md5 per row, GROUP BY';
const ENGINE_BASELINE_DB = 'the same into a DuckDB file (+ CHECKPOINT)';
/** The targets: time and peak RSS each at most 2× the engine baseline's. */
const TARGET_RATIO = 2;

/** The first `share` of a CSV's data lines (header kept): a file "already held" that the whole file overlaps. */
async function writeHead(csv: string, out: string, share: number, rows: number): Promise<void> {
  if (existsSync(out)) return;
  const keep = Math.round(rows * share) + 1;
  const tmp = `${out}.partial`;
  const writer = createWriteStream(tmp);
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(csv), crlfDelay: Infinity })) {
    if (n++ >= keep) break;
    if (!writer.write(`${line}\n`)) await once(writer, 'drain');
  }
  writer.end();
  await once(writer, 'finish');
  renameSync(tmp, out);
}

/** `csv` (the generated Online Retail layout) exported again without its order ids, the columns in another order: new text for every line. */
async function writeReexport(csv: string, out: string): Promise<void> {
  if (existsSync(out)) return;
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
  const connection = await instance.connect();
  await connection.run(`COPY (SELECT CustomerID, InvoiceDate, StockCode, Quantity, UnitPrice, Description, Country FROM read_csv('${csv}', all_varchar = true)) TO '${out}.partial' (HEADER, DELIMITER ',')`);
  connection.closeSync();
  instance.closeSync();
  renameSync(`${out}.partial`, out);
}

const rate = (rows: number, seconds: number) => `${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`;
const rss = (ours: number, base: number) => `peak RSS ${ours.toFixed(0)} MiB = ${(ours / base).toFixed(2)}× the engine baseline's ${base.toFixed(0)} MiB (target ≤ ${TARGET_RATIO}×)`;

export async function ingestBenchResults(dataDir: string, rowSizes: readonly number[]): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const rows of rowSizes) {
    const label = `${rows / 1_000_000}M rows`;
    const csv = join(dataDir, `transactions-${rows}.csv`);
    process.stderr.write(`bench: generating ${label} → ${csv}\n`);
    await generateTransactionsCsv(csv, rows);
    process.stderr.write(`bench: ingest + summary, ${label}\n`);
    // Each baseline runs in its own child process, so its peak RSS is comparable to the ingest's.
    const bare = await runCase(CASE, [csv, '--baseline']);
    const engine = await runCase(CASE, [csv, '--engine-baseline']);
    const ours = await runCase(CASE, [csv]);
    const keyed = await runCase(CASE, [csv, '--keyed']);
    // The check: the whole keyed `clvkit ingest --db` process, as a user runs it (the built CLI; skipped without dist/).
    const cli = existsSync(new URL('../../dist/cli/main.js', import.meta.url)) ? await runCase(CASE, [csv, '--cli']) : null;
    // With --db the ingest writes a database file: the engine doing the same work into a file is the comparable baseline.
    const engineDb = cli ? await runCase(CASE, [csv, '--engine-baseline-db']) : null;
    results.push({
      stage: 'ingest + customer summary',
      size: label,
      seconds: ours.seconds,
      baseline: 'duckdb read_csv + GROUP BY (old)',
      baselineSeconds: bare.seconds,
      ratio: ours.seconds / bare.seconds,
      throughput: rate(rows, ours.seconds),
      peakRssMiB: ours.peakRssMiB,
      notes: `ingest ${Number(ours.extra?.ingestSeconds).toFixed(2)} s, summary ${Number(ours.extra?.summarySeconds).toFixed(2)} s; bare read peak RSS ${bare.peakRssMiB.toFixed(0)} MiB`,
    });
    for (const [stage, run] of [['ingest + summary, unkeyed', ours], ['ingest + summary, keyed', keyed]] as const) {
      results.push({
        stage,
        size: label,
        seconds: run.seconds,
        baseline: ENGINE_BASELINE,
        baselineSeconds: engine.seconds,
        ratio: run.seconds / engine.seconds,
        target: TARGET_RATIO,
        throughput: rate(rows, run.seconds),
        peakRssMiB: run.peakRssMiB,
        notes: `${rss(run.peakRssMiB, engine.peakRssMiB)}; ${(run.seconds / bare.seconds).toFixed(1)}× the old bare-read baseline`,
      });
    }
    if (cli && engineDb) {
      results.push({
        stage: 'whole `clvkit ingest --db` process, keyed',
        size: label,
        seconds: cli.seconds,
        baseline: ENGINE_BASELINE_DB,
        baselineSeconds: engineDb.seconds,
        ratio: cli.seconds / engineDb.seconds,
        target: TARGET_RATIO,
        throughput: rate(rows, cli.seconds),
        peakRssMiB: cli.peakRssMiB,
        notes: `${rss(cli.peakRssMiB, engineDb.peakRssMiB)}; both write a database file; the CLI's node start-up included`,
      });
      results.push({
        stage: 'whole `clvkit ingest --db` process, keyed',
        size: label,
        seconds: cli.seconds,
        baseline: ENGINE_BASELINE,
        baselineSeconds: engine.seconds,
        ratio: cli.seconds / engine.seconds,
        target: TARGET_RATIO,
        throughput: rate(rows, cli.seconds),
        peakRssMiB: cli.peakRssMiB,
        notes: `${rss(cli.peakRssMiB, engine.peakRssMiB)}; a file warehouse, no summary (the baseline's GROUP BY included)`,
      });
    }
    results.push({
      stage: 'customer summary (SQL)',
      size: label,
      seconds: Number(ours.extra?.summarySeconds),
      baseline: 'bare GROUP BY customer_id',
      baselineSeconds: Number(ours.extra?.bareGroupBySeconds),
      ratio: Number(ours.extra?.summarySeconds) / Number(ours.extra?.bareGroupBySeconds),
      peakRssMiB: ours.peakRssMiB,
    });
    // Re-ingest: a file already held is recognised by its SHA-256 before anything is staged.
    const again = await runCase(CASE, [csv, '--reingest']);
    results.push({
      stage: 're-ingest of a held file',
      size: label,
      seconds: again.seconds,
      baseline: 'SHA-256 of the file',
      baselineSeconds: Number(again.extra?.hashSeconds),
      ratio: again.seconds / Number(again.extra?.hashSeconds),
      target: 1.5,
      peakRssMiB: again.peakRssMiB,
    });
    // Append: the whole file onto a warehouse that holds its first 90% (keyed, as users run it; duplicates by reference, the default).
    const heldCsv = join(dataDir, `transactions-${rows}-first90.csv`);
    await writeHead(csv, heldCsv, 0.9, rows);
    const append = await runCase(CASE, [csv, '--append', heldCsv, '--keyed']);
    results.push({
      stage: 'append, 90% already held, keyed',
      size: label,
      seconds: append.seconds,
      baseline: ENGINE_BASELINE,
      baselineSeconds: engine.seconds,
      ratio: append.seconds / engine.seconds,
      target: TARGET_RATIO,
      throughput: rate(rows, append.seconds),
      peakRssMiB: append.peakRssMiB,
      notes: `${Number(append.extra?.accepted).toLocaleString('en-US')} new rows added, ${Number(append.extra?.duplicates).toLocaleString('en-US')} quarantined as duplicates (line, reason and detail; no text: the default)`,
    });
    // A re-export of the whole file without order ids onto the same 90%: new text throughout, so nothing is a duplicate;
    // the repeated-lines warning (repeatedLinesWarning) compares every line with the lines held at its customer and time.
    const reexportCsv = join(dataDir, `transactions-${rows}-without-order-ids.csv`);
    await writeReexport(csv, reexportCsv);
    const reexport = await runCase(CASE, [reexportCsv, '--append', heldCsv, '--keyed']);
    results.push({
      stage: 'append of a re-export without order ids, 90% held, keyed',
      size: label,
      seconds: reexport.seconds,
      baseline: 'append, 90% already held, keyed (above)',
      baselineSeconds: append.seconds,
      ratio: reexport.seconds / append.seconds,
      throughput: rate(rows, reexport.seconds),
      peakRssMiB: reexport.peakRssMiB,
      notes: `${Number(reexport.extra?.accepted).toLocaleString('en-US')} rows added (none a duplicate), ${Number(reexport.extra?.repeatedLines).toLocaleString('en-US')} of them warned about as repeats of held purchases`,
    });
    // The same keeping the duplicates' text (--keep-duplicate-text, IngestOptions.duplicateText = 'text').
    const appendText = await runCase(CASE, [csv, '--append', heldCsv, '--keyed', '--duplicate-text']);
    results.push({
      stage: 'append, 90% held, keyed, --keep-duplicate-text',
      size: label,
      seconds: appendText.seconds,
      baseline: ENGINE_BASELINE,
      baselineSeconds: engine.seconds,
      ratio: appendText.seconds / engine.seconds,
      target: TARGET_RATIO,
      throughput: rate(rows, appendText.seconds),
      peakRssMiB: appendText.peakRssMiB,
      notes: `${(appendText.seconds / append.seconds).toFixed(1)}× the default's time (line above): ${Number(appendText.extra?.duplicates).toLocaleString('en-US')} duplicates' text encrypted and stored`,
    });
  }
  return results;
}
