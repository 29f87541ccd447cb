/**
 * What the campaigns page says under its KPIs table, without the DOM (tests under test/dashboard import it in Node):
 * the report's campaigns section says the same of the same results.
 */
import { evaluationWarnings } from '../../src/actions/comparison-warnings.js';
import { welchNote } from '../../src/report/campaign-kpi-row.js';
import type { CampaignResultsResponse } from '../../src/server/routes/read-api-types.js';

/**
 * The notes under the table, in order: each campaign still read as Welch's t (`welchNote`); every warning of the
 * evaluations (`evaluationWarnings`, as the report says them: a stale evaluation with how to measure it again, its
 * groups treated by other audiences, its groups unlike before the send date beyond chance, a window with stretches
 * without any transaction) — the row marks "(stale)", "(overlap)", "(imbalance beyond chance)", these say why; and
 * the evaluations withheld below the minimum group size.
 *
 * Example: → `['Warning: the evaluation of spring is stale: its audience's transaction lines … evaluate it again (POST /api/campaigns/spring …).', …]`
 */
export function campaignNotes(data: CampaignResultsResponse): string[] {
  const { campaigns, withheld } = data.campaigns;
  return [
    ...campaigns.map(welchNote).filter((n) => n !== null),
    ...evaluationWarnings(campaigns).map((w) => `Warning: ${w}.`),
    ...(withheld > 0 ? [`${withheld} evaluation(s) withheld: a group of fewer than ${data.minGroupSize} customers.`] : []),
  ];
}
