import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `name` beside the caller (`here`: the caller's import.meta.url): its compiled
 * file, or — run from the TypeScript sources (tests, tsx) — the source through tsx's loader.
 *
 * Example: `startModuleWorker(import.meta.url, 'sequence-rules-worker', job)`
 */
export function startModuleWorker(here: string, name: string, workerData: unknown): Worker {
  if (here.endsWith('.js')) return new Worker(new URL(`./${name}.js`, here), { workerData });
  // tsx's ESM API (its package exports name the CommonJS build for require.resolve)
  const tsx = pathToFileURL(join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const source = new URL(`./${name}.ts`, here).href;
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
