/**
 * The report's examples of quarantined rows: a few of each reason, readable
 * and masked. A warehouse with a key holds a quarantined row's text and
 * detail only as envelopes bound to the row's place; they are opened here
 * with the run's key when its role may see masked personal data, and masked
 * before they reach the report. Without the key (or the right) the example
 * shows its place and reason only, never an envelope. A row quarantined as
 * an exact duplicate keeps no text by default (`IngestOptions.duplicateText`):
 * it is described by the row it copies.
 */
import type { Warehouse } from '../engine/warehouse.js';
import type { QuarantineExample, ReportRun } from '../report/report-data.js';
import { can } from '../privacy/access/rbac.js';
import { maskPartial } from '../privacy/access/mask.js';
import { dateLikeOrMasked, maskRawField } from '../privacy/access/raw-values.js';
import { quarantineContext } from '../privacy/keys/encrypted-columns.js';
import { decryptValue, isEnvelope } from '../privacy/keys/encryption.js';
import type { Keyring } from '../privacy/keys/keyring.js';

export interface QuarantineExampleOptions {
  /** the warehouse key: opens the envelopes of `raw` and `detail` (absent: they are not shown) */
  readonly keyring?: Keyring | null;
  /** who builds the report: the text is opened only for a role that may see masked personal data (`view_masked_pii`) */
  readonly role?: string;
  /** examples per reason (default 3) */
  readonly perReason?: number;
}

/**
 * A quarantined line as the report may show it: fields split on the file's
 * delimiter; dates, decimals and small whole numbers (quantities, prices) stay
 * readable, everything else — text, long digit runs such as customer or
 * phone numbers, e-mail addresses — keeps only its first character.
 *
 * Example: `maskQuarantineLine('536365,POST,POSTAGE,3,2011-01-05 10:00:00,18.0,,France', ',')`
 * → `'5***,P***,P***,3,2011-01-05 10:00:00,18.0,,F***'`
 */
export function maskQuarantineLine(raw: string, delimiter: string | null): string {
  const separator = delimiter === null || delimiter === 'whitespace' ? ' ' : delimiter;
  return raw.split(separator).map(maskRawField).join(separator);
}

/**
 * The detail of a quarantined row as the report shows it: a duplicate by the
 * row it copies, an unreadable date as read when it looks like one (digits,
 * separators, AM/PM, month names and a date's shape — what a reader needs to
 * fix --date-format: `dateLikeOrMasked`), masked otherwise; any other detail
 * masked.
 *
 * Example: `describeQuarantineDetail('duplicate', 'same as line 17', 'orders.csv', true)` → `'duplicate of line 17 of orders.csv; its text is not stored (held already)'`
 */
export function describeQuarantineDetail(reason: string, detail: string | null, source: string, textStored: boolean): string | null {
  if (reason === 'duplicate') {
    const line = detail === null ? null : /^same as line (\d+)$/.exec(detail)?.[1];
    const copies = line ? `duplicate of line ${line} of ${source}` : detail === null ? 'copy of a row the warehouse already held' : maskPartial(detail);
    return textStored ? copies : `${copies}; its text is not stored (held already)`;
  }
  if (detail === null) return null;
  const date = /^date: (.*)$/s.exec(detail);
  if (date) return `date: ${dateLikeOrMasked(date[1]!)}`;
  return maskPartial(detail);
}

/** Up to `perReason` quarantined lines of each reason (the earliest), opened with the key where the role allows, masked for display. */
export async function quarantineExamples(warehouse: Warehouse, run: ReportRun, options: QuarantineExampleOptions = {}): Promise<QuarantineExample[]> {
  const delimiterOf = new Map(run.ingest.files.map((f) => [f.source.split('/').pop()!, f.delimiter]));
  const examples = warehouse.dialect.firstPerGroup('SELECT source, line, reason, detail, raw, ingest_id FROM quarantine', 'reason', 'ingest_id, line', options.perReason ?? 3);
  const rows = await warehouse.query(`SELECT source, line, reason, detail, raw, ingest_id FROM (${examples}) q ORDER BY reason, source, line`);
  const keyring = options.keyring && can(options.role ?? 'analyst', 'view_masked_pii') ? options.keyring : null;
  const open = (value: unknown, ingestId: number, line: number): { readonly text: string | null; readonly hidden: boolean } => {
    if (value === null || value === undefined) return { text: null, hidden: false };
    const text = String(value);
    if (!isEnvelope(text)) return { text, hidden: false };
    if (keyring) {
      try {
        return { text: decryptValue(text, keyring, { context: quarantineContext(ingestId, line) }), hidden: false };
      } catch {
        // another key wrote it (or it was altered): not shown
      }
    }
    return { text: null, hidden: true };
  };
  return rows.map((r) => {
    const source = String(r.source);
    const line = Number(r.line);
    const reason = String(r.reason);
    const raw = open(r.raw, Number(r.ingest_id), line);
    const detail = open(r.detail, Number(r.ingest_id), line);
    const shown = detail.hidden ? null : describeQuarantineDetail(reason, detail.text, source, r.raw !== null);
    const note = raw.hidden || detail.hidden ? 'text encrypted: not shown without the warehouse key' : null;
    return {
      source,
      line,
      reason,
      detail: note === null ? shown : shown === null ? note : `${shown}; ${note}`,
      raw: raw.text === null ? '' : maskQuarantineLine(raw.text, delimiterOf.get(source) ?? ','),
    };
  });
}
