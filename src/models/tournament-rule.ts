/**
 * The value-model tournament's tie rule (model-tournament.ts), shared with the words that explain a choice (the
 * report's model section): holdout errors (MAE) within this share of the best count as a tie, which the lowest BIC
 * breaks.
 */
export const MAE_TIE_SHARE = 0.01;
