// Bench case: the whole `analyze` run (ingest, summary, value models, cross-sell, outputs) on a transactions CSV.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../../src/pipeline/analyze.js';
import { reportCase } from '../bench-harness.js';

const [path] = process.argv.slice(2);
if (!path) throw new Error('usage: analyze-end-to-end.ts <csv>');
const started = performance.now();
const run = await analyze({ files: [path], db: ':memory:', outDir: mkdtempSync(join(tmpdir(), 'clvkit-bench-analyze-')), now: new Date('2030-01-01T00:00:00Z') });
reportCase((performance.now() - started) / 1000, { customers: run.headline.customers, ...Object.fromEntries(Object.entries(run.timingsMs).map(([k, v]) => [`ms ${k}`, v])) });
