import type { Command } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { parseAuditHead } from '../../privacy/warehouse/warehouse-audit.js';
import type { CliIo } from '../cli-io.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { addAccessOptions, type AccessFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const minimiseAuditEntries = lazyFunction(() => import('../../server/minimise-audit-entries.js'), 'minimiseAuditEntries');
const compactWarehouseFile = lazyFunction(() => import('../../privacy/warehouse/compact-warehouse-file.js'), 'compactWarehouseFile');

const NO_HEAD_WARNING = 'no --head: the log was checked against its own recorded end only, so a rewrite by someone holding the key before this one would not be told apart; pass the head you last recorded when you have one';

/**
 * `clvkit audit minimise`: rewrites the audit entries an older clvkit wrote with a client's full address or an
 * Idempotency-Key in clear (`minimiseAuditEntries`), after checking the head the operator last recorded (`--head`;
 * `--no-head` goes on without one, with a warning), prints the new head to record, and compacts the warehouse file
 * (the old values would otherwise stay in its freed blocks). The server never does it on its own: it says so at start.
 */
export function addAuditMinimiseCommand(audit: Command, io: CliIo): void {
  addAccessOptions(
    audit
      .command('minimise')
      .description('rewrite audit entries an older clvkit wrote with a full client address (kept as its network) or an Idempotency-Key (kept as a keyed hash), re-chain the log from the first, append audit_rewritten, print the new head to record and compact the file (admin; the server stopped); exit code 2 when the log does not verify or does not reach --head')
      .option('--db <path>', 'warehouse file', './clvkit.duckdb')
      .option('--head <seq:hash>', 'the head you last recorded (printed by audit verify): checked before anything is rewritten')
      .option('--no-head', 'go on without a recorded head (a warning: only the log\'s own recorded end is checked)')
      .option('--json', 'print the result as JSON'),
  ).action(async (flags: AccessFlags & { db: string; head?: string | false; json?: boolean }) => {
    if (flags.head === undefined) throw new UserError('audit minimise needs the head you last recorded', 'pass --head SEQ:HASH (the line clvkit audit verify printed), or --no-head to go on without one');
    const head = typeof flags.head === 'string' ? parseAuditHead(flags.head) : undefined;
    assertWarehouseExists(flags.db);
    const warnings = head ? [] : [NO_HEAD_WARNING];
    for (const warning of warnings) io.stderr.write(`warning: ${warning}\n`);
    const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), requireKey: true });
    let result;
    try {
      result = await minimiseAuditEntries(warehouse, keyring!, accessFromFlags(flags), head ? { head } : {});
    } finally {
      await warehouse.close();
    }
    if (result.refused) throw new UserError(`the audit log was not minimised: ${result.refused}`, 'nothing was changed: check the log with clvkit audit verify (and the head you passed); a log that does not verify is not re-chained, which would seal whatever was altered');
    // the old values stay in the file's freed blocks until it is rewritten (as erase and retention do)
    const compacted = result.rewritten > 0 ? await compactWarehouseFile(flags.db) : null;
    const headText = result.head ? `${result.head.seq}:${result.head.hash}` : null;
    if (flags.json) {
      io.stdout.write(JSON.stringify({ rewritten: result.rewritten, firstSeq: result.firstSeq, head: headText, compacted, warnings }, null, 2) + '\n');
      return;
    }
    if (result.rewritten === 0) {
      io.stdout.write('nothing to minimise: no audit entry holds a full client address or an Idempotency-Key\n');
      return;
    }
    io.stdout.write(`${result.rewritten} audit entries minimised (entries ${result.firstSeq} to ${result.previousHead!.seq} re-chained; audit_rewritten is entry ${result.head!.seq})\n`);
    io.stdout.write(`head ${headText}\n(record this line elsewhere in place of the head you had; audit verify --head with the old one says it is the head before this rewrite)\n`);
    io.stdout.write(`warehouse file compacted: ${compacted!.bytesBefore.toLocaleString('en-US')} → ${compacted!.bytesAfter.toLocaleString('en-US')} bytes (the old values were in its freed blocks)\n`);
  });
}
