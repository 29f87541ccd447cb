/**
 * The lifecycle stage's warning when the stage rules and the value model disagree. Regression: on a ten-year synthetic
 * shop 742 of the 1,704 customers staged churned had P(alive) > 0.9 (and 55% of the churned were alive by the synth
 * truth), the default playbook sent all 1,704 a last offer, and nothing said so.
 */
import { describe, expect, it } from 'vitest';
import { churnedButAliveWarning } from '../../src/pipeline/stages/lifecycle-stage.js';

describe('churnedButAliveWarning', () => {
  it('names how many churned customers the value model holds alive', () => {
    expect(churnedButAliveWarning(1704, 742, 10)).toBe(
      '742 of the 1,704 customers staged churned (no purchase for more than 365 days, or far past their usual gap) are alive by the value model (P(alive) ≥ 0.9): slow buyers whom the stage rules call churned; choose them by p_alive, not by stage, before a win-back or last offer',
    );
  });

  it('stays quiet below a tenth of the churned, or below the minimum group size', () => {
    expect(churnedButAliveWarning(1704, 100, 10)).toBeNull();
    expect(churnedButAliveWarning(30, 8, 10)).toBeNull();
    expect(churnedButAliveWarning(0, 0, 10)).toBeNull();
  });
});
