/**
 * campaign uplift-model and playbook --budget took the better learner as better than random targeting whenever its
 * Qini area on the validation half was above 0: on a campaign with no uplift at all that is luck about half the time,
 * and the budget then targeted by noise. The better learner must now beat shuffled scores (p < 0.05).
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { noUpliftCampaign } from '../helpers/no-uplift-campaign.js';

describe('an uplift model is used only when its Qini area beats chance', () => {
  it('no uplift planted: area above 0 on the validation half, not chosen, and it says why', async () => {
    const db = await noUpliftCampaign();
    const run = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    // the old rule: area 0.20 > 0, so transformed-outcome was 'better than random targeting'
    const best = report.learners.find((l: { learner: string }) => l.learner === 'transformed-outcome');
    expect(best.qini.area).toBeCloseTo(0.196, 3);
    expect(best.qiniPValue).toBeCloseTo(0.469, 3);
    expect(report.qiniTest).toEqual({ test: 'permutation', permutations: 999, pValue: 0.541, alpha: 0.05 });
    expect(report.chosen).toBeNull();
    expect(report.reason).toBe('neither learner ranks the validation members better than random targeting by more than chance: the better, transformed-outcome (Qini of buyers: coefficient 0.027, area 0.20, p = 0.541 against 999 shuffles of its scores), random scores do as well that often (p < 0.05 needed): keep targeting by value × P(alive) (predicted CLV)');
    const human = await cli(['campaign', 'uplift-model', '--db', db, '--audience', 'past', '--from', '2024-01-01', '--to', '2024-01-31', '--seed', '2']);
    expect(human.stdout).toMatch(/ {2}transformed-outcome {2}Qini coefficient 0\.027, area 0\.20, p = 0\.469\n/);
    expect(human.stdout).toMatch(/ {2}the better learner against 999 shuffles of the scores \(both learners alike\): p = 0\.541 \(used below 0\.05\)\n/);
  }, 120_000);
});
