// Bench case: k-means++ (auto: Lloyd ≤ 100k rows, mini-batch above) on standardised behaviour-like features, or (--baseline) one nearest-centre pass.
import { createRandom } from '../../src/math/random.js';
import { assignToCentroids, fitKMeans, seedKMeansPlusPlus } from '../../src/models/cluster/kmeans.js';
import { reportCase } from '../bench-harness.js';

const [rowsText, columnsText, kText, mode] = process.argv.slice(2);
const rows = Number(rowsText);
const columns = Number(columnsText);
const k = Number(kText);
const random = createRandom(21);
const values = new Float64Array(rows * columns);
// 8 latent groups with overlapping spread, like log-transformed RFM features
for (let i = 0; i < rows; i++) {
  const group = random.integer(8);
  for (let c = 0; c < columns; c++) values[i * columns + c] = ((group * (c + 3)) % 7) * 0.8 + random.normal();
}
const matrix = { values, rows, columns };
const started = performance.now();
if (mode === '--baseline') {
  assignToCentroids(matrix, seedKMeansPlusPlus(matrix, k, createRandom(1)), k);
  reportCase((performance.now() - started) / 1000);
} else {
  const result = fitKMeans(matrix, { k, seed: 1 });
  reportCase((performance.now() - started) / 1000, { algorithm: result.algorithm, iterations: result.iterations });
}
