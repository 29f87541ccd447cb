/**
 * `clvkit customer <id> --db W` (no view flag): the customer's row of the last analysis — the scores of the customer
 * 360 as `GET /api/customers/:token` reads them (`readCustomerScores`), personal data masked by role as the API masks
 * it (`readCustomerPii`; an admin's `--reveal-ids` is the API's `reveal=1`), and audited as the API's read is; with the
 * audiences the customer was drawn into and the group (`readCustomerAudiences`, as the API's 360).
 */
import { UserError } from '../../core/errors/user-error.js';
import type { Warehouse } from '../../engine/warehouse.js';
import { tableExists } from '../../features/table-exists.js';
import { assertCan } from '../../privacy/access/rbac.js';
import type { CliIo } from '../cli-io.js';
import type { InputSession } from './input-warehouse.js';
import { CHURN_PROBABILITY_DECIMALS, CHURN_RISK_BANDS } from '../../core/describe-risk-bands.js';
import { clvIntervalWords } from '../../core/clv-interval-words.js';

const percent = (share: number) => `${Math.round(100 * share)}%`;

type Scores = Readonly<Record<string, Readonly<Record<string, string | number | null>>>>;

/** Reads, audits and prints the customer's row; `stored` is the id as the warehouse holds it (a token when keyed). */
export async function showCustomerRow(warehouse: Warehouse, session: InputSession, given: string, stored: string, options: { revealIds: boolean; json: boolean; where: string }, io: CliIo): Promise<void> {
  if (options.revealIds) assertCan(session.role, 'reidentify');
  // the server's own read functions (loaded on first use, as the CLI's other heavy modules are)
  const { readCustomerAudiences, readCustomerScores } = await import('../../server/routes/read-customer-360.js');
  const { customerReadAudits, readCustomerPii, shownCustomer } = await import('../../server/routes/read-customer-pii.js');
  const scores = await readCustomerScores(warehouse, stored);
  if (Object.keys(scores).length === 0) {
    if (!(await tableExists(warehouse, 'customer_summary'))) throw new UserError('no analysis has finished on this warehouse yet: there is no customer row to show', `run clvkit analyze ${options.where} first (or show the customer's P(alive) path with --alive-path)`);
    throw new UserError(`no customer ${given} in the last analysis`, 'use the customer id as it appears in the input file, or its token (customers.csv of clvkit analyze lists them)');
  }
  const pii = await readCustomerPii(warehouse, session.keyring, session.role, [stored], options.revealIds);
  for (const entry of customerReadAudits(pii, { target: { customerToken: stored }, rowCounts: { customers: 1 }, details: { command: 'customer' } })) await session.record(entry);
  const audiences = await readCustomerAudiences(warehouse, stored);
  const shown = { ...shownCustomer(pii, stored), scores, audiences };
  if (options.json) {
    io.stdout.write(JSON.stringify(shown, null, 2) + '\n');
    return;
  }
  const name = `customer ${stored}${shown.originalId ? ` (${shown.originalId})` : ''}`;
  const personal = Object.entries(shown.pii).filter(([, value]) => value !== null).map(([role, value]) => `${role} ${value}`);
  io.stdout.write([...customerRowLines(name, scores), audiencesLine(audiences), ...(personal.length > 0 ? [`  personal data: ${personal.join(', ')}`] : [])].join('\n') + '\n');
}

/** `  audiences: late (control, sent 2024-02-10), winback (treatment, sent 2024-01-05, play winback-at-risk)`, or none. */
function audiencesLine(audiences: readonly { name: string; group: string; sendDate: string | null; play: string | null }[]): string {
  if (audiences.length === 0) return '  audiences: none';
  return `  audiences: ${audiences.map((a) => `${a.name} (${a.group}, sent ${a.sendDate ?? '—'}${a.play ? `, play ${a.play}` : ''})`).join(', ')}`;
}

const num = (value: unknown, digits: number): string => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '—');

/** The text view of a customer's row: what a marketer asks first, then the purchase history. */
export function customerRowLines(name: string, scores: Scores): string[] {
  const summary = scores.customer_summary;
  const stage = scores.customer_stages?.stage ?? null;
  if (!summary && scores.customer_prospects) return prospectLines(name, stage, scores);
  const s = scores.customer_scores ?? {};
  const churn = scores.customer_churn;
  const segment = scores.customer_rfm?.segment ?? scores.customer_segments?.segment ?? null;
  const lines = [`${name}: stage ${stage ?? '—'}, segment ${segment ?? '—'}`];
  lines.push(`  P(alive) ${num(s.p_alive, 4)}${churn ? `, churn probability ${num(churn.churn_probability, CHURN_PROBABILITY_DECIMALS)} (${churn.churn_risk_band ? `band ${churn.churn_risk_band} by rank: high the riskiest ${percent(CHURN_RISK_BANDS.highShare)}, medium the next ${percent(CHURN_RISK_BANDS.mediumShare)}` : 'no band'})` : ''}`);
  lines.push(`  expected purchases: ${num(s.expected_purchases_30d, 4)} in 30 days, ${num(s.expected_purchases_90d, 4)} in 90 days, ${num(s.expected_purchases_365d, 4)} in 365 days`);
  lines.push(`  CLV: historic ${num(summary?.historic_clv, 2)}, predicted 12 months ${num(s.predicted_clv_12m, 2)} (${interval(s.predicted_clv_12m_low, s.predicted_clv_12m_high)})`);
  lines.push(`  next order: ${nextOrder(s.next_order_p50, s.next_order_p90, scores.customer_scores !== undefined)}`);
  if (summary) lines.push(`  purchases: ${summary.orders} order${summary.orders === 1 ? '' : 's'}, first ${summary.first_purchase}, last ${summary.last_purchase}, total spend ${num(summary.total_spend, 2)}`);
  return lines;
}

/** predicted_clv_12m_low / _high in words: the 5th and 95th percentiles over the parameter draws, a 90% interval (README). */
const interval = (low: unknown, high: unknown): string => clvIntervalWords(low, high, (v) => v.toFixed(2));

/**
 * A prospect's row, as customers.csv has it: the stage and conversion propensity (the words of `customer
 * --alive-path`), predicted_clv_12m with its interval (customer_scores' row when the value models ran, else
 * customer_prospects' expected first-year value: the same number) and the browse stage.
 */
function prospectLines(name: string, stage: unknown, scores: Scores): string[] {
  const p = scores.customer_prospects!;
  const s = scores.customer_scores?.predicted_clv_12m !== undefined && scores.customer_scores.predicted_clv_12m !== null
    ? { value: scores.customer_scores.predicted_clv_12m, low: scores.customer_scores.predicted_clv_12m_low, high: scores.customer_scores.predicted_clv_12m_high }
    : { value: p.expected_first_year_value, low: p.expected_first_year_value_low, high: p.expected_first_year_value_high };
  const b = scores.customer_behaviour;
  const sessions = Number(b?.sessions ?? 0);
  return [
    `${name} is a known prospect (a profile or events, no purchase yet): stage ${stage ?? 'unknown'}, conversion propensity ${num(p.conversion_propensity, 4)}`,
    `  CLV: predicted 12 months ${num(s.value, 2)} (${interval(s.low, s.high)}) = conversion propensity × ${num(p.new_customer_value, 2)}, the first-year value of a new customer like them`,
    sessions > 0 ? `  browsing: stage ${b!.browse_stage ?? '—'}, ${sessions} session${sessions === 1 ? '' : 's'}, last event ${b!.last_event ?? '—'}` : '  browsing: no sessions',
  ];
}

/**
 * The next-order dates in words: "by 2024-03-02 (50% chance), by 2024-09-14 (90%)"; a quantile never reached (NULL:
 * may never be reached, or not within a century) said once, not as "by none foreseen"; '—' without scores.
 */
function nextOrder(p50: unknown, p90: unknown, scored: boolean): string {
  const known = (v: unknown) => v !== null && v !== undefined;
  if (!scored) return '—';
  if (!known(p50)) return 'not foreseen (a 50% chance of another order is never reached within a century)';
  return `by ${String(p50)} (50% chance), ${known(p90) ? `by ${String(p90)} (90%)` : 'a 90% chance never reached within a century'}`;
}
