// Bench case: scoring 100 boosted trees on both cores (two worker threads, each scoring half of the rows held in
// SharedArrayBuffers). Run by the harness as `learned-score-parallel.ts <rows>`; the single-core figure is learned.ts `score`.
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { fitGradientBoosting, type GradientBoostedModel } from '../../src/models/learned/gradient-boosting.js';
import { predictGradientBoosting } from '../../src/models/learned/predict-gradient-boosting.js';
import { reportCase } from '../bench-harness.js';
import { generateLearnedData, TRAINING } from './learned.js';

interface Slice {
  readonly model: GradientBoostedModel;
  readonly columns: readonly SharedArrayBuffer[];
  readonly out: SharedArrayBuffer;
  readonly start: number;
  readonly end: number;
}

const WORKERS = 2;

async function main(rows: number): Promise<void> {
  const model = fitGradientBoosting(generateLearnedData(20_000, 7), TRAINING);
  const data = generateLearnedData(rows, 8);
  const columns = data.columns.map((column) => {
    const shared = new SharedArrayBuffer(column.byteLength);
    new Float64Array(shared).set(column);
    return shared;
  });
  const out = new SharedArrayBuffer(rows * 8);
  const workers = Array.from({ length: WORKERS }, (_, w) => {
    const slice: Slice = { model, columns, out, start: Math.floor((w * rows) / WORKERS), end: Math.floor(((w + 1) * rows) / WORKERS) };
    // a worker does not inherit tsx's loader: register it, then load this file
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
    return new Worker(boot, { eval: true, workerData: slice });
  });
  // started (modules loaded) before the clock starts
  await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('message', resolve))));
  const started = performance.now();
  const cpu = process.cpuUsage();
  const done = workers.map((worker) => new Promise((resolve) => worker.once('message', resolve)));
  for (const worker of workers) worker.postMessage('go');
  await Promise.all(done);
  const seconds = (performance.now() - started) / 1000;
  // the process's CPU time covers every thread: the two workers' scoring (and the main thread's wait)
  const used = process.cpuUsage(cpu);
  await Promise.all(workers.map((worker) => worker.terminate()));
  // the same scores as one thread (untimed)
  const single = predictGradientBoosting(model, data.columns);
  const parallel = new Float64Array(out);
  let identical = 1;
  for (let i = 0; i < rows; i++) if (single[i] !== parallel[i]) identical = 0;
  reportCase(seconds, { workers: WORKERS, identical, cpuSeconds: (used.user + used.system) / 1e6 });
}

function work(slice: Slice): void {
  parentPort!.once('message', () => {
    const columns = slice.columns.map((shared) => new Float64Array(shared).subarray(slice.start, slice.end));
    new Float64Array(slice.out).set(predictGradientBoosting(slice.model, columns), slice.start);
    parentPort!.postMessage('done');
  });
  parentPort!.postMessage('ready');
}

if (!isMainThread) work(workerData as Slice);
else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) await main(Number(process.argv[2]));
