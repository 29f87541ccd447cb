import { basename } from 'node:path';
import { AccessDeniedError } from '../core/errors/access-denied-error.js';
import { UserError } from '../core/errors/user-error.js';
import { ERASED_ROWS_HINT, erasedInTables } from '../engine/erased-customers.js';
import { resolveAccess, type AccessOptions } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import type { Warehouse } from '../engine/warehouse.js';
import { TOKENS_TABLE } from './tokenise-customer-ids.js';
import { formatCount } from '../report/format-number.js';

export interface ErasedCustomersOptions {
  /**
   * Add the rows of customers erased before (`erased_customers`) all the
   * same: an explicit decision (`--readmit-erased`) of a role allowed to
   * erase (`assertMayReadmit`), counted and listed by token in the ingest's
   * audit entry (`erased_customers_readmitted`, `readmitted_tokens`); their
   * tokens leave `erased_customers` with the ingest, so a later file holding
   * them is taken as any other. Without it a file holding rows of an erased
   * customer is refused, nothing added.
   */
  readmitErased?: boolean;
  /**
   * Instead of refusing the file: leave the rows of customers erased before
   * out — each quarantined as `erased_customer` with nothing of it kept (no
   * text, detail, token or date; `customer_reid` gets no row) — and load the
   * rest. The API's batches (`applyIngestedFile`): a sender cannot remove one
   * customer's rows from a batch it was acknowledged for, and a refused
   * group would be set aside whole, the other customers' rows with it.
   */
  leaveOutErased?: boolean;
  /** which of a file's tokens were erased, asked of another store (the cluster a private local ingest is copied to) instead of the warehouse's own record */
  erasedElsewhere?: (tokens: readonly string[]) => Promise<ReadonlySet<string>>;
}

/** The audit details of a file's rows of erased customers (none when it has none). */
export interface ErasedCustomersDetails {
  /** customers erased before whose rows were added (`readmitErased`) */
  erased_customers_readmitted?: number;
  /** their tokens (pseudonyms, as an erase's audit target holds), sorted; removed from `erased_customers` with the ingest */
  readmitted_tokens?: string[];
  /** customers erased before whose rows were left out (`leaveOutErased`; their rows are counted in `quarantine`, reason `erased_customer`) */
  erased_customers_left_out?: number;
}

/**
 * Refuses (one line, nothing of the file added) a file any row of which —
 * accepted or quarantined — is of a customer erased before (the tokens of
 * `clv_tokens`, made by `tokeniseCustomerIds`): an erased customer does not
 * come back from an old file read again without a decision to readmit them.
 * With `readmitErased` it returns the audit details that count them; with
 * `leaveOutErased` it marks their rows of `judgedTable` (the file's judged
 * rows, `customer_id` as read) `erased_customer` with nothing else kept and
 * drops their tokens from `clv_tokens`, so that no load takes them.
 */
export async function refuseErasedCustomers(warehouse: Warehouse, path: string, options: ErasedCustomersOptions, judgedTable: string): Promise<ErasedCustomersDetails> {
  const fileTokens = async () => (await warehouse.query(`SELECT DISTINCT token FROM ${TOKENS_TABLE} WHERE token IS NOT NULL`)).map((row) => String(row.token));
  const erased = options.erasedElsewhere ? await options.erasedElsewhere(await fileTokens()) : await erasedInTables(warehouse, [TOKENS_TABLE], 'token');
  if (erased.size === 0) return {};
  if (options.readmitErased) return { erased_customers_readmitted: erased.size, readmitted_tokens: [...erased].sort() };
  if (options.leaveOutErased) {
    const list = [...erased].map((token) => warehouse.dialect.literal(token)).join(', ');
    await warehouse.execute(
      `UPDATE ${judgedTable} SET reason = 'erased_customer', raw = NULL, detail = NULL, ts = NULL, customer_id = NULL
       WHERE customer_id IN (SELECT raw_id FROM ${TOKENS_TABLE} WHERE token IN (${list}))`,
    );
    await warehouse.execute(`DELETE FROM ${TOKENS_TABLE} WHERE token IN (${list})`);
    return { erased_customers_left_out: erased.size };
  }
  const n = erased.size === 1 ? '1 customer' : `${formatCount(erased.size)} customers`;
  throw new UserError(
    `${basename(path)} holds rows of ${n} erased from this warehouse before; nothing of this file was added`,
    ERASED_ROWS_HINT,
  );
}

/**
 * `AccessDeniedError` (one line, with the roles allowed) when `readmitErased`
 * is asked for by a role that may not erase: readmitting an erased customer
 * undoes part of an erasure, so it takes the erasure's permission.
 */
export function assertMayReadmit(options: ErasedCustomersOptions & AccessOptions): void {
  if (!options.readmitErased) return;
  const { role } = resolveAccess(options);
  try {
    assertCan(role, 'erase');
  } catch (error) {
    if (!(error instanceof AccessDeniedError)) throw error;
    throw new AccessDeniedError(`role ${role} may not readmit erased customers (--readmit-erased): that is for the roles allowed to erase`, `roles allowed: ${error.allowedRoles.join(', ')}`, error.allowedRoles);
  }
}

/** The ingest report's line for customers erased before whose rows a file brought back (`readmitErased`), else null: the audit entry alone said so. */
export function readmittedWarning(details: ErasedCustomersDetails): string | null {
  const n = details.erased_customers_readmitted ?? 0;
  return n > 0 ? `readmitted ${n.toLocaleString('en-US')} customer${n === 1 ? '' : 's'} erased before (--readmit-erased): their rows are held again, and later files with them are no longer refused` : null;
}
