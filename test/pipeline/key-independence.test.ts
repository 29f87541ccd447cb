/**
 * Customer ids are keyed tokens, so two runs with different keys see the same
 * customers under different ids (and in a different order when sorted by id).
 * Every published number must be the same: nothing may depend on the token
 * order (fit sums, k-means samples, silhouette samples).
 *
 * The second block compares a whole `clvkit analyze` (cross-sell included) exactly: a float sum taken in token order
 * (the ranking metrics' means, a lifecycle stage's spend, a rule's value support) changed in its last digits from one
 * key to the next — two `npm run demo` runs, each with a key of its own, wrote MAP@10 0.14298426509299383 and
 * 0.14298426509299375, and the recommender choice compares such numbers. So: the same shop under two keys, run.json
 * equal but for the key id, and every customer's recommendations (matched by the original id, --reveal-ids) equal line
 * for line. The run under the first key is shared with analysis-independent-of-duckdb-threads (test/helpers/keyed-shop-run.ts:
 * built once per test run), so this block runs the analysis under the second key only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/pipeline/analyze.js';
import { cli } from '../helpers/cli.js';
import { KEYED_SHOP_ANALYZE, keyedShopRun, runJsonWithoutOutFolder } from '../helpers/keyed-shop-run.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * The shop analysed under the key of 32 bytes 0x2a (shared with analysis-independent-of-duckdb-threads), then the same
 * analysis under 0x17, once for both blocks below: `one` and `other` are their out folders.
 */
let bothRuns: Promise<{ one: string; other: string }> | undefined;
function runsUnderTwoKeys(): Promise<{ one: string; other: string }> {
  bothRuns ??= (async () => {
    const { shop, outDir: one } = await keyedShopRun();
    const previous = process.env.CLVKIT_KEY;
    process.env.CLVKIT_KEY = Buffer.alloc(32, 0x17).toString('base64');
    try {
      const other = join(scratchDir(), 'out');
      const { code, stderr } = await cli(['analyze', shop, '--out', other, ...KEYED_SHOP_ANALYZE]);
      expect(code, stderr).toBe(0);
      return { one, other };
    } finally {
      if (previous === undefined) delete process.env.CLVKIT_KEY;
      else process.env.CLVKIT_KEY = previous;
    }
  })();
  return bothRuns;
}

const summaryIn = (outDir: string) => JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')) as RunSummary;

// the value model and the segments compared on their own (the run.json comparison below covers them too, exactly):
// the two runs of the second block, 3,000 customers under two keys. (Until session 38 this block ran two analyses of
// its own, 400 customers under two random keys: the same claims on a smaller shop, for ~2.5 CPU s.)
describe('analyze does not depend on the key', () => {
  const runs: RunSummary[] = [];
  beforeAll(async () => {
    const { one, other } = await runsUnderTwoKeys();
    runs.push(summaryIn(one), summaryIn(other));
  }, 240_000);

  it('the two runs used different keys', () => {
    expect(runs[0]!.privacy.rootKeyId).not.toBe(runs[1]!.privacy.rootKeyId);
  });

  it('same value model, same parameters to 1e-9', () => {
    const [a, b] = runs.map((r) => r.valueModel!);
    expect(b!.chosen).toBe(a!.chosen);
    for (const [name, value] of Object.entries(a!.final.params)) expect(b!.final.params[name as keyof typeof a.final.params]).toBeCloseTo(value as number, 9);
  });

  it('same segments, clusters and stages', () => {
    const [a, b] = runs.map((r) => r.segments!);
    expect(b!.clusters.clusters.map((c) => c.customers)).toEqual(a!.clusters.clusters.map((c) => c.customers));
    expect(b!.rfm.segments.map((s) => s.customers)).toEqual(a!.rfm.segments.map((s) => s.customers));
    expect(b!.stages.stages.map((s) => s.customers)).toEqual(a!.stages.stages.map((s) => s.customers));
  });
});

/** what a run measures of itself and the key's id (run.json's out folder is written `(out)`: each run has its own) */
const OWN = ['timingsMs', 'elapsedMs', 'startedAt', 'rootKeyId'];

/** recommendations.csv with each token replaced by the customer's original id (customers.csv of --reveal-ids), sorted */
function recommendationsOf(outDir: string): string[] {
  const [header, ...rows] = readFileSync(join(outDir, 'customers.csv'), 'utf8').trimEnd().split('\n');
  // the token and the original id lead every row (neither holds a comma)
  expect(header!.startsWith('customer_id,original_id,'), header).toBe(true);
  const idOf = new Map(rows.map((row) => row.split(',', 2) as [string, string]));
  return readFileSync(join(outDir, 'recommendations.csv'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => {
      const comma = line.indexOf(',');
      const id = idOf.get(line.slice(0, comma));
      expect(id).toBeDefined();
      return `${id}${line.slice(comma)}`;
    })
    .sort();
}

/** recommendations.csv as written, but for its first column (the token, which the key sets) */
function recommendationsFileWithoutTokens(outDir: string): string {
  return readFileSync(join(outDir, 'recommendations.csv'), 'utf8')
    .split('\n')
    .map((line) => line.slice(line.indexOf(',') + 1))
    .join('\n');
}

function outputsOf(outDir: string): { run: unknown; recommendations: string[]; file: string } {
  return { run: runJsonWithoutOutFolder(outDir, OWN), recommendations: recommendationsOf(outDir), file: recommendationsFileWithoutTokens(outDir) };
}

describe('an analysis under one key gives the answers it gives under another', () => {
  it('run.json is the same and so is every customer’s list of recommendations', async () => {
    const { one: sharedOut, other: outDir } = await runsUnderTwoKeys();
    const one = outputsOf(sharedOut);
    const other = outputsOf(outDir);
    expect(JSON.parse(readFileSync(join(sharedOut, 'run.json'), 'utf8')).privacy.rootKeyId).not.toBe(JSON.parse(readFileSync(join(outDir, 'run.json'), 'utf8')).privacy.rootKeyId);
    expect(other.recommendations.length).toBeGreaterThan(3000);
    expect(other.recommendations).toEqual(one.recommendations);
    // the same bytes but for the tokens, in the same order: the published original ids, then rank (it was token order)
    expect(other.file.split('\n')[0]).toBe('original_id,rank,product_id,description,score,source');
    expect(other.file === one.file).toBe(true);
    expect(other.run).toEqual(one.run);
  }, 240_000);
});
