/**
 * A QA pass: the playbook's suppression note said "treated in an audience sent in the 14 days before 2024-01-01" of
 * customers treated in an audience sent ON 2024-01-01. The rule (suppressionCondition) leaves out those treated in an
 * audience sent from the send date − N days through the send date itself; the note now names that window.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/core/calendar-days.js';
import { cli, useFixedKey } from '../helpers/cli.js';
import { prospectsWarehouse } from '../helpers/prospects-warehouse.js';

describe('the contactedWithinDays suppression note', () => {
  useFixedKey(31);

  it('names the window the rule uses: the N days before the send date and the send date itself', async () => {
    const { dir, db, lastDay } = await prospectsWarehouse();
    const sendDate = addDays(lastDay, 1);
    const config = join(dir, 'everyone.json');
    writeFileSync(config, JSON.stringify({ plays: [{ name: 'everyone', where: 'frequency >= 0', costPerContact: 1, expectedLift: 0.1, measureDays: 1, suppression: { contactedWithinDays: 14 } }] }));
    const run = async (prefix: string) => {
      const r = await cli(['playbook', '--db', db, '--out', join(dir, prefix), '--prefix', `${prefix}-`, '--seed', '3', '--config', config, '--send-date', sendDate]);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(readFileSync(join(dir, prefix, 'plan.json'), 'utf8')) as { plays: { skipped: string | null; notes: string[]; suppressed: { contactedRecently: number } }[] };
    };
    await run('first');
    // the same send date again: the first run's treated were sent an audience on that very day
    const second = await run('second');
    const play = second.plays[0]!;
    expect(play.suppressed.contactedRecently).toBeGreaterThan(0);
    const said = [play.skipped ?? '', ...play.notes].join('\n');
    expect(said).toContain(`contacted recently (treated in an audience sent from ${addDays(sendDate, -14)} to ${sendDate}: the 14 days before the send date and the send date itself; contactedWithinDays)`);
  }, 180_000);
});
