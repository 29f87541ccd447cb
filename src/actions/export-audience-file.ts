import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { statOrUndefined } from '../core/errors/file-system-error.js';
import { UserError } from '../core/errors/user-error.js';
import { checkOutputFile } from '../core/output-paths.js';
import { startOwnerOnlyFile } from '../core/replace-file.js';
import { shellPath } from '../core/shell-word.js';
import type { Warehouse } from '../engine/warehouse.js';
import { warehouseFlags } from '../engine/warehouse-flags.js';
import type { Access } from '../privacy/access/access.js';
import { prepareCustomerExport } from '../privacy/access/customer-export.js';
import { can, type Action } from '../privacy/access/rbac.js';
import type { Keyring } from '../privacy/keys/keyring.js';
import type { AudienceFileGroup } from './audience-file-group.js';

/** The actions that allow writing an audience file: marketers export audiences, analysts and admins customer-level tables. */
export const AUDIENCE_EXPORT_ACTIONS: readonly Action[] = ['export_audience', 'export_customers'];

export type AudienceFileFormat = 'csv' | 'json';

export interface AudienceFileOptions {
  readonly path: string;
  /** default: from the extension (`.json` → json, else csv) */
  readonly format?: AudienceFileFormat;
  /** add `original_id` (admin; audited as a re-identification by the caller) */
  readonly revealIds?: boolean;
  /** the members written (default all, each with its group) */
  readonly group?: AudienceFileGroup;
}

export interface AudienceFile {
  readonly path: string;
  readonly format: AudienceFileFormat;
  readonly rows: number;
  readonly columns: readonly string[];
  /** the members it holds: one group, or all */
  readonly group: AudienceFileGroup;
  /** members whose original id was written */
  readonly revealed: number;
  /** files an older version wrote `path` through (`<path>.tmp-<pid>`), kept beside it: their process is alive (the others are removed) */
  readonly keptOldScratchFiles: readonly string[];
  /** `finish()` moves the file into place (call after the warehouse write committed; a folder made at `path` meanwhile is a `UserError`); `discard()` removes it */
  finish(): void;
  discard(): void;
}

const SCRATCH = 'clv_audience_export';

/** The format of an audience file: the flag, else the extension. */
export function audienceFileFormat(path: string, format?: string): AudienceFileFormat {
  const extension = extname(path).toLowerCase();
  // a name that promises a format clvkit does not write (a spreadsheet opens the CSV): refused unless --format says CSV or JSON
  if (format === undefined && OTHER_FORMATS.includes(extension)) {
    const stem = basename(path, extname(path));
    throw new UserError(`--out ${path}: audience files are CSV or JSON, not ${extension}`, `name it ${stem}.csv (a spreadsheet opens it) or ${stem}.json, or pass --format csv to write CSV under this name`);
  }
  const chosen = format ?? (extension === '.json' ? 'json' : 'csv');
  if (chosen !== 'csv' && chosen !== 'json') throw new UserError(`--format ${chosen} is not csv or json`, 'pass --format csv (e-mail and ads tools) or --format json');
  return chosen;
}

/** Extensions of formats an audience file is not written in. */
const OTHER_FORMATS = ['.xlsx', '.xls', '.xlsm', '.ods', '.parquet'];

/** Checks `--out` before any work: not a folder, and it may be written (`checkOutputFile`); a missing folder is created when it is written (as analyze's and playbook's --out). */
export function checkAudienceFilePath(path: string): void {
  checkOutputFile(path, '--out', 'audience.csv', { createFolder: true });
}

/**
 * Writes the members of a stored audience to a file beside `path` (moved into
 * place by `finish()`, so a failed warehouse write leaves no file): one row
 * per member, `customer_id` (the token) and `group` (treatment or control) —
 * with `group` one group's members alone (treatment: the send file);
 * with `revealIds` (admin) `original_id`; for admins the e-mail address when
 * the warehouse holds one (the only contact column an e-mail or ads tool
 * needs); nothing personal for any other role. Every file is written in a
 * 0700 scratch folder beside `path` (`startOwnerOnlyFile`, which first removes
 * the folders crashed exports of `path` left, and the `<path>.tmp-<pid>` files
 * older versions' crashed exports left), where `finish()` takes the file
 * from (the folder removed also when that fails): files with original ids or
 * e-mails are readable by their owner only (0600) from the moment they exist,
 * others keep the default mode.
 *
 * Example: `await writeAudienceFile(wh, 'winback', { path: 'winback.csv' }, keyring, access)` → `{ rows: 410, columns: ['customer_id', 'group'], … }`
 */
export async function writeAudienceFile(warehouse: Warehouse, audience: string, file: AudienceFileOptions, keyring: Keyring | null, access: Access): Promise<AudienceFile> {
  const d = warehouse.dialect;
  const format = audienceFileFormat(file.path, file.format);
  const group = file.group ?? 'all';
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${SCRATCH} AS SELECT customer_id, group_name FROM audience_members WHERE audience = ${d.literal(audience)}${group === 'all' ? '' : ` AND group_name = ${d.literal(group)}`}`);
  const identity = await prepareCustomerExport(warehouse, {
    keyring,
    access,
    revealIds: file.revealIds === true,
    customerTable: SCRATCH,
    alias: 'm',
    piiRoles: can(access.role, 'view_raw_pii') ? ['email'] : [],
    actions: AUDIENCE_EXPORT_ACTIONS,
  });
  const sql = `SELECT m.customer_id, m.group_name AS ${d.identifier('group')}${identity.selectSql} FROM ${SCRATCH} m${identity.joinSql} ORDER BY m.customer_id`;
  mkdirSync(dirname(file.path), { recursive: true }); // a missing folder is created, as analyze's and playbook's --out (checkAudienceFilePath checked it)
  // the file is written in a fresh 0700 scratch folder beside --out, kept there until finish() renames it into place
  // and removed whatever the rename meets (a crash's is removed by the next export of --out). With original ids or
  // e-mails it is made 0600 (json as it is created): a chmod after the write (DuckDB's COPY makes a file of the default
  // mode) left it world-readable beside --out until then, and after a crash for good. A file of tokens alone keeps the
  // default mode; it was written beside --out as <out>.tmp-<pid>, which a failed rename or a crash left for good
  // (such files of an ended process are removed here; those of a live one kept, named in keptOldScratchFiles)
  const personal = identity.revealed > 0 || identity.columns.length > 0;
  const scratch = startOwnerOnlyFile(file.path, { keepMode: !personal, oldScratchFiles: true });
  const scratchPath = scratch.scratchPath;
  const discard = () => scratch.discard();
  let rows: number;
  try {
    if (format === 'csv') {
      rows = await warehouse.exportCsv(sql, scratchPath);
    } else {
      const members = await warehouse.query(sql);
      writeFileSync(scratchPath, JSON.stringify(members, null, 1) + '\n', { mode: personal ? 0o600 : 0o666 });
      rows = members.length;
    }
  } catch (error) {
    discard(); // the caller has no file to discard yet
    throw error;
  }
  return {
    path: file.path,
    format,
    rows,
    columns: ['customer_id', 'group', ...identity.columns],
    group,
    revealed: identity.revealed,
    keptOldScratchFiles: scratch.keptOldScratchFiles,
    finish: () => {
      try {
        scratch.place();
      } catch (error) {
        // a folder made at --out since checkAudienceFilePath (a user's other program): theirs to fix, in one line
        if (statOrUndefined(file.path)?.isDirectory()) {
          throw new UserError(`${file.path} is a folder, not a file: one was made there while the members were written (the audience ${audience} is stored; its file was not written)`, `remove or rename that folder, then write the file: clvkit audience show ${audience} ${warehouseFlags(warehouse)} --out ${shellPath(file.path)}`);
        }
        throw error;
      }
    },
    discard,
  };
}
