import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { resolveAccess } from '../../privacy/access/access.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { createPseudonymiser } from '../../privacy/tokens/pseudonymise.js';
import { permittedAction, type Action, type Role } from '../../privacy/access/rbac.js';
import { recordAudit, type WarehouseAuditRecord } from '../../privacy/warehouse/warehouse-audit.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { ingestOptionsFromFlags, transactionFileOptions, type ReadFlags, accessFromFlags } from './shared-options.js';
import { lazyFunction } from '../lazy-function.js';
import { ingestRunWarnings, quarantinedRowsWarnings } from '../../ingest/ingest-run-warnings.js';
import { shellPath } from '../../core/shell-word.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openDuckDbWarehouse = lazyFunction(() => import('../../engine/duckdb-warehouse.js'), 'openDuckDbWarehouse');
const ingestFiles = lazyFunction(() => import('../../ingest/ingest-files.js'), 'ingestFiles');
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');

/** What a command that reads transactions may need besides the warehouse. */
export interface InputSession {
  /** the first of the command's actions the role may do (what its audit entries record) */
  readonly action: Action;
  /** appends an audit entry to a keyed `--db` warehouse; a no-op for a file read into memory (nothing is stored) */
  record(record: WarehouseAuditRecord): Promise<void>;
  /**
   * a customer id as the data holds it: in a keyed warehouse the token of an original id (a token is kept, unless only
   * the pseudonym of that text is held: an original id shaped like a token, `heldCustomerToken`), else the id itself
   */
  storedId(id: string): Promise<string>;
  /** the role the command runs as */
  readonly role: Role;
  /** the warehouse's key (decrypts personal data and original ids); null for a file read into memory */
  readonly keyring: Keyring | null;
}

export interface InputWarehouseFlags extends ReadFlags {
  db?: string;
  role?: string;
  actor?: string;
  keyFile?: string;
}

export interface InputWarehouseOptions {
  /** the role must allow one of these (default: view aggregates) */
  readonly actions?: readonly Action[];
  /** the command, for the audit entry of a `--db` read */
  readonly command?: string;
  /** told each warning of the ingest of a file (dates read month-first, columns guessed, …), as `clvkit ingest` gives them, once `work` is done */
  readonly warn?: (warning: string) => void;
}

/**
 * The warehouse a read-only command works on: a transaction file ingested into
 * memory (ids as given, nothing stored), or an existing warehouse (--db, its
 * key resolved as for every command). The role (`--role`, default analyst)
 * must allow one of `options.actions`. A `--db` read that succeeds is audited:
 * by the entries the work records (`session.record`), or else by one entry
 * (`session.action`, target `warehouse`, the command). Closed after `work`.
 */
export async function withInputWarehouse<T>(
  file: string | undefined,
  flags: InputWarehouseFlags,
  work: (warehouse: Warehouse, session: InputSession) => Promise<T>,
  options: InputWarehouseOptions = {},
): Promise<T> {
  const actions = options.actions ?? ['view_aggregates'];
  const command = options.command ?? 'rules';
  const example = command === 'customer' ? 'customer <id>' : command;
  if (!file && !flags.db) throw new UserError('no input: give a transaction file or --db PATH', `e.g. clvkit ${example} orders.csv, or clvkit ${example} --db shop.duckdb`);
  if (file && flags.db) {
    throw new UserError(`both a file (${file}) and --db given: the file would be read on its own and the warehouse ignored`, `to read the warehouse drop the file (clvkit ${example} --db ${shellPath(flags.db)}); to add the file to it first run clvkit ingest ${shellPath(file)} --db ${shellPath(flags.db)}`);
  }
  const access = resolveAccess(accessFromFlags(flags));
  const action = permittedAction(access.role, actions);
  let warehouse: Warehouse;
  let keyring: Keyring | null = null;
  if (file) {
    warehouse = await openDuckDbWarehouse(':memory:');
  } else {
    assertWarehouseExists(flags.db!);
    ({ warehouse, keyring } = await openKeyedWarehouse({ db: flags.db!, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}) }));
  }
  const tokenOf = keyring ? createPseudonymiser(keyring) : null;
  let recorded = 0;
  const session: InputSession = {
    action,
    record: async (record) => {
      if (keyring) await recordAudit(warehouse, keyring, access, record);
      recorded++;
    },
    // a token as pasted (white space at its edges, capitals) is that token, as erase reads it; an original id shaped like
    // a token is that id when the warehouse holds its pseudonym and not the token
    storedId: async (id) => (tokenOf ? (await import('../../privacy/warehouse/held-customer-token.js')).heldCustomerToken(warehouse, id, tokenOf) : id),
    role: access.role,
    keyring,
  };
  try {
    const reading = file ? ingestOptionsFromFlags(flags) : {};
    const report = file ? await ingestFiles(warehouse, [file], { ...reading, ...transactionFileOptions(command), keepsFiles: false }) : null;
    const result = await work(warehouse, session);
    // with the work done, as analyze's among its run's (a refusal is one line)
    for (const warning of report ? [...quarantinedRowsWarnings(report.files, reading), ...ingestRunWarnings(report)] : []) options.warn?.(warning);
    if (recorded === 0) await session.record({ action: session.action, target: 'warehouse', details: { command: options.command ?? 'read' } });
    return result;
  } finally {
    await warehouse.close();
  }
}

/** Parse a fraction flag in (0, 1]. */
export function fractionFlag(value: string, flag: string): number {
  const n = numberText(value);
  if (!(n > 0 && n <= 1)) throw new UserError(`${flag} ${value} is not a fraction in (0, 1]`, `e.g. ${flag} 0.01 for 1%`);
  return n;
}

/** Parse a minimum lift flag: a number ≥ 1 (a rule of lift 1 or less says nothing beyond popularity). */
export function minLiftFlag(value: string, flag: string): number {
  const n = numberText(value);
  if (!(n >= 1) || !Number.isFinite(n) || value.trim() === '') {
    throw new UserError(`${flag} must be at least 1 (got ${value}): a rule of lift 1 or less says nothing beyond the popularity of what it recommends`, `e.g. ${flag} 1.2 for rules whose buyers take the item at least 20% more often than all buyers`);
  }
  return n;
}

/** Parse a whole-number flag ≥ 1. */
export function countFlag(value: string, flag: string): number {
  const n = numberText(value);
  if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} ${value} is not a whole number ≥ 1`, `e.g. ${flag} 10`);
  return n;
}
