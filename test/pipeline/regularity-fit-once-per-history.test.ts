import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MbgCnbdFitOptions, RegularityData } from '../../src/models/mbgcnbd/mbgcnbd.js';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

// Every MBG/CNBD-k fit analyze makes on a shop of regular buyers, by the history it is fitted on: the churn validation's
// P(alive) (learned-step.ts) refitted MBG/CNBD-k at the tournament's k on the history as of the calibration end — the
// very data and k of the tournament's own fit there — a fourth fit, the costliest (a k of several hundred is reached
// up the ladder of warm starts from 48: 18 of 40 CPU s on 3,000 customers). The tournament's fit is reused.
const calls = vi.hoisted(() => [] as { history: string; k: number | undefined }[]);
vi.mock('../../src/models/mbgcnbd/mbgcnbd.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/models/mbgcnbd/mbgcnbd.js')>();
  return {
    ...original,
    fitMbgCnbd: (data: RegularityData, options?: MbgCnbdFitOptions) => {
      const history = [data.frequency, data.recency, data.T, data.weight, data.litt].map((v) => Array.from(v).join(',')).join('|');
      calls.push({ history, k: options?.k });
      return original.fitMbgCnbd(data, options);
    },
  };
});

describe('analyze on a shop of regular buyers: MBG/CNBD-k fits', () => {
  let run: RunSummary;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-regularity-fit-once-');
    await generateShop({ outDir: dir, customers: 300, seed: 3, events: false, shape: 'regular' });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true });
  }, 240_000);

  it('fits each history once: the inner split and the calibration window searched, the refit at asOf at the chosen k', () => {
    const scores = run.learned!.scores;
    if (scores?.model !== 'mbgcnbd') throw new Error(`MBG/CNBD-k did not score customer_scores: ${scores?.model}`);
    expect(run.learned!.churn!.validation.pAliveModel).toMatch(/MBG\/CNBD/);
    const k = scores.k;
    expect(calls.map((c) => c.k)).toEqual([undefined, undefined, k]);
    expect(new Set(calls.map((c) => c.history)).size).toBe(calls.length);
  });
});
