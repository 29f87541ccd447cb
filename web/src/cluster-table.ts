/**
 * The clusters page's table as text (no DOM): each cluster's size and feature means in their own units, and its
 * historic value when the run has order values — without them no cluster has a value, and a column of 'suppressed'
 * would call every cluster small (the report leaves the column out too).
 */
import type { ClusterProfiles } from '../../src/report/report-data.js';
import { formatCount, formatMoney, formatNumber } from '../../src/report/format-number.js';
import { groupCount } from './view-text.js';

export function clusterTable(p: ClusterProfiles): { columns: { header: string; numeric?: boolean }[]; rows: string[][] } {
  const hasValue = p.clusters.some((c) => c.value !== undefined && c.value !== null);
  return {
    columns: [{ header: 'cluster' }, { header: 'customers', numeric: true }, ...p.features.map((f) => ({ header: f, numeric: true })), ...(hasValue ? [{ header: 'historic value', numeric: true }] : [])],
    rows: p.clusters.map((c) => [c.description ? `${c.name}: ${c.description}` : c.name, groupCount(c.customers, formatCount), ...c.means.map((m) => groupCount(m, (v) => formatNumber(v, 2))), ...(hasValue ? [groupCount(c.value, formatMoney)] : [])]),
  };
}
