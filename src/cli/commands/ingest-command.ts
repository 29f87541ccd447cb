import { existsSync } from 'node:fs';
import { discardNewWarehouseIfEmpty, removeWarehouseFiles } from './discard-new-warehouse.js';
import { Command } from 'commander';
import { InterruptedError } from '../../core/errors/interrupted-error.js';
import { isUserError, UserError } from '../../core/errors/user-error.js';
import { checkOutputFile } from '../../core/output-paths.js';
import { inspectSource } from '../../ingest/inspect-source.js';
import { combineIngestReports, formatIngestReport } from '../../ingest/ingest-report.js';
import { ingestStopOf } from '../../ingest/name-files-added.js';
import { parseSourceKind } from '../../ingest/source-kind.js';
import type { CliIo } from '../cli-io.js';
import { keyCreatedNote } from './keys-command.js';
import { addAccessOptions, addReadOptions, ingestKindHints, ingestOptionsFromFlags, type AccessFlags, type ReadFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import type { IngestOptions } from '../../ingest/ingest-files.js';
import { withInterruptSignal } from '../interrupt-signal.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { QUIET_HELP, stopLines } from '../quiet-option.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const ingestFiles = lazyFunction(() => import('../../ingest/ingest-files.js'), 'ingestFiles');
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const runClickHouseIngest = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseIngest');
const ingestFilesReplacing = lazyFunction(() => import('../../ingest/replace-ingest.js'), 'ingestFilesReplacing');

/**
 * With --json, an ingest stopped at one of its files (refused, interrupted, failed) prints the report of the files
 * before it, which stay, as a whole run prints its report, with `stopped`: the file, the error and hint of the one line
 * on stderr, and the files not read. A script reads what was stored there, not in the error's words. Nothing for an
 * error before any file was read (stdout stays empty, as without --json).
 */
function printStoppedReport(io: CliIo, error: unknown, map: Readonly<Partial<Record<string, string>>> | undefined): void {
  const stop = ingestStopOf(error);
  if (!stop) return;
  const message = error instanceof Error ? error.message : String(error);
  const stopped = { file: stop.file, error: message, hint: (isUserError(error) && error.hint) || null, notRead: stop.notRead, ...(error instanceof InterruptedError ? { interrupted: true } : {}) };
  io.stdout.write(JSON.stringify({ ...combineIngestReports(stop.before, map), stopped }, null, 2) + '\n');
}

export function ingestCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(addReadOptions(
    new Command('ingest')
      .description('load transaction, event or customer profile files into the warehouse: every row is accepted or quarantined with a reason; customer ids are pseudonymised, personal data encrypted')
      .argument('<files...>', 'CSV/TSV (optionally .gz), whitespace-separated text, Parquet, JSON Lines or XLSX files')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--kind <kind>', 'what the files hold: transactions, events or customers (profiles); detected from the columns when absent; a file whose columns show another kind is refused')
      .option('--readmit-erased', 'add the rows of customers erased before (otherwise a file holding any is refused, nothing added); needs the role allowed to erase (--role admin); counted and listed by token in the audit entry, and they are no longer recorded as erased')
      .option('--leave-out-erased', 'leave out the rows of customers erased before, each quarantined as erased_customer with nothing of it kept, and add the rest (otherwise a file holding any is refused, nothing added)')
      .option('--replace', 'a file held already (the same content, by SHA-256) is read again with these options: the ingest that holds it is dropped (as clvkit ingests drop does) and the file ingested anew, in one transaction — a new read that fails leaves the old one (admin; audited; DuckDB only). A file of the same name with other content is refused: drop that ingest by its id first')
      .option('--json', 'print the ingest report as JSON (byKind: rows read, accepted and quarantined per kind of file, adding up to the totals); stopped at a file (refused, interrupted): the report of the files before it, which stay, with stopped: file, error, hint, notRead')
      .option('--quiet', QUIET_HELP),
  )), 'creates').action(async (files: string[], flags: ReadFlags & AccessFlags & { db: string; json?: boolean; quiet?: boolean; kind?: string; readmitErased?: boolean; leaveOutErased?: boolean; replace?: boolean } & EngineFlags) => {
    if (flags.readmitErased && flags.leaveOutErased) throw new UserError('--readmit-erased and --leave-out-erased both given', 'pass --readmit-erased to add the rows of customers erased before, --leave-out-erased to leave them out');
    const options = {
      ...ingestOptionsFromFlags(flags),
      ...(flags.kind !== undefined ? { kind: parseSourceKind(flags.kind), kindHints: ingestKindHints(parseSourceKind(flags.kind)) } : {}),
      ...(flags.readmitErased ? { readmitErased: true } : {}),
      ...(flags.leaveOutErased ? { leaveOutErased: true } : {}),
    };
    for (const file of files) inspectSource(file); // a missing file fails before a warehouse or key is created
    // a line as each file starts being read (not with --json or --quiet)
    const sayReading = (step: string, file: string) => {
      if (!flags.json && !flags.quiet && step === 'stage') io.stderr.write(`clvkit: reading ${file}\n`);
    };
    if (checkEngineFlags(flags) === 'clickhouse') {
      if (flags.replace) {
        throw new UserError(
          '--replace is not available on ClickHouse: it drops and ingests in one transaction, and a cluster has none',
          `drop the ingest first (clvkit ingests list, then clvkit ingests drop ID --role admin with the same --engine clickhouse flags), then ingest the file again`,
        );
      }
      // Ctrl-C or SIGTERM: the file being read is not added, the files copied before it stay (an InterruptedError, exit 130 or 143)
      const report = await withInterruptSignal((signal) => runClickHouseIngest(clickhouseTarget(flags), files, { ...options, ...accessFromFlags(flags), onStep: sayReading, signal }, (line) => io.stderr.write(`${line}\n`))).catch((error: unknown) => {
        if (flags.json) printStoppedReport(io, error, options.map);
        throw error;
      });
      io.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatIngestReport(report) + '\n');
      return;
    }
    if (flags.db !== ':memory:') checkOutputFile(flags.db, '--db', './clvkit.duckdb'); // before a warehouse or key file is made
    // Ctrl-C or SIGTERM is listened for from before the warehouse opens (its spill folder <db>.tmp is made then, and
    // removed when it closes): one while it opens stops the ingest at its first file. Not --replace, which cannot stop.
    if (flags.replace) return ingestIntoFile(io, files, flags, options, sayReading);
    await withInterruptSignal((signal) => ingestIntoFile(io, files, flags, options, sayReading, signal));
  });
}

/** `clvkit ingest` into a warehouse file (or one in memory), which `signal` stops at the file being read. */
async function ingestIntoFile(
  io: CliIo,
  files: string[],
  flags: ReadFlags & AccessFlags & { db: string; json?: boolean; replace?: boolean },
  options: IngestOptions,
  sayReading: (step: string, file: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const fresh = flags.db !== ':memory:' && !existsSync(flags.db);
  let opened;
  try {
    opened = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), create: true });
  } catch (error) {
    // Opening made the file before the key was refused (a key file that does not exist): nothing to keep.
    if (fresh) removeWarehouseFiles(flags.db);
    throw error;
  }
  const { warehouse, keyring, origin, keyPath } = opened;
  let closed = false;
  try {
    if (origin === 'created') {
      stopLines(io).write(keyCreatedNote(keyPath!, keyring!));
    }
    const ingestOptions = {
      ...options,
      ...(keyring ? { keyring } : {}),
      ...accessFromFlags(flags),
      onStep: sayReading,
    };
    if (flags.replace) {
      const { report, replaced } = await ingestFilesReplacing(warehouse, files, { ...ingestOptions, keyring: keyring! });
      io.stdout.write(flags.json ? JSON.stringify({ ...report, replaced }, null, 2) + '\n' : formatIngestReport(report) + '\n');
      return;
    }
    // Ctrl-C or SIGTERM stops at the file being read, rolled back, and says what was added (an InterruptedError, exit 130 or 143;
    // the warehouse closed, so its spill folder <db>.tmp goes with it)
    const report = await ingestFiles(warehouse, files, { ...ingestOptions, ...(signal ? { signal } : {}) });
    io.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : formatIngestReport(report) + '\n');
  } catch (error) {
    if (flags.json) printStoppedReport(io, error, options.map);
    // A failed first ingest leaves the folder as it was: the warehouse (and the key) it created hold nothing worth keeping.
    if (fresh) {
      await warehouse.close();
      closed = true;
      await discardNewWarehouseIfEmpty(io, { db: flags.db, keyPath, keyCreated: origin === 'created' });
    }
    throw error;
  } finally {
    if (!closed) await warehouse.close();
  }
}
