import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { ingestTwoOrderShop } from '../helpers/two-order-shop.js';

/** Tokens of one group of an audience file written by `audience create --out`. */
function group(file: string, name: string): Set<string> {
  return new Set(readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')).filter((r) => r[1] === name).map((r) => r[0]!));
}

describe('campaign evaluate with overlapping audiences', () => {
  it('warns, with counts per group, when members were treated by other audiences sent in the window (a contacted control, a shared treatment)', async () => {
    const { dir, db } = await ingestTwoOrderShop(80);
    const draw = async (name: string, seed: string, sendDate: string) => {
      const run = await cli(['audience', 'create', '--db', db, '--name', name, '--where', 'TRUE', '--holdout', '0.5', '--seed', seed, '--send-date', sendDate, '--out', join(dir, `${name}.csv`)]);
      expect(run.code, run.stderr).toBe(0);
    };
    await draw('first', '1', '2023-07-01');
    await draw('during', '2', '2023-07-10'); // sent inside first's window: its treated overlap first's groups
    await draw('later', '3', '2023-09-01'); // sent after the window: no effect on it
    await draw('before', '4', '2023-06-30'); // sent before first: hits both groups alike, not a contamination of the comparison
    const after = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 80; c++) after.push(`J${c},P${c},2023-07-${String((c % 28) + 1).padStart(2, '0')},${10 + c}`);
    writeFileSync(join(dir, 'after.csv'), after.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'after.csv'), '--db', db])).code).toBe(0);

    const treatedDuring = group(join(dir, 'during.csv'), 'treatment');
    const control = [...group(join(dir, 'first.csv'), 'control')].filter((t) => treatedDuring.has(t)).length;
    const treatment = [...group(join(dir, 'first.csv'), 'treatment')].filter((t) => treatedDuring.has(t)).length;
    expect(control).toBeGreaterThan(0);
    expect(treatment).toBeGreaterThan(0);
    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'first', '--from', '2023-07-01', '--to', '2023-07-31', '--json']);
    expect(run.code, run.stderr).toBe(0); // the July orders end on 2023-07-28
    const warnings = JSON.parse(run.stdout).warnings as string[];
    expect(warnings).toContain(`${control} of the 40 control customers were treated by other audiences sent between 2023-07-01 and 2023-07-28, the window's last day with transactions (${control} customers also in during): the uplift is measured against a partly contacted control group`);
    expect(warnings).toContain(`${treatment} of the 40 treated customers were also treated by other audiences sent between 2023-07-01 and 2023-07-28, the window's last day with transactions (${treatment} customers also in during): the uplift is that of the contacts combined`);
    expect(warnings.filter((w) => /treated by other audiences/.test(w))).toHaveLength(2); // neither names later nor before

    // an audience with no other send in its window: no such warning
    const alone = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'during', '--from', '2023-07-10', '--to', '2023-07-31', '--json']);
    expect(alone.code, alone.stderr).toBe(0);
    expect((JSON.parse(alone.stdout).warnings as string[]).filter((w) => /treated by other audiences/.test(w))).toEqual([]);
  }, 120_000);
  // Regression (a user trial): vip's warnings named every audience sent in the window — three playbook audiences and
  // winback — though all 53 contacted control customers came from winback (the playbook had left vip's members out)
  it('names only the audiences that treated members of each group, each with its count, a customer treated twice counted once', async () => {
    const { dir, db } = await ingestTwoOrderShop(80);
    const draw = async (name: string, where: string, seed: string, sendDate: string) => {
      const run = await cli(['audience', 'create', '--db', db, '--name', name, '--where', where, '--holdout', '0.5', '--seed', seed, '--send-date', sendDate, '--out', join(dir, `${name}.csv`)]);
      expect(run.code, run.stderr).toBe(0);
    };
    await draw('first', "first_purchase <= '2023-03-14'", '1', '2023-07-01');
    await draw('elsewhere', "first_purchase > '2023-03-14'", '2', '2023-07-05'); // sent in the window, none of first's members
    await draw('during', 'TRUE', '3', '2023-07-10');
    await draw('during-too', 'TRUE', '4', '2023-07-12');
    const after = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 80; c++) after.push(`J${c},P${c},2023-07-${String((c % 28) + 1).padStart(2, '0')},${10 + c}`);
    writeFileSync(join(dir, 'after.csv'), after.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'after.csv'), '--db', db])).code).toBe(0);

    const treated = { during: group(join(dir, 'during.csv'), 'treatment'), 'during-too': group(join(dir, 'during-too.csv'), 'treatment') };
    const expected = (g: string) => {
      const members = [...group(join(dir, 'first.csv'), g)];
      const per = Object.entries(treated)
        .map(([name, set]) => [name, members.filter((t) => set.has(t)).length] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      return { total: members.filter((t) => treated.during.has(t) || treated['during-too'].has(t)).length, of: members.length, named: per.map(([name, n], i) => `${n}${i === 0 ? ' customers' : ''} also in ${name}`).join(', '), sum: per.reduce((s, [, n]) => s + n, 0) };
    };
    const control = expected('control');
    const treatment = expected('treatment');
    expect(control.sum).toBeGreaterThan(control.total); // some control customers were treated by both
    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'first', '--from', '2023-07-01', '--to', '2023-07-31', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const sent = "sent between 2023-07-01 and 2023-07-28, the window's last day with transactions";
    expect((JSON.parse(run.stdout).warnings as string[]).filter((w) => /treated by other audiences/.test(w))).toEqual([
      `${control.total} of the ${control.of} control customers were treated by other audiences ${sent} (${control.named}): the uplift is measured against a partly contacted control group`,
      `${treatment.total} of the ${treatment.of} treated customers were also treated by other audiences ${sent} (${treatment.named}): the uplift is that of the contacts combined`,
    ]);
  }, 120_000);
  it('counts only audiences sent by the last day with transactions in the window: one sent after the data ends cannot have touched a measured purchase, one sent on that day can', async () => {
    const { dir, db } = await ingestTwoOrderShop(80);
    const draw = async (name: string, seed: string, sendDate: string) => {
      const run = await cli(['audience', 'create', '--db', db, '--name', name, '--where', 'TRUE', '--holdout', '0.5', '--seed', seed, '--send-date', sendDate, '--out', join(dir, `${name}.csv`)]);
      expect(run.code, run.stderr).toBe(0);
    };
    await draw('first', '1', '2023-07-01');
    await draw('last-day', '2', '2023-07-28'); // sent on the last day with purchases in the window: that day's purchases may respond to it
    await draw('after-data', '3', '2023-08-05'); // inside --to, but after the last purchase measured (a playbook sent the day after the data)
    const after = ['order_id,customer_id,date,amount'];
    for (let c = 1; c <= 80; c++) after.push(`J${c},P${c},2023-07-${String((c % 28) + 1).padStart(2, '0')},${10 + c}`); // 2023-07-01 … 2023-07-28
    writeFileSync(join(dir, 'after.csv'), after.join('\n') + '\n');
    expect((await cli(['ingest', join(dir, 'after.csv'), '--db', db])).code).toBe(0);

    const treatedOnLastDay = group(join(dir, 'last-day.csv'), 'treatment');
    const treatedAfterData = group(join(dir, 'after-data.csv'), 'treatment');
    const hits = (g: string, treated: Set<string>) => [...group(join(dir, 'first.csv'), g)].filter((t) => treated.has(t)).length;
    expect(hits('control', treatedOnLastDay)).toBeGreaterThan(0);
    expect(hits('treatment', treatedOnLastDay)).toBeGreaterThan(0);
    expect(hits('control', treatedAfterData)).toBeGreaterThan(0); // it would be counted, were it not after the data
    const run = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'first', '--from', '2023-07-01', '--to', '2023-08-15', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const warnings = (JSON.parse(run.stdout).warnings as string[]).filter((w) => /treated by other audiences/.test(w));
    const sent = "sent between 2023-07-01 and 2023-07-28, the window's last day with transactions";
    expect(warnings).toEqual([
      `${hits('control', treatedOnLastDay)} of the 40 control customers were treated by other audiences ${sent} (${hits('control', treatedOnLastDay)} customers also in last-day): the uplift is measured against a partly contacted control group`,
      `${hits('treatment', treatedOnLastDay)} of the 40 treated customers were also treated by other audiences ${sent} (${hits('treatment', treatedOnLastDay)} customers also in last-day): the uplift is that of the contacts combined`,
    ]);

    // a window that ends the day before last-day's send date: neither counts
    const before = await cli(['campaign', 'evaluate', '--db', db, '--audience', 'first', '--from', '2023-07-01', '--to', '2023-07-27', '--json']);
    expect(before.code, before.stderr).toBe(0);
    expect((JSON.parse(before.stdout).warnings as string[]).filter((w) => /treated by other audiences/.test(w))).toEqual([]);
  }, 120_000);
});
