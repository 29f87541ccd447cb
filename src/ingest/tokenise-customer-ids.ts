import type { Warehouse } from '../engine/warehouse.js';
import { createPseudonymiser } from '../privacy/tokens/pseudonymise.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { forEachChunk, textColumn } from '../engine/read-chunks.js';

/** Scratch table `(raw_id, token, accepted)`: one row per distinct readable customer id of the file; `accepted` when at least one of its rows was accepted. */
export const TOKENS_TABLE = 'clv_tokens';

export interface TokeniseResult {
  /** distinct customer ids tokenised */
  readonly distinctIds: number;
  /** ids that are nothing but (Unicode) whitespace: not identifiers, quarantined as missing */
  readonly blankIds: readonly string[];
}

/** Another id column to tokenise the same way (event files: the anonymous visitor ids, `a_…` tokens). */
export interface TokenTarget {
  /** column of the clean table (default `customer_id`) */
  readonly column?: string;
  /** scratch table for the pairs (default `clv_tokens`) */
  readonly tokensTable?: string;
  /** token prefix (default `c_`) */
  readonly prefix?: string;
}

/**
 * Customer tokens for a cleaned file, in bulk: the engine finds the distinct
 * readable ids (accepted rows and quarantined rows whose id could be read),
 * TypeScript computes one HMAC token per distinct id (`createPseudonymiser`,
 * the root key's `pseudonymise` subkey), and the pairs go back into the
 * scratch table `clv_tokens`, which the loads join in SQL. Per-row work stays
 * in the engine; the keyed hash runs once per customer, not once per row.
 */
export async function tokeniseCustomerIds(warehouse: Warehouse, cleanTable: string, keyring: Keyring, target: TokenTarget = {}): Promise<TokeniseResult> {
  const pseudonymise = createPseudonymiser(keyring, target.prefix === undefined ? {} : { prefix: target.prefix });
  const tokensTable = target.tokensTable ?? TOKENS_TABLE;
  const column = target.column ?? 'customer_id';
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${tokensTable} (raw_id VARCHAR NOT NULL, token VARCHAR NOT NULL, accepted BOOLEAN NOT NULL)`);
  const blankIds: string[] = [];
  const distinctIds = await forEachChunk(
    warehouse,
    'clv_distinct_ids',
    `SELECT ${column} AS raw_id, bool_or(reason IS NULL) AS accepted FROM ${cleanTable} WHERE ${column} IS NOT NULL AND reason IS DISTINCT FROM 'missing_customer_id' GROUP BY 1`,
    async (chunk) => {
      const ids = textColumn(chunk, 'raw_id');
      const acceptedColumn = chunk.columns.accepted as ArrayLike<unknown>;
      const rawIds: string[] = [];
      const tokens: string[] = [];
      const accepted: boolean[] = [];
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i];
        if (id === null || id === undefined) continue;
        let token: string;
        try {
          token = pseudonymise(id);
        } catch {
          blankIds.push(id); // normalises to nothing: not an identifier
          continue;
        }
        rawIds.push(id);
        tokens.push(token);
        accepted.push(Boolean(acceptedColumn[i]));
      }
      await warehouse.append(tokensTable, { raw_id: rawIds, token: tokens, accepted });
    },
  );
  return { distinctIds, blankIds };
}
