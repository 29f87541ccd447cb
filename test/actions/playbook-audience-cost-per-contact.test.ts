import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { smallAnalysedShop } from '../helpers/small-analysed-shop.js';

/**
 * An audience a playbook draws keeps its play's cost per contact (audiences.cost_per_contact), and campaign evaluate
 * uses it when no --cost-per-contact is given (saying so): before, a playbook campaign evaluated without the flag had
 * no ROI, and compare and the report showed '—' for every one unless each play's cost was typed again by hand.
 */
let db: string;

beforeAll(async () => {
  db = await smallAnalysedShop();
  const dir = dirname(db);
  const config = join(dir, 'plays.json');
  writeFileSync(config, JSON.stringify({ defaults: { holdout: 0.3 }, plays: [{ name: 'everyone', where: 'orders >= 1', costPerContact: 0.75, expectedLift: 0.05 }] }));
  const run = await cli(['playbook', '--db', db, '--config', config, '--out', join(dir, 'plan'), '--prefix', 'pb-', '--send-date', '2023-07-01', '--json']);
  expect(run.code, run.stderr).toBe(0);
}, 120_000);

const evaluate = (...extra: string[]) => cli(['campaign', 'evaluate', '--db', db, '--audience', 'pb-everyone', '--from', '2023-07-01', '--to', '2023-09-30', '--no-store', ...extra]);

describe("a playbook's audience carries its play's cost per contact", () => {
  it('audience show names it', async () => {
    const r = await cli(['audience', 'show', 'pb-everyone', '--db', db, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).costPerContact).toBe(0.75);
  });

  it('campaign evaluate without --cost-per-contact uses it: the cost, ROI, and a line saying where the cost came from', async () => {
    const json = await evaluate('--json');
    expect(json.code, json.stderr).toBe(0);
    const e = JSON.parse(json.stdout);
    expect(e.cost).toEqual({ perContact: 0.75, total: 0.75 * e.groups.treatment, source: 'play' });
    expect(e.roi).not.toBeNull();
    expect(e.unavailable.roi).toBeUndefined();
    const text = await evaluate();
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/cost per contact 0\.75 from the audience's play everyone \(stored when the playbook drew it; --cost-per-contact overrides it\)/);
  });

  it('an explicit --cost-per-contact wins', async () => {
    const r = await evaluate('--json', '--cost-per-contact', '2');
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.cost).toEqual({ perContact: 2, total: 2 * e.groups.treatment, source: 'given' });
  });
});
