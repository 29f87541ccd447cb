import { existsSync } from 'node:fs';
import { Command } from 'commander';
import { UserError } from '../../errors/user-error.js';
import { compactWarehouseFile } from '../../privacy/compact-warehouse-file.js';
import { eraseCustomers } from '../../privacy/erase-customers.js';
import { openKeyedWarehouse } from '../../privacy/open-keyed-warehouse.js';
import type { CliIo } from '../cli-io.js';
import { addAccessOptions, type AccessFlags } from './shared-options.js';

export function eraseCommand(io: CliIo): Command {
  return addAccessOptions(
    new Command('erase')
      .description('right to erasure: delete every row of these customers from every table, then rewrite the warehouse file so no freed page keeps them (admin; audited with the token only)')
      .argument('<customer-ids...>', 'customer ids as they appear in the input files')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--json', 'print the result as JSON'),
  ).action(async (ids: string[], flags: AccessFlags & { db: string; json?: boolean }) => {
    if (flags.db !== ':memory:' && !existsSync(flags.db)) throw new UserError(`no warehouse ${flags.db}`, 'pass --db PATH of an existing warehouse');
    const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
    let result;
    try {
      result = await eraseCustomers(warehouse, ids, { keyring: keyring!, role: flags.role, ...(flags.actor ? { actor: flags.actor } : {}) });
    } finally {
      await warehouse.close();
    }
    const compacted = await compactWarehouseFile(flags.db);
    if (flags.json) {
      io.stdout.write(JSON.stringify({ ...result, file: compacted }, null, 2) + '\n');
      return;
    }
    for (const customer of result.customers) {
      const counts = Object.entries(customer.rowCounts).map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`).join(', ');
      io.stdout.write(customer.rows > 0 ? `erased ${customer.token}: ${customer.rows.toLocaleString('en-US')} rows (${counts})\n` : `${customer.token}: no rows held (nothing to erase; recorded)\n`);
    }
    io.stdout.write(`searched ${result.tables.length} tables (${result.tables.join(', ')}); warehouse file rewritten (${compacted.bytesBefore.toLocaleString('en-US')} → ${compacted.bytesAfter.toLocaleString('en-US')} bytes)\n`);
  });
}
