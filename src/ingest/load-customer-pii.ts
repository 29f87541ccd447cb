import type { Warehouse } from '../engine/warehouse.js';
import { PII_ROLE_COLUMNS, type PiiRole } from '../privacy/access/classification.js';
import { createEncryptor } from '../privacy/keys/encryption.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';

const PII_SCRATCH = 'clv_customer_pii';

/**
 * Stores the personal data of a file (`--map email=…` and the other PII roles)
 * in `customers`: per customer the value of their latest accepted row that
 * has one, as an AES-256-GCM envelope with the customer's key (token or, in
 * an id-keeping scratch warehouse, the id) as context — in the row this
 * ingest wrote for the customer (a profile file's, `loadProfiles`), else in a
 * row of its own, appended (`write_seq`: the ingest's id; no `ingest_id`,
 * which names a profile file). A reader takes the latest non-NULL value per
 * column over a customer's rows (current-customers.ts): a later file
 * replaces a value it has, keeps the ones it lacks. Returns the customers
 * written.
 *
 * `keyColumnSql` is the SQL of the customer key over the clean table `c`
 * joined to whatever `joinSql` adds (the tokens). `latestSql` orders a
 * customer's rows (default `c.ts`, a transaction's time); it must not be NULL
 * on a row that carries a value — a profile file's rows are ordered by line,
 * as its profile values are: by sign-up date, a file without one lost every
 * customer's contact data (`arg_max` passes over a NULL key).
 */
export async function loadCustomerPii(
  warehouse: Warehouse,
  options: { cleanTable: string; roles: readonly PiiRole[]; keyring: Keyring; keyColumnSql: string; joinSql: string; ingestId: number; latestSql?: string },
): Promise<number> {
  const { roles } = options;
  if (roles.length === 0) return 0;
  const encrypt = createEncryptor(options.keyring);
  const columns = roles.map((role) => PII_ROLE_COLUMNS[role]);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${PII_SCRATCH} (customer_id VARCHAR NOT NULL, ${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
  try {
    await forEachChunk(
      warehouse,
      'clv_pii_source',
      `SELECT ${options.keyColumnSql} AS customer_id, ${roles.map((role) => `arg_max(c.pii_${role}, ${options.latestSql ?? 'c.ts'}) FILTER (WHERE c.pii_${role} IS NOT NULL) AS ${role}`).join(', ')}
       FROM ${options.cleanTable} c ${options.joinSql}
       WHERE c.reason IS NULL AND (${roles.map((role) => `c.pii_${role} IS NOT NULL`).join(' OR ')})
       GROUP BY 1`,
      async (chunk) => {
        const keys = textColumn(chunk, 'customer_id') as string[];
        const data: Record<string, (string | null)[]> = { customer_id: keys };
        roles.forEach((role, r) => {
          data[columns[r]!] = textColumn(chunk, role).map((value, i) => (value === null ? null : encrypt(value, keys[i])));
        });
        await warehouse.append(PII_SCRATCH, data);
      },
    );
    const set = columns.map((c) => `${c} = COALESCE(p.${c}, customers.${c})`).join(', ');
    const own = `write_seq = ${options.ingestId}`; // the rows this ingest wrote: a profile file's, before its contact data
    await warehouse.execute(`UPDATE customers SET ${set} FROM ${PII_SCRATCH} p WHERE customers.customer_id = p.customer_id AND customers.${own}`);
    await warehouse.execute(
      `INSERT INTO customers (customer_id, ${columns.join(', ')}, write_seq) SELECT p.customer_id, ${columns.map((c) => `p.${c}`).join(', ')}, ${options.ingestId} FROM ${PII_SCRATCH} p WHERE NOT EXISTS (SELECT 1 FROM customers x WHERE x.customer_id = p.customer_id AND x.${own})`,
    );
    const [count] = await warehouse.query(`SELECT count(*) AS n FROM ${PII_SCRATCH}`);
    return Number(count!.n);
  } finally {
    await warehouse.execute(`DROP TABLE IF EXISTS ${PII_SCRATCH}`);
  }
}
