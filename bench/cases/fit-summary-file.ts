// Bench case: `clvkit fit --model bgnbd` on a 1M-customer summary CSV, against lifetimes' BetaGeoFitter on the same file.
//   fit-summary-file.ts <csv> generate <customers>   write the summary file (BG/NBD, CDNOW-like; not timed)
//   fit-summary-file.ts <csv> process                the whole `clvkit fit` process (node start, DuckDB read + GROUP BY, fit, JSON out)
//   fit-summary-file.ts <csv> fit                    the fit alone, on the unique tuples (read and grouping not timed), one cold
//                                                    fitBgNbd call as `clvkit fit` makes it; also its CPU time and the 1-minute load
//   fit-summary-file.ts <csv> lifetimes              python3 + lifetimes on the same file, when installed (else seconds = NaN)
//   fit-summary-file.ts <csv> engine                 a bare node process that reads the file with DuckDB and groups it to tuples
//                                                    (the floor of the whole process, in the same run: a ratio that survives a loaded machine)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../../src/math/random.js';
import { simulateBgNbd } from '../../src/models/bgnbd/simulate-bgnbd.js';
import { fitBgNbd } from '../../src/models/bgnbd/bgnbd.js';
import { openDuckDbWarehouse } from '../../src/engine/duckdb-warehouse.js';
import { readSummaryTuples } from '../../src/cli/commands/fit-command.js';
import { reportCase } from '../bench-harness.js';

const [csv, mode, customersText] = process.argv.slice(2);
if (!csv || !['generate', 'process', 'fit', 'lifetimes', 'engine'].includes(mode ?? '')) throw new Error('usage: fit-summary-file.ts <csv> <generate|process|fit|lifetimes|engine> [customers]');

if (mode === 'generate') {
  const customers = Number(customersText ?? 1_000_000);
  const random = createRandom(7);
  const T = new Float64Array(customers);
  for (let i = 0; i < customers; i++) T[i] = Math.round((78 - 12 * random.uniform()) * 7) / 7;
  const simulated = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { T, seed: 11 });
  const lines = ['frequency,recency,T'];
  for (let i = 0; i < customers; i++) lines.push(`${simulated.frequency[i]},${(Math.round(simulated.recency[i]! * 7) / 7).toFixed(6)},${T[i]!.toFixed(6)}`);
  writeFileSync(csv, lines.join('\n') + '\n');
  reportCase(0, { customers });
} else if (mode === 'process') {
  // the CLI as installed (dist/, `npm run build`), or through tsx when it is not built
  const built = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url));
  const cli = existsSync(built) ? [built] : ['--import', 'tsx', fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url))];
  const run = (args: string[]) => {
    const started = performance.now();
    const out = execFileSync(process.execPath, [...cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
    return { out, seconds: (performance.now() - started) / 1000 };
  };
  const startup = run(['--version']);
  const fit = run(['fit', csv, '--model', 'bgnbd', '--json']);
  const result = JSON.parse(fit.out) as { n: number; uniqueTuples: number; converged: boolean; logLikelihood: number };
  reportCase(fit.seconds, { customers: result.n, tuples: result.uniqueTuples, converged: String(result.converged), startupSeconds: startup.seconds, cli: existsSync(built) ? 'dist' : 'tsx' });
} else if (mode === 'engine') {
  const script = `import { DuckDBInstance } from '@duckdb/node-api';
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const reader = await connection.runAndReadAll(\`SELECT count(*) AS n FROM (SELECT frequency, recency, T, count(*) FROM read_csv(${JSON.stringify(csv).replace(/"/g, "'")}, header = true) GROUP BY ALL)\`);
console.log(String(reader.getRows()[0][0]));
connection.closeSync();
instance.closeSync();`;
  const started = performance.now();
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../..', import.meta.url)) });
  reportCase((performance.now() - started) / 1000, { tuples: Number(out.trim()) });
} else if (mode === 'fit') {
  const warehouse = await openDuckDbWarehouse(':memory:', { migrate: false });
  const t = await readSummaryTuples(warehouse, csv, ['frequency', 'recency', 'T']);
  await warehouse.close();
  const load = loadavg()[0]!;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const fitted = fitBgNbd({ frequency: t.columns.frequency!, recency: t.columns.recency!, T: t.columns.T!, weight: t.weight });
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  reportCase(seconds, { tuples: t.weight.length, converged: String(fitted.fit.converged), cpuSeconds: (used.user + used.system) / 1e6, load, message: fitted.fit.message });
} else {
  const check = spawnSync('python3', ['-c', 'import lifetimes'], { encoding: 'utf8' });
  if (check.status !== 0) reportCase(Number.NaN, { installed: 'no' });
  else {
    const script = `import time, pandas as pd\nfrom lifetimes import BetaGeoFitter\nd = pd.read_csv(${JSON.stringify(csv)})\ns = time.perf_counter()\nBetaGeoFitter(penalizer_coef=0).fit(d['frequency'], d['recency'], d['T'])\nprint(time.perf_counter() - s)`;
    const started = performance.now();
    const fitSeconds = Number(execFileSync('python3', ['-c', script], { encoding: 'utf8' }).trim());
    reportCase((performance.now() - started) / 1000, { installed: 'yes', fitSeconds });
  }
}
