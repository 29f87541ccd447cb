/**
 * Next-purchase rules mined on a worker thread (sequence-rules-thread.ts, what
 * the cross-sell step does on large shops) are those mined inline, and a bad
 * option still reaches the caller as a UserError with its hint.
 */
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors/user-error.js';
import { createRandom } from '../../src/math/random.js';
import { sequencesFromArrays } from '../../src/models/patterns/sequences.js';
import { mineSequenceRules } from '../../src/cross-sell/mine-sequence-rules.js';
import { mineSequenceRulesAside, SEQUENCE_THREAD_MIN_LINES } from '../../src/cross-sell/sequence-rules-thread.js';

const N_ITEMS = 30;
const random = createRandom(77);
// 400 customers, 1–8 orders of 1–3 items; customers of an even id favour low ids, so some sequences are frequent
const sequences = sequencesFromArrays(
  Array.from({ length: 400 }, (_, c) =>
    Array.from({ length: 1 + random.integer(8) }, () => [...new Set(Array.from({ length: 1 + random.integer(3) }, () => (c % 2 === 0 ? random.integer(8) : random.integer(N_ITEMS))))].sort((a, b) => a - b)),
  ),
  N_ITEMS,
);
const data = { sequences, itemCodes: Array.from({ length: N_ITEMS }, (_, i) => `P${i}`), itemLabels: Array.from({ length: N_ITEMS }, (_, i) => `item ${i}`) };

describe('next-purchase rules on a thread', () => {
  it('the same rules, support and note as mined inline', async () => {
    const options = { sequenceMinSupport: 0.05, maxLength: 3, topRules: 40 };
    const inline = mineSequenceRules(data, options);
    expect(inline.rules.length).toBe(40);
    expect(inline.rules[0]!.after[0]![0]).toMatch(/^P\d+$/);
    expect(await mineSequenceRulesAside(data, options, true).result).toEqual(inline);
  });

  it('a raised minimum support: the same rules and note', async () => {
    const options = { sequenceMinSupport: 0.01, maxSequentialPatterns: 200 };
    const inline = mineSequenceRules(data, options);
    expect(inline.minSupportNote).toMatch(/minimum support raised/);
    expect(await mineSequenceRulesAside(data, options, true).result).toEqual(inline);
  });

  it('a bad option: a UserError with its hint, from the thread as inline', async () => {
    const error = await mineSequenceRulesAside(data, { sequenceMinSupport: 1.5 }, true).result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('minSupport ≥ 1 is a count and must be an integer, got 1.5');
    expect((error as UserError).hint).toBe('use a fraction below 1 or a whole count');
  });

  it('small data is mined inline (a thread would cost more than it saves)', async () => {
    expect(sequences.items.length).toBeLessThan(SEQUENCE_THREAD_MIN_LINES);
    const options = { sequenceMinSupport: 0.05 };
    expect(await mineSequenceRulesAside(data, options).result).toEqual(mineSequenceRules(data, options));
    await expect(mineSequenceRulesAside(data, { sequenceMinSupport: 1.5 }).result).rejects.toThrow(UserError);
  });
});
