/**
 * How churn_risk_band is cut, in words — one sentence for the analyze summary's churn line and for the report's churn
 * section, so that the two say the same bands with the same cut-offs. The bands are ranks (the riskiest `highShare`
 * high, the next `mediumShare` medium, ties kept together), so "low" is no probability bound: a QA pass read "low"
 * beside churn probabilities up to 0.88 on CDNOW. Each cut-off is this run's lowest probability in its band, rounded
 * down, so that every customer in a band is at or above the figure printed (rounded to nearest, 0.9127 read "≥ 0.913"
 * above a customer banded high). No imports: the CLI's summary loads it at start-up.
 */

/**
 * Decimals of churn_probability in customers.csv. The bands are cut on the probability so rounded (churnRiskBands),
 * which customer_churn stores: customers printed alike share a band, and a band's cut-off is a value printed.
 */
export const CHURN_PROBABILITY_DECIMALS = 6;

/** The bands' shares of the customers, riskiest first: high the top 20%, medium the next 30%, low the rest (churnRiskBands). */
export const CHURN_RISK_BANDS = { highShare: 0.2, mediumShare: 0.3 } as const;

/** run.json's `learned.churn.bands`: the lowest probability banded high and medium; older run.json had fixed cut-offs and no shares. */
export interface RiskBands {
  readonly high: number | null;
  readonly medium: number | null;
  readonly highShare?: number;
  readonly mediumShare?: number;
}

/** `p` rounded down to three decimals: 0.9127 → "0.912". */
const floor3 = (p: number): string => (Math.floor(p * 1000) / 1000).toFixed(3);

const finite = (p: number | null): p is number => typeof p === 'number' && Number.isFinite(p);

/**
 * The bands in words; `null` when no customer was banded (no probability in the high band).
 *
 * Examples: `{ highShare: 0.2, mediumShare: 0.3, high: 0.9127, medium: 0.8049 }` → "by rank, ties kept together: high
 * the riskiest 20% (probability ≥ 0.912), medium the next 30% (≥ 0.804), low the other 50%"; a top tie of more than
 * half the customers → "…, medium the next 30% (none: the top tie took them), …"; an older run.json's `{ high: 0.6,
 * medium: 0.3 }` → "high ≥ 0.6, medium ≥ 0.3, low below"
 */
export function describeRiskBands(bands: RiskBands): string | null {
  if (!finite(bands.high)) return null;
  if (bands.highShare === undefined || bands.mediumShare === undefined) return `high ≥ ${bands.high}, medium ≥ ${bands.medium}, low below`;
  const percent = (share: number) => `${Math.round(100 * share)}%`;
  const medium = finite(bands.medium) ? `≥ ${floor3(bands.medium)}` : 'none: the top tie took them';
  return `by rank, ties kept together: high the riskiest ${percent(bands.highShare)} (probability ≥ ${floor3(bands.high)}), medium the next ${percent(bands.mediumShare)} (${medium}), low the other ${percent(1 - bands.highShare - bands.mediumShare)}`;
}
