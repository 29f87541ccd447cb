/**
 * The words a run names its settings in (core/run-words.ts): the flags of `clvkit analyze` for a CLI run, the fields
 * of `POST /api/runs` for a run started through the API. Every flag named is one analyze takes (the fields are
 * checked against the route's schema in test/server/run-warnings-in-api-words.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { RUN_SETTING_FLAGS, runWords, type RunSetting } from '../../src/core/run-words.js';
import { analyzeCommand } from '../../src/cli/commands/analyze-command.js';

const SETTINGS = Object.keys(RUN_SETTING_FLAGS) as RunSetting[];

describe('runWords', () => {
  it('names a setting as a flag for the CLI and as a field for the API', () => {
    const [cli, api] = [runWords(false), runWords(true)];
    expect([cli.name('holdoutDays'), api.name('holdoutDays')]).toEqual(['--holdout-days', 'holdoutDays']);
    expect([cli.set('grain', 'order'), api.set('grain', 'order')]).toEqual(['--grain order', '"grain": "order"']);
    expect([cli.set('learnedTournament', true), api.set('learnedTournament', true)]).toEqual(['--learned-tournament', '"learnedTournament": true']);
    expect([cli.set('regularityCheck', false), api.set('regularityCheck', false)]).toEqual(['--no-regularity-check', '"regularityCheck": false']);
    expect([cli.give, api.give]).toEqual(['pass', 'send']);
    expect([cli.supplyColumn('order_id', 'the order column'), api.supplyColumn('order_id', 'the order column')]).toEqual(['map the order column with --map order_id=<column>', 'send order_id with each order: POST /api/orders']);
    expect(runWords(undefined)).toBe(cli);
  });

  it('every flag it names is a flag of clvkit analyze (a switch on by default by its --no- form)', () => {
    const flags = analyzeCommand({ stdout: { write: () => true }, stderr: { write: () => true } }).options.map((o) => o.long);
    const named = SETTINGS.map((s) => (s === 'regularityCheck' ? runWords(false).set(s, false) : runWords(false).name(s)));
    expect(named.filter((flag) => !flags.includes(flag))).toEqual([]);
  });
});
