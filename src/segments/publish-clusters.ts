import type { ClusterProfileSummary, CustomerClustering } from './cluster-customers.js';
import { suppressRows, type PublishedRow, type SuppressionTally } from '../privacy/disclosure/suppress-rows.js';

export const CLUSTER_MEASURES = ['share', 'value', 'valueShare', 'predictedValue', 'predictedValueShare', 'centroid', 'means', 'zScores', 'description'] as const;

/** A cluster as published: a small one keeps its number and name, its size, value, profile (centroid, means, z-scores, all null) and description withheld. */
export type PublishedCluster = PublishedRow<ClusterProfileSummary, 'customers' | (typeof CLUSTER_MEASURES)[number]>;

export type PublishedClustering = Omit<CustomerClustering, 'clusters'> & { readonly clusters: readonly PublishedCluster[] };

/**
 * Suppress behaviour clusters: a cluster of fewer than k customers shows
 * neither its size nor anything computed from its members — value, centre,
 * means, z-scores, the words describing it (complementary: the clusters add
 * up to `customers`). The features' population means and the silhouette
 * curve describe everyone and stay.
 */
export function publishClusters(clustering: CustomerClustering, minGroupSize: number, tally?: SuppressionTally): PublishedClustering {
  return {
    ...clustering,
    clusters: suppressRows(clustering.clusters, { count: 'customers', measures: CLUSTER_MEASURES, minGroupSize, ...(tally ? { tally: { tally, table: 'segments.clusters.clusters' } } : {}) }),
  };
}
