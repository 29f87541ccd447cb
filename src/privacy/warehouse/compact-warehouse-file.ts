import { chmodSync, existsSync, statSync } from 'node:fs';
import { DuckDBInstance } from '../../engine/duckdb-node-api.js';
import { UserError } from '../../core/errors/user-error.js';
import { BusyError } from '../../core/errors/busy-error.js';
import { InterruptedError } from '../../core/errors/interrupted-error.js';
import { startOwnerOnlyFile } from '../../core/replace-file.js';
import { removeOlderCompactionCopies } from './older-compaction-copies.js';
import { duckDbThreads } from '../../engine/duckdb-threads.js';
import { errorMessage } from '../../core/errors/error-message.js';
import type { DuckDBConnection } from '@duckdb/node-api';

export interface CompactOptions {
  /**
   * DuckDB `force_compression` for the new file (e.g. `'uncompressed'`, so a
   * test can search the bytes for strings); default: DuckDB's choice
   */
  readonly forceCompression?: string;
  /**
   * Stops the rewrite (the CLI's Ctrl-C or SIGTERM): aborted before the copy is in place, the statement under way is
   * interrupted, the copy discarded and an `InterruptedError` thrown — the file is as it was, not rewritten. Once the
   * copy is in place the rewrite is done: it returns as usual.
   */
  readonly signal?: AbortSignal;
}

export interface CompactResult {
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

/** DuckDB's configuration for the compaction's instances: extensions never installed, threads capped (`duckDbThreads`). */
function instanceConfig(): Record<string, string> {
  const threads = duckDbThreads(undefined);
  return { autoinstall_known_extensions: 'false', ...(threads ? { threads: String(threads) } : {}) };
}

function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/**
 * Attaches the warehouse file for writing as `clv_compact_source`: DuckDB's write lock, held until it is detached. A file
 * another process holds (an ingest, `clvkit serve`) is refused in one line: the rows deleted stay in its free pages
 * until a compaction, which the same command run again makes (an erasure or a purge run twice deletes nothing more).
 */
async function attachHeld(connection: DuckDBConnection, path: string): Promise<void> {
  try {
    await connection.run(`ATTACH ${literal(path)} AS clv_compact_source`);
  } catch (error) {
    if (!/Conflicting lock/i.test(errorMessage(error))) throw error;
    throw new BusyError(
      `cannot compact ${path}: it is in use by another process`,
      'close the other process (an ingest, clvkit serve), then run the command again: what it deleted stays in the file\'s free pages until the file is rewritten',
    );
  }
}

/**
 * Rewrites a DuckDB warehouse file so that deleted rows are physically gone.
 *
 * DuckDB marks deleted rows and frees their blocks at CHECKPOINT, but never
 * overwrites a freed block: an erased customer's token and envelopes stay in
 * the file until the space happens to be reused. So after an erasure, a
 * retention purge or a key rotation the whole database is copied into a new
 * file (`COPY FROM DATABASE`: every table, view and sequence, rows in
 * insertion order), which replaces the old one atomically (rename); the old
 * file's blocks go with it. The copy is made as every owner-only file is
 * (`startOwnerOnlyFile`): in a scratch folder beside the file that only its
 * owner may enter (`.<name>.writing-XXXXXX`, mode 0700; DuckDB makes its files
 * with the default mode), given the file's mode, fsynced and renamed into
 * place: no other user can read it while it is written, nor after a crash.
 * Such a folder a compaction that did not finish left (its writer gone) is
 * removed by the next compaction of the same file (`clvkit privacy report`
 * names any: `staleScratchFolders`), and so are the copies of earlier
 * versions' compactions, under their older names (`olderCompactionCopies`).
 * The file is held (attached for writing:
 * DuckDB's write lock) from before its checkpoint until the copy is in place,
 * so a writer of another process meanwhile is refused ("in use") and no write
 * can go into the old file after it was copied. The warehouse must be closed
 * first (this process's instance too: DuckDB's lock is between processes); a
 * `.wal` left after the checkpoint is refused, since it belongs to the old file.
 *
 * Example: `await compactWarehouseFile('shop.duckdb')` → `{ bytesBefore: 12_845_056, bytesAfter: 9_961_472 }`
 */
export async function compactWarehouseFile(path: string, options: CompactOptions = {}): Promise<CompactResult> {
  if (path === ':memory:') return { bytesBefore: 0, bytesAfter: 0 };
  if (!existsSync(path)) throw new UserError(`no warehouse file ${path}`, 'pass the path of an existing --db file');
  // One instance holds the file, attached for writing (DuckDB's write lock: a writer of another process is refused,
  // "in use"), from before the checkpoint until the copy is in place: it used to checkpoint in one instance and close
  // it, attach the file read-only in another and detach it before the rename — a writer in either gap could open the
  // file, and one in the second wrote into the old file the rename then replaced (its rows lost).
  const { signal } = options;
  const stopped = () => new InterruptedError(`the rewrite of ${path} was interrupted: the file is as it was, not rewritten`);
  if (signal?.aborted) throw stopped();
  const instance = await DuckDBInstance.create(':memory:', instanceConfig());
  let file: ReturnType<typeof startOwnerOnlyFile> | null = null;
  let placed = false;
  let bytesBefore: number;
  try {
    const connection = await instance.connect();
    const interrupt = () => connection.interrupt(); // the statement under way fails; the copy is discarded below
    signal?.addEventListener('abort', interrupt);
    try {
      await attachHeld(connection, path);
      bytesBefore = statSync(path).size;
      // any write-ahead log replayed (by the ATTACH) and folded into the file first
      await connection.run('CHECKPOINT clv_compact_source');
      if (existsSync(`${path}.wal`)) throw new Error(`compact ${path}: a write-ahead log remains after CHECKPOINT; is the warehouse open elsewhere?`);
      // (the scratch folders earlier compactions left, their writer gone — full copies no erasure reaches — removed first,
      // and the copies of compactions of earlier versions, under their older names)
      removeOlderCompactionCopies(path);
      file = startOwnerOnlyFile(path, { keepMode: true });
      const tmp = file.scratchPath;
      if (options.forceCompression) await connection.run(`SET force_compression = ${literal(options.forceCompression)}`);
      await connection.run(`ATTACH ${literal(tmp)} AS clv_compact_target`);
      await connection.run('COPY FROM DATABASE clv_compact_source TO clv_compact_target');
      await connection.run('DETACH clv_compact_target');
      if (existsSync(`${tmp}.wal`)) throw new Error(`compact ${path}: the new file kept a write-ahead log`);
      chmodSync(tmp, statSync(path).mode & 0o777);
      if (signal?.aborted) throw stopped(); // the last moment the old file can stay
      // placed while the old file is still held: a writer that opens the path from now on opens the copy. The old
      // file's instance then lets go of a file nothing was written to since its checkpoint (its closing writes
      // nothing, and leaves the path's write-ahead log — the copy's, a writer's since — alone).
      file.place();
      placed = true;
      signal?.removeEventListener('abort', interrupt);
      await connection.run('DETACH clv_compact_source');
    } catch (error) {
      // a statement the signal interrupted (DuckDB's "INTERRUPT Error"), or any failure once it came: not rewritten
      if (signal?.aborted && !placed) throw error instanceof InterruptedError ? error : stopped();
      throw error;
    } finally {
      signal?.removeEventListener('abort', interrupt);
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
    file?.discard();
  }
  return { bytesBefore, bytesAfter: statSync(path).size };
}
