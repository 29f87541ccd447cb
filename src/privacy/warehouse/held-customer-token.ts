import { erasedAmong } from '../../engine/erased-customers.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { tokenAsGiven } from '../tokens/pseudonymise.js';
import { heldTokensOf } from './erase-customers.js';

/**
 * The token a customer id given to a look-up names in `warehouse`: an original id's pseudonym (`pseudonymise`); a
 * token-shaped id (`tokenAsGiven`: a token as pasted, capitals and white space aside) is that token — unless the
 * warehouse holds no rows of it but holds rows of the id's pseudonym: then it is an original id of another system
 * that happens to look like a token (`C_ABCDEFGHIJKLMNOPQRSTUVWXYZ`), as erase reads it (both ask `heldTokensOf`); an
 * erased customer, who holds no rows, is read by the record of erasures the same way. A token neither reading holds
 * nor the record knows is kept as given.
 *
 * Example: `await heldCustomerToken(wh, 'C_ABCDEFGHIJKLMNOPQRSTUVWXYZ', token)` → `'c_…'` (the pseudonym, when only it is held)
 */
export async function heldCustomerToken(warehouse: Warehouse, id: string, pseudonymise: (id: string) => string): Promise<string> {
  const token = tokenAsGiven(id);
  if (token === null) return pseudonymise(id);
  // an erased customer holds no rows: known by the record of erasures, so that the look-up says when they were erased
  const [held] = await heldTokensOf(warehouse, [id], pseudonymise, await listCustomerTables(warehouse), (tokens) => erasedAmong(warehouse, tokens));
  return held ?? token;
}

/**
 * The tokens an opt-out list's line may stand for: an original id's pseudonym; for a token-shaped line both the token
 * as given and the pseudonym of the line as an original id — leaving out a token nobody holds changes nothing, while
 * reading a customer's own token-shaped id as a token nobody holds left that customer to be contacted.
 *
 * Example: `optOutTokens('C_ABCDEFGHIJKLMNOPQRSTUVWXYZ', token)` → `['c_abcdefghijklmnopqrstuvwxyz', 'c_…']`
 */
export function optOutTokens(line: string, pseudonymise: (id: string) => string): string[] {
  const token = tokenAsGiven(line);
  return token === null ? [pseudonymise(line)] : [token, pseudonymise(line)];
}
