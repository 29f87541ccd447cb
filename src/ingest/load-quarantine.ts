import type { Warehouse } from '../engine/warehouse.js';
import { quarantineContext } from '../privacy/keys/encrypted-columns.js';
import { createEncryptor } from '../privacy/keys/encryption.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { forEachTableChunk, textColumn } from '../engine/read-chunks.js';
import { setInsertionOrder } from './ingest-bookkeeping.js';

const ENCRYPTED_SCRATCH = 'clv_quarantine_enc';
const ROWS_SCRATCH = 'clv_quarantine_rows';

export interface LoadQuarantineOptions {
  readonly ingestId: number;
  readonly sourceName: string;
  readonly cleanTable: string;
  readonly rejectsTable: string;
  /**
   * encrypt `raw` and `detail` (they quote the input row, personal data and
   * all) and store the customer token; null in an id-keeping scratch
   * warehouse in memory, where rows are kept as read
   */
  readonly keyring: Keyring | null;
  /** SQL of the customer key over the clean table `c` (+ `joinSql`) */
  readonly keyColumnSql: string;
  readonly joinSql: string;
  /** ISO time of the ingest: a row's date after it (or before 1970) is not kept */
  readonly ingestTimeIso: string;
}

/**
 * Writes every rejected row of a file to `quarantine` with its reason: rows
 * the cleaning rules rejected (with the customer's token when the id was
 * readable, and the row's date when it was a real past date: not one after the
 * ingest (whatever the row's reason) nor one before 1970, which ClickHouse cannot hold —
 * such a row ages by its ingest for retention, as an undated one) and rows the reader could not
 * split. With a keyring, `raw` and `detail` are stored only as AES-256-GCM
 * envelopes bound to the row's place (`quarantineContext`), so no input text
 * reaches the disk in clear. Returns the rows written.
 */
export async function loadQuarantine(warehouse: Warehouse, options: LoadQuarantineOptions): Promise<number> {
  const d = warehouse.dialect;
  const { ingestId } = options;
  const source = `
    SELECT c.line, c.raw, c.reason, c.detail, ${options.keyColumnSql} AS customer_id,
      CASE WHEN c.ts >= ${d.timestamp('1970-01-01T00:00:00')} AND c.ts <= ${d.timestamp(options.ingestTimeIso)} THEN c.ts END AS ts
    FROM ${options.cleanTable} c ${options.joinSql} WHERE c.reason IS NOT NULL
    UNION ALL
    SELECT line, raw, 'malformed_row', detail, CAST(NULL AS VARCHAR), CAST(NULL AS TIMESTAMP) FROM ${options.rejectsTable}`;
  const columns = 'ingest_id, source, line, raw, reason, detail, customer_id, ts';
  if (options.keyring === null) {
    await warehouse.execute(`INSERT INTO quarantine (${columns}) SELECT ${ingestId}, ${d.literal(options.sourceName)}, line, raw, reason, detail, customer_id, ts FROM (${source}) q`);
    const [count] = await warehouse.query(`SELECT count(*) AS n FROM quarantine WHERE ingest_id = ${ingestId}`);
    return Number(count!.n);
  }
  const encrypt = createEncryptor(options.keyring);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${ENCRYPTED_SCRATCH} (raw VARCHAR, detail VARCHAR)`);
  // Only rows with text to encrypt go through TypeScript; rows without any (a duplicate kept without its text) are written at once.
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${ROWS_SCRATCH} AS SELECT * FROM (${source}) s WHERE raw IS NOT NULL OR detail IS NOT NULL`);
  await warehouse.execute(
    `INSERT INTO quarantine (${columns}) SELECT ${ingestId}, ${d.literal(options.sourceName)}, line, raw, reason, detail, customer_id, ts FROM (${source}) s WHERE raw IS NULL AND detail IS NULL`,
  );
  const [textless] = await warehouse.query(`SELECT count(*) AS n FROM quarantine WHERE ingest_id = ${ingestId}`);
  try {
    // Chunks come in row order and are appended in that order: the n-th encrypted row belongs to the n-th source row
    // (a positional join, not a join on a key: no hash table over the rows and their text).
    let expected = 0;
    await setInsertionOrder(warehouse, true); // each chunk is read in row order
    const rows = await forEachTableChunk(warehouse, ROWS_SCRATCH, 'line, raw, detail', async (chunk) => {
      const positions = chunk.columns.pos as Float64Array;
      for (let i = 0; i < chunk.rowCount; i++) {
        if (positions[i] !== expected + i) throw new Error(`quarantine of ingest ${ingestId}: row ${expected + i} read out of order`);
      }
      expected += chunk.rowCount;
      const lines = chunk.columns.line as Float64Array;
      const context = (i: number) => quarantineContext(ingestId, lines[i]!);
      await warehouse.append(ENCRYPTED_SCRATCH, {
        raw: textColumn(chunk, 'raw').map((v, i) => (v === null ? null : encrypt(v, context(i)))),
        detail: textColumn(chunk, 'detail').map((v, i) => (v === null ? null : encrypt(v, context(i)))),
      });
    });
    await setInsertionOrder(warehouse, false);
    if (rows > 0) {
      await warehouse.execute(
        `INSERT INTO quarantine (${columns}) SELECT ${ingestId}, ${d.literal(options.sourceName)}, q.line, e.raw, q.reason, e.detail, q.customer_id, q.ts FROM ${ROWS_SCRATCH} q POSITIONAL JOIN ${ENCRYPTED_SCRATCH} e`,
      );
    }
    return rows + Number(textless!.n);
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${ROWS_SCRATCH}; DROP TABLE IF EXISTS ${ENCRYPTED_SCRATCH}`);
  }
}
