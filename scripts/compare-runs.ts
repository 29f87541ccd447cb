/**
 * Compares two analyze output folders and prints every difference:
 * run.json (ignoring timings, start time, paths and the per-run key id),
 * customers.csv and recommendations.csv. Customer ids are keyed tokens, and a
 * one-shot run's key is random, so the CSVs are compared token-free: as
 * multisets of rows without the id (customers.csv) and of each customer's
 * list (recommendations.csv).
 *
 * Run: npx tsx scripts/compare-runs.ts <before-dir> <after-dir> [--tolerance 1e-9] [--max 40]
 * Exit code 0 when the same, 1 when different.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(args[i + 1]);
  args.splice(i, 2);
  return value;
};
const tolerance = flag('--tolerance', 1e-9);
const max = flag('--max', 40);
const [before, after] = args;
if (!before || !after) {
  console.error('usage: tsx scripts/compare-runs.ts <before-dir> <after-dir> [--tolerance 1e-9] [--max 40]');
  process.exit(2);
}

const IGNORED_KEYS = new Set(['timingsMs', 'startedAt', 'outputs', 'db', 'files', 'rootKeyId', 'source', 'path', 'csv']);
const differences: string[] = [];
const notes: string[] = [];
const differ = (text: string) => differences.push(text);

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= tolerance * Math.max(1, Math.abs(a), Math.abs(b));
}

function compareJson(a: unknown, b: unknown, path: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!sameNumber(a, b)) differ(`${path}: ${a} → ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) differ(`${path}: ${a.length} items → ${b.length} items`);
    for (let i = 0; i < Math.min(a.length, b.length); i++) compareJson(a[i], b[i], `${path}[${i}]`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (IGNORED_KEYS.has(key)) continue;
      const inA = Object.hasOwn(a, key);
      const inB = Object.hasOwn(b, key);
      if (!inA) differ(`${path}.${key}: added ${JSON.stringify((b as Record<string, unknown>)[key]).slice(0, 160)}`);
      else if (!inB) differ(`${path}.${key}: removed`);
      else compareJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) differ(`${path}: ${JSON.stringify(a)?.slice(0, 160)} → ${JSON.stringify(b)?.slice(0, 160)}`);
}

/** Splits a CSV line on commas outside quotes. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted && ch === '"' && line[i + 1] === '"') (field += '"'), i++;
    else if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) out.push(field), (field = '');
    else field += ch;
  }
  out.push(field);
  return out;
}

function readCsv(path: string): { header: string[]; rows: string[][] } | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
  return { header: splitCsv(lines[0] ?? ''), rows: lines.slice(1).map(splitCsv) };
}

function normaliseField(value: string): string {
  const n = Number(value);
  return value !== '' && Number.isFinite(n) ? String(Number(n.toPrecision(12))) : value;
}

/** Multiset difference of two lists of keys: what only `a` has, what only `b` has. */
function multisetDiff(a: string[], b: string[]): { onlyA: string[]; onlyB: string[] } {
  const count = new Map<string, number>();
  for (const k of a) count.set(k, (count.get(k) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const k of b) {
    const n = count.get(k) ?? 0;
    if (n > 0) count.set(k, n - 1);
    else onlyB.push(k);
  }
  const onlyA = [...count].flatMap(([k, n]) => Array.from({ length: n }, () => k));
  return { onlyA, onlyB };
}

/** Whether two fields are numbers equal up to one unit of the last printed decimal. */
function lastDigitOnly(x: string, y: string): boolean {
  const a = Number(x);
  const b = Number(y);
  if (x === '' || y === '' || !Number.isFinite(a) || !Number.isFinite(b)) return x === y;
  const decimals = Math.max((x.split('.')[1] ?? '').length, (y.split('.')[1] ?? '').length);
  return Math.abs(a - b) <= 10 ** -decimals * 1.000001 + tolerance * Math.max(Math.abs(a), Math.abs(b));
}

/** Pairs sorted unmatched rows whose every field agrees up to the last printed digit. */
function pairLastDigit(onlyA: string[], onlyB: string[]): { onlyA: string[]; onlyB: string[]; lastDigit: number } {
  if (onlyA.length !== onlyB.length) return { onlyA, onlyB, lastDigit: 0 };
  const restA: string[] = [];
  const restB: string[] = [];
  let lastDigit = 0;
  onlyA.forEach((rowA, i) => {
    const fa = rowA.split(',');
    const fb = onlyB[i]!.split(',');
    if (fa.length === fb.length && fa.every((f, j) => lastDigitOnly(f, fb[j]!))) lastDigit++;
    else restA.push(rowA), restB.push(onlyB[i]!);
  });
  return { onlyA: restA, onlyB: restB, lastDigit };
}

function compareCsv(name: string, keyOf: (csv: { header: string[]; rows: string[][] }) => string[]): void {
  const a = readCsv(join(before!, name));
  const b = readCsv(join(after!, name));
  if (!a || !b) {
    if (a || b) differ(`${name}: ${a ? 'present' : 'absent'} → ${b ? 'present' : 'absent'}`);
    return;
  }
  if (a.header.join(',') !== b.header.join(',')) {
    const removed = a.header.filter((h) => !b.header.includes(h));
    const added = b.header.filter((h) => !a.header.includes(h));
    differ(`${name} columns: ${removed.length ? `removed ${removed.join(', ')}` : ''}${added.length ? ` added ${added.join(', ')}` : ''}${!removed.length && !added.length ? 'reordered' : ''}`);
    return;
  }
  if (a.rows.length !== b.rows.length) differ(`${name}: ${a.rows.length} rows → ${b.rows.length} rows`);
  const multiset = multisetDiff(keyOf(a), keyOf(b));
  // rows that differ only in the last printed digit of a number (a fit equal to ~1e-9 rounds the other way) pair up and are counted, not listed
  const { onlyA, onlyB, lastDigit } = pairLastDigit(multiset.onlyA.sort(), multiset.onlyB.sort());
  if (lastDigit > 0) notes.push(`${name}: ${lastDigit} rows differ only in the last printed digit of a number`);
  if (onlyA.length || onlyB.length) {
    differ(`${name}: ${onlyA.length} entries only before, ${onlyB.length} only after`);
    for (const k of onlyA.slice(0, 3)) differ(`  before: ${k.slice(0, 200)}`);
    for (const k of onlyB.slice(0, 3)) differ(`  after:  ${k.slice(0, 200)}`);
  }
}

const runA = JSON.parse(readFileSync(join(before, 'run.json'), 'utf8'));
const runB = JSON.parse(readFileSync(join(after, 'run.json'), 'utf8'));
compareJson(runA, runB, 'run');
// customers.csv: each row without its token
compareCsv('customers.csv', ({ header, rows }) => {
  const id = header.indexOf('customer_id');
  return rows.map((r) => r.filter((_, i) => i !== id).map(normaliseField).join(','));
});
// recommendations.csv: each customer's whole list without the token
compareCsv('recommendations.csv', ({ header, rows }) => {
  const id = header.indexOf('customer_id');
  const lists = new Map<string, string[]>();
  for (const r of rows) {
    const key = r[id]!;
    if (!lists.has(key)) lists.set(key, []);
    lists.get(key)!.push(r.filter((_, i) => i !== id).map(normaliseField).join(','));
  }
  return [...lists.values()].map((l) => l.join(' | '));
});

for (const note of notes) console.log(`note: ${note}`);
if (differences.length === 0) {
  console.log(`same: run.json (ignoring ${[...IGNORED_KEYS].join(', ')}), customers.csv and recommendations.csv agree (relative tolerance ${tolerance})`);
} else {
  console.log(`${differences.length} difference${differences.length === 1 ? '' : 's'}:`);
  for (const d of differences.slice(0, max)) console.log(`  ${d}`);
  if (differences.length > max) console.log(`  … ${differences.length - max} more (--max)`);
  process.exitCode = 1;
}
