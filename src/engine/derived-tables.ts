/**
 * The catalogue of derived tables: every per-customer table an analysis run
 * writes, declared once — name, columns, SQL types, meaning, privacy class,
 * and how a column appears in customers.csv. Generated from it: the
 * customers.csv SELECT (`pipeline/customers-csv-sql.ts`), the derived
 * entries of `WAREHOUSE_CLASSIFICATION` (privacy) and the derived-table
 * section of docs/data-contracts.md (`derivedTablesMarkdown`). A test fails
 * when any of them, or a table as created in SQL, disagrees with it.
 */
import type { SqlDialect } from './sql-dialect.js';
import { CHURN_PROBABILITY_DECIMALS } from '../core/describe-risk-bands.js';

export type DerivedColumnType = 'VARCHAR' | 'DOUBLE' | 'BIGINT' | 'DATE';

/**
 * Privacy class of a derived column: `token` (the pseudonymous customer key)
 * or `internal` (a figure, score or label about a token). Derived tables
 * hold no personal data by construction.
 */
export type DerivedColumnClass = 'token' | 'internal';

/** How a column is written to customers.csv: as stored, rounded, or cast. */
export interface CsvExport {
  /** decimals kept (`round(x, n)`) */
  readonly round?: number;
  /** written as this SQL type (e.g. counts kept as DOUBLE, written as BIGINT) */
  readonly cast?: 'BIGINT';
  /** over the run's --horizon-months h: written only when h is not 12, `horizon` in its name becoming `<h>m` */
  readonly horizon?: boolean;
  /**
   * written only when the run did not write `table`, as its column `name` (a prospect's expected first-year value is
   * its predicted_clv_12m: customer_scores holds it when the value models ran, this column when they did not)
   */
  readonly insteadOf?: { readonly table: string; readonly name: string };
}

export interface DerivedColumn {
  readonly name: string;
  readonly type: DerivedColumnType;
  readonly meaning: string;
  readonly class: DerivedColumnClass;
  /** written to customers.csv (absent: not written) */
  readonly csv?: CsvExport;
  /** a money figure: NULL (and left out of customers.csv) when the data has no order values */
  readonly money?: boolean;
}

export interface DerivedTable {
  readonly name: string;
  readonly meaning: string;
  /** the analysis stage that writes it */
  readonly writtenBy: string;
  /** alias in the customers.csv SELECT */
  readonly alias: string;
  /** how customers.csv joins it to customer_summary (`inner`: a row per summarised customer is guaranteed) */
  readonly join: 'from' | 'inner' | 'left';
  readonly columns: readonly DerivedColumn[];
  /** columns some runs add (e.g. the holdout columns of a summary with a holdout), class internal */
  readonly otherColumns: string;
  /** its customers are rows of customers.csv even without a summary row (prospects: known, never bought) */
  readonly addsCustomers?: boolean;
}

const TOKEN: DerivedColumn = { name: 'customer_id', type: 'VARCHAR', meaning: 'the customer token (`c_…`)', class: 'token', csv: {} };
const c = (name: string, type: DerivedColumnType, meaning: string, extra: Omit<DerivedColumn, 'name' | 'type' | 'meaning' | 'class'> = {}): DerivedColumn => ({ name, type, meaning, class: 'internal', ...extra });
const notInCsv = (column: DerivedColumn): DerivedColumn => {
  const { csv: _csv, ...rest } = column;
  return rest;
};

/** The derived tables, in the order customers.csv joins them. */
export const DERIVED_TABLES: readonly DerivedTable[] = [
  {
    name: 'customer_summary',
    meaning: 'one row per customer who bought, as of the run’s date (the BTYD summary in the `lifetimes` convention)',
    writtenBy: 'summary',
    alias: 's',
    join: 'from',
    columns: [
      TOKEN,
      c('first_purchase', 'DATE', 'day of the first purchase occasion in the window', { csv: {} }),
      c('last_purchase', 'DATE', 'day of the last purchase occasion in the window', { csv: {} }),
      c('orders', 'DOUBLE', 'distinct orders (or occasions when there are no order ids)', { csv: { cast: 'BIGINT' } }),
      c('frequency', 'DOUBLE', 'x: purchase occasions − 1 (distinct purchase days by default; `--grain order` counts orders)', { csv: { cast: 'BIGINT' } }),
      c('recency', 'DOUBLE', 't_x: whole days from first to last purchase ÷ days per unit (whole hours with the hour unit)', { csv: { round: 6 } }),
      c('T', 'DOUBLE', 'whole days from first purchase to the as-of date ÷ days per unit (whole hours to the as-of day’s last hour with the hour unit)', { csv: { round: 6 } }),
      c('monetary_value', 'DOUBLE', 'mean spend of the repeat occasions (the first excluded) whose spend is known, each net of the returns in it; 0 without such', { csv: { round: 4 }, money: true }),
      c('monetary_frequency', 'DOUBLE', 'the repeat occasions whose spend is known (Gamma-Gamma’s x; = frequency when every purchase has an order value and none is cancelled the same occasion; fewer when a file without order values adds purchases, or returns in an occasion take back all it bought)'),
      c('valued_occasions', 'DOUBLE', 'purchase occasions whose spend is known, the first included (= frequency + 1 when every purchase has an order value and none is cancelled the same occasion; 0 without order values)'),
      c('total_spend', 'DOUBLE', 'net spend in the window: purchases + returns (returns are negative)', { csv: { round: 4 }, money: true }),
      c('returns', 'DOUBLE', 'value of returns (≤ 0)', { csv: { round: 4 }, money: true }),
      c('historic_clv', 'DOUBLE', 'total_spend − cost (cost where known)', { csv: { round: 4 }, money: true }),
    ],
    otherColumns: 'holdout measures of a summary with a holdout (`frequency_holdout`, `monetary_value_holdout`, `spend_holdout`, `duration_holdout`)',
  },
  {
    name: 'customer_scores',
    meaning: 'per-customer outputs of the value models (the chosen purchase model refitted on all data, Gamma-Gamma spend, CLV); prospects have a row with predicted_clv_12m = their expected first-year value, predicted_clv_12m_low / _high its parameter-uncertainty interval, and the other columns empty',
    writtenBy: 'value',
    alias: 'c',
    join: 'inner',
    columns: [
      notInCsv(TOKEN),
      c('p_alive', 'DOUBLE', 'probability the customer is still active', { csv: { round: 6 } }),
      c('expected_purchases_30d', 'DOUBLE', 'expected purchase occasions in the next 30 days', { csv: { round: 6 } }),
      c('expected_purchases_90d', 'DOUBLE', 'expected purchase occasions in the next 90 days', { csv: { round: 6 } }),
      c('expected_purchases_365d', 'DOUBLE', 'expected purchase occasions in the next 365 days', { csv: { round: 6 } }),
      c('predicted_clv_12m', 'DOUBLE', 'discounted expected spend over the next 12 months × margin (12 months whatever `--horizon-months` says)', { csv: { round: 4 }, money: true }),
      c('predicted_clv_12m_low', 'DOUBLE', '5th percentile of predicted_clv_12m under parameter uncertainty', { csv: { round: 4 }, money: true }),
      c('predicted_clv_12m_high', 'DOUBLE', '95th percentile of predicted_clv_12m under parameter uncertainty', { csv: { round: 4 }, money: true }),
      c('predicted_clv_horizon', 'DOUBLE', 'the same CLV over `--horizon-months` h when h is not 12 (NULL otherwise, and for prospects); customers.csv names it `predicted_clv_<h>m`', { csv: { round: 4, horizon: true }, money: true }),
      c('predicted_clv_horizon_low', 'DOUBLE', '5th percentile of predicted_clv_horizon under parameter uncertainty (customers.csv: `predicted_clv_<h>m_low`)', { csv: { round: 4, horizon: true }, money: true }),
      c('predicted_clv_horizon_high', 'DOUBLE', '95th percentile of predicted_clv_horizon under parameter uncertainty (customers.csv: `predicted_clv_<h>m_high`)', { csv: { round: 4, horizon: true }, money: true }),
      c('next_order_p50', 'DATE', 'day by which the next order is reached with probability 50% (NULL: may never be reached, or not within a century or by 2105-12-31, the last day every engine holds)', { csv: {} }),
      c('next_order_p90', 'DATE', 'day by which the next order is reached with probability 90% (NULL: may never be reached, or not within a century or by 2105-12-31, the last day every engine holds)', { csv: {} }),
    ],
    otherColumns: 'other score',
  },
  {
    name: 'customer_churn',
    meaning: 'churn early warning per customer: the probability of no purchase in the next N days (N: the holdout length, or the longest the history before it holds, or --churn-days; run.json `learned.churn.horizonReason` says which) from a logistic gradient-boosted classifier, with its TreeSHAP drivers, where it ranked the validation window better than 1 − P(alive) — else from the BTYD value model, without drivers (run.json `learned.churn.source` says which)',
    writtenBy: 'learned',
    alias: 'w',
    join: 'left',
    columns: [
      notInCsv(TOKEN),
      c('churn_probability', 'DOUBLE', 'probability of no purchase in the next N days (run.json `learned.churn.horizonDays`), from the model run.json `learned.churn.source` names', { csv: { round: CHURN_PROBABILITY_DECIMALS } }),
      c('churn_risk_band', 'VARCHAR', 'high (the riskiest 20% of customers by churn_probability as printed, 6 decimals: customers printed alike share a band), medium (the next 30%) or low (the other half); a tie is never split, banded by its mid-rank (the highest probability is always high)', { csv: {} }),
      c('churn_top_drivers', 'VARCHAR', 'the three features that move this customer’s churn log-odds most (TreeSHAP), e.g. `since_last_ratio +0.412; frequency −0.118; …`; empty when churn_probability comes from the BTYD model', { csv: {} }),
    ],
    otherColumns: 'other score',
  },
  {
    name: 'customer_rfm',
    meaning: 'RFM quintile scores and the named segment per customer',
    writtenBy: 'segments',
    alias: 'r',
    join: 'left',
    columns: [
      notInCsv(TOKEN),
      c('recency_days', 'DOUBLE', 'whole days since the last purchase'),
      c('frequency', 'DOUBLE', 'purchase occasions'),
      c('monetary', 'DOUBLE', 'net spend in the window (or per occasion), rounded to 6 decimals; NULL without order values', { money: true }),
      c('total_spend', 'DOUBLE', 'net spend in the window', { money: true }),
      c('historic_clv', 'DOUBLE', 'net spend − cost', { money: true }),
      c('r_score', 'BIGINT', 'recency score 1–5 (5: most recent)'),
      c('f_score', 'BIGINT', 'frequency score 1–5'),
      c('m_score', 'BIGINT', 'monetary score 1–5 (NULL without order values)'),
      c('fm_score', 'BIGINT', '⌊(F + M) / 2⌋, or F alone without order values'),
      c('rfm_score', 'VARCHAR', 'the three scores as text, e.g. `545` (two, `RF`, without order values)', { csv: {} }),
      c('segment', 'VARCHAR', 'named segment (Champions … Lost, docs/segments.md)', { csv: {} }),
    ],
    otherColumns: 'other score',
  },
  {
    name: 'customer_value_tiers',
    meaning: 'value tier (high / medium / low) and historic-vs-predicted quadrant per customer',
    writtenBy: 'segments',
    alias: 'v',
    join: 'left',
    columns: [
      notInCsv(TOKEN),
      c('historic_value', 'DOUBLE', 'historic_clv (without order values: purchase occasions)'),
      c('predicted_value', 'DOUBLE', 'predicted_clv_12m (without order values: expected purchases in 365 days; NULL without value models)'),
      c('value_rank', 'BIGINT', 'rank by the tier basis (predicted value when the models ran, else historic), 1 = most valuable'),
      c('value_tier', 'VARCHAR', 'high (top 20%), medium (next 30%), low (rest)', { csv: {} }),
      c('value_quadrant', 'VARCHAR', 'stars, rising, fading or low: historic and predicted value against their medians (NULL without value models)', { csv: {} }),
    ],
    otherColumns: 'other label',
  },
  {
    name: 'customer_clusters',
    meaning: 'behaviour cluster per customer (k-means++ on scaled behaviour features)',
    writtenBy: 'segments',
    alias: 'k',
    join: 'left',
    columns: [notInCsv(TOKEN), c('cluster', 'BIGINT', 'cluster number (described in run.json)', { csv: {} })],
    otherColumns: 'other label',
  },
  {
    name: 'customer_stages',
    meaning: 'lifecycle stage per customer, from the customer’s own purchase cadence and P(alive)',
    writtenBy: 'lifecycle',
    alias: 'g',
    join: 'left',
    columns: [
      notInCsv(TOKEN),
      c('stage', 'VARCHAR', 'prospect, new, active, reactivated, at_risk, dormant or churned', { csv: {} }),
      c('days_since_last', 'DOUBLE', 'whole days since the last purchase'),
      c('expected_gap_days', 'DOUBLE', 'the customer’s expected days between purchases'),
      c('cadence_ratio', 'DOUBLE', 'days_since_last ÷ expected_gap_days'),
      c('p_alive', 'DOUBLE', 'P(alive) from the value models (NULL without them)'),
    ],
    otherColumns: 'other label',
  },
  {
    name: 'customer_cohorts',
    meaning: 'acquisition cohort (month of the first purchase) per customer',
    writtenBy: 'lifecycle',
    alias: 'h',
    join: 'left',
    columns: [notInCsv(TOKEN), c('cohort', 'VARCHAR', 'YYYY-MM of the first purchase')],
    otherColumns: 'other label',
  },
  {
    name: 'customer_behaviour',
    meaning: 'browsing behaviour per customer from events after identity stitching: sessions, browse stage, buyer type (docs/events.md)',
    writtenBy: 'events',
    alias: 'b',
    join: 'left',
    columns: [
      notInCsv(TOKEN),
      c('sessions', 'BIGINT', 'browsing sessions up to the as-of date'),
      c('views', 'BIGINT', 'product views'),
      c('searches', 'BIGINT', 'searches'),
      c('cart_adds', 'BIGINT', 'add-to-cart events'),
      c('first_event', 'DATE', 'day of the first event'),
      c('last_event', 'DATE', 'day of the last event'),
      c('browse_stage', 'VARCHAR', 'online lifecycle: browsing_active (last session within 30 days), lapsing (31–90), gone (older); empty without sessions', { csv: {} }),
      c('buyer_type', 'VARCHAR', 'impulsive or deliberate, from behaviour before each purchase (empty when unknown)', { csv: {} }),
      c('deliberation_score', 'DOUBLE', 'median over purchases of the mean standardised log measures (minutes from first view, views, products viewed, searches, cart removals, sessions)'),
      c('minutes_to_purchase', 'DOUBLE', 'median minutes from the first view to the purchase'),
    ],
    otherColumns: 'other measure',
  },
  {
    name: 'customer_prospects',
    meaning: 'prospects (known from a profile or events, no purchase): conversion propensity and expected first-year value',
    writtenBy: 'events',
    alias: 'q',
    join: 'left',
    addsCustomers: true,
    columns: [
      notInCsv(TOKEN),
      c('conversion_propensity', 'DOUBLE', 'probability of a first purchase within the horizon: 365 days, or half the span of the history when shorter (run.json prospects.horizonDays; a run warning says when it is shorter) — logistic regression on behaviour and profile, docs/events.md', { csv: { round: 6 } }),
      c('new_customer_value', 'DOUBLE', 'first-year value of a new customer like them (same acquisition channel)', { money: true }),
      c('expected_first_year_value', 'DOUBLE', 'conversion_propensity × new_customer_value (also the prospect’s predicted_clv_12m): the value of a first purchase within the propensity’s horizon, fewer than 12 months when the history is short', { money: true, csv: { round: 4, insteadOf: { table: 'customer_scores', name: 'predicted_clv_12m' } } }),
      c('expected_first_year_value_low', 'DOUBLE', '5th percentile of expected_first_year_value under parameter uncertainty (the propensity model’s and the new-customer mean’s; docs/events.md) — the prospect’s predicted_clv_12m_low', { money: true, csv: { round: 4, insteadOf: { table: 'customer_scores', name: 'predicted_clv_12m_low' } } }),
      c('expected_first_year_value_high', 'DOUBLE', '95th percentile of expected_first_year_value under parameter uncertainty — the prospect’s predicted_clv_12m_high', { money: true, csv: { round: 4, insteadOf: { table: 'customer_scores', name: 'predicted_clv_12m_high' } } }),
    ],
    otherColumns: 'other score',
  },
];

/** The catalogue entry of a table; throws (a bug) for a table it lacks. */
export function derivedTable(name: string): DerivedTable {
  const table = DERIVED_TABLES.find((t) => t.name === name);
  if (!table) throw new Error(`${name} is not in the derived-table catalogue`);
  return table;
}

/**
 * The SELECT items that write a derived table's money columns as NULL of
 * their declared type, for data without order values: the step that creates
 * the table writes every catalogue column itself (absent values are NULL,
 * never zero, and never a missing column).
 *
 * Example: `absentMoneyColumnsSql('customer_scores', duckdbDialect)` →
 * `['CAST(NULL AS DOUBLE) AS "predicted_clv_12m"', …]`
 */
export function absentMoneyColumnsSql(name: string, d: Pick<SqlDialect, 'identifier'>): string[] {
  return derivedTable(name).columns.filter((c) => c.money).map((c) => `CAST(NULL AS ${c.type}) AS ${d.identifier(c.name)}`);
}
