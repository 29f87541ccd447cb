import { existsSync } from 'node:fs';
import { UserError } from '../../core/errors/user-error.js';

/** `UserError` unless `db` is an existing warehouse file: commands that only read or change one never create it. */
export function assertWarehouseExists(db: string): void {
  if (db !== ':memory:' && !existsSync(db)) throw new UserError(`no warehouse ${db}`, 'pass --db PATH of an existing warehouse (clvkit ingest creates one)');
}
