/**
 * One decision per group per run. Found in session 34: `analyze` at k = 150 on a synthetic shop of 2,000 buyers with
 * events withheld the prospect stage in run.json's `segments.stages` (to protect the small reactivated and dormant
 * stages) while the events section's funnels by stage showed its 200 people — and `events.prospects` its 200
 * prospects; every run publishes that number as a total (all customers less those acquired). The funnels, the KPIs, the
 * browse × purchase cross-table and the stages each chose for themselves. Two synthetic shops with events (everyone
 * browses): 400 buyers and 40 prospects at k = 100 (before: the stages withheld churned, 303 customers, as the partner of
 * the four small buyers' stages, and the funnel by stage and the cross-table showed its 303; the KPIs withheld the
 * paid_search channel, the funnel showed its 106 people), and the events tests' 600 buyers and 60 prospects at k = 150.
 * Every group (stage, RFM segment, cohort, acquisition channel) that its own table withholds is looked for in every
 * other table of the run: run.json, report.html and the API a viewer reads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { generateShop } from '../../src/synth/generate-shop.js';
import { stageLabel } from '../../src/report/charts/stage-colors.js';
import { useFixedKey } from '../helpers/cli.js';
import { scratchDir } from '../helpers/warehouse.js';
import { analysedRunAsViewer } from './analysed-run-as-viewer.js';

type Row = Record<string, any>;

/** The groups a run's own table of each grouping withholds, with the funnel breakdown that shows the same groups. */
function withheldGroups(run: Row): { funnel: string; groups: string[] }[] {
  const names = (rows: Row[], key: string, count: string) => rows.filter((r) => r.suppression !== null && r[count] === null).map((r) => String(r[key]));
  return [
    { funnel: 'byStage', groups: names(run.segments.stages.stages, 'stage', 'customers') },
    { funnel: 'bySegment', groups: names(run.segments.rfm.segments, 'name', 'customers') },
    { funnel: 'byCohort', groups: names(run.segments.cohorts.cohorts, 'label', 'customers') },
    { funnel: 'byChannel', groups: names(run.segments.kpis.byAcquisitionChannel, 'group', 'customers') },
  ];
}

/** The cells of the report's table rows whose first cell is `first`. */
function reportRows(html: string, first: string): string[][] {
  return [...html.matchAll(/<tr>(.*?)<\/tr>/g)]
    .map((m) => [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!))
    .filter((cells) => cells[0] === first);
}

describe.each([
  { buyers: 400, seed: 3, k: 100, prospects: 40, withheld: ['churned', 'paid_search'] },
  { buyers: 600, seed: 21, k: 150, prospects: 60, withheld: ['active', 'reactivated', 'at_risk', 'dormant'] },
])('a count hidden in one table is hidden in all ($buyers buyers, $prospects prospects, k = $k)', ({ buyers, seed, k, prospects, withheld }) => {
  useFixedKey(35);
  let run: Row;
  let html: string;
  let api: { lifecycle: Row; events: Row; overview: Row };

  beforeAll(async () => {
    const dir = scratchDir('clvkit-one-decision-');
    // a tenth as many prospects as buyers (the generator's default until session 35): the counts these shops were chosen for
    await generateShop({ outDir: dir, customers: buyers, seed, prospectShare: 0.1 });
    const published = await analysedRunAsViewer(dir, k, ['/api/lifecycle', '/api/events-summary', '/api/overview']);
    ({ run, html } = published);
    api = { lifecycle: published.api['/api/lifecycle']!, events: published.api['/api/events-summary']!.events, overview: published.api['/api/overview']! };
  }, 300_000);

  it('withholds groups in their own tables (the rest of the test looks for them elsewhere)', () => {
    expect(withheldGroups(run).flatMap((g) => g.groups)).toEqual(expect.arrayContaining(withheld));
    // each of them has people with events: a funnel row that would show it
    for (const { funnel, groups } of withheldGroups(run)) for (const group of groups) expect(run.events.funnels[funnel].map((r: Row) => r.group)).toContain(group);
  });

  it('run.json: a group its table withholds shows no count in the funnels, the KPIs or a whole cross-table column', () => {
    for (const { funnel, groups } of withheldGroups(run)) {
      for (const group of groups) {
        const row = run.events.funnels[funnel].find((r: Row) => r.group === group);
        expect({ funnel, group, people: row.people, sessions: row.sessions }).toEqual({ funnel, group, people: null, sessions: null });
      }
    }
    const stages = withheldGroups(run)[0]!.groups;
    for (const stage of stages) {
      const kpi = run.segments.kpis.byStage.find((r: Row) => r.group === stage);
      if (kpi) expect({ stage, customers: kpi.customers }).toEqual({ stage, customers: null });
      // the column's cells add up to the stage's customers with events: one of them at least is withheld
      const column = run.events.onlineLifecycle.crossTable.filter((c: Row) => c.purchaseStage === stage);
      if (column.length > 0) expect({ stage, withheld: column.some((c: Row) => c.customers === null) }).toEqual({ stage, withheld: true });
    }
  });

  it('run.json: the prospects are one number — the stage table shows the total the events summary publishes', () => {
    // fewer than k, and published all the same: all customers less those acquired, and the events' prospects
    expect(run.segments.stages.customers - run.segments.rfm.customers).toBe(prospects);
    expect(run.events.prospects.prospects).toBe(prospects);
    expect(run.segments.stages.stages.find((s: Row) => s.stage === 'prospect').customers).toBe(prospects);
    // the last stage snapshot is the stages now (the same day): it shows them too, and withholds what the stages withhold
    const last = run.segments.transitions.snapshots.at(-1);
    expect(last.day).toBe(run.segments.stages.asOf);
    expect(last.counts.prospect).toBe(prospects);
    for (const stage of run.segments.stages.stages) expect({ stage: stage.stage, count: last.counts[stage.stage] }).toEqual({ stage: stage.stage, count: stage.customers });
  });

  it('report.html: a withheld stage says suppressed in the stage table and in the funnel table', () => {
    const stages = withheldGroups(run)[0]!.groups;
    for (const stage of stages) {
      const label = stageLabel(stage);
      expect(reportRows(html, label).map((cells) => cells[1])).toEqual(['suppressed']);
      expect(reportRows(html, `stage: ${label}`).map((cells) => cells[1])).toEqual(['suppressed']);
    }
    expect(reportRows(html, 'prospect').map((cells) => cells[1])).toEqual([String(prospects)]);
  });

  it('the API a viewer reads: the same decisions as run.json', () => {
    const stages = withheldGroups(run)[0]!.groups;
    for (const stage of stages) {
      expect(api.lifecycle.stages.stages.find((s: Row) => s.name === stage).customers).toBeNull();
      expect(api.events.funnels.byStage.find((r: Row) => r.group === stage).people).toBeNull();
      expect(api.overview.stages.stages.find((s: Row) => s.name === stage).customers).toBeNull();
    }
    expect(api.lifecycle.stages.stages.find((s: Row) => s.name === 'prospect').customers).toBe(prospects);
    expect(api.events.funnels).toEqual(run.events.funnels);
  });
});
