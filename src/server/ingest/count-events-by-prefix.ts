import { literalLists } from '../../engine/literal-lists.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { reidentify } from '../../privacy/tokens/pseudonymise.js';
import { normaliseIdentifier } from '../../privacy/tokens/normalise-identifier.js';

const PREFIX_TOKENS = 'clv_prefix_tokens';

/**
 * Events whose original customer id (as sent, normalised as ingest
 * normalises ids) starts with `prefix`. The events table holds tokens, so the
 * original ids are decrypted from `customer_reid` (the caller checks the
 * `reidentify` permission and audits), matched in TypeScript, and the
 * matching tokens joined to `events` in the engine. Events without a customer
 * id (visitors only) never match.
 *
 * Example: `await countEventsByPrefix(wh, ring, 'load-7-')` → `12500`
 */
export async function countEventsByPrefix(warehouse: Warehouse, keyring: Keyring, prefix: string): Promise<number> {
  const wanted = normaliseIdentifier(prefix);
  const tokens: string[] = [];
  await warehouse.stream('SELECT customer_id, original_id_enc FROM customer_reid', (rows) => {
    for (const row of rows) {
      const token = String(row.customer_id);
      if (reidentify({ token, idEnc: String(row.original_id_enc) }, keyring).startsWith(wanted)) tokens.push(token);
    }
  });
  if (tokens.length === 0) return 0;
  if (warehouse.dialect.name === 'clickhouse') {
    // no temp tables over HTTP: the tokens as literal lists, a few thousand a query
    const distinct = [...new Set(tokens)];
    let count = 0;
    for (const list of literalLists(warehouse.dialect, distinct)) {
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM events WHERE customer_id IN (${list})`);
      count += Number(row!.n);
    }
    return count;
  }
  return warehouse.transaction(async () => {
    await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${PREFIX_TOKENS} (customer_id VARCHAR)`);
    try {
      await warehouse.append(PREFIX_TOKENS, { customer_id: tokens });
      const [row] = await warehouse.query(`SELECT count(*) AS n FROM events e JOIN (SELECT DISTINCT customer_id FROM ${PREFIX_TOKENS}) t ON t.customer_id = e.customer_id`);
      return Number(row!.n);
    } finally {
      await warehouse.execute(`DROP TABLE IF EXISTS ${PREFIX_TOKENS}`);
    }
  });
}
