import type { Warehouse } from '../engine/warehouse.js';
import type { PurchaseGrain } from '../features/customer-summary.js';
import { assignRfmSegments, type RfmSegmentation } from '../segments/assign-rfm-segments.js';
import { assignValueTiers, type ValueTiers } from '../segments/assign-value-tiers.js';
import { BEHAVIOUR_FEATURES } from '../features/behaviour-features.js';
import { clusterCustomers, type CustomerClustering } from '../segments/cluster-customers.js';

export interface SegmentsOptions {
  readonly asOf: string;
  readonly grain: PurchaseGrain;
  /** `customer_scores` when the value models ran (P(alive), predicted CLV), else null */
  readonly scoresTable: string | null;
  /** number of clusters, or 'auto' (silhouette over 2..10) */
  readonly clusters?: number | 'auto';
  readonly seed?: number;
  /** false for data without order values: RF segments (no M), value tiers by purchases, clusters without net spend and returned share */
  readonly orderValues?: boolean;
}

export interface SegmentsResult {
  readonly rfm: RfmSegmentation;
  readonly valueTiers: ValueTiers;
  readonly clusters: CustomerClustering;
}

/**
 * RFM segments and value tiers from the materialised `customer_summary` (as
 * of `asOf`), behaviour clusters from the transactions; each writes its
 * per-customer table.
 */
export async function runSegments(warehouse: Warehouse, options: SegmentsOptions): Promise<SegmentsResult> {
  const { asOf, grain, scoresTable } = options;
  const summaryTable = 'customer_summary';
  const money = options.orderValues !== false;
  const rfm = await assignRfmSegments(warehouse, { asOf, summaryTable, scoresTable, ...(money ? {} : { monetary: 'none' as const }) });
  const valueTiers = await assignValueTiers(warehouse, { asOf, summaryTable, scoresTable, basis: scoresTable ? 'predicted' : 'historic', ...(money ? {} : { measure: 'purchases' as const }) });
  // without order values net spend and the share of value returned are unknown (0 for everyone), not a behaviour to cluster on or show
  const features = money ? BEHAVIOUR_FEATURES : BEHAVIOUR_FEATURES.filter((f) => f !== 'monetary' && f !== 'return_rate');
  const clusters = await clusterCustomers(warehouse, { asOf, grain, scoresTable, seed: options.seed ?? 7, k: options.clusters ?? 'auto', features });
  return { rfm, valueTiers, clusters };
}
