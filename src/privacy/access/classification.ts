import { DERIVED_TABLES, type DerivedColumn, type DerivedTable } from '../../engine/derived-tables.js';
import { SCRATCH_PREFIX, STAGED_PREFIX, stagedTableOf } from '../../engine/staged-derived-tables.js';

/**
 * How a value is masked (`maskValue` applies it) for a role that may see masked but not raw personal data:
 *
 * | rule | example in → out |
 * | --- | --- |
 * | `email` | `zhang.li@example.com` → `z***@example.com` |
 * | `phone` | `13812345678` → `138****5678` |
 * | `name` | `Zhang Li` → `Z** L**` |
 * | `address` | `221B Baker Street, London NW1 6XE, UK` → `***, London NW1 ***, UK` |
 * | `year` | `1987` → `198*` |
 * | `partial` | `Prefers SMS` → `P***` (first character only; any other personal value) |
 * | `redact` | anything → `[redacted]` (free text, special-category data) |
 * | `none` | unchanged (non-personal data) |
 */
export type MaskRule = 'email' | 'phone' | 'name' | 'address' | 'year' | 'partial' | 'redact' | 'none';

/**
 * How sensitive a column is, strictest first:
 *
 * - `personal-sensitive` — personal data that may include special categories
 *   (health, beliefs…) or free text about a person; raw only to admins,
 *   hidden from everyone else;
 * - `personal` — identifies or describes a person (contact details, name,
 *   gender, birth year, free-text search queries); raw to admins, masked to
 *   analysts and marketers;
 * - `internal` — business data keyed by pseudonymous tokens (amounts, dates,
 *   channels); no direct identifier, but not for the public;
 * - `public` — catalogue-level facts (product ids, categories, event types).
 */
export type SensitivityClass = 'personal-sensitive' | 'personal' | 'internal' | 'public';

/** All classes, strictest first. */
export const SENSITIVITY_CLASSES: readonly SensitivityClass[] = ['personal-sensitive', 'personal', 'internal', 'public'];

/**
 * How a column is protected at rest:
 * `encrypted` (AES-256-GCM envelope, see `encryption.ts`), `pseudonymised`
 * (keyed HMAC token, see `pseudonymise.ts`), `restricted` (stored in clear,
 * shown only as `presentColumn` allows and purged by retention), `none`.
 */
export type Protection = 'encrypted' | 'pseudonymised' | 'restricted' | 'none';

/** Ingest roles whose values are personal data; ingest encrypts them into `<role>_enc`. */
export type PiiRole = 'email' | 'phone' | 'name' | 'address' | 'note';

export const PII_ROLES: readonly PiiRole[] = ['email', 'phone', 'name', 'address', 'note'];

/**
 * Default class of each PII role. All are `personal`; a user may declare
 * a stricter class (e.g. notes known to hold health data). The `note_enc`
 * column itself is declared `personal-sensitive`, because free text about a
 * customer can hold anything — the column takes the stricter of the two.
 */
export const PII_ROLE_CLASSES: Readonly<Record<PiiRole, SensitivityClass>> = {
  email: 'personal',
  phone: 'personal',
  name: 'personal',
  address: 'personal',
  note: 'personal',
};

/** The `customers` column each PII role is stored in (encrypted). */
export const PII_ROLE_COLUMNS: Readonly<Record<PiiRole, string>> = {
  email: 'email_enc',
  phone: 'phone_enc',
  name: 'name_enc',
  address: 'address_enc',
  note: 'note_enc',
};

export interface ColumnClassification {
  readonly class: SensitivityClass;
  readonly protection: Protection;
  /** how the column is masked for roles that see `masked` */
  readonly mask: MaskRule;
  /** identifies one person (shown as a token rather than masked; see `presentColumn`) */
  readonly identifier?: boolean;
  readonly description: string;
}

export interface TableClassification {
  readonly description: string;
  /** what the table holds on a ClickHouse cluster where that differs from a warehouse file (the privacy report says it there) */
  readonly onClickHouse?: string;
  readonly columns: Readonly<Record<string, ColumnClassification>>;
  /** class of columns not listed (free attributes, scores); see `classifyColumn` */
  readonly otherColumns: ColumnClassification;
}

const col = (cls: SensitivityClass, protection: Protection, mask: MaskRule, description: string, identifier?: boolean): ColumnClassification =>
  Object.freeze(identifier ? { class: cls, protection, mask, identifier, description } : { class: cls, protection, mask, description });

const TOKEN = col('internal', 'pseudonymised', 'none', 'pseudonymous customer token (HMAC-SHA256, c_…)');

/** The catalogue's per-customer tables (engine/derived-tables.ts): tokens and internal figures, scores and labels. */
function classifyDerivedTables(tables: readonly DerivedTable[]): Record<string, TableClassification> {
  const classify = (c: DerivedColumn) => (c.class === 'token' ? TOKEN : col('internal', 'none', 'none', c.meaning));
  return Object.fromEntries(
    tables.map((t) => [t.name, { description: t.meaning, columns: Object.fromEntries(t.columns.map((c) => [c.name, classify(c)])), otherColumns: col('internal', 'none', 'none', t.otherColumns) }]),
  );
}
const UNDECLARED_PERSONAL = col('personal', 'restricted', 'partial', 'undeclared column: treated as personal until classified');

/**
 * The declared class of every warehouse column: the contract between ingest
 * (what to encrypt or tokenise), consumers (what to mask) and the privacy
 * report. Column names follow docs/data-contracts.md (schema migration 1)
 * and schema migration 2 (`*_enc` PII columns, `customer_reid`,
 * `warehouse_meta`, the quarantine's token and date, `audit_log`).
 */
export const WAREHOUSE_CLASSIFICATION: Readonly<Record<string, TableClassification>> = {
  transactions: {
    description: 'one row per order line',
    columns: {
      order_id: col('internal', 'none', 'none', 'order number'),
      customer_id: TOKEN,
      ts: col('internal', 'none', 'none', 'order time'),
      product_id: col('public', 'none', 'none', 'catalogue product id'),
      description: col('public', 'none', 'none', 'catalogue product description'),
      category: col('public', 'none', 'none', 'catalogue category'),
      quantity: col('internal', 'none', 'none', 'units ordered'),
      unit_price: col('internal', 'none', 'none', 'price paid per unit'),
      amount: col('internal', 'none', 'none', 'net line amount'),
      cost: col('internal', 'none', 'none', 'cost of goods'),
      channel: col('internal', 'none', 'none', 'sales channel'),
      region: col('internal', 'none', 'none', 'sales region'),
      country: col('internal', 'none', 'none', 'sales country'),
      is_return: col('internal', 'none', 'none', 'return flag'),
      is_outlier: col('internal', 'none', 'none', 'outlier flag'),
      ingest_id: col('internal', 'none', 'none', 'ingest that loaded the row'),
      source: col('internal', 'none', 'none', 'input file it came from'),
      source_line: col('internal', 'none', 'none', 'line in the input file'),
      row_hash: col('internal', 'none', 'none', 'hash of the normalised input row (idempotent ingest)'),
    },
    otherColumns: col('internal', 'none', 'none', 'other transaction attribute'),
  },
  customers: {
    description: 'one row per customer',
    columns: {
      customer_id: TOKEN,
      signup_ts: col('internal', 'none', 'none', 'sign-up time'),
      acquisition_channel: col('internal', 'none', 'none', 'acquisition channel'),
      acquisition_cost: col('internal', 'none', 'none', 'acquisition cost'),
      region: col('internal', 'none', 'none', 'region'),
      country: col('internal', 'none', 'none', 'country'),
      gender: col('personal', 'restricted', 'redact', 'gender'),
      birth_year: col('personal', 'restricted', 'year', 'year of birth'),
      attributes: col('personal', 'restricted', 'redact', 'free customer attributes (JSON)'),
      email_enc: col('personal', 'encrypted', 'email', 'e-mail address'),
      phone_enc: col('personal', 'encrypted', 'phone', 'phone number'),
      name_enc: col('personal', 'encrypted', 'name', 'name'),
      address_enc: col('personal', 'encrypted', 'address', 'postal address'),
      note_enc: col('personal-sensitive', 'encrypted', 'redact', 'free-text note about the customer'),
      ingest_id: col('internal', 'none', 'none', 'ingest of the profile file the row last came from'),
      write_seq: col('internal', 'none', 'none', 'ingest that last wrote the row: orders a customer’s rows on a cluster (latest non-NULL value per column)'),
    },
    otherColumns: col('personal', 'restricted', 'partial', 'free customer attribute: personal unless declared otherwise'),
  },
  events: {
    description: 'one row per behavioural event (view, search, cart, login…)',
    columns: {
      customer_id: TOKEN,
      anonymous_id: col('internal', 'pseudonymised', 'none', 'pseudonymous visitor token (a_…)'),
      session_id: col('internal', 'none', 'none', 'session id'),
      ts: col('internal', 'none', 'none', 'event time'),
      type: col('public', 'none', 'none', 'event type'),
      product_id: col('public', 'none', 'none', 'catalogue product id'),
      category: col('public', 'none', 'none', 'catalogue category'),
      query: col('personal', 'restricted', 'redact', 'search text typed by the visitor, e-mail addresses and numbers of 7+ digits replaced at ingest (free text: may still hold names)'),
      ingest_id: col('internal', 'none', 'none', 'ingest that loaded the event'),
      source: col('internal', 'none', 'none', 'input file it came from'),
      source_line: col('internal', 'none', 'none', 'line in the input file'),
      row_hash: col('internal', 'none', 'none', 'keyed hash of the input row (idempotent ingest)'),
    },
    otherColumns: col('internal', 'none', 'none', 'other event attribute'),
  },
  quarantine: {
    description: 'rejected input rows with the reason',
    columns: {
      ingest_id: col('internal', 'none', 'none', 'ingest that read the row'),
      source: col('internal', 'none', 'none', 'input file'),
      line: col('internal', 'none', 'none', 'line number in the input'),
      raw: col('personal', 'encrypted', 'redact', 'the rejected row as read (may hold any PII of the input): AES-256-GCM envelope'),
      reason: col('internal', 'none', 'none', 'reason code'),
      detail: col('personal', 'encrypted', 'redact', 'explanation (may quote the offending value): AES-256-GCM envelope'),
      customer_id: TOKEN,
      ts: col('internal', 'none', 'none', 'the row’s date when it was readable (retention)'),
    },
    otherColumns: col('personal', 'restricted', 'redact', 'other quarantine field (may hold raw input)'),
  },
  ingests: {
    description: 'one row per ingested file: counts and the ingest report',
    columns: {
      ingest_id: col('internal', 'none', 'none', 'ingest id'),
      source: col('internal', 'none', 'none', 'file name'),
      file_sha256: col('internal', 'none', 'none', 'SHA-256 of the file content'),
      started_at: col('internal', 'none', 'none', 'start time'),
      rows_read: col('internal', 'none', 'none', 'rows read'),
      accepted: col('internal', 'none', 'none', 'rows accepted'),
      quarantined: col('internal', 'none', 'none', 'rows quarantined'),
      report: col('internal', 'none', 'none', 'ingest report (JSON: mapping, counts, warnings)'),
    },
    otherColumns: col('internal', 'none', 'none', 'other ingest metadata'),
  },
  ingest_copies: {
    description: 'ClickHouse only: the phases of each ingest copied to the cluster (copying, copied, discarded; a record of every copy, kept: a copy that stopped half-way is discarded by the next ingest)',
    columns: {
      ingest_id: col('internal', 'none', 'none', 'ingest id'),
      phase: col('internal', 'none', 'none', 'copying, copied or discarded'),
      recorded_at: col('internal', 'none', 'none', 'when the phase began'),
      attempt: col('internal', 'none', 'none', 'random id of one copy attempt (NULL in marks written before migration 10)'),
    },
    otherColumns: col('internal', 'none', 'none', 'other copy metadata'),
  },
  erased_customers: {
    description: 'the tokens of erased customers, recorded before the erasure deletes: a later ingest of their rows is refused unless readmitted',
    columns: {
      token: TOKEN,
      erased_at: col('internal', 'none', 'none', 'when the erasure was asked for'),
    },
    otherColumns: col('internal', 'none', 'none', 'other erasure metadata'),
  },
  dropped_ingests: {
    description: 'the ingests dropped (clvkit ingests drop, ingest --replace): their rows are gone, their files may be ingested again',
    columns: {
      ingest_id: col('internal', 'none', 'none', 'ingest id (its ingests row stays)'),
      dropped_at: col('internal', 'none', 'none', 'when its rows were removed'),
    },
    otherColumns: col('internal', 'none', 'none', 'other drop metadata'),
  },
  customer_reid: {
    description: 'token → original customer id, for authorised re-identification and erasure',
    columns: {
      customer_id: TOKEN,
      original_id_enc: col('personal', 'encrypted', 'partial', 'original customer id, encrypted and bound to the token', true),
      created_at: col('internal', 'none', 'none', 'when the token was first seen'),
    },
    otherColumns: UNDECLARED_PERSONAL,
  },
  // the per-customer tables of an analysis run, from the derived-table catalogue
  ...classifyDerivedTables(DERIVED_TABLES),
  warehouse_meta: {
    description: 'warehouse settings: the root key id customer tokens are made with, the retention policy last applied, the model behind customer_scores.p_alive (with its time unit, grain and as-of date), the analysis the derived tables hold (its as-of date, when it was stored, its tables)',
    columns: {
      name: col('internal', 'none', 'none', 'setting'),
      value: col('internal', 'none', 'none', 'value (key ids, never key bytes)'),
    },
    otherColumns: col('internal', 'none', 'none', 'setting'),
  },
  schema_migrations: {
    description: 'schema versions applied',
    onClickHouse: 'none on a ClickHouse cluster: its tables are created from the newest schema (ensureClusterSchema), not migrated version by version',
    columns: {
      version: col('internal', 'none', 'none', 'migration number'),
      name: col('internal', 'none', 'none', 'migration name'),
      applied_at: col('internal', 'none', 'none', 'when it was applied'),
    },
    otherColumns: col('internal', 'none', 'none', 'migration metadata'),
  },
  model_runs: {
    description: 'one row per model fit: population-level parameters and diagnostics',
    columns: {},
    otherColumns: col('internal', 'none', 'none', 'run metadata or parameter'),
  },
  audiences: {
    description: 'one row per audience: the filter, the control-group draw (fraction, seed, method) and the group sizes',
    columns: {
      name: col('internal', 'none', 'none', 'audience name'),
      created_at: col('internal', 'none', 'none', 'when it was drawn'),
      send_date: col('internal', 'none', 'none', 'first day a response counts (the day after the data it was drawn from)'),
      where_expr: col('internal', 'none', 'none', 'the filter as written (over scores, stages and segments)'),
      play: col('internal', 'none', 'none', 'playbook play that drew it, if any'),
      holdout: col('internal', 'none', 'none', 'share of the audience held out as control'),
      seed: col('internal', 'none', 'none', 'seed of the control-group draw'),
      assignment: col('internal', 'none', 'none', 'how members were assigned'),
      members: col('internal', 'none', 'none', 'customers in the audience'),
      treatment: col('internal', 'none', 'none', 'customers to contact'),
      control: col('internal', 'none', 'none', 'customers held out'),
      scores_as_of: col('internal', 'none', 'none', 'as-of date of the scores the filter read'),
      measure_days: col('internal', 'none', 'none', 'days from the send date over which the campaign is to be measured (its control group is held back until then)'),
      cost_per_contact: col('internal', 'none', 'none', "cost of one contact of the playbook play that drew it (campaign evaluate's default cost)"),
      request: col('internal', 'none', 'none', 'the inputs of the draw and what it matched, as JSON (--idempotent compares them)'),
    },
    otherColumns: col('internal', 'none', 'none', 'audience metadata'),
  },
  playbook_runs: {
    description: 'the plan of each playbook run that drew audiences, with its inputs (--idempotent answers it again)',
    columns: {
      prefix: col('internal', 'none', 'none', 'the prefix of the names of the audiences it drew'),
      created_at: col('internal', 'none', 'none', 'when the run finished'),
      request: col('internal', 'none', 'none', 'the inputs of the run, as JSON'),
      plan: col('internal', 'none', 'none', 'the plan as plan.json holds it: counts per play, no customer'),
    },
    otherColumns: col('internal', 'none', 'none', 'playbook run metadata'),
  },
  audience_members: {
    description: 'one row per audience member: token and group (treatment or control)',
    columns: {
      audience: col('internal', 'none', 'none', 'audience name'),
      customer_id: TOKEN,
      group_name: col('internal', 'none', 'none', 'treatment or control'),
      predicted_clv_12m: col('internal', 'none', 'none', 'predicted CLV when the audience was drawn'),
    },
    otherColumns: col('internal', 'none', 'none', 'member attribute'),
  },
  campaign_evaluations: {
    description: 'one row per campaign evaluation: window and published result (aggregates of groups of at least k)',
    columns: {
      audience: col('internal', 'none', 'none', 'audience name'),
      evaluated_at: col('internal', 'none', 'none', 'when it was evaluated'),
      window_from: col('internal', 'none', 'none', 'first day of the response window'),
      window_to: col('internal', 'none', 'none', 'last day of the response window'),
      result: col('internal', 'none', 'none', 'the evaluation (JSON: uplift, intervals, ROI)'),
    },
    otherColumns: col('internal', 'none', 'none', 'evaluation metadata'),
  },
  users: {
    description: 'accounts of the dashboard and API (clvkit users add): name, role, scrypt password hash',
    columns: {
      name: col('personal', 'restricted', 'partial', 'user name of a member of staff'),
      role: col('internal', 'none', 'none', 'privacy role'),
      password_hash: col('personal-sensitive', 'restricted', 'redact', 'scrypt hash of the password (salted); never shown'),
      created_at: col('internal', 'none', 'none', 'when the account was made'),
    },
    otherColumns: col('internal', 'restricted', 'redact', 'account metadata'),
  },
  api_tokens: {
    description: 'API tokens for machines (clvkit tokens create): SHA-256 of the secret, role, expiry',
    columns: {
      token_id: col('internal', 'none', 'none', 'public part of the token'),
      name: col('internal', 'none', 'none', 'what the token is for'),
      role: col('internal', 'none', 'none', 'privacy role'),
      secret_sha256: col('personal-sensitive', 'restricted', 'redact', 'SHA-256 of the secret; never shown'),
      created_at: col('internal', 'none', 'none', 'when it was made'),
      expires_at: col('internal', 'none', 'none', 'when it expires'),
      revoked_at: col('internal', 'none', 'none', 'when it was revoked'),
    },
    otherColumns: col('internal', 'restricted', 'redact', 'token metadata'),
  },
  login_attempts: {
    description: 'every login attempt to the server (lockout after repeated failures)',
    columns: {
      ts: col('internal', 'none', 'none', 'when'),
      username: col('personal', 'restricted', 'partial', 'an existing user\'s name, else ~ and a keyed hash of what was typed (never a password pasted there in clear)'),
      ip: col('personal', 'restricted', 'partial', 'client address'),
      ok: col('internal', 'none', 'none', 'whether the password matched'),
    },
    otherColumns: col('personal', 'restricted', 'redact', 'attempt metadata'),
  },
  server_runs: {
    description: 'analyses run by the server (POST /api/runs, serve --demo) or by clvkit analyze on this warehouse: status and the run summary (run.json, aggregates only)',
    columns: {
      run_id: col('internal', 'none', 'none', 'run id'),
      status: col('internal', 'none', 'none', 'running, finished, failed, cancelled or interrupted'),
      started_at: col('internal', 'none', 'none', 'start time'),
      finished_at: col('internal', 'none', 'none', 'end time'),
      started_by: col('internal', 'none', 'none', 'user or token name that started it'),
      summary: col('internal', 'none', 'none', 'run.json content (suppressed aggregates)'),
      error: col('internal', 'none', 'none', 'why it failed'),
      error_hint: col('internal', 'none', 'none', 'what to do about the failure'),
    },
    otherColumns: col('internal', 'none', 'none', 'run metadata'),
  },
  ingest_batches: {
    description: 'batches of POST /api/events and /api/orders applied from the write-ahead log (exactly once), with their idempotency keys',
    columns: {
      batch_id: col('internal', 'none', 'none', 'batch id'),
      kind: col('internal', 'none', 'none', 'events or orders'),
      idempotency_key: col('internal', 'none', 'none', 'the Idempotency-Key header sent with it'),
      received_at: col('internal', 'none', 'none', 'when it was acknowledged'),
      applied_at: col('internal', 'none', 'none', 'when it was loaded'),
      accepted: col('internal', 'none', 'none', 'rows accepted'),
      quarantined: col('internal', 'none', 'none', 'rows quarantined'),
      sender: col('internal', 'none', 'none', 'who sent it, as a keyed hash (HMAC under the root key): tells senders apart, names nobody'),
      body_sha256: col('internal', 'none', 'none', 'SHA-256 of the normalised body: the same Idempotency-Key with another body is refused'),
    },
    otherColumns: col('internal', 'none', 'none', 'batch metadata'),
  },
  audit_log: {
    description: 'append-only, hash-chained record of privileged actions',
    columns: {
      seq: col('internal', 'none', 'none', 'sequence number'),
      ts: col('internal', 'none', 'none', 'time of the action'),
      actor: col('personal', 'restricted', 'partial', 'staff member or service that acted'),
      role: col('internal', 'none', 'none', 'role the actor held'),
      action: col('internal', 'none', 'none', 'action'),
      target: col('internal', 'none', 'none', 'table, file or customer token acted on'),
      row_counts: col('internal', 'none', 'none', 'rows affected'),
      details: col('internal', 'none', 'none', 'parameters (never PII)'),
      prev_hash: col('internal', 'none', 'none', 'hash of the previous entry'),
      hash: col('internal', 'none', 'none', 'hash of this entry'),
      mac: col('internal', 'none', 'none', 'keyed MAC of this entry'),
    },
    otherColumns: UNDECLARED_PERSONAL,
  },
};

export interface ClassifiedColumn extends ColumnClassification {
  readonly table: string;
  readonly column: string;
  /** false when the class came from the table's `otherColumns` or the unknown-table default */
  readonly declared: boolean;
}

/**
 * The class of a warehouse column. Undeclared columns take their table's
 * `otherColumns` class; columns of unknown tables are `personal` — fail safe:
 * data nobody classified is treated as personal until someone does.
 *
 * Example: `classifyColumn('customers', 'email_enc').class` → `'personal'`
 */
export function classifyColumn(table: string, column: string): ClassifiedColumn {
  const spec = tableClassification(table);
  const declared = spec && Object.hasOwn(spec.columns, column) ? spec.columns[column] : undefined;
  return { ...(declared ?? spec?.otherColumns ?? UNDECLARED_PERSONAL), table, column, declared: declared !== undefined };
}

/**
 * The classification of a table: its declared one, or, for a derived table
 * an analysis has staged and not swapped in yet (`clv_staged_customer_rfm`,
 * staged-derived-tables.ts) or a read command's scratch copy, its derived
 * table's; undefined when undeclared.
 */
export function tableClassification(table: string): TableClassification | undefined {
  if (Object.hasOwn(WAREHOUSE_CLASSIFICATION, table)) return WAREHOUSE_CLASSIFICATION[table];
  const derived = stagedTableOf(table);
  if (derived === null) return undefined;
  const spec = WAREHOUSE_CLASSIFICATION[derived]!;
  const description = table.startsWith(STAGED_PREFIX)
    ? `${derived}, as an analysis that has not finished wrote it (staged: it replaces ${derived} when the analysis finishes, and is dropped when the next one starts)`
    : table.startsWith(SCRATCH_PREFIX)
      ? `${derived}, as a read command (segments, lifecycle) built it for its own date (dropped when it ends, or when the next one starts)`
      : `${derived} of the previous analysis, moved aside when a new one was swapped in on ClickHouse (dropped right after, or when the next analysis starts)`;
  return { ...spec, description };
}

/**
 * Class of a PII role, with optional user overrides that may only make it stricter.
 *
 * Example: `classifyPiiRole('note', { note: 'personal-sensitive' })` → `'personal-sensitive'`
 */
export function classifyPiiRole(role: PiiRole, overrides: Partial<Record<PiiRole, SensitivityClass>> = {}): SensitivityClass {
  const override = overrides[role];
  return override ? stricterClass(PII_ROLE_CLASSES[role], override) : PII_ROLE_CLASSES[role];
}

/** The stricter of two classes. */
export function stricterClass(a: SensitivityClass, b: SensitivityClass): SensitivityClass {
  return SENSITIVITY_CLASSES.indexOf(a) <= SENSITIVITY_CLASSES.indexOf(b) ? a : b;
}

/** True for `personal` and `personal-sensitive`. */
export function isPersonalClass(cls: SensitivityClass): boolean {
  return cls === 'personal' || cls === 'personal-sensitive';
}
