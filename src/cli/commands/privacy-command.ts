import { stopLines } from '../quiet-option.js';
import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { warehousePrivacyReportMarkdown } from '../../privacy/warehouse/warehouse-privacy-report.js';
import type { CliIo } from '../cli-io.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { clusterFlags } from '../../engine/warehouse-flags.js';
import { shellPath } from '../../core/shell-word.js';
import { numberText } from '../../core/number-text.js';
import { existsSync, statSync } from 'node:fs';
import { staleScratchFolders } from '../../core/replace-file.js';
import { olderCompactionCopies } from '../../privacy/warehouse/older-compaction-copies.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const buildWarehousePrivacyReport = lazyFunction(() => import('../../privacy/warehouse/warehouse-privacy-report.js'), 'buildWarehousePrivacyReport');
const runClickHousePrivacyReport = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHousePrivacyReport');

/** Parses `--min-group-size`: a whole number ≥ 2. */
export function minGroupSizeFlag(value: string): number {
  const k = numberText(value);
  if (!Number.isInteger(k) || k < 2) throw new UserError(`--min-group-size ${value} is not a whole number ≥ 2`, 'aggregates never describe fewer people than this; default 5');
  return k;
}

/**
 * A warehouse file other users of the machine may read (made 0644 by a clvkit before new files were made 0600, or
 * chmod'ed since) is said on stderr with the chmod that fixes it: besides the envelopes it holds personal data in clear.
 */
function warnIfReadableByOthers(io: CliIo, db: string): void {
  const mode = modeReadableByOthers(db);
  if (mode === null) return;
  stopLines(io).write(
    `clvkit: warning: the warehouse file ${db} is readable by other users of this machine (mode ${mode.toString(8).padStart(3, '0')}): ` +
      `besides the envelopes it holds personal data in clear (password hashes, gender, birth years, search queries, login attempts); make it yours only: chmod 600 ${shellPath(db)}\n`,
  );
}

/** The mode of `path` when other users may read it (group or other bits), else null (also when there is no such file). */
function modeReadableByOthers(path: string): number | null {
  try {
    const mode = statSync(path).mode & 0o777;
    return (mode & 0o044) === 0 ? null : mode;
  } catch {
    return null;
  }
}

/**
 * A write-ahead log `<db>.wal` other users could read, found before the report opened the warehouse (`mode`): one a
 * run that did not finish left (killed; a clvkit before session 41 made it with the process's umask, 0644 under the
 * usual 022). It held the rows of the latest commits; opening the warehouse folded it into the file and closing removed it.
 */
function warnOfLogReadableByOthers(io: CliIo, db: string, mode: number | null): void {
  if (mode === null) return;
  const log = `${db}.wal`;
  const still = existsSync(log) && modeReadableByOthers(log) !== null;
  stopLines(io).write(
    `clvkit: warning: the write-ahead log ${log} beside the warehouse was readable by other users of this machine (mode ${mode.toString(8).padStart(3, '0')}): ` +
      `it holds the rows of the latest writes until they are folded into the warehouse file; ` +
      (still ? `make it yours only: chmod 600 ${shellPath(log)}\n` : `this report folded it in and it is gone now (a copy someone took meanwhile is not reached)\n`),
  );
}

/** Copies of the warehouse a compaction that did not finish left beside it (`staleScratchFolders`: compaction is what writes the warehouse file through one; `olderCompactionCopies`: earlier versions' names): one line names them. */
function warnOfStaleCompactionCopies(io: CliIo, db: string): void {
  const copies = [...staleScratchFolders(db), ...olderCompactionCopies(db)].sort();
  if (copies.length === 0) return;
  stopLines(io).write(
    `clvkit: warning: a compaction of ${db} that did not finish left a full copy of the warehouse in ${copies.join(', ')}, which no erasure reaches: ` +
      `remove ${copies.length === 1 ? 'it' : 'them'} (rm -r ${copies.map(shellPath).join(' ')}), or compact again (the next compaction removes ${copies.length === 1 ? 'it' : 'them'})\n`,
  );
}

export function privacyCommand(io: CliIo): Command {
  const privacy = new Command('privacy').description('what personal data the warehouse holds and how it is protected');
  addEngineOptions(addAccessOptions(
    privacy
      .command('report')
      .description('every table and column with its sensitivity class, protection and masking, row counts, retention, keys (ids only), and checks of the stored values; exit code 2 when a check fails; --engine clickhouse: the cluster\'s tables')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--json', 'print the report as JSON'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; json?: boolean }) => {
    const access = accessFromFlags(flags);
    let report: Awaited<ReturnType<typeof buildWarehousePrivacyReport>>;
    let logMode: number | null = null;
    if (checkEngineFlags(flags) === 'clickhouse') report = await runClickHousePrivacyReport(clickhouseTarget(flags), access);
    else {
      assertWarehouseExists(flags.db);
      logMode = modeReadableByOthers(`${flags.db}.wal`); // opening the warehouse folds the log in and closing removes it
      const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}) });
      try {
        report = await buildWarehousePrivacyReport(warehouse, { keyring, ...access });
      } finally {
        await warehouse.close();
      }
    }
    // the audit verify it suggests names this warehouse, as the report was run (else it would check ./clvkit.duckdb)
    const warehouse = checkEngineFlags(flags) === 'clickhouse' ? clusterFlags(clickhouseTarget(flags)) : `--db ${shellPath(flags.db)}`;
    if (checkEngineFlags(flags) !== 'clickhouse') {
      warnIfReadableByOthers(io, flags.db);
      warnOfLogReadableByOthers(io, flags.db, logMode);
      warnOfStaleCompactionCopies(io, flags.db);
    }
    io.stdout.write(flags.json ? JSON.stringify(report, null, 2) + '\n' : warehousePrivacyReportMarkdown(report, `${warehouse}${flags.keyFile ? ` --key-file ${shellPath(flags.keyFile)}` : ''}`));
    const failed = report.checks.filter((c) => !c.ok);
    if (failed.length > 0) {
      throw new UserError(`privacy check failed: ${failed.map((c) => `${c.check} (${c.detail})`).join('; ')}`, 'the report above says where; data written outside clvkit or with another key is the usual cause');
    }
  });
  return privacy;
}
