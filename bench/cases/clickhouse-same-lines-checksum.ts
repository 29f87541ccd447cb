// Cheap proof that two warehouses hold the same lines and wrote the same customer summary: a handful of aggregates
// over transactions and customer_summary that any difference in the lines would move.
import type { Warehouse } from '../../src/engine/warehouse.js';

/** The aggregates compared between the engines (integers exact, sums of doubles to 1e-9 relative). */
export interface SameLinesChecksum {
  readonly lines: number;
  /** Σ amount in whole cents (integers: no summation-order rounding) */
  readonly amountCents: number;
  readonly customers: number;
  /** Σ ts in epoch seconds, as decimal text (above 2^53 from 100M lines on: exact only as text) */
  readonly epochSeconds: string;
  readonly summaryRows: number;
  readonly sumFrequency: number;
  readonly sumRecency: number;
  readonly sumT: number;
}

/**
 * The checksum of a warehouse's transactions and its written customer_summary.
 *
 * Example: `await sameLinesChecksum(duckdb)` → `{ lines: 30000, amountCents: 149896459, customers: 1498, epochSeconds: '…', summaryRows: 1498, … }`
 */
export async function sameLinesChecksum(warehouse: Warehouse): Promise<SameLinesChecksum> {
  const epoch = warehouse.dialect.name === 'duckdb' ? 'epoch(ts)' : 'toUnixTimestamp(ts)';
  const [lines] = await warehouse.query(
    `SELECT count(*) AS n, sum(CAST(round(amount * 100) AS BIGINT)) AS cents, count(DISTINCT customer_id) AS customers, CAST(sum(CAST(${epoch} AS BIGINT)) AS VARCHAR) AS epoch_seconds FROM transactions`,
  );
  const [summary] = await warehouse.query('SELECT count(*) AS n, sum(frequency) AS f, sum(recency) AS r, sum(T) AS t FROM customer_summary');
  return {
    lines: Number(lines!.n),
    amountCents: Number(lines!.cents),
    customers: Number(lines!.customers),
    epochSeconds: String(lines!.epoch_seconds),
    summaryRows: Number(summary!.n),
    sumFrequency: Number(summary!.f),
    sumRecency: Number(summary!.r),
    sumT: Number(summary!.t),
  };
}

/**
 * The fields where two checksums differ (sums of doubles within 1e-9 relative: the engines add in different orders).
 *
 * Example: `checksumDifferences(a, { ...a, lines: a.lines + 1 })` → `['lines: 30000 vs 30001']`
 */
export function checksumDifferences(a: SameLinesChecksum, b: SameLinesChecksum): string[] {
  const inexact = new Set(['sumRecency', 'sumT', 'sumFrequency']);
  return (Object.keys(a) as (keyof SameLinesChecksum)[]).filter((key) => {
    const [x, y] = [Number(a[key]), Number(b[key])];
    return inexact.has(key) ? !(Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y))) : a[key] !== b[key];
  }).map((key) => `${key}: ${a[key]} vs ${b[key]}`);
}
