/**
 * A user trial (session 40): plan.csv of a playbook on Online Retail read `28.950000000000003` for the cross-sell play's
 * expected cost (579 contacts × 0.05), the float noise of the product, in the file a marketer opens in a spreadsheet.
 * A number that is a short decimal but for noise in its last digits is now written as that decimal (as `summarize`
 * writes its monetary means); any other keeps every digit (8917.31044745005), and plan.json keeps the numbers as
 * computed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writePlanFiles } from '../../src/actions/plan-files.js';
import { noSuppression } from '../../src/actions/suppression-condition.js';
import { scratchDir } from '../helpers/warehouse.js';

describe('plan.csv', () => {
  it('writes a cost that is a short decimal but for float noise as that decimal', () => {
    const dir = scratchDir();
    const expectedCost = 579 * 0.05;
    expect(expectedCost).toBe(28.950000000000003);
    const play = { play: 'cross-sell', audience: 'p-cross-sell', channel: 'email', offer: 'recs', where: "stage = 'active'", eligible: 643, members: 643, treatment: 579, control: 64, costPerContact: 0.05, expectedCost, lift: 0.03, liftSource: 'playbook', expectedIncrementalValue: 8917.31044745005, expectedRoi: 0.1 + 0.2, file: null, skipped: null, matched: 1093, suppressed: noSuppression(), balance: null };
    writePlanFiles(dir, { plays: [play] });
    const [header, row] = readFileSync(join(dir, 'plan.csv'), 'utf8').trim().split('\n');
    const cell = (name: string) => row!.split(',')[header!.split(',').indexOf(name)];
    expect(cell('expectedCost')).toBe('28.95');
    expect(cell('expectedRoi')).toBe('0.3');
    expect(cell('expectedIncrementalValue')).toBe('8917.31044745005');
    expect(cell('costPerContact')).toBe('0.05');
    expect(cell('members')).toBe('643');
    expect(JSON.parse(readFileSync(join(dir, 'plan.json'), 'utf8')).plays[0].expectedCost).toBe(28.950000000000003);
  });
});
