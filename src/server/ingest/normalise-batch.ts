import { UserError } from '../../core/errors/user-error.js';

/** The fields an API batch record may carry, per kind (others are dropped): the roles of an event file and of a transaction file. */
export const BATCH_FIELDS = {
  events: ['customer_id', 'anonymous_id', 'session_id', 'ts', 'type', 'product_id', 'category', 'query'],
  orders: ['order_id', 'customer_id', 'date', 'product_id', 'description', 'category', 'quantity', 'unit_price', 'amount', 'cost', 'channel', 'region', 'country'],
} as const;

export type BatchKind = keyof typeof BATCH_FIELDS;

/** Fields kept in the file an applied group is read from even when no record has them, so that the ingest's rules judge their absence (quarantine) instead of refusing the file. */
export const REQUIRED_BATCH_FIELDS: Readonly<Record<BatchKind, readonly string[]>> = { events: ['customer_id', 'ts', 'type'], orders: ['customer_id', 'date'] };

/** Largest number of records in one request. */
export const MAX_BATCH_RECORDS = 10_000;

function fieldText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * A request body (a JSON array of objects, or NDJSON: one object per line)
 * as the NDJSON the write-ahead log keeps and file ingest reads: every record
 * with the same fields in the same order (those some record of the batch
 * has, and the required ones), each a string or null, so that the engine's
 * JSON reader sees one schema; batches with the same fields are applied
 * together by concatenating their bodies. A line or element
 * that is not a JSON object rejects the whole batch (`UserError`, 400:
 * nothing is stored); what is wrong inside a record — no customer id, a bad
 * date, an unknown type — is for the ingest's rules, which quarantine it with
 * a reason.
 *
 * Example: `normaliseBatch('{"customer_id":7,"ts":"2026-01-02T10:00:00Z","type":"view"}', 'events')` → `{ ndjson: '{"customer_id":"7","ts":"2026-01-02T10:00:00Z","type":"view"}\n', records: 1, fields: ['customer_id', 'ts', 'type'] }` (`fields`: those some record has, and the required ones)
 */
export function normaliseBatch(body: unknown, kind: BatchKind): { ndjson: string; records: number; fields: string[] } {
  let items: unknown[];
  if (Array.isArray(body)) items = body;
  else if (typeof body === 'string') {
    const trimmed = body.trim();
    if (trimmed.startsWith('[')) {
      try {
        items = JSON.parse(trimmed) as unknown[];
      } catch (error) {
        throw new UserError(`the body is not a JSON array: ${(error as Error).message}`, 'send a JSON array of objects, or NDJSON (one JSON object per line)');
      }
    } else {
      items = [];
      const lines = body.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!.trim();
        if (line === '') continue;
        try {
          items.push(JSON.parse(line));
        } catch {
          throw new UserError(`line ${i + 1} of the body is not JSON`, 'NDJSON: one JSON object per line; nothing of this batch was stored, send it again when fixed');
        }
      }
    }
  } else if (body !== null && typeof body === 'object') items = [body];
  else throw new UserError('the body is empty', 'send a JSON array of objects, or NDJSON (one JSON object per line)');
  if (!Array.isArray(items)) throw new UserError('the body is not a JSON array or NDJSON', 'send a JSON array of objects, or NDJSON (one JSON object per line)');
  if (items.length === 0) throw new UserError('the batch holds no records', 'send at least one record');
  if (items.length > MAX_BATCH_RECORDS) throw new UserError(`the batch holds ${items.length} records, more than ${MAX_BATCH_RECORDS}`, `split it into batches of at most ${MAX_BATCH_RECORDS}`);
  const fields = BATCH_FIELDS[kind];
  const present = new Set<string>(REQUIRED_BATCH_FIELDS[kind]);
  const records = items.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new UserError(`record ${i + 1} is not a JSON object`, `each record is an object with fields such as ${fields.slice(0, 5).join(', ')}`);
    const record = item as Record<string, unknown>;
    const out: Record<string, string | null> = {};
    for (const field of fields) {
      out[field] = fieldText(record[field]);
      if (out[field] !== null) present.add(field);
    }
    return out;
  });
  // only the fields some record has (an absent amount stays absent: quantity × unit price, not a column of NULLs)
  const kept = fields.filter((f) => present.has(f));
  const lines = records.map((out) => JSON.stringify(Object.fromEntries(kept.map((f) => [f, out[f]]))));
  return { ndjson: lines.join('\n') + '\n', records: lines.length, fields: kept };
}
