import { UserError } from '../core/errors/user-error.js';

/** Check a table name given in options (plain identifier, optionally schema-qualified) and return it; it is written into SQL as is. */
export function checkTableName(name: string, what: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(name)) {
    throw new UserError(`${what} ${JSON.stringify(name)} is not a plain table name`, 'use letters, digits and underscores, e.g. customer_segments');
  }
  return name;
}
