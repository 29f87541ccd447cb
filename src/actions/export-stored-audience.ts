import { resolve } from 'node:path';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import type { JsonValue } from '../privacy/warehouse/canonical-json.js';
import type { Access } from '../privacy/access/access.js';
import { assertCan, permittedAction, type Action } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import { recordAudit } from '../privacy/warehouse/warehouse-audit.js';
import { readAudience, type StoredAudience } from './audience-store.js';
import { AUDIENCE_EXPORT_ACTIONS, audienceFileFormat, checkAudienceFilePath, writeAudienceFile, type AudienceFile, type AudienceFileOptions } from './export-audience-file.js';

/**
 * The audit entries of an audience export: the export itself (`export_audience`
 * or `export_customers`, target `audience:<name>`, group sizes, `details` plus
 * the file, its columns and the group it holds) and, when original ids were written, a
 * `reidentify` entry. Call inside the transaction of the write it records.
 */
export async function recordAudienceExport(
  warehouse: Warehouse,
  keyring: Keyring | null,
  access: Access,
  entry: {
    readonly action: Action;
    readonly audience: string;
    readonly rowCounts: Readonly<Record<string, number>>;
    readonly details: { readonly [key: string]: JsonValue };
    readonly file: AudienceFile | null;
    /** where the file went, when not its path (a scratch file sent as an HTTP response) */
    readonly destination?: string;
  },
): Promise<void> {
  if (!keyring) return;
  const { file } = entry;
  // the file by its absolute path, as an analysis's files are: a path as typed is relative to a folder the log does not
  // record, and an officer could not tell where a file with ids or e-mail addresses went
  const path = file ? resolve(file.path) : null;
  await recordAudit(warehouse, keyring, access, { action: entry.action, target: `audience:${entry.audience}`, rowCounts: entry.rowCounts, details: { ...entry.details, file: entry.destination ?? path, columns: file ? [...file.columns] : [], group: file?.group ?? null } });
  if (file && file.revealed > 0) await recordAudit(warehouse, keyring, access, { action: 'reidentify', target: `file:${path}`, rowCounts: { customers: file.revealed }, details: { reason: `audience ${entry.audience} --reveal-ids` } });
}

/**
 * Writes the members of a stored audience to a file again (`clvkit audience
 * show NAME --out FILE`): masked by role as when it was drawn, audited as an
 * export in one transaction, the file moved into place after the commit.
 * `via` names the export in the audit log when it is not that command (the
 * HTTP API's route, the file sent as its response; with `api`, the refusals
 * name the API's routes too).
 */
export async function exportStoredAudience(
  warehouse: Warehouse,
  name: string,
  out: AudienceFileOptions,
  keyring: Keyring | null,
  access: Access,
  via: { readonly command: string; readonly destination: string; readonly api?: boolean } = { command: 'audience show --out', destination: '' },
): Promise<{ audience: StoredAudience; file: AudienceFile }> {
  const action = permittedAction(access.role, AUDIENCE_EXPORT_ACTIONS);
  if (out.revealIds) assertCan(access.role, 'reidentify');
  checkAudienceFilePath(out.path);
  audienceFileFormat(out.path, out.format);
  const audience = await readAudience(warehouse, name);
  if (audience.members === 0) throw new UserError(`audience ${name} has no members left (erased or purged)`, via.api ? 'draw it again: POST /api/audiences' : 'draw it again with clvkit audience create');
  const scratch: { file: AudienceFile | null } = { file: null };
  try {
    await warehouse.transaction(async () => {
      scratch.file = await writeAudienceFile(warehouse, name, out, keyring, access);
      await recordAudienceExport(warehouse, keyring, access, { action, audience: name, rowCounts: { members: scratch.file.rows }, details: { command: via.command }, file: scratch.file, ...(via.destination ? { destination: via.destination } : {}) });
    });
  } catch (error) {
    scratch.file?.discard();
    throw error;
  }
  scratch.file!.finish();
  return { audience, file: scratch.file! };
}
