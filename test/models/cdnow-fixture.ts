/**
 * Test helpers: the CDNOW sample (Fader & Hardie; 2,357 customers, 39-week
 * calibration) as RfmData and as Gamma-Gamma SpendData, plus tuple compression.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import type { RfmData } from '../../src/models/model-types.js';
import type { SpendData } from '../../src/models/gamma-gamma/gamma-gamma.js';

const fixtureDirectory = fileURLToPath(new URL('../fixtures/cdnow/', import.meta.url));

/** cdnow_customers_summary.csv as per-customer RfmData (weeks, weight 1). */
export function loadCdnowSummary(): RfmData {
  const lines = readFileSync(fixtureDirectory + 'cdnow_customers_summary.csv', 'utf8').trim().split('\n').slice(1);
  const n = lines.length;
  const frequency = new Float64Array(n), recency = new Float64Array(n), T = new Float64Array(n);
  lines.forEach((line, i) => {
    const [, x, tx, t] = line.split(',').map(Number);
    frequency[i] = x;
    recency[i] = tx;
    T[i] = t;
  });
  return { frequency, recency, T, weight: new Float64Array(n).fill(1) };
}

/**
 * Per-customer repeat count and mean repeat spend from CDNOW_sample.txt.gz:
 * calibration = purchases up to 1997-09-30; one transaction per customer-day
 * (dollar values summed); frequency = distinct days − 1; monetary = mean of
 * the day totals excluding the first purchase day (0 when frequency is 0).
 */
export function loadCdnowSpend(): SpendData {
  const text = gunzipSync(readFileSync(fixtureDirectory + 'CDNOW_sample.txt.gz')).toString('utf8');
  const days = new Map<string, Map<number, number>>();
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 5) continue;
    const [customer, , date, , value] = fields;
    const day = Number(date);
    if (day > 19970930) continue;
    let perDay = days.get(customer);
    if (perDay === undefined) days.set(customer, (perDay = new Map()));
    perDay.set(day, (perDay.get(day) ?? 0) + Number(value));
  }
  const n = days.size;
  const frequency = new Float64Array(n), monetary = new Float64Array(n);
  let i = 0;
  for (const perDay of days.values()) {
    const sorted = [...perDay.entries()].sort((a, b) => a[0] - b[0]);
    frequency[i] = sorted.length - 1;
    let sum = 0;
    for (let k = 1; k < sorted.length; k++) sum += sorted[k][1];
    monetary[i] = sorted.length > 1 ? sum / (sorted.length - 1) : 0;
    i++;
  }
  return { frequency, monetary, weight: new Float64Array(n).fill(1) };
}

/** Compress per-customer RfmData to unique (x, t_x, T) tuples with summed weights. */
export function compressRfmData(data: RfmData): RfmData {
  const map = new Map<string, number>();
  const f: number[] = [], r: number[] = [], t: number[] = [], w: number[] = [];
  for (let i = 0; i < data.frequency.length; i++) {
    const key = `${data.frequency[i]}|${data.recency[i]}|${data.T[i]}`;
    const k = map.get(key);
    if (k === undefined) {
      map.set(key, f.length);
      f.push(data.frequency[i]);
      r.push(data.recency[i]);
      t.push(data.T[i]);
      w.push(data.weight[i]);
    } else {
      w[k] += data.weight[i];
    }
  }
  return { frequency: Float64Array.from(f), recency: Float64Array.from(r), T: Float64Array.from(t), weight: Float64Array.from(w) };
}
