/**
 * Why a playbook's play drew no audience, as a kind (`PlanRow.skipKind`, beside the reason in words, `skipped`):
 * `belowMinGroupSize` — too few customers, or a control or treatment group its holdout leaves, for the minimum group
 * size (the privacy k-floor; under a budget too, when even all its eligible customers are too few); `noMatch` — its
 * filter matches no customer an earlier play did not take; `suppressed` — the suppression rules leave out every
 * customer it matches; `budget` — none of its customers fit the budget, the uplift model expects no gain from any, or
 * its picks within the budget (not all its customers) were too few to measure. `nothingDrawnReason` reads it to say
 * why a plan drew nothing and what to change.
 */
export type PlaySkipKind = 'belowMinGroupSize' | 'noMatch' | 'suppressed' | 'budget';

/** Why a play is skipped: in words (`PlanRow.skipped`) and its kind (`PlanRow.skipKind`). */
export interface PlaySkip {
  readonly reason: string;
  readonly kind: PlaySkipKind;
}
