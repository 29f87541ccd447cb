import type { Warehouse } from '../../engine/warehouse.js';
import { UserError } from '../../core/errors/user-error.js';
import { resolveAccess, type Access, type AccessOptions } from '../access/access.js';
import type { AuditEntry } from './audit-log.js';
import type { PiiRole } from '../access/classification.js';
import { prepareCustomerExport, type CustomerExport } from '../access/customer-export.js';
import { KeyError } from '../../core/errors/key-error.js';
import { generateKey, keyringFromKey, type Keyring } from '../keys/keyring.js';
import type { Presentation } from '../access/rbac.js';
import { assertCan } from '../access/rbac.js';
import { DEFAULT_MIN_GROUP_SIZE } from '../disclosure/suppress-small-groups.js';
import { recordAudit, type WarehouseAuditRecord } from './warehouse-audit.js';
import { assertWarehouseKey, readWarehouseRootKeyId } from '../keys/warehouse-key.js';
import type { SuppressionSummary } from '../disclosure/suppress-rows.js';

export interface AnalysisPrivacyOptions extends AccessOptions {
  /** the warehouse key; an in-memory run without one gets a random (ephemeral) key */
  readonly keyring?: Keyring;
  /** add the original customer ids to customers.csv (admin; audited as a re-identification) */
  readonly revealIds?: boolean;
  /** smallest group an aggregate may describe (default 5) */
  readonly minGroupSize?: number;
  /** the personal data columns customers.csv may show the role (default every one held); [] for none (a server's run files) */
  readonly exportPii?: readonly PiiRole[];
}

/** What run.json says about privacy. */
export interface RunPrivacy {
  /** customer_id in every output is a token; `original_id` is added only when an admin revealed ids */
  readonly customerIds: 'tokens' | 'tokens + original ids';
  /** `warehouse`: the warehouse key (tokens stable across runs); `ephemeral`: a random key for this run, gone with it — its tokens match nothing else */
  readonly key: 'warehouse' | 'ephemeral' | 'none';
  readonly rootKeyId: string | null;
  readonly role: string;
  /** how each PII column held is shown in customers.csv */
  readonly piiColumns: Readonly<Partial<Record<PiiRole, Presentation>>>;
  /** aggregates describe at least this many customers (small groups suppressed) */
  readonly minGroupSize: number;
  /** what small-group suppression withheld from run.json and the report, per table (`publishRunSummary`) */
  readonly suppressed?: SuppressionSummary;
  readonly notes: readonly string[];
}

/**
 * The privacy side of one analysis run (`analyze`): who runs it and with
 * which key, what the customer export may show, and the audit entries. Made
 * by `openAnalysisPrivacy`; `analyze` calls `ingestOptions`, `prepareExport`,
 * `recordRun` and `describe`. Other steps that write customer-level tables or
 * files record them with `record`.
 */
export class AnalysisPrivacy {
  #export: CustomerExport | null = null;

  constructor(
    readonly keyring: Keyring | null,
    readonly key: RunPrivacy['key'],
    readonly access: Access,
    readonly revealIds: boolean,
    readonly minGroupSize: number,
    /** the personal data columns customers.csv may show (`AnalysisPrivacyOptions.exportPii`; default every one held) */
    readonly exportPii?: readonly PiiRole[],
  ) {}

  /** Options for `ingestFiles` in this run. */
  get ingestOptions(): { keyring?: Keyring; actor: string; role: string } {
    return { ...(this.keyring ? { keyring: this.keyring } : {}), actor: this.access.actor, role: this.access.role };
  }

  /** Identity columns of customers.csv for the role (see `prepareCustomerExport`). */
  async prepareExport(warehouse: Warehouse, customerTable = 'customer_summary', alias = 's'): Promise<CustomerExport> {
    this.#export = await prepareCustomerExport(warehouse, { keyring: this.keyring, access: this.access, revealIds: this.revealIds, customerTable, alias, ...(this.exportPii ? { piiRoles: this.exportPii } : {}) });
    return this.#export;
  }

  /** Appends an audit entry as this run's actor and role; a no-op without a key (an empty warehouse). */
  async record(warehouse: Warehouse, record: WarehouseAuditRecord): Promise<AuditEntry | null> {
    return this.keyring ? recordAudit(warehouse, this.keyring, this.access, record) : null;
  }

  /** The audit entry of recommendations.csv, recorded as soon as it is written; `csv` as the entry names it (pipeline/audited-run-file.ts). */
  async recordRecommendations(warehouse: Warehouse, file: { readonly csv: string; readonly customers: number; readonly lines: number; readonly originalIds?: number }): Promise<void> {
    const revealed = file.originalIds ?? 0;
    await this.record(warehouse, {
      action: 'export_customers',
      target: `file:${file.csv}`,
      rowCounts: { customers: file.customers, lines: file.lines },
      details: { columns: ['customer_id', ...(revealed > 0 ? ['original_id'] : []), 'rank', 'item', 'description', 'score', 'source'], pii_columns: [] },
    });
    if (revealed > 0) await this.record(warehouse, { action: 'reidentify', target: `file:${file.csv}`, rowCounts: { customers: revealed }, details: { reason: 'analyze --reveal-ids' } });
  }

  /** The run's audit entries: the analysis, the customer export, a re-identification when ids were revealed; `customersCsv` as the entries name it (pipeline/audited-run-file.ts). */
  async recordRun(warehouse: Warehouse, run: { readonly customersCsv: string; readonly customers: number; readonly tables: Readonly<Record<string, number>>; readonly details?: WarehouseAuditRecord['details'] }): Promise<void> {
    await this.record(warehouse, { action: 'analyze', target: 'warehouse', rowCounts: run.tables, details: run.details ?? {} });
    const exported = this.#export;
    await this.record(warehouse, {
      action: 'export_customers',
      target: `file:${run.customersCsv}`,
      rowCounts: { customers: run.customers },
      // as `role=presentation` strings: detail keys named after PII (email, phone…) are refused by the audit log
      details: { columns: [...(exported?.columns ?? [])], pii_columns: Object.entries(exported?.pii ?? {}).map(([role, shown]) => `${role}=${shown}`) },
    });
    if (exported && exported.revealed > 0) {
      await this.record(warehouse, { action: 'reidentify', target: `file:${run.customersCsv}`, rowCounts: { customers: exported.revealed }, details: { reason: 'analyze --reveal-ids' } });
    }
  }

  /** For run.json. */
  describe(): RunPrivacy {
    const notes = [
      'customer_id is a keyed HMAC token (HMAC-SHA256 under the warehouse key); the original ids are only in customer_reid, encrypted',
      ...(this.key === 'ephemeral' ? ['the key was random and lived only for this run: the tokens match no other run (set CLVKIT_KEY or use --db for stable tokens)'] : []),
      ...(this.#export && this.#export.revealed > 0 ? [`original ids of ${this.#export.revealed.toLocaleString('en-US')} customers were added by role ${this.access.role} (audited as a re-identification)`] : []),
    ];
    return {
      customerIds: this.#export && this.#export.revealed > 0 ? 'tokens + original ids' : 'tokens',
      key: this.key,
      rootKeyId: this.keyring?.rootKeyId ?? null,
      role: this.access.role,
      piiColumns: { ...(this.#export?.pii ?? {}) },
      minGroupSize: this.minGroupSize,
      notes,
    };
  }
}

/**
 * Checks who may run the analysis and with which key: the role must allow
 * `analyze` (and, with `revealIds`, `reidentify`); a given keyring must be the
 * warehouse's (`KeyError` otherwise, nothing changed); an in-memory run
 * without one gets a random ephemeral key; a file warehouse that records a
 * key needs it.
 */
export async function openAnalysisPrivacy(warehouse: Warehouse, options: AnalysisPrivacyOptions = {}): Promise<AnalysisPrivacy> {
  const access = resolveAccess(options);
  assertCan(access.role, 'analyze');
  if (options.revealIds) assertCan(access.role, 'reidentify');
  const minGroupSize = options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  if (!Number.isInteger(minGroupSize) || minGroupSize < 2) throw new UserError(`minimum group size ${minGroupSize} is invalid`, 'use a whole number of at least 2 (default 5)');
  if (options.keyring) {
    await assertWarehouseKey(warehouse, options.keyring);
    return new AnalysisPrivacy(options.keyring, 'warehouse', access, options.revealIds === true, minGroupSize, options.exportPii);
  }
  if (warehouse.location === ':memory:') {
    return new AnalysisPrivacy(keyringFromKey(generateKey(), { source: 'memory' }), 'ephemeral', access, options.revealIds === true, minGroupSize, options.exportPii);
  }
  const recorded = await readWarehouseRootKeyId(warehouse);
  if (recorded !== null) {
    throw new KeyError(`the warehouse ${warehouse.location} was written with key ${recorded}; no key was given`, `pass --key-file <path> or set CLVKIT_KEY (the CLI reads ${warehouse.location}.key)`);
  }
  return new AnalysisPrivacy(null, 'none', access, options.revealIds === true, minGroupSize, options.exportPii);
}
