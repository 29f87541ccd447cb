/**
 * One cut-off's view of the customers for the learned models: the SQL
 * features as of the cut-off (features/learned-features.ts), the purchases
 * of the window that follows as the label, the BTYD summary, and — once a
 * BTYD model is fitted on the same window — its outputs as extra features.
 */
import { daysBetween } from '../core/calendar-days.js';
import { DAYS_PER_UNIT, type TimeUnit } from '../core/time-unit.js';
import type { ColumnarResult, Warehouse } from '../engine/warehouse.js';
import { buildLearnedCategoriesSql, buildLearnedFeaturesSql, LEARNED_FEATURE_NAMES, type LearnedFeaturesOptions } from '../features/learned-features.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { compressRfm, expandTupleValues } from '../models/compress-rfm.js';
import type { RfmData } from '../models/model-types.js';
import type { PurchaseFit, PurchaseModel } from '../models/btyd/purchase-models.js';
import type { GammaGammaParams } from '../models/gamma-gamma/gamma-gamma.js';
import { predictSpendPerPurchaseAll } from '../models/gamma-gamma/spend-per-purchase.js';
import { getPurchaseModel } from '../models/model-registry.js';
import type { PurchaseModelName } from '../models/btyd/purchase-models.js';
import { fitSpend, meanRepeatSpend } from './value-step.js';

/**
 * The SQL features the models train on. `acquired_days` is left out: it
 * counts from the first day of the data, so scoring customers (seen later)
 * would all sit beyond the training range; age is in T.
 */
export const MODEL_FEATURE_NAMES = LEARNED_FEATURE_NAMES.filter((name) => name !== 'acquired_days');
/**
 * The SQL column each model feature is read from: its own, but `litt` from `litt_days` (Σ log gap with the gaps in
 * days), so that the trees see the same feature whatever the time unit — Σ log gap in the unit, which MBG/CNBD-k needs
 * (`LearnedSnapshot.litt`), moves by (gaps) · log(unit days) from one unit to another, reordering the customers, and
 * gave another churn model per unit (test/pipeline/learned-features-same-in-every-time-unit.test.ts).
 */
const featureColumn = (name: string) => (name === 'litt' ? 'litt_days' : name);
/** BTYD outputs added as features: P(alive), E[X(label window)], expected spend per purchase (with order values). */
export const BTYD_FEATURE_NAMES = ['btyd_p_alive', 'btyd_expected_purchases', 'spend_per_purchase'] as const;

export interface LearnedSnapshot {
  readonly asOf: string;
  /** absent for a scoring snapshot (no label window) */
  readonly labelEnd?: string;
  /** label window length in the time unit (0 without a label window) */
  readonly labelDuration: number;
  readonly customerIds: readonly string[];
  /** per customer, weight 1 */
  readonly rfm: RfmData;
  /** Σ log inter-purchase times (MBG/CNBD-k) */
  readonly litt: Float64Array;
  /** mean spend of the repeat occasions whose spend is known (NaN without order values) */
  readonly monetary: Float64Array;
  /** how many repeat occasions have a known spend: Gamma-Gamma's x (= frequency when every purchase has an order value) */
  readonly monetaryFrequency: Float64Array;
  /** MODEL_FEATURE_NAMES columns */
  readonly features: readonly Float64Array[];
  /** purchases in the label window (NaN without one) */
  readonly label: Float64Array;
}

export interface SnapshotOptions {
  readonly asOf: string;
  readonly labelEnd?: string;
  readonly timeUnit: TimeUnit;
  readonly grain: PurchaseGrain;
  /** channel, country and region from the customer profiles too (default true; `buildLearnedFeaturesSql`) */
  readonly profiles?: boolean;
}

/** Where the features' categories are staged on ClickHouse: a run's TEMP table (claimed, swept if its writer dies, dropped at the run's end if a failure left it). */
export const STAGED_CATEGORIES_TABLE = 'clv_learned_categories';

/**
 * The learned features' rows (`buildLearnedFeaturesSql`). On ClickHouse their categories (read five times by the
 * query) are first staged in `STAGED_CATEGORIES_TABLE` and dropped after: 18.16 has no CTEs, and analysing the five
 * inlined copies (80 subqueries, 31 KB) was most of the query's time (300 customers: 0.6 s quiet, 1.5–4 s under load,
 * three times per analysis). The same rows: the staged table holds what each copy computed. DuckDB reads its CTEs as
 * they are.
 */
async function queryFeatures(warehouse: Warehouse, options: LearnedFeaturesOptions): Promise<ColumnarResult> {
  const d = warehouse.dialect;
  if (d.name !== 'clickhouse') return warehouse.queryColumns(buildLearnedFeaturesSql(d, options));
  const drop = () => warehouse.execute(`DROP TABLE IF EXISTS ${STAGED_CATEGORIES_TABLE}`);
  await warehouse.execute(`CREATE OR REPLACE TEMP TABLE ${STAGED_CATEGORIES_TABLE} AS ${buildLearnedCategoriesSql(d, options)}`);
  let result: ColumnarResult;
  try {
    result = await warehouse.queryColumns(buildLearnedFeaturesSql(d, { ...options, stagedCategories: STAGED_CATEGORIES_TABLE }));
  } catch (error) {
    await drop().catch(() => undefined); // the query's failure is the one to report
    throw error;
  }
  await drop();
  return result;
}

/** Query the features as of `asOf`, with the purchases in (asOf, labelEnd] as the label when `labelEnd` is given. */
export async function queryLearnedSnapshot(warehouse: Warehouse, options: SnapshotOptions): Promise<LearnedSnapshot> {
  const result = await queryFeatures(warehouse, options);
  const c = result.columns;
  const column = (name: string) => c[name] as Float64Array;
  const frequency = column('frequency');
  const labelEnd = options.labelEnd;
  return {
    asOf: options.asOf,
    ...(labelEnd ? { labelEnd } : {}),
    labelDuration: labelEnd ? daysBetween(options.asOf, labelEnd) / DAYS_PER_UNIT[options.timeUnit] : 0,
    customerIds: c.customer_id as readonly string[],
    rfm: { frequency, recency: column('recency'), T: column('T'), weight: new Float64Array(frequency.length).fill(1) },
    litt: column('litt'),
    monetary: column('monetary_value'),
    monetaryFrequency: column('monetary_frequency'),
    features: MODEL_FEATURE_NAMES.map((name) => column(featureColumn(name))),
    label: labelEnd ? column('label_purchases') : new Float64Array(frequency.length).fill(NaN),
  };
}

/**
 * The snapshots of one run, each window read once: `read` queries a window (asOf, labelEnd, time unit, grain,
 * profiles) the first time it is asked for and hands the same snapshot to every later caller of the run — the honest
 * tournament, the churn step and the winner's scores read several of the same windows (learned-step.ts). One reader
 * per run and warehouse, never shared between runs (the data change between them); its snapshots are read-only, as
 * every user treats them (test/pipeline/learned-step-snapshot-reuse.test.ts checks them against fresh reads).
 *
 * Example: `const snapshots = snapshotReader(warehouse); await snapshots.read({ asOf: '2023-10-02', labelEnd: '2023-12-31', timeUnit: 'week', grain: 'day' })`
 * twice → one query, the same snapshot.
 */
export interface SnapshotReader {
  read(options: SnapshotOptions): Promise<LearnedSnapshot>;
}

/** A reader of one run's snapshots on `warehouse` (see SnapshotReader). */
export function snapshotReader(warehouse: Warehouse): SnapshotReader {
  const read = new Map<string, Promise<LearnedSnapshot>>();
  return {
    read(options) {
      const key = [options.asOf, options.labelEnd ?? '', options.timeUnit, options.grain, options.profiles !== false].join('|');
      let snapshot = read.get(key);
      if (!snapshot) {
        snapshot = queryLearnedSnapshot(warehouse, options);
        // a failed read is not kept: a caller that asks again queries again
        snapshot.catch(() => read.delete(key));
        read.set(key, snapshot);
      }
      return snapshot;
    },
  };
}

/** Per-customer values of a per-row BTYD prediction, computed once per unique (x, t_x, T). */
export function predictPerCustomer(rfm: RfmData, predict: (tuples: RfmData) => Float64Array): Float64Array {
  const { tuples, tupleOf } = compressRfm(rfm);
  return expandTupleValues(predict(tuples), tupleOf);
}

export interface BtydFeatureFit {
  readonly model: PurchaseModel;
  /** its fit on that window (a fit at a limit predicts with the limit's closed forms) */
  readonly fitted: PurchaseFit;
  /** Gamma-Gamma fitted on the same window (null: none, or no order values) */
  readonly spendParams: GammaGammaParams | null;
  readonly fallbackSpend: number;
}

/**
 * The snapshot's feature columns followed by the BTYD outputs of a model
 * fitted on the same window; E[X] over `horizon` (the training label window's
 * length, so that training and scoring rows mean the same).
 */
export function withBtydFeatures(snapshot: LearnedSnapshot, fit: BtydFeatureFit, horizon: number): Float64Array[] {
  const { model, fitted } = fit;
  const pAlive = predictPerCustomer(snapshot.rfm, (t) => model.probabilityAliveAll(fitted, t));
  const expected = predictPerCustomer(snapshot.rfm, (t) => model.conditionalPurchasesAll(fitted, horizon, t));
  const spend = Number.isNaN(fit.fallbackSpend)
    ? new Float64Array(snapshot.label.length).fill(NaN)
    : predictSpendPerPurchaseAll(fit.spendParams, snapshot.monetaryFrequency, snapshot.monetary, fit.fallbackSpend);
  return [...snapshot.features, pAlive, expected, spend];
}

/** The BTYD feature model at a cut-off (`fitted` on that cut-off's data), with Gamma-Gamma fitted on the same customers when the data have order values. */
export function btydFeatureFit(featureModel: PurchaseModelName, fitted: PurchaseFit, snapshot: LearnedSnapshot, withValues: boolean): BtydFeatureFit {
  const model = getPurchaseModel(featureModel);
  if (!withValues) return { model, fitted, spendParams: null, fallbackSpend: NaN };
  const spend = fitSpend(snapshot.monetaryFrequency, snapshot.monetary);
  return { model, fitted, spendParams: spend.fitted?.params ?? null, fallbackSpend: meanRepeatSpend(snapshot.monetaryFrequency, snapshot.monetary) };
}

/** A fit's regime: the boundary limit it sits on, or the interior. */
const regimeOf = (fit: BtydFeatureFit): string => fit.fitted.fit?.boundary ? `on the boundary ${fit.fitted.fit.boundary.limit}` : 'in the interior';

/**
 * Why GBT on BTYD cannot be compared where its feature fits at the training and scoring cut-offs are in different
 * regimes (one on a boundary the other is not on, or on another): it predicts E[X]·exp(c + trees) with exp(c) =
 * Σ label / Σ E[X] on the training rows, so the training fit's scale error is carried to a scoring fit without it.
 * Undefined when both are in the same regime (the same `boundary.limit`, or both without one).
 *
 * Example: training fit on "a, b → ∞", scoring fit without a boundary → "its BTYD feature fits are in different regimes (training cut-off: on the boundary a, b → ∞; scoring cut-off: in the interior), so its scale from training does not carry over"
 */
export function regimeChange(train: BtydFeatureFit, score: BtydFeatureFit): string | undefined {
  if (train.fitted.fit?.boundary?.limit === score.fitted.fit?.boundary?.limit) return undefined;
  return `its BTYD feature fits are in different regimes (training cut-off: ${regimeOf(train)}; scoring cut-off: ${regimeOf(score)}), so its scale from training does not carry over`;
}
