/**
 * The human ingest report lists the rules the file's kind is judged by: a
 * profile or event file has no prices, products, returns or outliers, and a
 * user trial read "(0 returns, 0 outliers flagged)" and `nonpositive_price 0`
 * under an event file as if those rules had been checked.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestFiles } from '../../src/ingest/ingest-files.js';
import { formatIngestReport } from '../../src/ingest/ingest-report.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');

/** The rule lines of a report: the reason names under 'quarantined'. */
function ruleNames(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(lines.findIndex((line) => line.startsWith('quarantined')) + 1).map((line) => line.trim().split(/\s+/)[0]!);
}

describe('the ingest report of an event or profile file', () => {
  const scratch = useScratchWarehouse();

  it('an event file: its own rules, no returns or outliers', async () => {
    const events = join(scratch.dir, 'events.csv');
    writeFileSync(events, 'session_id,customer_id,ts,type\ns1,A,2023-01-01 10:00,view\ns1,A,2023-01-01 10:01,\ns2,,2023-01-02 09:00,view\n');
    const text = formatIngestReport(await ingestFiles(scratch.warehouse, [events], { now: NOW, kind: 'events' }));
    expect(ruleNames(text)).toEqual(['malformed_row', 'missing_customer_id', 'missing_date', 'bad_date', 'future_date', 'duplicate', 'missing_event_type']);
    expect(text).toMatch(/^accepted +2$/m);
    expect(text).toMatch(/^ {2}missing_event_type +1 {3}event type empty$/m);
    expect(text).toMatch(/^ {2}missing_customer_id +0 {3}no customer, visitor or session id$/m);
  });

  it('a profile file: its own rules, described for profiles', async () => {
    const profiles = join(scratch.dir, 'profiles.csv');
    writeFileSync(profiles, 'customer_id,signup_date,acquisition_cost\nA,2023-01-01,5\nB,someday,3\nC,2023-01-02,-1\n');
    const text = formatIngestReport(await ingestFiles(scratch.warehouse, [profiles], { now: NOW, kind: 'customers' }));
    expect(ruleNames(text)).toEqual(['malformed_row', 'missing_customer_id', 'bad_date', 'future_date', 'bad_number', 'duplicate']);
    expect(text).toMatch(/^accepted +1$/m);
    expect(text).toMatch(/^ {2}bad_date +1 {3}sign-up date not readable in the detected format\(s\)$/m);
    expect(text).toMatch(/^ {2}bad_number +1 {3}acquisition cost or birth year not a number, or a negative cost$/m);
  });

  it('transactions beside an event file: every rule, each described for the kinds it judges', async () => {
    const events = join(scratch.dir, 'events2.csv');
    const orders = join(scratch.dir, 'orders.csv');
    writeFileSync(events, 'session_id,customer_id,ts,type\ns1,A,2023-01-01 10:00,view\n');
    writeFileSync(orders, 'order_id,customer_id,date,amount\n1,A,2023-01-01,10\n');
    const text = formatIngestReport(await ingestFiles(scratch.warehouse, [orders, events], { now: NOW }));
    expect(ruleNames(text)).toEqual(['malformed_row', 'missing_customer_id', 'missing_date', 'bad_date', 'future_date', 'bad_number', 'zero_quantity', 'nonpositive_price', 'non_product', 'duplicate', 'missing_event_type']);
    expect(text).toMatch(/^accepted +2 {3}\(0 returns, 0 outliers flagged\)$/m);
    expect(text).toMatch(/^ {2}missing_customer_id +0 {3}customer id empty \(or NaN\/NULL\/None\); event file: no customer, visitor or session id$/m);
    expect(text).toMatch(/^ {2}missing_event_type +0 {3}event file: event type empty$/m);
  });
});
