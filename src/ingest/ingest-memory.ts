/**
 * The engine's memory while files are ingested (and while the customer
 * summary aggregates what they loaded, `rowsMemoryLimitBytes`). DuckDB's own limit is 80% of
 * the machine: it then holds a file's judged rows in memory, so an ingest
 * grows with the file's lines. During an ingest the limit is lowered to a cap
 * that depends on the size of the input only up to a point
 * (`ingestMemoryLimitBytes`), and past it the engine spills its scratch
 * tables, joins and aggregates to its temporary directory: peak memory stays
 * flat however many lines a file has. A lower limit set by the caller is kept.
 */
import { statSync } from 'node:fs';
import type { Warehouse } from '../engine/warehouse.js';

const MIB = 1024 * 1024;
/** The smallest cap: a small file is judged in memory, and peak memory stays within twice the engine's bare load of the file. */
export const INGEST_MEMORY_FLOOR_BYTES = 256 * MIB;
/** The largest cap: beyond it, lines spill to disk instead of adding memory. */
export const INGEST_MEMORY_CAP_BYTES = 4096 * MIB;

/**
 * The engine memory an ingest of a file of `inputBytes` may use: 1 byte per input byte, within [256 MiB, 4 GiB].
 * Measured on the 10M-line bench file (636 MiB), the whole keyed `clvkit ingest --db`: 2 bytes per byte peaked at
 * 1,857 MiB in 34.9 s, 1 byte at 1,276 MiB in 34.1 s, 0.8 at 1,174 MiB in 37.2 s (docs/scaling.md, Session 12).
 */
export function ingestMemoryLimitBytes(inputBytes: number): number {
  return Math.min(INGEST_MEMORY_CAP_BYTES, Math.max(INGEST_MEMORY_FLOOR_BYTES, inputBytes));
}

/** Bytes of a DuckDB size setting as it prints it ('18.8 GiB', '512.0 MiB', '1GB'); NaN when unreadable. */
export function parseEngineBytes(text: string): number {
  const match = /^\s*([0-9.]+)\s*([KMGT]?i?B|bytes)?\s*$/i.exec(text);
  if (!match) return Number.NaN;
  const unit = (match[2] ?? 'bytes').toUpperCase();
  const powers: Record<string, number> = { BYTES: 0, B: 0, KB: 1, KIB: 1, MB: 2, MIB: 2, GB: 3, GIB: 3, TB: 4, TIB: 4 };
  const power = powers[unit];
  if (power === undefined) return Number.NaN;
  const base = unit.includes('I') || unit === 'B' || unit === 'BYTES' ? 1024 : 1000;
  return Number(match[1]) * base ** power;
}

/**
 * The engine memory a statement over `rows` stored order lines may use (the
 * customer summary after an ingest): 128 bytes a line — twice what an ingest
 * of the file those lines came from is allowed (1 byte per byte of a ~65-byte
 * line) — within [256 MiB, 4 GiB]. Without a cap the summary's per-day
 * aggregate holds every (customer, day) group in memory: with 28-character
 * customer tokens (a keyed warehouse) it took a 10M-line run from 1.8 to
 * 4.2 GiB (docs/scaling.md).
 */
export function rowsMemoryLimitBytes(rows: number): number {
  return Math.min(INGEST_MEMORY_CAP_BYTES, Math.max(INGEST_MEMORY_FLOOR_BYTES, 128 * rows));
}

/**
 * Runs `work` with the engine's memory limit lowered to `ingestMemoryLimitBytes`
 * of the largest file's size (`withEngineMemoryLimit`).
 */
export async function withIngestMemoryLimit<T>(warehouse: Warehouse, paths: readonly string[], work: () => Promise<T>): Promise<T> {
  // Files are ingested one at a time: the largest one sets the limit.
  const inputBytes = paths.reduce((largest, path) => {
    try {
      return Math.max(largest, statSync(path).size);
    } catch {
      return largest;
    }
  }, 0);
  return withEngineMemoryLimit(warehouse, ingestMemoryLimitBytes(inputBytes), work);
}

/**
 * Runs `work` with the engine's memory limit lowered to `wantedBytes`
 * (DuckDB only; other engines run `work` as they are; a lower limit already
 * set is kept), and the temporary directory set to the system's when an
 * in-memory warehouse has only the relative default, so that what does not
 * fit spills there. The limit is restored afterwards.
 */
export async function withEngineMemoryLimit<T>(warehouse: Warehouse, wanted: number, work: () => Promise<T>): Promise<T> {
  if (warehouse.dialect.name !== 'duckdb') return work();
  const [settings] = await warehouse.query(`SELECT current_setting('memory_limit') AS memory_limit, current_setting('temp_directory') AS temp_directory`);
  const current = String(settings!.memory_limit);
  const lower = !(parseEngineBytes(current) <= wanted);
  // the spilled scratch tables hold ids and contact data in clear: not into the relative default, but a fresh folder
  // of the warehouse's own, only this user may enter, removed when it closes
  if (String(settings!.temp_directory) === '.tmp') await warehouse.spillToFreshFolder?.();
  if (lower) {
    await warehouse.execute(`SET memory_limit = '${Math.floor(wanted / MIB)}MiB'`);
    lowered.set(warehouse, current);
  }
  let failed = false;
  try {
    return await work();
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    if (lower) {
      lowered.delete(warehouse);
      // After a failure in a caller's transaction the engine refuses statements until it rolls back: keep the failure.
      await warehouse.execute(`SET memory_limit = ${warehouse.dialect.literal(current)}`).catch((restore: unknown) => {
        if (!failed) throw restore;
      });
    }
  }
}

/** The limit each warehouse had before `withIngestMemoryLimit` lowered it. */
const lowered = new WeakMap<Warehouse, string>();

/**
 * Gives the engine its own limit back for the rest of an ingest: for reads
 * that need one large block (the CSV reader with room for lines of 64 MB
 * allocates a buffer of 1 GiB), which no cap can spill.
 */
export async function liftIngestMemoryLimit(warehouse: Warehouse): Promise<void> {
  const original = lowered.get(warehouse);
  if (original !== undefined) await warehouse.execute(`SET memory_limit = ${warehouse.dialect.literal(original)}`);
}
