import { describe, expect, it } from 'vitest';
import type { PublishedCampaigns } from '../../src/actions/campaign-kpis.js';
import { formatCampaignComparison } from '../../src/cli/commands/campaign-command.js';
import { fixtureReportData } from '../report/report-fixture.js';

// Regression (a user trial): campaign compare cut campaign names to 23 characters — a playbook's audiences all read
// playbook-2024-05-01-las, -rea, -cro, and one could not tell which row was which
describe('campaign compare, the table', () => {
  it('shows every campaign name in full, the columns after it aligned', () => {
    const [kpi] = (fixtureReportData().run.campaigns as PublishedCampaigns).campaigns;
    const names = ['playbook-2024-05-01-last-offer', 'playbook-2024-05-01-reactivation', 'winback'];
    const text = formatCampaignComparison({ withheld: 0, campaigns: names.map((audience) => ({ ...kpi!, audience, play: audience.startsWith('playbook') ? audience.slice('playbook-2024-05-01-'.length) : null })) });
    const lines = text.split('\n').slice(0, 1 + names.length); // the rows (the notes under them aside)
    expect(lines.slice(1).map((line) => line.slice(0, line.indexOf('2011-12-10')).trimEnd())).toEqual([
      'playbook-2024-05-01-last-offer (last-offer)',
      'playbook-2024-05-01-reactivation (reactivation)',
      'winback',
    ]);
    // the window column starts at the same place on every line, the header's included
    const starts = new Set([lines[0]!.indexOf('window'), ...lines.slice(1).map((line) => line.indexOf('2011-12-10'))]);
    expect(starts.size).toBe(1);
    expect([...starts][0]).toBeGreaterThan('playbook-2024-05-01-reactivation (reactivation)'.length);
  });
});
