import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { eraseFromRunFiles, runFilesFolder } from '../../privacy/warehouse/erase-from-run-files.js'; // node's fs and path only: light at start-up
import { writeAheadLogFolder } from '../../server/ingest/wal-folder.js'; // node's path only
import { eraseOutput, erasedCustomerLines, interruptedEraseLine, oldPartsLine, runFilesLine, writeAheadLogLines } from './erase-output.js';
import { shellPath } from '../../core/shell-word.js';
import { InterruptedError } from '../../core/errors/interrupted-error.js';
import { withInterruptSignal } from '../interrupt-signal.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const eraseCustomers = lazyFunction(() => import('../../privacy/warehouse/erase-customers.js'), 'eraseCustomers');
const recordedOutFolders = lazyFunction(() => import('../../privacy/warehouse/recorded-out-folders.js'), 'recordedOutFolders');
const recordedAudienceFiles = lazyFunction(() => import('../../privacy/warehouse/recorded-audience-files.js'), 'recordedAudienceFiles');
const rewriteWarehouseUnlessStopped = lazyFunction(() => import('./rewrite-warehouse.js'), 'rewriteWarehouseUnlessStopped');
const runClickHouseErase = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseErase');
const openWriteAheadLogForErasure = lazyFunction(() => import('../../server/ingest/erase-from-write-ahead-log.js'), 'openWriteAheadLogForErasure');

export function eraseCommand(io: CliIo): Command {
  return addEngineOptions(addAccessOptions(
    new Command('erase')
      .description('right to erasure: delete every row of these customers from every table (a quarantined row leaves a row with nothing of it at its place, reason erased_customer, so that the counts of its ingest still add up), then rewrite the warehouse file so no freed page keeps them (with --engine clickhouse: gone from every query, the data parts that held them deleted by the server cleanup once old_parts_lifetime has passed), and remove their lines from the server run files and the ingest write-ahead log of a server beside it (<db>.runs, <db>.ingest-wal; with --engine clickhouse those of a server started with serve --engine clickhouse --db <db>, its log left alone while it runs); names the --out folders of analyses recorded in the warehouse, which it does not rewrite (admin; audited with the token only)')
      .argument('<customer-ids...>', 'customer ids as they appear in the input files, or the tokens (c_…) clvkit shows for them (white space around one and capitals do not matter); a token the warehouse does not hold is refused')
      .option('--db <path>', 'warehouse file (with --engine clickhouse: the state file of the server on the cluster, as given to serve --engine clickhouse --db, whose run files <db>.runs are searched and whose key <db>.key is used when no --key-file or CLVKIT_KEY is given, as serve does)', './clvkit.duckdb')
      .option('--json', 'print the result as JSON; stopped by Ctrl-C or SIGTERM after the deletion committed (exit 130 or 143): what was done, with file and runFiles null and stopped: error, interrupted'),
  ), 'must exist', 'state file').action(async (ids: string[], flags: AccessFlags & { db: string; json?: boolean } & EngineFlags, command: Command) => {
    if (checkEngineFlags(flags) === 'clickhouse') {
      const erased = await runClickHouseErase(clickhouseTarget(flags), ids, accessFromFlags(flags), flags.db);
      // a server on the cluster writes its runs' files beside its state file (--db), as a server on a warehouse file does
      const runFiles = await eraseFromRunFiles(flags.db, erased.tokens);
      const output = eraseOutput('clickhouse', erased, { runFiles, writeAheadLog: erased.writeAheadLog, outFoldersNotReached: erased.outFoldersNotReached, audienceFilesNotReached: erased.audienceFilesNotReached }, { stagingDropped: erased.stagingDropped, tablesChecked: erased.tablesChecked, oldPartsLifetimeSeconds: erased.oldPartsLifetimeSeconds });
      if (flags.json) {
        io.stdout.write(JSON.stringify(output, null, 2) + '\n');
        return;
      }
      io.stdout.write(erasedCustomerLines(output.customers));
      io.stdout.write(`searched ${erased.tables.length} tables (${erased.tables.join(', ')}); checked gone on every shard from the ${erased.tablesChecked} tables with a customer_id there (scratch tables included)${erased.stagingDropped > 0 ? `; ${erased.stagingDropped} scratch table${erased.stagingDropped === 1 ? '' : 's'} of killed ingests and analyses dropped` : ''}\n`);
      io.stdout.write(oldPartsLine(erased.oldPartsLifetimeSeconds));
      // the folders looked for are named when --db was given or a server's files are beside it; else, that none were
      // beside the default --db (a user who never ran serve gives none and has none; one whose server runs elsewhere
      // must be told its files were not searched)
      const beside = command.getOptionValueSource('db') !== 'default' || runFiles.folder !== null || erased.writeAheadLog.folder !== null;
      io.stdout.write(runFilesLine(runFiles, beside ? `server run files: no ${runFilesFolder(flags.db)} (a server started with serve --engine clickhouse --db ${shellPath(flags.db)} keeps its runs there; pass the --db of the server on this cluster)\n` : ''));
      io.stdout.write(erased.writeAheadLog.folder === null && beside ? `server write-ahead log: no ${writeAheadLogFolder(flags.db)} (a server started with serve --engine clickhouse --db ${shellPath(flags.db)} keeps its log there; pass the --db of the server on this cluster)\n` : writeAheadLogLines(erased.writeAheadLog));
      if (!beside) io.stdout.write(`not reached: the run files and ingest write-ahead log of a server on this cluster — none beside ${resolve(flags.db)} (the default --db): pass the --db the server was started with\n`);
      io.stdout.write(notReached(erased.outFoldersNotReached, erased.audienceFilesNotReached, 'copies outside the cluster and that runs folder and write-ahead log (--out folders, exported audience files, backups, the runs folders and write-ahead logs of other servers on the cluster)'));
      return;
    }
    // Ctrl-C or SIGTERM: the deletion, once begun, runs to its commit (one transaction); the file's rewrite is then
    // skipped or stopped, and the one line says what was done and what was not (an InterruptedError, exit 130 or 143)
    await withInterruptSignal((signal) => eraseOnDuckDb(io, ids, flags, signal));
  });
}

/** `clvkit erase` on a warehouse file, which `signal` stops before or during the file's rewrite (`interruptedEraseLine`). */
async function eraseOnDuckDb(io: CliIo, ids: string[], flags: AccessFlags & { db: string; json?: boolean }, signal: AbortSignal): Promise<void> {
  const { result: erasure, compacted } = await rewriteWarehouseUnlessStopped(flags, async (warehouse, keyring, access) => {
    if (signal.aborted) throw new InterruptedError(`erase interrupted before it deleted anything: nothing was erased or recorded, ${flags.db} is as it was (hint: run the same clvkit erase command again)`);
    // the ingest write-ahead log beside it (<db>.ingest-wal), while the warehouse is held (no server appends to it
    // now): read whole before anything is erased, so that a record it cannot read refuses the erasure (nothing
    // changed) instead of ending it half-way, the warehouse's rows deleted and the log not reached
    const log = await openWriteAheadLogForErasure(flags.db, keyring);
    try {
      const erased = await eraseCustomers(warehouse, ids, { keyring, ...access });
      return {
        erased,
        // the --out folders of the analyses recorded in the warehouse, named as not reached (recorded-out-folders.ts)
        outFoldersNotReached: await recordedOutFolders(warehouse, runFilesFolder(flags.db)),
        // the audience files exported from it (audited) that hold these customers, named as not reached
        audienceFilesNotReached: await recordedAudienceFiles(warehouse, erased.customers.map((customer) => customer.token)),
        writeAheadLog: log.erase(erased.customers.map((customer) => customer.token)),
      };
    } finally {
      log.release();
    }
  }, signal);
  const result = erasure.erased;
  if (compacted === null) {
    const runs = runFilesFolder(flags.db);
    const message = interruptedEraseLine(flags.db, result, existsSync(runs) ? runs : null);
    if (flags.json) {
      // not rewritten, run files not searched: null, as a script reads them
      const done = eraseOutput('duckdb', result, { runFiles: null, writeAheadLog: erasure.writeAheadLog, outFoldersNotReached: erasure.outFoldersNotReached, audienceFilesNotReached: erasure.audienceFilesNotReached }, { file: null });
      io.stdout.write(JSON.stringify({ ...done, stopped: { error: message, interrupted: true } }, null, 2) + '\n');
    }
    throw new InterruptedError(message);
  }
  // the server's run files beside the warehouse (<db>.runs/<run>/customers.csv, recommendations.csv) hold the tokens too
  const runFiles = await eraseFromRunFiles(flags.db, result.customers.map((customer) => customer.token));
  const output = eraseOutput('duckdb', result, { runFiles, writeAheadLog: erasure.writeAheadLog, outFoldersNotReached: erasure.outFoldersNotReached, audienceFilesNotReached: erasure.audienceFilesNotReached }, { file: compacted });
  if (flags.json) {
    io.stdout.write(JSON.stringify(output, null, 2) + '\n');
    return;
  }
  io.stdout.write(erasedCustomerLines(output.customers));
  io.stdout.write(`searched ${result.tables.length} tables (${result.tables.join(', ')}); warehouse file rewritten (${compacted.bytesBefore.toLocaleString('en-US')} → ${compacted.bytesAfter.toLocaleString('en-US')} bytes)\n`);
  io.stdout.write(runFilesLine(runFiles, ''));
  io.stdout.write(writeAheadLogLines(erasure.writeAheadLog));
  io.stdout.write(notReached(erasure.outFoldersNotReached, erasure.audienceFilesNotReached, 'copies outside the warehouse and its runs folder (--out folders, exported audience files, backups)'));
}

/** The "not reached" lines: the --out folders of recorded analyses still on this machine by name, then the rest. */
function notReached(outFolders: readonly string[], audienceFiles: readonly string[], copies: string): string {
  const named = outFolders.length === 0 ? '' : `not reached: the --out folder${outFolders.length === 1 ? '' : 's'} of ${outFolders.length === 1 ? 'an analysis' : `${outFolders.length} analyses`} recorded here, on this machine (their customers.csv and recommendations.csv may hold these customers): ${outFolders.join(', ')}\n`;
  const files = audienceFiles.length === 0 ? '' : `not reached: ${audienceFiles.length === 1 ? 'an audience file' : `${audienceFiles.length} audience files`} exported from here, on this machine, that ${audienceFiles.length === 1 ? 'holds' : 'hold'} these customers (the audit log records their export): ${audienceFiles.join(', ')}\n`;
  return `${named}${files}not reached: ${copies} — erase those by process\n`;
}
