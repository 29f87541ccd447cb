/**
 * Customer ids are keyed tokens, so two runs with different keys see the same
 * customers under different ids (and in a different order when sorted by id).
 * Every published number must be the same: nothing may depend on the token
 * order (fit sums, k-means samples, silhouette samples).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('analyze does not depend on the key', () => {
  const runs: RunSummary[] = [];
  // the value model and the segments are compared (skipChurn: the churn early warning is not)
  beforeAll(async () => {
    const dir = scratchDir('clvkit-keys-');
    await generateShop({ outDir: dir, customers: 400, seed: 11, events: false });
    for (const name of ['a', 'b']) {
      runs.push(await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, name), keyring: keyringFromKey(generateKey()), skipPatterns: true, skipReport: true, skipChurn: true }));
    }
  }, 120_000);

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
