import { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { parseAuditHead } from '../../privacy/warehouse/warehouse-audit.js';
import type { CliIo } from '../cli-io.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { addAccessOptions, type AccessFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const readAuditEntries = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'readAuditEntries');
const verifyWarehouseAudit = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'verifyWarehouseAudit');

export function auditCommand(io: CliIo): Command {
  const audit = new Command('audit').description('the audit log: who did what to which data (hash-chained, keyed)');
  addAccessOptions(
    audit
      .command('verify')
      .description('check the audit log: edited, deleted or reordered entries and entries not written with the key are detected (admin); exit code 2 when broken')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--head <seq:hash>', 'the head printed by an earlier verify: also detects entries cut from the end')
      .option('--json', 'print the result as JSON'),
  ).action(async (flags: AccessFlags & { db: string; head?: string; json?: boolean }) => {
    const head = flags.head ? parseAuditHead(flags.head) : undefined;
    assertWarehouseExists(flags.db);
    const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
    try {
      const result = await verifyWarehouseAudit(warehouse, keyring!, flags, head ? { head } : {});
      if (flags.json) io.stdout.write(JSON.stringify(result, null, 2) + '\n');
      if (!result.ok) {
        throw new UserError(`audit log broken at entry ${result.firstBadSeq} (${result.reason}): ${result.message}`, 'the log was altered outside clvkit; restore the warehouse from a backup and investigate who had write access');
      }
      if (!flags.json) {
        io.stdout.write(`audit log verified: ${result.count} entries, hash chain and keyed MACs intact${head ? `, head ${head.seq} matches` : ''}\n`);
        if (result.head) io.stdout.write(`head ${result.head.seq}:${result.head.hash}\n(record this line elsewhere; --head detects entries cut from the end)\n`);
      }
    } finally {
      await warehouse.close();
    }
  });
  addAccessOptions(
    audit
      .command('list')
      .description('print the audit log (admin)')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--json', 'print the entries as JSON'),
    { keyFile: false },
  ).action(async (flags: AccessFlags & { db: string; json?: boolean }) => {
    assertWarehouseExists(flags.db);
    const { warehouse } = await openKeyedWarehouse({ db: flags.db });
    try {
      const entries = await readAuditEntries(warehouse, flags);
      if (flags.json) {
        io.stdout.write(JSON.stringify(entries, null, 2) + '\n');
        return;
      }
      for (const e of entries) {
        const counts = Object.entries(e.rowCounts).map(([k, v]) => `${k}=${v}`).join(' ');
        io.stdout.write(`${String(e.seq).padStart(5)}  ${e.ts}  ${e.actor} (${e.role})  ${e.action}  ${e.target ?? ''}  ${counts}\n`);
      }
    } finally {
      await warehouse.close();
    }
  });
  return audit;
}
