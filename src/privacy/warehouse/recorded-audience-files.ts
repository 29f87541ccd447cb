/**
 * The audience files an erasure does not reach, by name. Every audience
 * export (`audience create --out`, `audience show --out`, the playbook's
 * files) is audited with its file's absolute path (`details.file`); the file
 * is the user's copy — tokens, and for an admin e-mail addresses and original
 * ids — not clvkit's to rewrite. So an erasure names those still on this
 * machine that hold an erased customer's token, as it names the `--out`
 * folders of recorded analyses (recorded-out-folders.ts): the user erases the
 * customer there by process. Exports audited before paths were absolute (a
 * path as typed) cannot be found again and are not named.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Warehouse } from '../../engine/warehouse.js';

/**
 * The audience files recorded in `warehouse`'s audit log that exist on this machine and hold any of `tokens`, sorted.
 *
 * Example: `await recordedAudienceFiles(wh, ['c_…'])` → `['/home/ana/send/spring.csv']`
 */
export async function recordedAudienceFiles(warehouse: Warehouse, tokens: readonly string[]): Promise<string[]> {
  if (tokens.length === 0) return [];
  const files = new Set<string>();
  for (const row of await warehouse.query("SELECT details FROM audit_log WHERE target LIKE 'audience:%'")) {
    let file: unknown;
    try {
      file = (JSON.parse(String(row.details)) as { file?: unknown }).file;
    } catch {
      continue; // not JSON: nothing to name
    }
    if (typeof file === 'string' && isAbsolute(file)) files.add(file);
  }
  const holding: string[] = [];
  for (const file of files) {
    try {
      if (!existsSync(file) || !statSync(file).isFile()) continue;
      const text = readFileSync(file, 'utf8');
      if (tokens.some((token) => text.includes(token))) holding.push(file);
    } catch {
      // unreadable (permissions, gone meanwhile): not this user's to erase from
    }
  }
  return holding.sort();
}
