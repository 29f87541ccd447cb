/**
 * Files holding revealed original ids (`analyze --role admin --reveal-ids`) are readable by their owner only from the
 * moment they exist. They used to be written at the default mode and chmod'ed to 0600 once whole: recommendations.csv
 * by a write stream of the default mode (an older file at the path kept its mode while the new lines went in), and
 * customers.csv by DuckDB's `COPY … TO`, which replaces a file made beforehand with one of mode 0644 — so a crash
 * or a failure before the chmod left the ids world-readable. Now each is written inside a fresh scratch folder beside
 * it (0700), made 0600 there, and renamed into place (`writeOwnerOnlyFile`, core/replace-file.ts);
 * recommendations.csv's stream is made 0600 too.
 *
 * Observed at every point a mode can be seen: each write stream of recommendations.csv as it opens its file (its
 * mode and its folder's: node:fs is wrapped, hence OWN_MODULES), each `exportCsv` of customers.csv right after the
 * engine wrote it (through a warehouse that wraps the real one), the final files — and a run whose customers.csv
 * export fails right after the engine wrote it (as a crash before the chmod would) leaves no file at the path.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { runAnalysis } from '../../src/pipeline/analyze.js';
import { initKeyFile } from '../../src/privacy/keys/key-file.js';
import { keyringFromKey } from '../../src/privacy/keys/keyring.js';
import type { ClickHouseWarehouse } from '../../src/engine/clickhouse/clickhouse-warehouse.js';
import { analyzeOnClickHouse } from '../../src/pipeline/analyze-on-clickhouse.js';
import { CLICKHOUSE_SKIP_REASON, CLICKHOUSE_URL, clickhouseWarehouse, dropScratchDatabase } from '../helpers/clickhouse.js';
import { scratchDir } from '../helpers/warehouse.js';
import { PII_MAP, rawId, writePiiOrders } from '../privacy/privacy-fixture.js';
import { observedExports, type ExportSeen } from '../helpers/export-observed.js';

/** Every write stream opened: its path, its file's mode once open, its folder's mode then. */
const opened = vi.hoisted(() => [] as { path: string; fileMode: number; folderMode: number }[]);

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const createWriteStream = ((path: string, options?: Parameters<typeof fs.createWriteStream>[1]) => {
    const stream = fs.createWriteStream(path, options);
    stream.on('open', (fd: number) => opened.push({ path: String(path), fileMode: fs.fstatSync(fd).mode & 0o777, folderMode: fs.statSync(dirname(String(path))).mode & 0o777 }));
    return stream;
  }) as typeof fs.createWriteStream;
  return { ...fs, createWriteStream, default: { ...fs, createWriteStream } };
});

const mode = (path: string) => statSync(path).mode & 0o777;

/** A warehouse file with the PII orders ingested (products too: recommendations.csv is written), and its keyring. */
async function ingested() {
  const dir = scratchDir();
  const db = join(dir, 'wh.duckdb');
  const keyring = initKeyFile(`${db}.key`);
  const warehouse = await openDuckDbWarehouse(db, { threads: 1 });
  await ingestFiles(warehouse, [writePiiOrders(dir)], { keyring, map: PII_MAP });
  const out = join(dir, 'out');
  mkdirSync(out); // runAnalysis writes into a folder that exists (analyze makes it)
  return { out, db, keyring, warehouse };
}

describe('files with revealed ids are 0600 from the moment they exist', () => {
  it('recommendations.csv is opened 0600 (an older 0644 file at the path too), customers.csv is written in a 0700 folder, both end 0600', async () => {
    const { out, db, keyring, warehouse } = await ingested();
    const exports: ExportSeen[] = [];
    try {
      // an earlier run's files at the paths, of the default mode (a run without --reveal-ids)
      await runAnalysis(warehouse, { db, outDir: out, keyring, role: 'admin', skipModels: true, skipReport: true, exportPii: [] });
      expect(mode(join(out, 'recommendations.csv'))).toBe(0o644);
      expect(mode(join(out, 'customers.csv'))).toBe(0o644);
      opened.length = 0;
      await runAnalysis(observedExports(warehouse, exports), { db, outDir: out, keyring, role: 'admin', revealIds: true, skipModels: true, skipReport: true, exportPii: [] });
    } finally {
      await warehouse.close();
    }
    // the files hold the original ids (the positive control) and are the owner's only
    for (const name of ['recommendations.csv', 'customers.csv']) {
      expect(readFileSync(join(out, name), 'utf8'), name).toContain(rawId(7));
      expect(mode(join(out, name)), name).toBe(0o600);
    }
    // recommendations.csv: every stream that wrote it made a file of mode 0600
    const streams = opened.filter((o) => basename(o.path) === 'recommendations.csv');
    expect(streams.length).toBeGreaterThan(0);
    for (const stream of streams) expect({ ...stream, path: stream.path.replace(out, '<out>') }).toMatchObject({ fileMode: 0o600, folderMode: 0o700 });
    // customers.csv: the engine wrote it in a scratch folder only its owner may enter, never at the path itself
    const written = exports.filter((e) => basename(e.path) === 'customers.csv');
    expect(written).toHaveLength(1);
    expect(written[0]!.path).not.toBe(join(out, 'customers.csv'));
    expect(dirname(dirname(written[0]!.path))).toBe(out);
    expect(written[0]!.folderMode.toString(8)).toBe('700');
    // the scratch folders are gone
    expect(readdirSync(out).sort()).toEqual(['customers.csv', 'recommendations.csv', 'run.json']);
  }, 120_000);

  it('a run failing right after the engine wrote customers.csv leaves no file at the path, and no scratch folder', async () => {
    const { out, db, keyring, warehouse } = await ingested();
    const exports: ExportSeen[] = [];
    try {
      await expect(runAnalysis(observedExports(warehouse, exports, 'the run stopped right after the engine wrote the file'), { db, outDir: out, keyring, role: 'admin', revealIds: true, skipModels: true, skipReport: true, exportPii: [] })).rejects.toThrow(/injected/);
    } finally {
      await warehouse.close();
    }
    expect(exports.map((e) => basename(e.path))).toEqual(['customers.csv']);
    // where the engine wrote it nobody else could reach it, and nothing with the ids is left at the path
    expect(exports[0]!.folderMode.toString(8)).toBe('700');
    expect(existsSync(join(out, 'customers.csv'))).toBe(false);
    expect(readdirSync(out).filter((name) => name !== 'recommendations.csv')).toEqual([]);
    expect(mode(join(out, 'recommendations.csv'))).toBe(0o600);
  }, 120_000);
});

describe.skipIf(!CLICKHOUSE_URL)(`on ClickHouse too, whose export writes the file from Node${CLICKHOUSE_URL ? '' : ` (skipped: ${CLICKHOUSE_SKIP_REASON})`}`, () => {
  it('customers.csv and recommendations.csv are opened in 0700 scratch folders, recommendations.csv 0600, both end 0600', async () => {
    const cluster: ClickHouseWarehouse = await clickhouseWarehouse('owner_only_files');
    const dir = scratchDir();
    const out = join(dir, 'out');
    const exports: ExportSeen[] = [];
    try {
      const keyring = keyringFromKey(Buffer.alloc(32, 47), { source: 'memory' });
      opened.length = 0;
      await analyzeOnClickHouse(observedExports(cluster, exports), { db: 'clickhouse', outDir: out, files: [writePiiOrders(dir)], map: PII_MAP, keyring, role: 'admin', revealIds: true, exportPii: [], skipModels: true, skipReport: true });
    } finally {
      await dropScratchDatabase(cluster);
    }
    for (const name of ['recommendations.csv', 'customers.csv']) {
      expect(readFileSync(join(out, name), 'utf8'), name).toContain(rawId(7));
      expect(mode(join(out, name)), name).toBe(0o600);
      const streams = opened.filter((o) => basename(o.path) === name);
      expect(streams.length, name).toBeGreaterThan(0);
      for (const stream of streams) {
        expect(stream.path, name).not.toBe(join(out, name));
        expect(stream.folderMode.toString(8), name).toBe('700');
      }
    }
    expect(opened.filter((o) => basename(o.path) === 'recommendations.csv').map((o) => o.fileMode.toString(8))).toEqual(['600']);
    expect(exports.map((e) => e.folderMode.toString(8))).toEqual(['700']);
    expect(readdirSync(out).sort()).toEqual(['customers.csv', 'recommendations.csv', 'run.json']);
  }, 180_000);
});
