// Bench case: fit a value model on simulated customers, compressed to unique (x, t_x, T) tuples or per customer.
// Times are whole days in weeks, as the warehouse summary produces them, so tuples repeat as in real data.
import { compressRfm } from '../../src/models/compress-rfm.js';
import { createRandom } from '../../src/math/random.js';
import { simulateBgNbd } from '../../src/models/bgnbd/simulate-bgnbd.js';
import { PURCHASE_MODELS } from '../../src/models/btyd/purchase-models.js';
import { fitGammaGamma } from '../../src/models/gamma-gamma/gamma-gamma.js';
import type { RfmData } from '../../src/models/model-types.js';
import { reportCase } from '../bench-harness.js';

const [model, customersText, mode] = process.argv.slice(2);
const customers = Number(customersText);
if (!model || !(customers > 0) || (mode !== 'compressed' && mode !== 'per-customer')) throw new Error('usage: model-fits.ts <bgnbd|paretonbd|gammagamma> <customers> <compressed|per-customer>');

// CDNOW-like population (weeks), acquired uniformly over the first 12 weeks of a 78-week window.
const random = createRandom(7);
const T = new Float64Array(customers);
for (let i = 0; i < customers; i++) T[i] = Math.round((78 - 12 * random.uniform()) * 7) / 7;
const simulated = simulateBgNbd({ r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 }, { T, seed: 11 });
const data: RfmData = { ...simulated, recency: simulated.recency.map((r) => Math.round(r * 7) / 7) };

if (model === 'gammagamma') {
  // repeat buyers' mean spend from Gamma-Gamma(p=6.25, q=3.74, γ=15.44), rounded to cents
  const keep: number[] = [];
  for (let i = 0; i < customers; i++) if (data.frequency[i]! > 0) keep.push(i);
  const frequency = Float64Array.from(keep, (i) => data.frequency[i]!);
  const monetary = new Float64Array(keep.length);
  for (let j = 0; j < keep.length; j++) {
    const nu = random.gamma(3.74, 1 / 15.44);
    let sum = 0;
    for (let k = 0; k < frequency[j]!; k++) sum += random.gamma(6.25, 1 / nu);
    monetary[j] = Math.round((100 * sum) / frequency[j]!) / 100;
  }
  const started = performance.now();
  let rows = keep.length;
  if (mode === 'compressed') {
    const seen = new Map<string, number>();
    const f: number[] = [];
    const m: number[] = [];
    const w: number[] = [];
    for (let j = 0; j < keep.length; j++) {
      const key = `${frequency[j]}|${monetary[j]}`;
      const k = seen.get(key);
      if (k === undefined) {
        seen.set(key, f.length);
        f.push(frequency[j]!);
        m.push(monetary[j]!);
        w.push(1);
      } else w[k]! += 1;
    }
    rows = f.length;
    fitGammaGamma({ frequency: Float64Array.from(f), monetary: Float64Array.from(m), weight: Float64Array.from(w) });
  } else {
    fitGammaGamma({ frequency, monetary, weight: new Float64Array(keep.length).fill(1) });
  }
  reportCase((performance.now() - started) / 1000, { rows });
} else {
  const purchaseModel = PURCHASE_MODELS[model as 'bgnbd' | 'paretonbd'];
  // Compression is not timed: in a run the warehouse does it in SQL (GROUP BY frequency, recency, T).
  const fitData = mode === 'compressed' ? compressRfm(data).tuples : data;
  const started = performance.now();
  const fitted = purchaseModel.fit(fitData);
  reportCase((performance.now() - started) / 1000, { rows: fitData.frequency.length, converged: String(fitted.fit.converged) });
}
