// Bench case: `analyze` (in memory) on one synthetic shop, then checks every score in customers.csv:
// finite, P(alive) in [0, 1], expected purchases and CLV ≥ 0. Run by the "shapes" section with a time limit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { analyze } from '../../src/pipeline/analyze.js';
import { reportCase } from '../bench-harness.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: analyze-shape.ts <transactions.csv>');
const outDir = mkdtempSync(join(tmpdir(), 'clvkit-bench-shape-'));
const started = performance.now();
const run = await analyze({ files: [path], db: ':memory:', outDir, now: new Date('2030-01-01T00:00:00Z') });
const seconds = (performance.now() - started) / 1000;

// every score column as text: empty = not scored; anything that is not a finite number in range is bad
const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false' });
const connection = await instance.connect();
const score = (column: string) => `TRY_CAST(nullif(${column}, '') AS DOUBLE)`;
const bad = (column: string, range: string) => `count(*) FILTER (WHERE ${column} IS NOT NULL AND ${column} <> '' AND (${score(column)} IS NULL OR NOT isfinite(${score(column)}) OR NOT (${range})))`;
const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${run.outputs.customersCsv}', all_varchar = true)`);
const columns = new Set(described.getRowObjects().map((row) => String(row.column_name)));
const checks: Record<string, string> = {
  p_alive: `${score('p_alive')} BETWEEN 0 AND 1`,
  expected_purchases_30d: `${score('expected_purchases_30d')} >= 0`,
  expected_purchases_365d: `${score('expected_purchases_365d')} >= 0`,
  predicted_clv_12m: `${score('predicted_clv_12m')} >= 0`,
};
const present = Object.keys(checks).filter((column) => columns.has(column));
const sql = `SELECT count(*) AS customers, ${present.length ? `count(*) FILTER (WHERE nullif(${present[0]}, '') IS NOT NULL) AS scored, ${present.map((c) => `${bad(c, checks[c]!)} AS "${c}"`).join(', ')}` : '0 AS scored'} FROM read_csv('${run.outputs.customersCsv}', all_varchar = true)`;
const [row] = (await connection.runAndReadAll(sql)).getRowObjects();
connection.closeSync();
instance.closeSync();
const badScores = present.map((c) => `${c} ${Number(row![c])}`).filter((text) => !text.endsWith(' 0'));
reportCase(seconds, {
  customers: Number(row!.customers),
  scored: Number(row!.scored),
  model: run.valueModel ? run.valueModel.final.model : 'none',
  badScores: present.length === 0 ? 'no score columns' : badScores.length ? badScores.join(', ') : 'none',
});
