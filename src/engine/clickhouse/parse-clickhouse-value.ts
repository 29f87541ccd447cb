import type { SqlValue } from '../warehouse.js';

/** `Nullable(T)` and `LowCardinality(T)` unwrapped to `T`. */
export function baseType(type: string): string {
  const match = /^(?:Nullable|LowCardinality)\((.*)\)$/.exec(type);
  return match ? baseType(match[1]!) : type;
}

/** True for ClickHouse's integer, float and decimal types (a column of numbers). */
export function isNumericType(type: string): boolean {
  return /^(U?Int(8|16|32|64)|Float(32|64)|Decimal)/.test(baseType(type));
}

const ESCAPES: Record<string, string> = { t: '\t', n: '\n', r: '\r', '\\': '\\', '0': '\0', b: '\b', f: '\f', "'": "'" };

/** A TabSeparated field unescaped (`\t`, `\n`, `\\`, …). */
export function unescapeTsv(field: string): string {
  return field.includes('\\') ? field.replace(/\\(.)/g, (_, c: string) => ESCAPES[c] ?? c) : field;
}

/**
 * One TabSeparated field as the warehouse's plain value: `\N` → null,
 * numbers (with `nan`, `inf`, `-inf`) → number, Date and DateTime (UTC) →
 * Date (the epoch, printed as zeros, → 1970-01-01), 64-bit integers → number (as DuckDB's BIGINT), the rest → text.
 */
export function parseClickHouseValue(field: string, type: string): SqlValue {
  if (field === '\\N') return null;
  const base = baseType(type);
  if (isNumericType(base)) {
    if (field === 'nan' || field === '-nan') return Number.NaN;
    if (field === 'inf' || field === '+inf') return Number.POSITIVE_INFINITY;
    if (field === '-inf') return Number.NEGATIVE_INFINITY;
    return Number(field);
  }
  // 18.16 prints the epoch (stored as 0, the first instant the cluster accepts) as zeros
  if (base === 'Date') return new Date(field === '0000-00-00' ? 0 : `${field}T00:00:00Z`);
  if (base.startsWith('DateTime')) return new Date(field.startsWith('0000-00-00') ? 0 : `${field.replace(' ', 'T')}Z`);
  return unescapeTsv(field);
}
