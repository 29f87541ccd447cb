import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { BusyError } from '../../core/errors/busy-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import type { Keyring } from '../../privacy/keys/keyring.js';
import { defaultActor } from '../../privacy/access/access.js';
import { parseRole, ROLES } from '../../privacy/access/rbac.js';
import { checkPasswordStrength } from '../../server/auth/password-hash.js';
import { LastAdminError, parseUserName } from '../../server/auth/user-store.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { assertWarehouseExists } from './assert-warehouse-exists.js';
import { resolveCommandKeyring } from './keys-command.js';
import { readSecret } from './read-secret.js';
import { shellPath } from '../../core/shell-word.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const openKeyedWarehouse = lazyFunction(() => import('../../privacy/keys/open-keyed-warehouse.js'), 'openKeyedWarehouse');
const recordAudit = lazyFunction(() => import('../../privacy/warehouse/warehouse-audit.js'), 'recordAudit');
const hashPassword = lazyFunction(() => import('../../server/auth/password-hash.js'), 'hashPassword');
const addUser = lazyFunction(() => import('../../server/auth/user-store.js'), 'addUser');
const listUsers = lazyFunction(() => import('../../server/auth/user-store.js'), 'listUsers');
const removeUser = lazyFunction(() => import('../../server/auth/user-store.js'), 'removeUser');
const clearLoginFailures = lazyFunction(() => import('../../server/auth/user-store.js'), 'clearLoginFailures');

export interface AccountFlags {
  db: string;
  keyFile?: string;
  actor?: string;
  json?: boolean;
}

/**
 * Opens `--db` with its key for an account change (users, tokens) and closes
 * it after `work`; `create` makes the warehouse and its key when missing (the
 * first admin of a new install). Account changes are audited as acts of an
 * admin: whoever may write the warehouse file administers it.
 */
export async function withAccountWarehouse<T>(io: CliIo, flags: AccountFlags, create: boolean, apiRoute: string, work: (warehouse: Warehouse, audit: (action: string, details: Record<string, string | number>) => Promise<void>) => Promise<T>): Promise<T> {
  if (!create) assertWarehouseExists(flags.db);
  const held = (error: unknown) => {
    throw heldByServer(error, flags.db, apiRoute);
  };
  await resolveCommandKeyring(io, { db: flags.db, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}), create }).catch(held);
  const { warehouse, keyring } = await openKeyedWarehouse({ db: flags.db, requireKey: true, ...(flags.keyFile ? { keyFile: flags.keyFile } : {}) }).catch(held);
  const access = { actor: flags.actor?.trim() || defaultActor(), role: 'admin' as const };
  try {
    return await work(warehouse, async (action, details) => void (await recordAudit(warehouse, keyring as Keyring, access, { action, target: 'server', details })));
  } finally {
    await warehouse.close();
  }
}

/**
 * DuckDB lets one process hold a warehouse file, and a running `clvkit
 * serve` holds it: the open's "in use" error then says to use the server's
 * API as an admin (`apiRoute`, e.g. `POST /api/users`) or to stop the server.
 * Other errors pass unchanged.
 */
export function heldByServer(error: unknown, db: string, apiRoute: string): unknown {
  if (!(error instanceof UserError) || !/is in use by another process/.test(error.message)) return error;
  return new BusyError(`the warehouse ${db} is in use by another process (a running clvkit serve holds it)`, `while the server runs, manage accounts through its API as an admin: ${apiRoute} (docs/server.md); or stop the server and run this again`);
}

/** The options every `users` and `tokens` subcommand takes. */
export const dbOption = (command: Command) =>
  command
    .option('--db <path>', 'warehouse file', './clvkit.duckdb')
    .option('--key-file <path>', 'key file (default: CLVKIT_KEY, CLVKIT_KEY_FILE, or <db>.key beside the warehouse)')
    .option('--actor <name>', 'who makes the change, for the audit log (default: your OS user name)')
    .option('--json', 'print JSON');

/**
 * Audits a change the user store refused for the last admin (`LastAdminError`, as the API does), then fails as it did:
 * exit 2 with the refusal's line even when its entry cannot be written (a warning says so).
 */
const refusedForLastAdmin = (io: CliIo, audit: (action: string, details: Record<string, string | number>) => Promise<void>, action: string, details: Record<string, string>) => async (error: unknown): Promise<never> => {
  if (error instanceof LastAdminError) {
    await audit(action, { ...details, reason: 'last admin' }).catch((failed: unknown) => io.stderr.write(`clvkit: warning: the refusal could not be audited (${failed instanceof Error ? failed.message : String(failed)})\n`));
  }
  throw error;
};

export function usersCommand(io: CliIo): Command {
  const users = new Command('users').description('accounts of the dashboard and API (clvkit serve): add, list, remove, unlock; passwords hashed with scrypt, never a default one');
  dbOption(
    users
      .command('add')
      .description('add a user (the warehouse and its key are created when missing); the password is read from CLVKIT_PASSWORD or stdin (at least 12 characters)')
      .argument('<name>', 'user name (letters, digits, _ . @ -)')
      .addOption(new Option('--role <role>', 'what the user may do and see (docs/privacy.md)').choices([...ROLES]).makeOptionMandatory())
      .option('--replace', 'set a new role and password for an existing user'),
  ).action(async (name: string, flags: AccountFlags & { role: string; replace?: boolean }) => {
    const user = parseUserName(name);
    const role = parseRole(flags.role);
    const password = await readSecret(`password for ${user}: `);
    checkPasswordStrength(password);
    const passwordHash = await hashPassword(password);
    const outcome = await withAccountWarehouse(io, flags, true, 'POST /api/users {"name","role","password"}', async (warehouse, audit) => {
      const result = await addUser(warehouse, { name: user, role, passwordHash }, { replace: flags.replace === true }).catch(refusedForLastAdmin(io, audit, 'user_replace_refused', { user, user_role: role }));
      await audit(result === 'added' ? 'user_add' : 'user_replace', { user, user_role: role });
      return result;
    });
    io.stdout.write(flags.json ? JSON.stringify({ user, role, outcome }) + '\n' : `${outcome} user ${user} (role ${role})\n`);
  });
  dbOption(users.command('list').description('the users and their roles')).action(async (flags: AccountFlags) => {
    const list = await withAccountWarehouse(io, flags, false, 'GET /api/users', (warehouse) => listUsers(warehouse));
    if (flags.json) return void io.stdout.write(JSON.stringify(list, null, 2) + '\n');
    if (list.length === 0) return void io.stdout.write(`no users: create the first admin with clvkit users add NAME --role admin --db ${shellPath(flags.db)}\n`);
    io.stdout.write([`${'name'.padEnd(24)}${'role'.padEnd(10)}created`, ...list.map((u) => `${u.name.padEnd(24)}${u.role.padEnd(10)}${u.createdAt}`)].join('\n') + '\n');
  });
  dbOption(users.command('remove').description('remove a user (their sessions end when the server restarts)').argument('<name>', 'user name')).action(async (name: string, flags: AccountFlags) => {
    await withAccountWarehouse(io, flags, false, `DELETE /api/users/${name}`, async (warehouse, audit) => {
      await removeUser(warehouse, name).catch(refusedForLastAdmin(io, audit, 'user_remove_refused', { user: name }));
      await audit('user_remove', { user: name });
    });
    io.stdout.write(flags.json ? JSON.stringify({ removed: name }) + '\n' : `removed user ${name}\n`);
  });
  dbOption(users.command('unlock').description('unlock a user locked by failed logins: clears its failed logins at every address (audited)').argument('<name>', 'user name')).action(async (name: string, flags: AccountFlags) => {
    const cleared = await withAccountWarehouse(io, flags, false, `POST /api/users/${name}/unlock`, async (warehouse, audit) => {
      const n = await clearLoginFailures(warehouse, name);
      await audit('user_unlock', { user: name, failures_cleared: n });
      return n;
    });
    io.stdout.write(flags.json ? JSON.stringify({ unlocked: name, failuresCleared: cleared }) + '\n' : `unlocked user ${name} (${cleared} failed login${cleared === 1 ? '' : 's'} cleared)\n`);
  });
  return users;
}
