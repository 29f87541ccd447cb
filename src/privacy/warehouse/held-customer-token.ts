import type { Warehouse } from '../../engine/warehouse.js';
import { listCustomerTables } from '../keys/encrypted-columns.js';
import { tokenAsGiven } from '../tokens/pseudonymise.js';
import { heldTokensOf } from './erase-customers.js';

/**
 * The token a customer id given to a look-up names in `warehouse`: an original id's pseudonym (`pseudonymise`); a
 * token-shaped id (`tokenAsGiven`: a token as pasted, capitals and white space aside) is that token — unless the
 * warehouse holds no rows of it but holds rows of the id's pseudonym: then it is an original id of another system
 * that happens to look like a token (`C_ABCDEFGHIJKLMNOPQRSTUVWXYZ`), as erase reads it (both ask `heldTokensOf`). A
 * token neither reading holds is kept as given (an erased customer's token is found so).
 *
 * Example: `await heldCustomerToken(wh, 'C_ABCDEFGHIJKLMNOPQRSTUVWXYZ', token)` → `'c_…'` (the pseudonym, when only it is held)
 */
export async function heldCustomerToken(warehouse: Warehouse, id: string, pseudonymise: (id: string) => string): Promise<string> {
  const token = tokenAsGiven(id);
  if (token === null) return pseudonymise(id);
  const [held] = await heldTokensOf(warehouse, [id], pseudonymise, await listCustomerTables(warehouse));
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
