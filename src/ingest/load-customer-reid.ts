import type { Warehouse } from '../engine/warehouse.js';
import { createEncryptor } from '../privacy/keys/encryption.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { normaliseIdentifier } from '../privacy/tokens/normalise-identifier.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';
import { TOKENS_TABLE } from './tokenise-customer-ids.js';

/**
 * Adds a `customer_reid` row (token → original id encrypted with the token as
 * context, as `createReidEntry` makes it) for every customer of the accepted
 * rows that the warehouse has not seen before. Returns the new customers:
 * the rows added, less the tokens `heldElsewhere` names (a cluster this
 * private ingest is copied to holds them already). Those get their row here
 * too, uncounted: the copy decides, when it copies, which tokens the cluster
 * still lacks (one the cluster held when this asked may be erased before
 * the copy, and then needs its row back with its new rows).
 */
export async function loadCustomerReid(
  warehouse: Warehouse,
  cleanTable: string,
  keyring: Keyring,
  createdAtIso: string,
  heldElsewhere?: (tokens: readonly string[]) => Promise<ReadonlySet<string>>,
): Promise<number> {
  const encrypt = createEncryptor(keyring);
  const createdAt = new Date(createdAtIso);
  let added = 0;
  await forEachChunk(
    warehouse,
    'clv_new_customers',
    `SELECT k.token, min(k.raw_id) AS raw_id FROM ${TOKENS_TABLE} k
     WHERE k.accepted -- some row of this id was accepted (set by tokeniseCustomerIds: no second look at the rows)
       AND NOT EXISTS (SELECT 1 FROM customer_reid r WHERE r.customer_id = k.token)
     GROUP BY k.token`,
    async (chunk) => {
      const tokens = textColumn(chunk, 'token') as string[];
      const ids = textColumn(chunk, 'raw_id') as string[];
      if (tokens.length === 0) return;
      const held = heldElsewhere ? await heldElsewhere(tokens) : null;
      const envelopes = ids.map((id, i) => encrypt(normaliseIdentifier(id), tokens[i]));
      const appended = await warehouse.append('customer_reid', { customer_id: tokens, original_id_enc: envelopes, created_at: tokens.map(() => createdAt.toISOString()) });
      added += held ? appended - tokens.filter((token) => held.has(token)).length : appended;
    },
  );
  return added;
}
