import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { parseAuditHead } from '../../privacy/warehouse/warehouse-audit.js';
import type { CliIo } from '../cli-io.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { addEngineOptions, checkEngineFlags, type EngineFlags } from './engine-flags.js';
import { clickhouseTarget } from './clickhouse-target.js';
import { addAuditMinimiseCommand } from './audit-minimise-command.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const readAuditEntries = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'readAuditEntries');
const verifyWarehouseAudit = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'verifyWarehouseAudit');
const runClickHouseAuditVerify = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseAuditVerify');
const runClickHouseAuditList = lazyFunction(() => import('./clickhouse-commands.js'), 'runClickHouseAuditList');

/** Where the log is on a cluster: the cluster's own audit_log holds what the --engine clickhouse commands record; a server's log stays in its state file. */
const CLUSTER_LOG_NOTE = "--engine clickhouse: the cluster's audit_log (commands run with --engine clickhouse); serve --engine clickhouse keeps its log in the state file (--db)";

export function auditCommand(io: CliIo): Command {
  const audit = new Command('audit').description('the audit log: who did what to which data (hash-chained, keyed)');
  addEngineOptions(addAccessOptions(
    audit
      .command('verify')
      .description(`check the audit log: edited, deleted or reordered entries and entries not written with the key are detected (admin); exit code 2 when broken; ${CLUSTER_LOG_NOTE}`)
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--head <seq:hash>', 'the head printed by an earlier verify: also detects entries cut from the end (a head from before audit minimise is recognised)')
      .option('--json', 'print the result as JSON'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; head?: string; json?: boolean }) => {
    const head = flags.head ? parseAuditHead(flags.head) : undefined;
    const onCluster = checkEngineFlags(flags) === 'clickhouse';
    const access = accessFromFlags(flags);
    if (!onCluster) assertWarehouseExists(flags.db);
    const opened = onCluster ? null : await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
    try {
      const result = opened ? await verifyWarehouseAudit(opened.warehouse, opened.keyring!, access, head ? { head } : {}) : await runClickHouseAuditVerify(clickhouseTarget(flags), access, head);
      if (flags.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      if (!result.ok && result.reason === 'head-rechained') {
        throw new UserError(result.message, 'the chain itself verifies: the rewrite names the head before it (audit list --json, audit_rewritten: previous_head_seq) — pass that head if you recorded it, and record the head clvkit audit verify prints without --head');
      }
      if (!result.ok) {
        // two entries with one seq on a cluster (no transactions): two writers appended at once, the chain forked
        const twice = onCluster && result.reason === 'seq-order' ? /found (\d+) in its place/.exec(result.message)?.[1] : undefined;
        const forked = twice !== undefined && Number(twice) === (result.firstBadSeq ?? 0) - 1;
        throw new UserError(
          `audit log broken at entry ${result.firstBadSeq} (${result.reason}): ${result.message}`,
          forked
            ? `two entries ${twice}: most likely two writers appended at once (the cluster has no transactions; the chain forked) — verify stops there, so the second entry ${twice} and every later one are not checked: compare both entries (audit list --json), keep the log, and run erase, retention and key rotation only while nothing else writes to this database (docs/server.md); if only one writer ran, treat it as tampering and restore from a backup`
            : 'the log was altered outside clvkit; restore the warehouse from a backup and investigate who had write access',
        );
      }
      if (!flags.json) {
        const before = 'headBeforeRewrite' in result ? result.headBeforeRewrite : undefined;
        const matches = before ? ` matches the head before the rewrite at entry ${before.rewriteSeq} (entries ${before.firstSeq} to ${before.lastSeq} were re-chained)` : ' matches';
        io.stdout.write(`audit log verified: ${result.count.toLocaleString('en-US')} entries, hash chain and keyed MACs intact${head ? `, head ${head.seq}${matches}` : ''}\n`);
        if (result.head) io.stdout.write(`head ${result.head.seq}:${result.head.hash}\n(record this line elsewhere; --head detects entries cut from the end)\n`);
      }
    } finally {
      await opened?.warehouse.close();
    }
  });
  addEngineOptions(addAccessOptions(
    audit
      .command('list')
      .description(`print the audit log (admin); ${CLUSTER_LOG_NOTE}`)
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--json', 'print the entries as JSON'),
  )).action(async (flags: AccessFlags & EngineFlags & { db: string; json?: boolean }) => {
    const onCluster = checkEngineFlags(flags) === 'clickhouse';
    const access = accessFromFlags(flags);
    if (!onCluster) assertWarehouseExists(flags.db);
    // listing needs no key; a --key-file given (as scripts pass it to every command) is checked against the warehouse
    const opened = onCluster ? null : await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}) });
    try {
      const entries = opened ? await readAuditEntries(opened.warehouse, access) : await runClickHouseAuditList(clickhouseTarget(flags), access);
      if (flags.json) {
        io.stdout.write(JSON.stringify(entries, null, 2) + '\n');
        return;
      }
      for (const e of entries) {
        const counts = Object.entries(e.rowCounts).map(([k, v]) => `${k}=${v}`).join(' ');
        io.stdout.write(`${String(e.seq).padStart(5)}  ${e.ts}  ${e.actor} (${e.role})  ${e.action}  ${e.target ?? ''}  ${counts}\n`);
      }
    } finally {
      await opened?.warehouse.close();
    }
  });
  addAuditMinimiseCommand(audit, io);
  return audit;
}
