import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_FEATURE_WORDS, describeCluster } from '../../../src/models/cluster/describe-cluster.js';

const feature = (name: string, z: number) => ({ name, z, words: BEHAVIOUR_FEATURE_WORDS[name]! });

describe('plain-word cluster descriptions', () => {
  it('keeps the three largest |z| at or above 0.5, largest first', () => {
    const words = describeCluster([feature('recency_days', -0.6), feature('frequency', 1.1), feature('monetary', -0.7), feature('tenure_days', 0.49), feature('basket_size', 0.55)]);
    expect(words).toBe('frequent, low spend, recent');
  });

  it('says "very" from 1.5 sd, uses strong forms, skips features without a word, and falls back to average', () => {
    expect(describeCluster([feature('frequency', 2), feature('recency_days', 1.6)])).toBe('very frequent, long lapsed');
    expect(describeCluster([feature('return_rate', -3), feature('monetary', 0.2)])).toBe('close to average');
    expect(describeCluster([feature('monetary', 0.8)], { threshold: 1 })).toBe('close to average');
    expect(describeCluster([feature('monetary', 0.8), feature('frequency', 0.9)], { maxWords: 1 })).toBe('frequent');
  });
});
