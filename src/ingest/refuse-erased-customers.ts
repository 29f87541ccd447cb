import { basename } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import { erasedAmong } from '../engine/erased-customers.js';
import type { Warehouse } from '../engine/warehouse.js';
import { TOKENS_TABLE } from './tokenise-customer-ids.js';

export interface ErasedCustomersOptions {
  /**
   * Add the rows of customers erased before (`erased_customers`) all the
   * same: an explicit decision (`--readmit-erased`), counted in the ingest's
   * audit entry (`erased_customers_readmitted`). Without it a file holding
   * rows of an erased customer is refused, nothing added.
   */
  readmitErased?: boolean;
  /** which of a file's tokens were erased, asked of another store (the cluster a private local ingest is copied to) instead of the warehouse's own record */
  erasedElsewhere?: (tokens: readonly string[]) => Promise<ReadonlySet<string>>;
}

/**
 * Refuses (one line, nothing of the file added) a file any row of which —
 * accepted or quarantined — is of a customer erased before (the tokens of
 * `clv_tokens`, made by `tokeniseCustomerIds`): an erased customer does not
 * come back from an old file read again without a decision to readmit them.
 * With `readmitErased` it returns the audit details that count them.
 */
export async function refuseErasedCustomers(warehouse: Warehouse, path: string, options: ErasedCustomersOptions): Promise<{ erased_customers_readmitted?: number }> {
  const tokens = (await warehouse.query(`SELECT DISTINCT token FROM ${TOKENS_TABLE} WHERE token IS NOT NULL`)).map((row) => String(row.token));
  const erased = options.erasedElsewhere ? await options.erasedElsewhere(tokens) : await erasedAmong(warehouse, tokens);
  if (erased.size === 0) return {};
  if (options.readmitErased) return { erased_customers_readmitted: erased.size };
  const n = erased.size === 1 ? '1 customer' : `${erased.size} customers`;
  throw new UserError(
    `${basename(path)} holds rows of ${n} erased from this warehouse before; nothing of this file was added`,
    'remove their rows from the file, or add them again with clvkit ingest --readmit-erased (an explicit decision: the ingest\'s audit entry counts them)',
  );
}
