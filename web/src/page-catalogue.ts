/**
 * The dashboard's pages: route, title and the actions a role needs to use
 * each (any one of them), in navigation order. Plain data (no DOM), so the
 * browser test reads the same list the navigation is built from.
 */
import { can, type Action, type Role } from '../../src/privacy/access/rbac.js';

export interface PageEntry {
  /** route segment, e.g. `value` → `#/value` */
  readonly id: string;
  /** navigation label and page heading */
  readonly title: string;
  /** the role needs one of these to use the page (else it is hidden from the navigation and says "not permitted") */
  readonly actions: readonly Action[];
}

/** True when `role` may use the page: one of its actions (the navigation, the page and the browser test ask this). */
export function pageAllowed(entry: PageEntry, role: Role): boolean {
  return entry.actions.some((a) => can(role, a));
}

export const PAGE_CATALOGUE: readonly PageEntry[] = [
  { id: 'overview', title: 'Overview', actions: ['view_aggregates'] },
  { id: 'value', title: 'Customer value', actions: ['view_aggregates'] },
  { id: 'model', title: 'Value model card', actions: ['view_aggregates'] },
  { id: 'segments', title: 'Segments', actions: ['view_aggregates'] },
  { id: 'lifecycle', title: 'Lifecycle', actions: ['view_aggregates'] },
  { id: 'cohorts', title: 'Cohorts', actions: ['view_aggregates'] },
  { id: 'clusters', title: 'Clusters', actions: ['view_aggregates'] },
  { id: 'cross-sell', title: 'Cross-sell', actions: ['view_aggregates'] },
  { id: 'events', title: 'Events', actions: ['view_aggregates'] },
  { id: 'customers', title: 'Customers', actions: ['view_tokens'] },
  { id: 'audiences', title: 'Audiences', actions: ['export_audience', 'export_customers'] },
  { id: 'campaigns', title: 'Campaigns', actions: ['view_aggregates'] },
  { id: 'privacy', title: 'Privacy', actions: ['view_aggregates'] },
  { id: 'runs', title: 'Runs', actions: ['view_aggregates'] },
  { id: 'admin', title: 'Users and tokens', actions: ['manage_users'] },
];

/** The catalogue entry of a page (a typo is a bug). */
export function pageEntry(id: string): PageEntry {
  const entry = PAGE_CATALOGUE.find((p) => p.id === id);
  if (!entry) throw new Error(`no page ${id} in the catalogue`);
  return entry;
}
