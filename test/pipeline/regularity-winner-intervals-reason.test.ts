import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze, type RunSummary } from '../../src/pipeline/analyze.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { generateShop } from '../../src/synth/generate-shop.js';
import { scratchDir } from '../helpers/warehouse.js';

/**
 * Regression (QA): on a shop of regular buyers where MBG/CNBD-k wins the honest tournament (synth --shape regular,
 * seed 2566, here 800 customers), customers.csv's predicted_clv_12m_low / _high were empty for every buyer, run.json's
 * valueModel.clv.intervalsSkipped gave the value model's (BG/NBD's) boundary as the reason — not the winner's, whose
 * CLV the column holds — and no warning said so. The winner's refit sits on its own boundary there (a → 0: no dropout),
 * where no BTYD model's intervals are drawn: the reason must be that, and the run must warn.
 */
describe('an MBG/CNBD-k winner whose refit sits on a boundary: the empty CLV intervals are explained (regular shop, 800 customers)', () => {
  let run: RunSummary;
  beforeAll(async () => {
    const dir = scratchDir('clvkit-regular-intervals-');
    await generateShop({ outDir: dir, customers: 800, seed: 2566, events: false, shape: 'regular', start: '2023-03-15', days: 500 });
    run = await analyze({ files: [join(dir, 'transactions.csv')], db: ':memory:', outDir: join(dir, 'out'), skipPatterns: true, skipReport: true, skipSegments: true, keyring: keyringFromKey(generateKey()) });
  }, 300_000);

  it('MBG/CNBD-k scored the customers from a refit on the no-dropout boundary', () => {
    const scores = run.learned!.scores!;
    expect(scores.model).toBe('mbgcnbd');
    expect(scores.note).toMatch(/the refit sits on a boundary/);
  });

  it("run.json's intervalsSkipped and a run warning name the winner and its boundary, not the value model's", () => {
    const label = run.learned!.scores!.label;
    const reason = run.valueModel!.clv.intervalsSkipped!;
    expect(run.valueModel!.clv.intervalDraws).toBe(0);
    expect(reason).toContain(label);
    expect(reason).toMatch(/boundary \(a\/b → 0/);
    expect(reason).not.toMatch(/bgnbd/);
    const warnings = run.warnings.filter((w) => w.includes('predicted_clv_12m_low'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(label);
    expect(warnings[0]).toContain(reason.replace(/^no intervals: /, ''));
  });
});
