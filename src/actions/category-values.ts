import { editDistance as distance } from '../core/edit-distance.js';
import { UserError } from '../core/errors/user-error.js';
import type { Warehouse } from '../engine/warehouse.js';
import { BUYER_TYPES } from '../events/classify-buyer-types.js';
import { BROWSE_STAGES } from '../events/online-lifecycle.js';
import { tableExists } from '../features/table-exists.js';
import { LIFECYCLE_STAGES } from '../lifecycle/lifecycle-stage-rules.js';
import { CHURN_RISK_BAND_NAMES } from '../models/learned/churn-classifier.js';
import { DEFAULT_VALUE_TIERS, VALUE_QUADRANT_LABELS } from '../segments/assign-value-tiers.js';
import { RFM_SEGMENT_NAMES } from '../segments/rfm-segment-rules.js';
import { whereName, type WhereSource } from './parse-where-expression.js';

/**
 * The category columns of the derived tables (`table.column`) and the labels the analysis writes into them, in their
 * own order: a filter that compares one with a text the column can never hold (`value_tier = 'top'`, the tiers
 * being high, medium and low) matches nobody on that side, silently inside a larger filter (`… OR segment =
 * 'Champions'`). Free text (`churn_top_drivers`), codes (`rfm_score`) and months (`cohort`) are not categories.
 */
export const CATEGORY_LABELS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ['customer_stages.stage', LIFECYCLE_STAGES],
  ['customer_rfm.segment', RFM_SEGMENT_NAMES],
  ['customer_value_tiers.value_tier', DEFAULT_VALUE_TIERS.map((t) => t.name)],
  ['customer_value_tiers.value_quadrant', Object.keys(VALUE_QUADRANT_LABELS)],
  ['customer_churn.churn_risk_band', CHURN_RISK_BAND_NAMES],
  ['customer_behaviour.browse_stage', BROWSE_STAGES],
  ['customer_behaviour.buyer_type', BUYER_TYPES],
]);

/** A category column compared with texts in a filter (`=`, `<>`, `[NOT] IN`): what `checkCategoryValues` checks. */
export interface CategoryComparison {
  readonly table: string;
  readonly column: string;
  /** the texts it is compared with, each with its 0-based position in the filter */
  readonly values: readonly { readonly value: string; readonly at: number }[];
}

/**
 * Refuses (a one-line `UserError` in the words of `source`, listing the column's values) a text a category column is
 * compared with that it cannot hold: neither a label the analysis writes (`CATEGORY_LABELS`: a stage no customer is
 * in yet, `stage = 'reactivated'`, is a valid filter) nor a value the column holds in this warehouse (labels a
 * library caller chose: custom value tiers or segment rules). Read after the derived tables exist
 * (`ensureDerivedTables`); a table that is absent contributes no values. Texts compare as SQL compares them: case
 * counts (`'champions'` is no segment; the hint names `'Champions'`).
 *
 * Example: `await checkCategoryValues(wh, [{ table: 'customer_value_tiers', column: 'value_tier', values: [{ value: 'top', at: 13 }] }])`
 * → throws `--where: 'top' at character 14 is not a value of value_tier (hint: value_tier is one of high, medium, low)`
 */
export async function checkCategoryValues(warehouse: Warehouse, comparisons: readonly CategoryComparison[], source: WhereSource): Promise<void> {
  const held = new Map<string, Promise<string[]>>();
  for (const c of comparisons) {
    const key = `${c.table}.${c.column}`;
    const labels = CATEGORY_LABELS.get(key) ?? [];
    if (c.values.every((v) => labels.includes(v.value))) continue;
    if (!held.has(key)) held.set(key, columnValues(warehouse, c.table, c.column));
    const values = [...labels, ...(await held.get(key)!).filter((v) => !labels.includes(v))];
    const unknown = c.values.find((v) => !values.includes(v.value));
    if (!unknown) continue;
    // the same value in another case, else the nearest a typo or two away (one edit per four letters: 'top' is no 'low')
    const typed = unknown.value.toLowerCase().trim();
    const near = (v: string) => distance(v.toLowerCase(), typed);
    const close = values.find((v) => v.toLowerCase() === typed) ?? [...values].sort((a, b) => near(a) - near(b)).find((v) => near(v) <= Math.max(1, Math.floor(typed.length / 4)));
    throw new UserError(
      `${whereName(source)}: '${unknown.value}' at character ${unknown.at + 1} is not a value of ${c.column}`,
      `${close === undefined ? '' : `did you mean '${close}'? `}${c.column} is one of ${values.join(', ')}`,
    );
  }
}

/**
 * The distinct values a text column of a derived table holds (NULL aside), sorted, a thousand at most; none when the
 * table is absent. Also the allowed values of `GET /api/customers?segment=` (`listSegments`).
 */
export async function columnValues(warehouse: Warehouse, table: string, column: string): Promise<string[]> {
  if (!(await tableExists(warehouse, table))) return [];
  const name = warehouse.dialect.identifier(column);
  const rows = await warehouse.query(`SELECT DISTINCT ${name} AS v FROM ${table} WHERE ${name} IS NOT NULL ORDER BY v LIMIT 1000`);
  return rows.map((r) => String(r.v));
}
