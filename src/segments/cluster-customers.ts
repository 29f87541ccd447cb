/**
 * Behavioural clusters of the customer base: per-customer features in SQL
 * (`buildBehaviourFeaturesSql`), log1p + standardisation and one-hot
 * categories (`scaleFeatures`), k-means++ (`fitKMeans`, mini-batch above
 * 100,000 customers), k by silhouette over 2..10 on a seeded sample or fixed,
 * one row per customer in a table (default `customer_clusters(customer_id,
 * cluster)`), and a profile of every cluster in its own units and in words.
 *
 * Clusters are numbered 1..k by value, most valuable (net spend) first.
 * `mean_gap_days` of a one-time buyer (no gap yet) is imputed with their
 * tenure: their next gap is at least that long.
 */
import type { Warehouse } from '../engine/warehouse.js';
import { UserError } from '../core/errors/user-error.js';
import {
  BEHAVIOUR_CATEGORIES,
  BEHAVIOUR_FEATURE_LABELS,
  BEHAVIOUR_FEATURES,
  buildBehaviourFeaturesSql,
  type BehaviourCategory,
  type BehaviourFeature,
} from '../features/behaviour-features.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { checkTableName } from '../features/table-name.js';
import { chooseKBySilhouette, type SilhouettePoint } from '../models/cluster/choose-k.js';
import { BEHAVIOUR_FEATURE_WORDS, describeCluster, type DescribeClusterOptions, type FeatureWords } from '../models/cluster/describe-cluster.js';
import { fitKMeans, type KMeansOptions } from '../models/cluster/kmeans.js';
import { scaleFeatures, unscaleValue, zScoreOf, type FeatureSpec } from '../models/cluster/scale-features.js';
import { computeSilhouette } from '../models/cluster/silhouette.js';
import { resolveScoresTable } from './resolve-scores-table.js';

export interface ClusterCustomersOptions {
  readonly asOf: string;
  readonly grain?: PurchaseGrain;
  /** a number, or 'auto' (default): the best silhouette over kMin..kMax */
  readonly k?: number | 'auto';
  readonly kMin?: number;
  readonly kMax?: number;
  /** default 1 */
  readonly seed?: number;
  /** numeric features (default all of BEHAVIOUR_FEATURES) */
  readonly features?: readonly BehaviourFeature[];
  /** one-hot the most common values of country / region (default 3 each; 0: none); a column needs ≥ 2 distinct values */
  readonly topCategories?: number;
  /** weight of a one-hot column relative to one sd of a numeric feature (default 1) */
  readonly categoryWeight?: number;
  /** rows for the candidate fits when choosing k (default 20,000) */
  readonly fitSampleSize?: number;
  /** rows for each silhouette (default 3,000) */
  readonly silhouetteSampleSize?: number;
  readonly kmeans?: Omit<KMeansOptions, 'k' | 'seed'>;
  readonly describe?: DescribeClusterOptions;
  /** table written (default `customer_clusters`) */
  readonly table?: string;
  /** table with `predicted_clv_12m`; default `customer_scores` when it exists; null: none */
  readonly scoresTable?: string | null;
  /** source of the transactions (default `transactions`) */
  readonly transactionsTable?: string;
}

/** A feature as clustered. */
export interface ClusterFeature {
  readonly name: string;
  /** what it measures, in its units */
  readonly label: string;
  readonly transform: 'log1p' | 'indicator';
  /** population mean and sd of the transformed feature */
  readonly mean: number;
  readonly sd: number;
}

export interface ClusterProfileSummary {
  /** 1..k, most valuable first */
  readonly cluster: number;
  readonly name: string;
  readonly customers: number;
  readonly share: number;
  /** net spend of the cluster's customers */
  readonly value: number;
  readonly valueShare: number;
  readonly predictedValue: number | null;
  readonly predictedValueShare: number | null;
  /** the cluster centre back in each feature's units (log features: expm1 of the centre, a typical member); indicators: share of the cluster */
  readonly centroid: readonly number[];
  /** arithmetic means of the members in the features' units (indicators: share) */
  readonly means: readonly number[];
  /** the centre's z-scores against all customers, in the order of `features` */
  readonly zScores: readonly number[];
  readonly description: string;
}

export interface CustomerClustering {
  readonly asOf: string;
  readonly table: string;
  readonly method: string;
  readonly customers: number;
  readonly features: readonly ClusterFeature[];
  /** numeric features asked for but the same for every customer (e.g. distinct products 0 without product ids): not clustered on */
  readonly leftOut: readonly { readonly name: BehaviourFeature; readonly label: string; readonly value: number }[];
  readonly k: number;
  readonly kChoice: {
    readonly method: 'silhouette' | 'fixed';
    /** silhouette per candidate k (empty when fixed) */
    readonly curve: readonly SilhouettePoint[];
    readonly fitRows: number;
    readonly silhouetteRows: number;
  };
  /** mean silhouette of the final clustering on a seeded sample (NaN for k = 1) */
  readonly silhouette: number;
  readonly inertia: number;
  readonly algorithm: 'lloyd' | 'minibatch';
  readonly iterations: number;
  readonly converged: boolean;
  readonly seed: number;
  readonly clusters: readonly ClusterProfileSummary[];
  readonly timingsMs: Readonly<Record<string, number>>;
}

/** A feature's value for the method text: whole numbers as they are, others to 3 significant digits. */
function formatFeatureValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(3)));
}

function topValues(values: readonly unknown[], count: number): string[] {
  const counts = new Map<string, number>();
  for (const v of values) if (v !== null && v !== undefined) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  if (counts.size < 2) return [];
  return [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, count).map(([v]) => v);
}

/**
 * Cluster every customer with a purchase on or before `asOf`; write the
 * per-customer table; return the profiles.
 */
export async function clusterCustomers(warehouse: Warehouse, options: ClusterCustomersOptions): Promise<CustomerClustering> {
  const timings: Record<string, number> = {};
  let clock = Date.now();
  const lap = (name: string) => {
    const now = Date.now();
    timings[name] = now - clock;
    clock = now;
  };
  const seed = options.seed ?? 1;
  const table = checkTableName(options.table ?? 'customer_clusters', 'cluster table');
  const features = options.features ?? BEHAVIOUR_FEATURES;
  for (const f of features) if (!(BEHAVIOUR_FEATURES as readonly string[]).includes(f)) throw new UserError(`unknown cluster feature ${f}`, `choose from ${BEHAVIOUR_FEATURES.join(', ')}`);
  if (features.length === 0) throw new UserError('no features to cluster on', `choose from ${BEHAVIOUR_FEATURES.join(', ')}`);
  const kOption = options.k ?? 'auto';
  if (kOption !== 'auto' && (!Number.isInteger(kOption) || kOption < 1)) throw new UserError(`k ${kOption} is not a positive whole number`, 'pass k = 2..10, or auto');
  const scores = await resolveScoresTable(warehouse, options.scoresTable);
  const d = warehouse.dialect;
  const data = await warehouse.queryColumns(
    `SELECT f.*, ${scores ? 's.predicted_clv_12m' : 'CAST(NULL AS DOUBLE)'} AS predicted_value
     FROM (${buildBehaviourFeaturesSql(d, { asOf: options.asOf, ...(options.grain ? { grain: options.grain } : {}), ...(options.transactionsTable ? { table: options.transactionsTable } : {}) })}) f
     ${scores ? `LEFT JOIN ${scores} s ON s.customer_id = f.customer_id` : ''}
     ORDER BY ${BEHAVIOUR_FEATURES.map((f) => `f.${f}`).join(', ')}, f.customer_id`,
    // by the features first: customer ids are tokens that change with the key, the sample k-means and the silhouette draw must not
  );
  lap('features');
  const n = data.rowCount;
  if (n === 0) throw new UserError(`no customer has a purchase on or before ${options.asOf}`, 'check the as-of date and that transactions were ingested');
  const ids = data.columns.customer_id as readonly string[];
  const column = (name: string) => data.columns[name] as Float64Array;
  const tenure = column('tenure_days');

  // numeric features (one-time buyers' gap imputed by tenure), then one-hot categories
  const specs: FeatureSpec[] = [];
  const columns: Float64Array[] = [];
  const words: FeatureWords[] = [];
  const labels: string[] = [];
  // A feature the same for every customer tells no cluster apart: left out (named in `method`), not shown as a column
  // of equal means — typically a column the data lack (distinct products 0 without product ids, units per order 1
  // without quantities). Kept when no feature varies, so there is still something to profile.
  const numeric = features.map((f) => {
    const values = Float64Array.from(column(f));
    if (f === 'mean_gap_days') for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) values[i] = tenure[i]!;
    for (let i = 0; i < n; i++) if (Number.isNaN(values[i]!)) values[i] = 0;
    return { f, values, constant: values.every((v) => v === values[0]) };
  });
  const varying = numeric.some((x) => !x.constant);
  const leftOut = varying ? numeric.filter((x) => x.constant).map((x) => ({ name: x.f, label: BEHAVIOUR_FEATURE_LABELS[x.f], value: x.values[0] ?? 0 })) : [];
  const clustered = varying ? numeric.filter((x) => !x.constant) : numeric;
  for (const { f, values } of clustered) {
    specs.push({ name: f, transform: 'log1p' });
    columns.push(values);
    words.push(BEHAVIOUR_FEATURE_WORDS[f]!);
    labels.push(BEHAVIOUR_FEATURE_LABELS[f]);
  }
  const topCount = Math.max(0, Math.floor(options.topCategories ?? 3));
  const indicatorOf: { category: BehaviourCategory; value: string }[] = [];
  for (const category of BEHAVIOUR_CATEGORIES) {
    const values = data.columns[category] as readonly unknown[];
    for (const value of topValues(values, topCount)) {
      specs.push({ name: `${category}=${value}`, transform: 'indicator', weight: options.categoryWeight ?? 1 });
      columns.push(Float64Array.from(values, (v) => (v !== null && String(v) === value ? 1 : 0)));
      words.push({ high: `more often ${value}`, low: null });
      labels.push(`share with ${category} ${value}`);
      indicatorOf.push({ category, value });
    }
  }
  const { matrix, scales } = scaleFeatures(columns, specs);
  lap('scale');

  let k: number;
  let kChoice: CustomerClustering['kChoice'];
  if (kOption === 'auto') {
    const choice = chooseKBySilhouette(matrix, {
      seed,
      kMin: options.kMin ?? 2,
      kMax: options.kMax ?? 10,
      ...(options.fitSampleSize !== undefined ? { fitSampleSize: options.fitSampleSize } : {}),
      ...(options.silhouetteSampleSize !== undefined ? { silhouetteSampleSize: options.silhouetteSampleSize } : {}),
      ...(options.kmeans ? { kmeans: options.kmeans } : {}),
    });
    k = choice.k;
    kChoice = { method: 'silhouette', curve: choice.curve, fitRows: choice.fitRows, silhouetteRows: choice.silhouetteRows };
  } else {
    k = kOption;
    kChoice = { method: 'fixed', curve: [], fitRows: 0, silhouetteRows: 0 };
  }
  lap('chooseK');
  const fit = fitKMeans(matrix, { ...options.kmeans, k, seed });
  lap('fit');
  const silhouette = computeSilhouette(matrix, fit.assignments, fit.k, { sampleSize: options.silhouetteSampleSize ?? 3000, seed });
  lap('silhouette');

  // profiles in the features' own units
  const dims = specs.length;
  const value = column('monetary');
  const predicted = column('predicted_value');
  const sums = new Float64Array(fit.k * dims);
  const clusterValue = new Float64Array(fit.k);
  const clusterPredicted = new Float64Array(fit.k);
  for (let i = 0; i < n; i++) {
    const c = fit.assignments[i]!;
    for (let j = 0; j < dims; j++) sums[c * dims + j]! += columns[j]![i]!;
    clusterValue[c]! += value[i]!;
    if (!Number.isNaN(predicted[i]!)) clusterPredicted[c]! += predicted[i]!;
  }
  const order = Array.from({ length: fit.k }, (_, c) => c).sort((a, b) => clusterValue[b]! - clusterValue[a]! || fit.sizes[b]! - fit.sizes[a]! || a - b);
  const totalValue = clusterValue.reduce((s, v) => s + v, 0);
  const totalPredicted = clusterPredicted.reduce((s, v) => s + v, 0);
  const newNumber = new Int32Array(fit.k);
  order.forEach((c, rank) => (newNumber[c] = rank + 1));
  const share = (part: number, total: number) => (total === 0 ? 0 : part / total);
  const clusters: ClusterProfileSummary[] = order.map((c, rank) => {
    const size = fit.sizes[c]!;
    const centre = Array.from({ length: dims }, (_, j) => fit.centroids[c * dims + j]!);
    const zScores = centre.map((v, j) => zScoreOf(v, scales[j]!));
    return {
      cluster: rank + 1,
      name: `Cluster ${rank + 1}`,
      customers: size,
      share: share(size, n),
      value: clusterValue[c]!,
      valueShare: share(clusterValue[c]!, totalValue),
      predictedValue: scores ? clusterPredicted[c]! : null,
      predictedValueShare: scores ? share(clusterPredicted[c]!, totalPredicted) : null,
      centroid: centre.map((v, j) => unscaleValue(v, scales[j]!)),
      means: Array.from({ length: dims }, (_, j) => (size === 0 ? NaN : sums[c * dims + j]! / size)),
      zScores,
      description: describeCluster(
        zScores.map((z, j) => ({ name: specs[j]!.name, z, words: words[j]! })),
        options.describe,
      ),
    };
  });

  await warehouse.execute(`CREATE OR REPLACE TABLE ${table} (customer_id VARCHAR, cluster BIGINT)`);
  await warehouse.append(table, { customer_id: ids, cluster: Int32Array.from(fit.assignments, (c) => newNumber[c]!) });
  lap('write');

  const categoryNote = indicatorOf.length > 0 ? ` and one-hot ${[...new Set(indicatorOf.map((x) => x.category))].join(', ')} (top ${topCount} values)` : '';
  return {
    asOf: options.asOf,
    table,
    method: `k-means++ (${fit.algorithm}) on log1p-scaled, standardised ${clustered.map((x) => x.f).join(', ')}${categoryNote}; k = ${fit.k} ${kChoice.method === 'silhouette' ? `chosen by silhouette over ${options.kMin ?? 2}..${options.kMax ?? 10}` : 'fixed'}${leftOut.length > 0 ? `; left out, the same for every customer: ${leftOut.map((x) => `${x.name} (${formatFeatureValue(x.value)})`).join(', ')}` : ''}`,
    customers: n,
    features: scales.map((s, j) => ({ name: s.name, label: labels[j]!, transform: s.transform === 'indicator' ? 'indicator' : 'log1p', mean: s.mean, sd: s.sd })),
    leftOut,
    k: fit.k,
    kChoice,
    silhouette: silhouette.mean,
    inertia: fit.inertia,
    algorithm: fit.algorithm,
    iterations: fit.iterations,
    converged: fit.converged,
    seed,
    clusters,
    timingsMs: timings,
  };
}
