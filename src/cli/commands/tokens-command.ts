import { Command, Option } from 'commander';
import { UserError } from '../../core/errors/user-error.js';
import { parseRole, ROLES } from '../../privacy/access/rbac.js';
import type { CliIo } from '../cli-io.js';
import { lazyFunction } from '../lazy-function.js';
import { dbOption, withAccountWarehouse, type AccountFlags } from './users-command.js';
import { shellPath } from '../../core/shell-word.js';
import { numberText } from '../../core/number-text.js';

// loaded on first use, so that --help never loads them (see lazy-function.ts)
const createApiToken = lazyFunction(() => import('../../server/auth/token-store.js'), 'createApiToken');
const listApiTokens = lazyFunction(() => import('../../server/auth/token-store.js'), 'listApiTokens');
const revokeApiToken = lazyFunction(() => import('../../server/auth/token-store.js'), 'revokeApiToken');

function expiresDaysFlag(value: string): number {
  const n = numberText(value);
  if (!(Number.isFinite(n) && n > 0 && n <= 3650)) throw new UserError(`--expires-days ${value} is not a number of days > 0 and ≤ 3650`, 'e.g. --expires-days 90');
  return n;
}

export function tokensCommand(io: CliIo): Command {
  const tokens = new Command('tokens').description('API tokens for machines (POST /api/events, scripts): create (printed once), list, revoke; stored as a SHA-256 hash, expiring');
  dbOption(
    tokens
      .command('create')
      .description('create a token and print it on the last line (it is shown only once)')
      .argument('<name>', 'what the token is for, e.g. shop-backend (audit log)')
      .addOption(new Option('--role <role>', 'what the token may do (ingest needs admin or analyst; docs/privacy.md)').choices([...ROLES]).makeOptionMandatory())
      .option('--expires-days <days>', 'days until the token expires', '90'),
  ).action(async (name: string, flags: AccountFlags & { role: string; expiresDays: string }) => {
    const role = parseRole(flags.role);
    const expiresDays = expiresDaysFlag(flags.expiresDays);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/.test(name)) throw new UserError(`token name ${JSON.stringify(name)} is not usable`, 'use 1–64 letters, digits and _ . @ -');
    const { token, info } = await withAccountWarehouse(io, flags, false, 'POST /api/tokens {"name","role","expiresDays"}', async (warehouse, audit) => {
      const created = await createApiToken(warehouse, { name, role, expiresDays });
      await audit('token_create', { token_id: created.info.id, name, token_role: role, expires_at: created.info.expiresAt });
      return created;
    });
    if (flags.json) return void io.stdout.write(JSON.stringify({ ...info, token }) + '\n');
    io.stdout.write(`created token ${info.id} "${name}" (role ${role}, expires ${info.expiresAt}); it is shown once, keep it secret:\n${token}\n`);
  });
  dbOption(tokens.command('list').description('the tokens: id, name, role, expiry, revocation (never the secret)')).action(async (flags: AccountFlags) => {
    const list = await withAccountWarehouse(io, flags, false, 'GET /api/tokens', (warehouse) => listApiTokens(warehouse));
    if (flags.json) return void io.stdout.write(JSON.stringify(list, null, 2) + '\n');
    if (list.length === 0) return void io.stdout.write(`no API tokens (clvkit tokens create NAME --role ROLE --db ${shellPath(flags.db)})\n`);
    const now = Date.now();
    const state = (t: (typeof list)[number]) => (t.revokedAt ? `revoked ${t.revokedAt}` : Date.parse(t.expiresAt) <= now ? 'expired' : 'active');
    io.stdout.write([`${'id'.padEnd(14)}${'name'.padEnd(24)}${'role'.padEnd(10)}${'expires'.padEnd(26)}state`, ...list.map((t) => `${t.id.padEnd(14)}${t.name.padEnd(24)}${t.role.padEnd(10)}${t.expiresAt.padEnd(26)}${state(t)}`)].join('\n') + '\n');
  });
  dbOption(tokens.command('revoke').description('revoke a token by its id (clvkit tokens list)').argument('<id>', 'token id')).action(async (id: string, flags: AccountFlags) => {
    const info = await withAccountWarehouse(io, flags, false, `DELETE /api/tokens/${id}`, async (warehouse, audit) => {
      const revoked = await revokeApiToken(warehouse, id);
      await audit('token_revoke', { token_id: revoked.id });
      return revoked;
    });
    io.stdout.write(flags.json ? JSON.stringify(info) + '\n' : `revoked token ${info.id} "${info.name}"\n`);
  });
  return tokens;
}
