/**
 * An ingest stopped by its signal (the CLI's Ctrl-C) leaves nothing of the file
 * it was reading — each file commits on its own — keeps the files committed
 * before it, and says so in an InterruptedError (a user trial: an interrupted
 * ingest said nothing at all).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { InterruptedError } from '../../src/core/errors/interrupted-error.js';
import type { Warehouse } from '../../src/engine/warehouse.js';
import { ingestFiles, type IngestStep } from '../../src/ingest/ingest-files.js';
import { generateKey, keyringFromKey } from '../../src/privacy/keys/keyring.js';
import { useScratchWarehouse } from '../helpers/warehouse.js';

const NOW = new Date('2024-01-01T00:00:00Z');
const keyring = keyringFromKey(generateKey());

/** three order files of two customers each (a: A1, A2; b: B1, B2; c: C1, C2), and an event file */
function writeFiles(dir: string): { a: string; b: string; c: string; events: string } {
  const orders = (name: string, prefix: string) => {
    const path = join(dir, name);
    writeFileSync(path, `order_id,customer_id,date,amount\n${prefix}1,${prefix}1,2023-01-01,10\n${prefix}2,${prefix}2,2023-01-02,20\n${prefix}3,${prefix}1,2023-02-01,5\n`);
    return path;
  };
  const events = join(dir, 'events.csv');
  writeFileSync(events, 'ts,anonymous_id,customer_id,type\n2023-01-01 10:00:00,x1,A1,view\n2023-01-01 10:05:00,x1,A1,add_to_cart\n');
  return { a: orders('a.csv', 'A'), b: orders('b.csv', 'B'), c: orders('c.csv', 'C'), events };
}

/** the rows each table holds, by source where it has one */
async function held(warehouse: Warehouse) {
  const count = async (sql: string) => Number((await warehouse.query(sql))[0]!.n);
  return {
    transactions: (await warehouse.query('SELECT source, count(*) AS n FROM transactions GROUP BY source ORDER BY source')).map((r) => `${r.source}:${r.n}`),
    ingests: await count('SELECT count(*) AS n FROM ingests'),
    customers: await count('SELECT count(*) AS n FROM customer_reid'),
    audit: await count("SELECT count(*) AS n FROM audit_log WHERE action = 'ingest'"),
    events: await count('SELECT count(*) AS n FROM events'),
  };
}

/** a signal aborted when the ingest of `file` reaches `step` */
function abortAt(file: string, step: IngestStep): { signal: AbortSignal; onStep: (step: IngestStep, file: string) => void } {
  const controller = new AbortController();
  return { signal: controller.signal, onStep: (s, f) => void (s === step && f === file && controller.abort()) };
}

describe('an interrupted ingest', () => {
  const scratch = useScratchWarehouse();

  it('stopped inside the transaction of its second file (at its audit record): nothing of that file, the first kept, the third not read — and the same files ingest whole afterwards', async () => {
    const { a, b, c } = writeFiles(scratch.dir);
    const stop = ingestFiles(scratch.warehouse, [a, b, c], { now: NOW, keyring, ...abortAt(b, 'record') });
    await expect(stop).rejects.toBeInstanceOf(InterruptedError);
    await expect(stop).rejects.toThrow('ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv; not read: c.csv');
    expect(await held(scratch.warehouse)).toEqual({ transactions: ['a.csv:3'], ingests: 1, customers: 2, audit: 1, events: 0 });
    // nothing of b half-held: run again, a is held and b, c are added whole (no row of b quarantined as a duplicate)
    const again = await ingestFiles(scratch.warehouse, [a, b, c], { now: NOW, keyring });
    expect(again.files.map((f) => [f.alreadyIngested, f.accepted, f.rules.duplicate])).toEqual([[true, 0, 0], [false, 3, 0], [false, 3, 0]]);
    expect(await held(scratch.warehouse)).toEqual({ transactions: ['a.csv:3', 'b.csv:3', 'c.csv:3'], ingests: 3, customers: 6, audit: 3, events: 0 });
  });

  it('stopped while staging its first file: nothing added, every file named', async () => {
    const { a, b } = writeFiles(scratch.dir);
    await expect(ingestFiles(scratch.warehouse, [a, b], { now: NOW, keyring, ...abortAt(a, 'stage') })).rejects.toThrow(new InterruptedError('ingest interrupted: nothing from a.csv was added; not read: b.csv'));
    expect(await held(scratch.warehouse)).toEqual({ transactions: [], ingests: 0, customers: 0, audit: 0, events: 0 });
  });

  it('an event file stopped as it loads its events: nothing of it', async () => {
    const { a, events } = writeFiles(scratch.dir);
    await ingestFiles(scratch.warehouse, [a], { now: NOW, keyring });
    await expect(ingestFiles(scratch.warehouse, [events], { now: NOW, keyring, kind: 'events', ...abortAt(events, 'load-events') })).rejects.toThrow(new InterruptedError('ingest interrupted: nothing from events.csv was added'));
    expect(await held(scratch.warehouse)).toEqual({ transactions: ['a.csv:3'], ingests: 1, customers: 2, audit: 1, events: 0 });
  });

  it('the abort interrupts the statement the engine is running (it fails at once), and a signal aborted before the start adds nothing', async () => {
    const { a, b } = writeFiles(scratch.dir);
    const interrupt = vi.spyOn(scratch.warehouse, 'interrupt');
    await expect(ingestFiles(scratch.warehouse, [a, b], { now: NOW, keyring, ...abortAt(b, 'clean') })).rejects.toThrow('ingest interrupted: nothing from b.csv was added; added before it, and kept: a.csv');
    expect(interrupt).toHaveBeenCalledTimes(1);
    const aborted = new AbortController();
    aborted.abort();
    await expect(ingestFiles(scratch.warehouse, [b], { now: NOW, keyring, signal: aborted.signal })).rejects.toThrow(new InterruptedError('ingest interrupted: nothing from b.csv was added'));
    expect(await held(scratch.warehouse)).toEqual({ transactions: ['a.csv:3'], ingests: 1, customers: 2, audit: 1, events: 0 });
  });
});
