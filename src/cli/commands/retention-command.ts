import { Command } from 'commander';
import type { CliIo } from '../cli-io.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { InterruptedError } from '../../core/errors/interrupted-error.js';
import { withInterruptSignal } from '../interrupt-signal.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const applyRetention = lazyFunction(() => import('../../privacy/warehouse/apply-retention.js'), 'applyRetention');
const rewriteWarehouseUnlessStopped = lazyFunction(() => import('./rewrite-warehouse.js'), 'rewriteWarehouseUnlessStopped');
const runClickHouseRetention = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseRetention');
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');

export function retentionCommand(io: CliIo): Command {
  const retention = new Command('retention').description('retention periods: purge data older than its period');
  const apply = retention
    .command('apply')
    .description('purge rows past their retention period, customers with nothing left within it (a profile ages by its sign-up date, else its ingest, under the transactions period), and rewrite the warehouse file (admin; audited); on a cluster (--engine clickhouse) a mutation on every shard, waited for and checked gone');
  addEngineOptions(addAccessOptions(
    apply
      .option('--transactions <period>', 'keep transactions this long, e.g. 3y (also quarantined rows, unless --quarantine, and the profiles of customers with no transaction or event)')
      .option('--events <period>', 'keep behaviour events this long, e.g. 180d')
      .option('--quarantine <period>', 'keep quarantined rows this long, e.g. 90d')
      .option('--login-attempts <period>', "keep the server's login attempts (user names typed, client addresses) this long, e.g. 90d")
      .option('--api-tokens <period>', 'keep API tokens this long after they were revoked or expired, e.g. 1y')
      .option('--dry-run', 'count what would be purged per table (and customers removed) and change nothing (not audited)')
      .option('--allow-empty', 'purge even when every transaction or every customer would go (refused otherwise: periods count back from today, so a historical data set is all past them)')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--json', 'print the result as JSON; stopped by Ctrl-C or SIGTERM after the purge committed (exit 130 or 143): what was purged, with file null and stopped: error, interrupted'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; transactions?: string; events?: string; quarantine?: string; loginAttempts?: string; apiTokens?: string; json?: boolean; dryRun?: boolean; allowEmpty?: boolean }) => {
    const periods = {
      ...(flags.transactions ? { transactions: flags.transactions } : {}),
      ...(flags.events ? { events: flags.events } : {}),
      ...(flags.quarantine ? { quarantine: flags.quarantine } : {}),
      ...(flags.loginAttempts ? { login_attempts: flags.loginAttempts } : {}),
      ...(flags.apiTokens ? { api_tokens: flags.apiTokens } : {}),
    };
    const access = { ...accessFromFlags(flags), ...(flags.dryRun ? { dryRun: true } : {}), ...(flags.allowEmpty ? { allowEmpty: true } : {}) };
    const onCluster = checkEngineFlags(flags) === 'clickhouse';
    const { result, compacted } = onCluster
      ? { result: await runClickHouseRetention(clickhouseTarget(flags), { ...access, periods }), compacted: null }
      : flags.dryRun
        ? { result: await countOnFile(flags, (warehouse, keyring) => applyRetention(warehouse, { keyring, ...access, periods })), compacted: null }
        : await withInterruptSignal(async (signal) => {
            // Ctrl-C or SIGTERM: the purge, once begun, runs to its commit (one transaction); the file's rewrite is then
            // skipped or stopped, and the one line says so (an InterruptedError, exit 130 or 143)
            const run = await rewriteWarehouseUnlessStopped(flags, (warehouse, keyring, fileAccess) => applyRetention(warehouse, { keyring, ...fileAccess, ...access, periods }), signal);
            if (run.compacted !== null) return { result: run.result, compacted: run.compacted };
            const counts = Object.entries(run.result.deleted).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
            const message =
              `retention apply interrupted: ${run.result.rows.toLocaleString('en-US')} rows purged from ${flags.db}${counts ? ` (${counts})` : ''}, committed and audited; ` +
              'not done: the warehouse file was not rewritten, so the purged rows may still be recoverable from its free pages ' +
              '(hint: run the same clvkit retention apply command again: it rewrites the file, purging only what has aged past its period since)';
            if (flags.json) io.stdout.write(JSON.stringify({ ...run.result, file: null, stopped: { error: message, interrupted: true } }, null, 2) + '\n');
            throw new InterruptedError(message);
          });
    if (flags.json) {
      io.stdout.write(JSON.stringify(compacted ? { ...result, file: compacted } : result, null, 2) + '\n');
      return;
    }
    const counts = Object.entries(result.deleted).map(([t, n]) => `${t} ${n.toLocaleString('en-US')}`).join(', ');
    if (result.dryRun) {
      for (const [table, cutoff] of Object.entries(result.cutoffs)) io.stdout.write(`${table}: rows before ${cutoff} would be purged\n`);
      io.stdout.write(`dry run: would delete ${result.rows.toLocaleString('en-US')} rows: ${counts}; nothing changed\n`);
      // the preview the refusal's hint sends one to says the real run would be refused
      if (result.wouldRefuse) io.stdout.write(`without --dry-run this would be refused: ${result.wouldRefuse}; add --allow-empty to purge everything on purpose\n`);
      return;
    }
    for (const [table, cutoff] of Object.entries(result.cutoffs)) io.stdout.write(`${table}: rows before ${cutoff} purged\n`);
    io.stdout.write(`deleted ${result.rows.toLocaleString('en-US')} rows: ${counts}${onCluster ? '; checked gone on every shard' : ''}\n`);
  });
  return retention;
}

/** A dry run on a warehouse file: opened with its key (checked as apply checks it), `work` run, closed; not rewritten. */
async function countOnFile<T>(flags: AccessFlags & { db: string }, work: (warehouse: Warehouse, keyring: Keyring) => Promise<T>): Promise<T> {
  assertWarehouseExists(flags.db);
  const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
  try {
    return await work(warehouse, keyring!);
  } finally {
    await warehouse.close();
  }
}
