/**
 * run.json files written before 2acce8a7 publish a campaign's uplift without its absolute interval, and where the
 * control mean is 0 (no control buyer) without a relative one either: no interval at all. `upliftVerdict` read that as
 * "not shown" and `intervalTestNote` as "its 95% interval includes 0". Neither follows from the record:
 *
 * - a Welch-era uplift (no `test` named: evaluations before a3f33b2) has a known interval: Welch's Δ ± t·se excludes 0
 *   exactly where Welch's p < 0.05 (one t, one se, one df), on the side of treatment − control — so it is judged as
 *   the same evaluation read from the warehouse with its interval is (raised, for the user trial's Welch figures);
 * - an exact test's uplift (permutation, Fisher; run.json between 50a8336d and 2acce8a7) has an interval that the
 *   record does not give: not counted as an effect, and the note says the interval is missing, not that it holds 0.
 *
 * Stored evaluations always carry the absolute interval (since 4b7e3e6), and are read as they are.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { campaignKpi, type PublishedUplift } from '../../src/actions/campaign-kpis.js';
import { estimateUplift, type UpliftEstimate } from '../../src/actions/estimate-uplift.js';
import type { CampaignEvaluation } from '../../src/actions/evaluate-campaign.js';
import { intervalTestNote, upliftVerdict } from '../../src/actions/uplift-verdict.js';
import { renderCampaignsSection } from '../../src/report/sections/campaigns-section.js';
import { fixtureReportData } from '../report/report-fixture.js';
import { FIXTURES } from '../helpers/warehouse.js';

/** An uplift as run.json published it before 2acce8a7 (and, without `test`, before 50a8336d): no absolute uplift or interval. */
const asOldRunJson = (u: UpliftEstimate | PublishedUplift, test = false): PublishedUplift => ({
  treatment: u.treatment,
  control: u.control,
  relativeUplift: u.relativeUplift,
  relativeUpliftInterval: u.relativeUpliftInterval,
  pValue: u.pValue,
  ...(test && u.test ? { test: u.test } : {}),
});

describe('the verdict on a run.json uplift written without its intervals', () => {
  it("Welch's t with a control mean of 0: the verdict and the note are those of the same estimate with its interval", () => {
    const control = { n: 29, mean: 0, variance: 0 };
    const cases = [
      [{ n: 259, mean: 0.07, variance: 0.08 }, 'raised'],
      [{ n: 259, mean: 0.01, variance: 0.5 }, 'not shown'],
      [{ n: 200, mean: -2, variance: 4 }, 'lowered'],
    ] as const;
    for (const [treatment, verdict] of cases) {
      const full = estimateUplift(treatment, control);
      expect(full.relativeUpliftInterval).toBeNull();
      expect(upliftVerdict(full), `${treatment.mean}`).toBe(verdict);
      for (const old of [asOldRunJson(full), asOldRunJson(full, true)]) {
        expect(old.test === undefined || old.test === 'welch').toBe(true);
        expect(upliftVerdict(old), `${treatment.mean}`).toBe(verdict);
        expect(intervalTestNote(old), `${treatment.mean}`).toBe(intervalTestNote(full));
      }
    }
  });

  it("the user trial's Welch-era evaluation in an old run.json: the report counts it as the stored one reads, with no note of an interval holding 0", () => {
    const stored = (JSON.parse(readFileSync(join(FIXTURES, 'campaigns/welch-era-evaluations.json'), 'utf8')) as CampaignEvaluation[]).find((e) => e.audience === 'trial')!;
    const kpi = campaignKpi(stored);
    expect(kpi.purchases.relativeUpliftInterval).toBeNull();
    expect(upliftVerdict(kpi.purchases)).toBe('raised');
    const old = { ...kpi, purchases: asOldRunJson(kpi.purchases), buyers: asOldRunJson(kpi.buyers), revenue: asOldRunJson(kpi.revenue!) };
    expect(upliftVerdict(old.purchases)).toBe('raised');
    const html = renderCampaignsSection(fixtureReportData(200), { campaigns: [old], withheld: 0 }).html;
    expect(html).toContain('1 of 1 campaign raised purchases per customer');
    expect(html).not.toContain('includes 0');
  });

  it('an exact test without its interval in the record: not counted, and the note says the interval is missing, not that it holds 0', () => {
    const old: PublishedUplift = { treatment: 0.3, control: 0, relativeUplift: null, relativeUpliftInterval: null, pValue: 0.01, test: 'permutation' };
    expect(upliftVerdict(old)).toBe('not shown');
    expect(intervalTestNote(old)).toBe(
      'the permutation test rejects equal means (p = 0.010) but this record gives no 95% interval (a run.json written before the absolute uplift was published, and with a control mean of 0 there is no relative one): not counted as an effect; analyze again to read it with its interval',
    );
    expect(intervalTestNote({ ...old, pValue: 0.4 })).toBeNull();
  });
});
