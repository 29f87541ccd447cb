/**
 * What the prospects (people who have not bought yet) are worth, in the words
 * the report and the dashboard share: the KPI of their expected first-year
 * value (the report's events and prospects sections, the dashboard's events
 * page) and the clause that tells the predicted-value headline — the buyers'
 * CLV (run.json clv.totalPredicted) — that the prospects' value is not in it
 * (the report's overview, the dashboard's overview tile).
 */
import type { ProspectScores } from '../events/score-prospects.js';
import { formatCount, formatMoney } from './format-number.js';
import type { Kpi } from './html-parts.js';

/** The prospects' figures these words need (run.json `prospects`, or `events.prospects`). */
export type ProspectsValue = Pick<ProspectScores, 'prospects' | 'expectedFirstYearValueTotal'>;

/** Where each prospect's value is written: the report's `customers.csv`, the dashboard's customer scores. */
const IN_CUSTOMERS_CSV = 'in customers.csv';

/**
 * The prospects' expected first-year value as a KPI, with where each prospect's value and its interval are.
 *
 * Example: `{ prospects: 300, expectedFirstYearValueTotal: 20.2 }` → value `20.20`, note `all 300 prospects: propensity ×
 * the first-year value of a new customer like them; each prospect’s predicted_clv_12m in customers.csv, with its
 * parameter-uncertainty interval (predicted_clv_12m_low / _high)`
 */
export function prospectsValueKpi(prospects: ProspectsValue, options: { readonly currency?: string; readonly where?: string } = {}): Kpi {
  const total = prospects.expectedFirstYearValueTotal;
  return {
    label: 'expected first-year value',
    value: Number.isFinite(total) ? formatMoney(total, options.currency) : '—',
    note: `all ${formatCount(prospects.prospects)} prospects: propensity × the first-year value of a new customer like them; each prospect’s predicted_clv_12m ${options.where ?? IN_CUSTOMERS_CSV}, with its parameter-uncertainty interval (predicted_clv_12m_low / _high)`,
  };
}

/**
 * The clause the predicted-value headline (the buyers' CLV total) needs when the run scored prospects: whose total it
 * is and the prospects' expected first-year value it leaves out; '' without prospects.
 *
 * Example: `{ prospects: 300, expectedFirstYearValueTotal: 20.79 }` → `buyers only; the 300 prospects’ expected
 * first-year value, 20.79, is not in it`
 */
export function prospectsBesideBuyersTotal(prospects: ProspectsValue | null | undefined, currency?: string): string {
  if (!prospects || !(prospects.prospects > 0)) return '';
  const n = prospects.prospects;
  const who = `the ${formatCount(n)} prospect${n === 1 ? '' : 's'}`;
  const total = prospects.expectedFirstYearValueTotal;
  if (!Number.isFinite(total)) return `buyers only; ${who} ${n === 1 ? 'is' : 'are'} not in it`;
  return `buyers only; ${who}${n === 1 ? '’s' : '’'} expected first-year value, ${formatMoney(total, currency)}, is not in it`;
}
