import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { UserError } from '../../core/errors/user-error.js';

/** scrypt cost (N = 2^15, r = 8, p = 1: ~32 MiB and ~50 ms per hash), recorded in each hash so that it can be raised later. */
const COST = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_BYTES = 32;
/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

function scryptAsync(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keylen, { ...options, maxmem: 128 * options.N! * options.r! * 2 }, (error, key) => (error ? reject(error) : resolve(key))));
}

/** `UserError` unless the password is long enough to use. */
export function checkPasswordStrength(password: string): void {
  if (password.length === 0) throw new UserError('the password is empty', 'set CLVKIT_PASSWORD or pipe the password on stdin');
  if ([...password].length < MIN_PASSWORD_LENGTH) throw new UserError(`the password is shorter than ${MIN_PASSWORD_LENGTH} characters`, `choose a longer one, e.g. four random words`);
}

/**
 * A scrypt hash with a fresh 16-byte salt: `scrypt$N$r$p$salt$key` (base64).
 *
 * Example: `await hashPassword('correct horse battery')` → `'scrypt$32768$8$1$…$…'`
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, KEY_BYTES, COST);
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** True when `password` matches `stored` (constant-time); false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) || N > 1 << 20) return false;
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await scryptAsync(password, Buffer.from(parts[4]!, 'base64'), expected.length, { N, r, p });
  return expected.length === KEY_BYTES && timingSafeEqual(key, expected);
}

/** A hash to verify against when the user does not exist, so that a wrong name takes as long as a wrong password. */
export const DUMMY_PASSWORD_HASH = `scrypt$${COST.N}$${COST.r}$${COST.p}$AAAAAAAAAAAAAAAAAAAAAA==$${Buffer.alloc(KEY_BYTES).toString('base64')}`;
