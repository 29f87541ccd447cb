/**
 * The lines and revenue an earlier ingest holds in the slots of a file's repeated lines (`linesHeldOnCluster`, the
 * repeated-purchases warning) are added up from each shard's answer. The revenue added each shard's cents ÷ 100 as
 * doubles in the order the shards answered: from three shards on, another order gave another last digit. The cents are
 * now added as whole numbers and divided once.
 */
import { describe, expect, it } from 'vitest';
import { shardTotals } from '../../src/ingest/ingest-files-to-clickhouse.js';

describe('the totals of the shards’ answers', () => {
  it('are the same whatever order three shards answer in (10, 20 and 30 cents: 0.6, not 0.6000000000000001)', () => {
    const answers = [
      ['1', '10', '1'],
      ['2', '20', '2'],
      ['3', '30', '3'],
    ];
    expect(shardTotals(answers)).toEqual({ lines: 6, revenue: 0.6 });
    expect(shardTotals([...answers].reverse())).toEqual({ lines: 6, revenue: 0.6 });
  });

  it('have no revenue when no shard holds a line with an amount, and count the lines all the same', () => {
    expect(shardTotals([['4', '\\N', '0'], ['1', '0', '0']])).toEqual({ lines: 5, revenue: null });
    expect(shardTotals([])).toEqual({ lines: 0, revenue: null });
  });
});
