/**
 * The Promising segment was described as "recent shoppers who have not spent much yet" — newcomers — while its rule
 * selects recency score 4 and FM score 1: customers ranked against the others as fairly recent, with the fewest
 * purchases and the lowest spend, however long they have bought (analyze warns, new-rfm-but-established.ts, that on a
 * shop of frequent buyers these are customers of long standing, not newcomers). The description now says what the
 * rule selects. `segments --json`, run.json and the dashboard's "who" column read it from the rule; docs/segments.md
 * lists every segment's description, in the same words.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RFM_SEGMENT_RULES } from '../../src/segments/rfm-segment-rules.js';

const promising = DEFAULT_RFM_SEGMENT_RULES.find((r) => r.segment === 'Promising')!;

describe('the Promising segment’s description says what its rule selects', () => {
  it('recency score 4 and FM score 1, relative to the other customers, not newcomers', () => {
    expect(promising).toMatchObject({ r: [4, 4], fm: [1, 1] });
    expect(promising.description).toBe('bought fairly recently (recency score 4), with the fewest purchases and the lowest spend relative to the other customers (FM score 1), however long they have been customers');
    expect(promising.description).not.toMatch(/recent shoppers|yet/);
  });

  it('docs/segments.md gives every segment’s rule and description in the code’s words', () => {
    const docs = readFileSync(join(import.meta.dirname, '../../docs/segments.md'), 'utf8');
    const range = ([lo, hi]: readonly [number, number]) => (lo === hi ? `${lo}` : `${lo}–${hi}`);
    for (const rule of DEFAULT_RFM_SEGMENT_RULES) {
      expect(docs, rule.segment).toContain(`| ${rule.segment} | ${range(rule.r)} | ${range(rule.fm)} | ${rule.description} |`);
    }
  });
});
