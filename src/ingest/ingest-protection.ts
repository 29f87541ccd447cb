/**
 * How one run of `ingestFiles` protects personal data, settled once before
 * the first file (every kind of file uses it): the role check, the warehouse
 * key binding, and whether ids are tokenised or (in an in-memory scratch
 * warehouse without a key) kept as given.
 */
import { KeyError } from '../core/errors/key-error.js';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { resolveAccess, type Access, type AccessOptions } from '../privacy/access/access.js';
import { assertCan } from '../privacy/access/rbac.js';
import { generateKey, keyringFromKey, type Keyring } from '../privacy/keys/keyring.js';
import { bindWarehouseKey } from '../privacy/keys/warehouse-key.js';

/** The options of `ingestFiles` that decide the protection (see `IngestOptions`). */
export interface ProtectionOptions extends AccessOptions {
  keyring?: Keyring;
  keepCustomerIds?: boolean;
}

/** How a run of `ingestFiles` protects personal data (see `IngestOptions.keyring`). */
export interface IngestProtection {
  readonly access: Access;
  /** tokenises ids, encrypts quarantined rows, signs the audit entry; null in an id-keeping scratch warehouse */
  readonly keyring: Keyring | null;
  /** encrypts PII columns when `keyring` is null (a random key for an id-keeping scratch warehouse) */
  readonly piiKeyring: () => Keyring;
}

export async function resolveProtection(warehouse: Warehouse, options: ProtectionOptions): Promise<IngestProtection> {
  const access = resolveAccess(options);
  assertCan(access.role, 'ingest');
  const inMemory = warehouse.location === ':memory:';
  const keepIds = options.keepCustomerIds === true || (inMemory && options.keyring === undefined);
  if (keepIds && !inMemory) {
    throw new UserError(`customer ids cannot be kept in clear in the warehouse file ${warehouse.location}`, 'only in-memory runs keep ids as given; drop keepCustomerIds or use an in-memory warehouse');
  }
  if (!keepIds && options.keyring === undefined) {
    throw new KeyError(
      `ingest into the warehouse file ${warehouse.location} needs a key: customer ids are pseudonymised and personal data encrypted with it`,
      `pass --key-file <path> or set CLVKIT_KEY (the CLI creates ${warehouse.location}.key on the first ingest)`,
    );
  }
  if (!keepIds) await bindWarehouseKey(warehouse, options.keyring!);
  let scratchKey: Keyring | undefined;
  return {
    access,
    keyring: keepIds ? null : options.keyring!,
    piiKeyring: () => options.keyring ?? (scratchKey ??= keyringFromKey(generateKey(), { source: 'memory' })),
  };
}
