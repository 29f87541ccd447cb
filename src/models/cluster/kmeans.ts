/**
 * k-means clustering on dense rows (a row-major Float64Array), seeded and
 * reproducible.
 *
 * Seeding: k-means++ (Arthur & Vassilvitskii 2007, "k-means++: the
 * advantages of careful seeding", SODA): the first centre is a uniformly
 * drawn row, each next centre a row drawn with probability proportional to
 * its squared distance to the nearest centre chosen so far; expected
 * inertia within O(log k) of the optimum.
 *
 * Iterations:
 * - `lloyd`: Lloyd's algorithm — assign every row to its nearest centre,
 *   move each centre to the mean of its rows — until no assignment changes,
 *   the largest centre move is below `tolerance` (in the units of the data),
 *   or `maxIterations`. Rows that cannot change centre are skipped by
 *   Hamerly's bounds (2010), with the same result to the bit (`runLloyd`).
 * - `minibatch`: Sculley (2010), "Web-scale k-means clustering", WWW: each
 *   step draws `batchSize` rows, assigns them, and moves each centre towards
 *   its rows with per-centre learning rate 1 / (rows seen by that centre);
 *   after `maxIterations` steps (or, from step 10 on, when an exponentially
 *   weighted average (weight 0.3) of the largest centre move per step falls
 *   below `tolerance`), `refinePasses` full Lloyd
 *   passes polish the centres and every row gets its nearest centre.
 * - `auto` (default): Lloyd up to `minibatchAbove` rows (default 100,000),
 *   mini-batch above.
 *
 * An empty cluster (Lloyd) is re-seeded with the row farthest from its
 * centre, so k clusters always come back when there are ≥ k distinct rows.
 * With `restarts` > 1 the run with the least inertia wins. Everything random
 * comes from `createRandom(seed)`: the same seed gives the same clustering.
 */
import { createRandom, type Random } from '../../math/random.js';

/** n rows of d numbers, row-major: row i is values[i·d … i·d + d − 1]. */
export interface FeatureMatrix {
  readonly values: Float64Array;
  readonly rows: number;
  readonly columns: number;
}

export type KMeansAlgorithm = 'lloyd' | 'minibatch' | 'auto';

export interface KMeansOptions {
  readonly k: number;
  readonly seed: number;
  readonly algorithm?: KMeansAlgorithm;
  /** Lloyd iterations or mini-batch steps (default 100 / 300) */
  readonly maxIterations?: number;
  /** largest centre move (Lloyd, default 1e-6) or its running average (mini-batch, default 1e-2: 1% of a standard deviation on standardised data; the refine passes polish after) that counts as converged */
  readonly tolerance?: number;
  /** independent k-means++ starts; the least inertia wins (default 3 for Lloyd, 1 for mini-batch) */
  readonly restarts?: number;
  readonly batchSize?: number;
  readonly minibatchAbove?: number;
  /** full Lloyd passes after mini-batch (default 2) */
  readonly refinePasses?: number;
}

export interface KMeansResult {
  readonly k: number;
  readonly columns: number;
  /** k rows of `columns` numbers, row-major */
  readonly centroids: Float64Array;
  /** cluster 0 … k−1 of every row */
  readonly assignments: Int32Array;
  readonly sizes: readonly number[];
  /** sum of squared distances of the rows to their centres */
  readonly inertia: number;
  readonly iterations: number;
  readonly converged: boolean;
  readonly algorithm: 'lloyd' | 'minibatch';
}

/** Squared Euclidean distance between row i of `a` and row j of `b` (both `d` wide). */
function squaredDistance(a: Float64Array, i: number, b: Float64Array, j: number, d: number): number {
  let sum = 0;
  const ai = i * d;
  const bj = j * d;
  for (let c = 0; c < d; c++) {
    const diff = a[ai + c]! - b[bj + c]!;
    sum += diff * diff;
  }
  return sum;
}

/**
 * Index of the nearest centre to row i (the first of equals), with its squared distance left in `nearestDistance` and
 * the next nearest centre's in `secondDistance` (numbers written, no tuple allocated: this runs for every row of every
 * iteration of every start and k).
 */
let nearestDistance = Infinity;
let secondDistance = Infinity;
function nearest(data: Float64Array, i: number, centroids: Float64Array, k: number, d: number): number {
  let best = 0;
  let bestDistance = Infinity;
  let second = Infinity;
  for (let c = 0; c < k; c++) {
    const dist = squaredDistance(data, i, centroids, c, d);
    if (dist < bestDistance) {
      second = bestDistance;
      bestDistance = dist;
      best = c;
    } else if (dist < second) {
      second = dist;
    }
  }
  nearestDistance = bestDistance;
  secondDistance = second;
  return best;
}

/**
 * k-means++ seeding: k rows of `matrix` as initial centres (row-major).
 * With fewer than k distinct rows the remaining centres repeat a row.
 */
export function seedKMeansPlusPlus(matrix: FeatureMatrix, k: number, random: Random): Float64Array {
  const { values, rows: n, columns: d } = matrix;
  const centroids = new Float64Array(k * d);
  const first = random.integer(n);
  centroids.set(values.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = squaredDistance(values, i, centroids, 0, d);
    total += closest[i]!;
  }
  for (let c = 1; c < k; c++) {
    let chosen: number;
    if (!(total > 0)) {
      chosen = random.integer(n); // every row sits on a centre already
    } else {
      const target = random.uniform() * total;
      let cumulative = 0;
      chosen = n - 1;
      for (let i = 0; i < n; i++) {
        cumulative += closest[i]!;
        if (cumulative > target) {
          chosen = i;
          break;
        }
      }
      while (closest[chosen] === 0 && chosen > 0) chosen--; // rounding at the end of the walk: never pick a row already on a centre
    }
    centroids.set(values.subarray(chosen * d, chosen * d + d), c * d);
    total = 0;
    for (let i = 0; i < n; i++) {
      const dist = squaredDistance(values, i, centroids, c, d);
      if (dist < closest[i]!) closest[i] = dist;
      total += closest[i]!;
    }
  }
  return centroids;
}

/** Nearest centre of every row, with the total inertia. */
export function assignToCentroids(matrix: FeatureMatrix, centroids: Float64Array, k: number): { assignments: Int32Array; inertia: number; sizes: number[] } {
  const { values, rows: n, columns: d } = matrix;
  const assignments = new Int32Array(n);
  const sizes = new Array<number>(k).fill(0);
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const c = nearest(values, i, centroids, k, d);
    assignments[i] = c;
    sizes[c]!++;
    inertia += nearestDistance;
  }
  return { assignments, inertia, sizes };
}

/** One Lloyd update: centres to the means of their rows; returns the largest centre move (Euclidean). */
function moveCentroids(matrix: FeatureMatrix, assignments: Int32Array, centroids: Float64Array, k: number): number {
  const { values, rows: n, columns: d } = matrix;
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = assignments[i]!;
    counts[c]!++;
    const base = i * d;
    const cb = c * d;
    for (let j = 0; j < d; j++) sums[cb + j]! += values[base + j]!;
  }
  // empty clusters: re-seed with the rows farthest from their centres, one each
  const empty: number[] = [];
  for (let c = 0; c < k; c++) if (counts[c] === 0) empty.push(c);
  if (empty.length > 0) {
    const distance = new Float64Array(n);
    for (let i = 0; i < n; i++) distance[i] = squaredDistance(values, i, centroids, assignments[i]!, d);
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => distance[b]! - distance[a]! || a - b);
    empty.forEach((c, e) => {
      const row = order[e] ?? 0;
      for (let j = 0; j < d; j++) sums[c * d + j] = values[row * d + j]!;
      counts[c] = 1;
    });
  }
  let largest = 0;
  for (let c = 0; c < k; c++) {
    let move = 0;
    for (let j = 0; j < d; j++) {
      const next = sums[c * d + j]! / counts[c]!;
      const diff = next - centroids[c * d + j]!;
      move += diff * diff;
      centroids[c * d + j] = next;
    }
    largest = Math.max(largest, Math.sqrt(move));
  }
  return largest;
}

/**
 * Lloyd's iterations with Hamerly's bounds (Hamerly 2010, "Making k-means even faster", SDM): the same assignments,
 * centres and iteration count as plain Lloyd, with most distances left uncomputed. Each row keeps an upper bound on the
 * distance to its centre and a lower bound on the distance to any other; a row whose upper bound is below both its lower
 * bound and half the distance from its centre to the nearest other centre cannot change centre, so it is skipped. The
 * bounds are kept with a margin far above floating-point rounding (`margin`), and a row is kept only when its centre
 * is nearer by that margin: a tie, or a near one, is searched in full exactly as Lloyd searches (squared distances in
 * the same order, the first of equals), so the result does not depend on the bounds.
 */
function runLloyd(matrix: FeatureMatrix, centroids: Float64Array, k: number, maxIterations: number, tolerance: number) {
  const { values, rows: n, columns: d } = matrix;
  const assignments = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n);
  // rounding in the bounds is ~1e-16 of the coordinates' scale per step; a margin of 1e-9 of it leaves no doubt
  let scale = 0;
  for (let i = 0; i < values.length; i++) scale = Math.max(scale, Math.abs(values[i]!));
  const margin = 1e-9 * (scale + 1) * Math.sqrt(d);
  const half = new Float64Array(k);
  const moves = new Float64Array(k);
  const before = new Float64Array(k * d);
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; ) {
    // half the distance from each centre to its nearest other centre
    half.fill(Infinity);
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const between = Math.sqrt(squaredDistance(centroids, a, centroids, b, d)) / 2;
        if (between < half[a]!) half[a] = between;
        if (between < half[b]!) half[b] = between;
      }
    }
    let changed = 0;
    for (let i = 0; i < n; i++) {
      if (iterations > 0) {
        const keep = Math.max(half[assignments[i]!]!, lower[i]!);
        if (upper[i]! + margin < keep) continue;
        upper[i] = Math.sqrt(squaredDistance(values, i, centroids, assignments[i]!, d));
        if (upper[i]! + margin < keep) continue;
      }
      // a full search, as Lloyd's: the nearest centre (the first of equals) and the distance to the next nearest
      const best = nearest(values, i, centroids, k, d);
      if (iterations === 0 || best !== assignments[i]) changed++;
      assignments[i] = best;
      upper[i] = Math.sqrt(nearestDistance);
      lower[i] = Math.sqrt(secondDistance);
    }
    // Lloyd stops when no row changes centre (its first pass always counts as a change)
    if (iterations > 0 && changed === 0) {
      converged = true;
      break;
    }
    iterations++;
    before.set(centroids);
    const move = moveCentroids(matrix, assignments, centroids, k);
    // the bounds follow the centres: a row's own centre moved by at most moves[c], every other by at most the largest move
    let largest = 0;
    let largestAt = -1;
    let nextLargest = 0;
    for (let c = 0; c < k; c++) {
      moves[c] = Math.sqrt(squaredDistance(centroids, c, before, c, d));
      if (moves[c]! > largest) {
        nextLargest = largest;
        largest = moves[c]!;
        largestAt = c;
      } else if (moves[c]! > nextLargest) {
        nextLargest = moves[c]!;
      }
    }
    for (let i = 0; i < n; i++) {
      const c = assignments[i]!;
      upper[i]! += moves[c]!;
      lower[i]! -= c === largestAt ? nextLargest : largest;
    }
    if (move <= tolerance) {
      converged = true;
      break;
    }
  }
  return { iterations, converged };
}

function runMiniBatch(matrix: FeatureMatrix, centroids: Float64Array, k: number, random: Random, steps: number, batchSize: number, tolerance: number) {
  const { values, rows: n, columns: d } = matrix;
  const seen = new Float64Array(k);
  const batch = new Int32Array(batchSize);
  const batchCentre = new Int32Array(batchSize);
  let averageMove = NaN;
  let iterations = 0;
  let converged = false;
  const before = new Float64Array(k * d);
  for (; iterations < steps; ) {
    iterations++;
    for (let b = 0; b < batchSize; b++) batch[b] = random.integer(n);
    for (let b = 0; b < batchSize; b++) batchCentre[b] = nearest(values, batch[b]!, centroids, k, d);
    before.set(centroids);
    for (let b = 0; b < batchSize; b++) {
      const c = batchCentre[b]!;
      seen[c]!++;
      const rate = 1 / seen[c]!;
      const row = batch[b]! * d;
      for (let j = 0; j < d; j++) centroids[c * d + j]! += rate * (values[row + j]! - centroids[c * d + j]!);
    }
    let move = 0;
    for (let c = 0; c < k; c++) {
      let m = 0;
      for (let j = 0; j < d; j++) m += (centroids[c * d + j]! - before[c * d + j]!) ** 2;
      move = Math.max(move, Math.sqrt(m));
    }
    averageMove = Number.isNaN(averageMove) ? move : 0.7 * averageMove + 0.3 * move;
    if (iterations >= 10 && averageMove <= tolerance) {
      converged = true;
      break;
    }
  }
  return { iterations, converged };
}

/**
 * Cluster the rows of `matrix` into k groups. NaN values are not allowed
 * (impute first); k is clamped to the number of rows. Returns NaN inertia
 * and no clusters for an empty matrix.
 */
export function fitKMeans(matrix: FeatureMatrix, options: KMeansOptions): KMeansResult {
  const { rows: n, columns: d } = matrix;
  if (matrix.values.length !== n * d) throw new RangeError(`fitKMeans: ${matrix.values.length} values for ${n} × ${d}`);
  if (!Number.isInteger(options.k) || options.k < 1) throw new RangeError(`fitKMeans: k must be a positive integer, got ${options.k}`);
  const k = Math.min(options.k, Math.max(1, n));
  const algorithm = options.algorithm === 'lloyd' || options.algorithm === 'minibatch' ? options.algorithm : n > (options.minibatchAbove ?? 100_000) ? 'minibatch' : 'lloyd';
  if (n === 0) return { k, columns: d, centroids: new Float64Array(k * d).fill(NaN), assignments: new Int32Array(0), sizes: new Array(k).fill(0), inertia: NaN, iterations: 0, converged: true, algorithm };
  const random = createRandom(options.seed);
  const tolerance = options.tolerance ?? (algorithm === 'lloyd' ? 1e-6 : 1e-2);
  const restarts = Math.max(1, options.restarts ?? (algorithm === 'lloyd' ? 3 : 1));
  let best: KMeansResult | null = null;
  for (let r = 0; r < restarts; r++) {
    const centroids = seedKMeansPlusPlus(matrix, k, random);
    let run: { iterations: number; converged: boolean };
    if (algorithm === 'lloyd') {
      run = runLloyd(matrix, centroids, k, options.maxIterations ?? 100, tolerance);
    } else {
      run = runMiniBatch(matrix, centroids, k, random, options.maxIterations ?? 300, Math.max(1, Math.min(options.batchSize ?? 4096, n)), tolerance);
      const passes = options.refinePasses ?? 2;
      for (let p = 0; p < passes; p++) moveCentroids(matrix, assignToCentroids(matrix, centroids, k).assignments, centroids, k);
    }
    const { assignments, inertia, sizes } = assignToCentroids(matrix, centroids, k);
    if (!best || inertia < best.inertia) best = { k, columns: d, centroids, assignments, sizes, inertia, iterations: run.iterations, converged: run.converged, algorithm };
  }
  return best!;
}
