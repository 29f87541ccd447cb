/**
 * The warehouse schema as an ordered list of migrations. A migration is never
 * edited once released: add a new one. Column types are the portable subset
 * (VARCHAR, DOUBLE, BIGINT, BOOLEAN, TIMESTAMP) every engine maps.
 * The column contract is documented in docs/data-contracts.md.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const SCHEMA_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables: transactions, customers, events, quarantine, ingests',
    statements: [
      `CREATE TABLE transactions (
        order_id VARCHAR,
        customer_id VARCHAR NOT NULL,
        ts TIMESTAMP NOT NULL,
        product_id VARCHAR,
        description VARCHAR,
        category VARCHAR,
        quantity DOUBLE,
        unit_price DOUBLE,
        amount DOUBLE NOT NULL,
        cost DOUBLE,
        channel VARCHAR,
        region VARCHAR,
        country VARCHAR,
        is_return BOOLEAN NOT NULL,
        is_outlier BOOLEAN NOT NULL,
        ingest_id BIGINT NOT NULL,
        source VARCHAR NOT NULL,
        source_line BIGINT NOT NULL,
        row_hash VARCHAR NOT NULL
      )`,
      `CREATE TABLE customers (
        customer_id VARCHAR NOT NULL,
        signup_ts TIMESTAMP,
        acquisition_channel VARCHAR,
        acquisition_cost DOUBLE,
        region VARCHAR,
        country VARCHAR,
        gender VARCHAR,
        birth_year BIGINT,
        attributes VARCHAR
      )`,
      `CREATE TABLE events (
        customer_id VARCHAR,
        anonymous_id VARCHAR,
        session_id VARCHAR,
        ts TIMESTAMP NOT NULL,
        type VARCHAR NOT NULL,
        product_id VARCHAR,
        category VARCHAR,
        query VARCHAR
      )`,
      `CREATE TABLE quarantine (
        ingest_id BIGINT NOT NULL,
        source VARCHAR NOT NULL,
        line BIGINT NOT NULL,
        raw VARCHAR,
        reason VARCHAR NOT NULL,
        detail VARCHAR
      )`,
      `CREATE TABLE ingests (
        ingest_id BIGINT NOT NULL,
        source VARCHAR NOT NULL,
        file_sha256 VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        rows_read BIGINT NOT NULL,
        accepted BIGINT NOT NULL,
        quarantined BIGINT NOT NULL,
        report VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 2,
    name: 'privacy: key binding, re-identification, encrypted PII, quarantine tokens, audit log',
    statements: [
      // name → value; holds `root_key_id` (the key customer tokens are made with) and the retention policy last applied
      `CREATE TABLE warehouse_meta (
        name VARCHAR NOT NULL,
        value VARCHAR NOT NULL
      )`,
      // token → original customer id (AES-256-GCM envelope bound to the token), for authorised re-identification
      `CREATE TABLE customer_reid (
        customer_id VARCHAR NOT NULL,
        original_id_enc VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
      'ALTER TABLE customers ADD COLUMN email_enc VARCHAR',
      'ALTER TABLE customers ADD COLUMN phone_enc VARCHAR',
      'ALTER TABLE customers ADD COLUMN name_enc VARCHAR',
      'ALTER TABLE customers ADD COLUMN address_enc VARCHAR',
      'ALTER TABLE customers ADD COLUMN note_enc VARCHAR',
      // the token of a quarantined row whose customer id was readable (erasure finds it), and its date when readable (retention ages it)
      'ALTER TABLE quarantine ADD COLUMN customer_id VARCHAR',
      'ALTER TABLE quarantine ADD COLUMN ts TIMESTAMP',
      // hash-chained, keyed audit log (src/privacy/warehouse/audit-log.ts); ts, row_counts and details are kept as the exact text hashed
      `CREATE TABLE audit_log (
        seq BIGINT NOT NULL,
        ts VARCHAR NOT NULL,
        actor VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        target VARCHAR,
        row_counts VARCHAR NOT NULL,
        details VARCHAR NOT NULL,
        prev_hash VARCHAR NOT NULL,
        hash VARCHAR NOT NULL,
        mac VARCHAR
      )`,
    ],
  },
  {
    version: 3,
    name: 'frequency-only logs: transactions.amount may be NULL (order value unknown)',
    statements: ['ALTER TABLE transactions ALTER COLUMN amount DROP NOT NULL'],
  },
  {
    version: 4,
    name: 'actions: audiences with their control groups, campaign evaluations',
    statements: [
      // one row per audience (clvkit audience create, clvkit playbook): the filter as written, the control-group draw (fraction, seed, method)
      `CREATE TABLE audiences (
        name VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        send_date TIMESTAMP NOT NULL,
        where_expr VARCHAR NOT NULL,
        play VARCHAR,
        holdout DOUBLE NOT NULL,
        seed BIGINT NOT NULL,
        assignment VARCHAR NOT NULL,
        members BIGINT NOT NULL,
        treatment BIGINT NOT NULL,
        control BIGINT NOT NULL,
        scores_as_of TIMESTAMP
      )`,
      // one row per member: the customer token, its group, and its predicted value when the audience was drawn
      `CREATE TABLE audience_members (
        audience VARCHAR NOT NULL,
        customer_id VARCHAR NOT NULL,
        group_name VARCHAR NOT NULL,
        predicted_clv_12m DOUBLE
      )`,
      // one row per clvkit campaign evaluate run: the window and the published result (JSON)
      `CREATE TABLE campaign_evaluations (
        audience VARCHAR NOT NULL,
        evaluated_at TIMESTAMP NOT NULL,
        window_from TIMESTAMP NOT NULL,
        window_to TIMESTAMP NOT NULL,
        result VARCHAR NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: 'events and customer profiles from files: provenance and row hashes of events, derived behaviour tables',
    statements: [
      // provenance of ingested events (as transactions have it) and the row hash that makes their ingest idempotent
      'ALTER TABLE events ADD COLUMN ingest_id BIGINT',
      'ALTER TABLE events ADD COLUMN source VARCHAR',
      'ALTER TABLE events ADD COLUMN source_line BIGINT',
      'ALTER TABLE events ADD COLUMN row_hash VARCHAR',
      // the ingest of the profile file a customers row last came from (NULL: created by the PII of a transaction file)
      'ALTER TABLE customers ADD COLUMN ingest_id BIGINT',
    ],
  },
  {
    version: 6,
    name: 'server: users, API tokens, login attempts, analysis runs, ingested API batches',
    statements: [
      // dashboard accounts (clvkit users add): scrypt hash with its own salt and cost, never a password
      `CREATE TABLE users (
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        password_hash VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL
      )`,
      // machine tokens (clvkit tokens create): the SHA-256 of the secret only; they expire and can be revoked
      `CREATE TABLE api_tokens (
        token_id VARCHAR NOT NULL,
        name VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        secret_sha256 VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        expires_at TIMESTAMP NOT NULL,
        revoked_at TIMESTAMP
      )`,
      // every login attempt (lockout after repeated failures); ip as the server saw it
      `CREATE TABLE login_attempts (
        ts TIMESTAMP NOT NULL,
        username VARCHAR NOT NULL,
        ip VARCHAR,
        ok BOOLEAN NOT NULL
      )`,
      // analyses started through the API (POST /api/runs) or by serve --demo: status and the run.json content
      `CREATE TABLE server_runs (
        run_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        started_at TIMESTAMP NOT NULL,
        finished_at TIMESTAMP,
        started_by VARCHAR NOT NULL,
        summary VARCHAR,
        error VARCHAR
      )`,
      // batches of POST /api/events and /api/orders applied from the write-ahead log: exactly once, idempotency keys, the response given
      `CREATE TABLE ingest_batches (
        batch_id VARCHAR NOT NULL,
        kind VARCHAR NOT NULL,
        idempotency_key VARCHAR,
        received_at TIMESTAMP NOT NULL,
        applied_at TIMESTAMP NOT NULL,
        accepted BIGINT NOT NULL,
        quarantined BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 9,
    name: 'ClickHouse: the marker of an ingest being copied to a cluster',
    statements: [
      // written by the cluster copy only (copy-ingest-to-clickhouse.ts; empty on DuckDB, whose ingest is one transaction):
      // 'copying' before an ingest's rows are staged, 'copied' once every table's count is verified, 'discarded' once the
      // rows of a copy that stopped half-way are deleted. An id with more 'copying' rows than others is such a copy.
      `CREATE TABLE ingest_copies (
        ingest_id BIGINT NOT NULL,
        phase VARCHAR NOT NULL,
        recorded_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 10,
    name: 'ClickHouse: copy markers per attempt',
    statements: [
      // a random id per copy attempt (copy-ingest-to-clickhouse.ts): the marks of one attempt are summed apart from those of
      // another attempt under the same ingest id, so a closing mark written twice (a `copied` whose answer was lost, then the
      // copy's own `discarded`) no longer hides a later attempt's crash. NULL in marks written before it (one group per id).
      'ALTER TABLE ingest_copies ADD COLUMN attempt VARCHAR',
    ],
  },
  {
    version: 11,
    name: 'the tokens of erased customers',
    statements: [
      // one row per customer token an erasure was asked for (erase-customers*.ts), written before its first delete: an ingest
      // refuses a file with rows of these tokens unless told to readmit them, and a cluster copy whose rows an erasure took
      // meanwhile is verified without them (erased-customers.ts). The column is not named customer_id: an erasure must not
      // delete its own record.
      `CREATE TABLE erased_customers (
        token VARCHAR NOT NULL,
        erased_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 12,
    name: "audiences: the planned measurement window",
    statements: [
      // days from the send date over which the campaign is to be measured (audience create --measure-days, a play's
      // measureDays): until it is evaluated, its control group is held back from other draws that long at least
      // (suppression-condition.ts runningCampaigns). NULL for audiences drawn before.
      'ALTER TABLE audiences ADD COLUMN measure_days BIGINT',
    ],
  },
  {
    version: 13,
    name: 'dropped ingests',
    statements: [
      // one row per ingest dropped (clvkit ingests drop, ingest --replace: drop-ingest.ts), written once its rows are gone:
      // its `ingests` row stays (ids are never reused, the audit log names it) and no longer marks the file as held, so
      // the same file can be ingested again with other options
      `CREATE TABLE dropped_ingests (
        ingest_id BIGINT NOT NULL,
        dropped_at TIMESTAMP NOT NULL
      )`,
    ],
  },
  {
    version: 14,
    name: 'server_runs: the hint of a failed run',
    statements: [
      // what to do about a run's error (a UserError's hint: "send orders first: POST /api/orders"), shown by
      // GET /api/runs/:id beside `error`; NULL for a run that finished, and for runs recorded before it
      'ALTER TABLE server_runs ADD COLUMN error_hint VARCHAR',
    ],
  },
  {
    version: 15,
    name: 'customers: the order in which its rows were written',
    statements: [
      // the id of the ingest that last wrote the row (loadProfiles, loadCustomerPii). DuckDB then kept one row per customer
      // and merged each file into it (it appends a row per customer and file now); a cluster appends one row per customer
      // and file, so a customer's values are the latest non-NULL one per column in this order (current-customers.ts).
      // NULL in rows written before it (ordered by ingest_id).
      'ALTER TABLE customers ADD COLUMN write_seq BIGINT',
    ],
  },
  {
    version: 16,
    name: "audiences: the play's cost per contact",
    statements: [
      // the cost of one contact of the playbook play that drew the audience (its costPerContact): campaign evaluate's cost
      // when no --cost-per-contact (API: costPerContact) is given. NULL for audiences drawn by hand and before it was kept
      'ALTER TABLE audiences ADD COLUMN cost_per_contact DOUBLE',
    ],
  },
  {
    version: 17,
    name: 'ingest_batches: who sent a batch, and the hash of its body',
    statements: [
      // an Idempotency-Key names a batch of one sender and one body (batch-receipts.ts): the sender (a keyed hash of the
      // token or user name the write-ahead log has: tells senders apart, names nobody) and the SHA-256 of the normalised body. NULL in rows recorded before (their key
      // answers as it did, per kind), and the hash NULL for a batch an erasure shortened before it was recorded
      'ALTER TABLE ingest_batches ADD COLUMN sender VARCHAR',
      'ALTER TABLE ingest_batches ADD COLUMN body_sha256 VARCHAR',
    ],
  },
  {
    version: 18,
    name: 'audiences: the inputs of the draw; playbook_runs: the plans of playbook runs',
    statements: [
      // the inputs the audience was drawn with (audience create's flags, or the playbook run's) and what the draw
      // matched, as JSON (draw-request.ts): a run again with --idempotent (API: "idempotent": true) under the same name
      // answers the stored audience when its inputs are the same and is refused naming those that differ. NULL for
      // audiences drawn before it was kept (refused under --idempotent: their inputs cannot be compared)
      'ALTER TABLE audiences ADD COLUMN request VARCHAR',
      // the plan of a playbook run that drew audiences, under the prefix of their names, with the run's inputs: a run
      // again with the same inputs and --idempotent (API: "idempotent": true) answers it (reuse-playbook-plan.ts)
      `CREATE TABLE playbook_runs (
        prefix VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        request VARCHAR NOT NULL,
        plan VARCHAR NOT NULL
      )`,
    ],
  },
];
