/**
 * Separation in the prospects' training rows: a level of a binary feature
 * (here `has_profile`) at which every training row converted — no
 * non-converter has it. The logistic likelihood then has no finite maximum in
 * that feature's coefficient (Albert & Anderson 1984, quasi-complete
 * separation); the L2 penalty alone decides how far toward 1 the fit pushes
 * that level, so its propensity is the penalty's, not the data's. It is also
 * the mark of a feature that records the conversion itself (QA: the synthetic
 * shop creates a profile at the first purchase, so every earlier prospect
 * without a profile was a future buyer, 311 of 311, and an events-only visitor
 * today got 0.92).
 *
 * Today's prospects at such a level get the base rate (the training rows'
 * conversion rate, the same fallback as when too few rows allow a model);
 * the model scores everyone else as before (a run without separation is
 * unchanged). A level at which nobody converted is left to the model: a
 * propensity near 0 for a group that never converted claims nothing the data
 * do not show, and inflates no value.
 */

/** A level of a binary feature at which every training row converted; `prospects`: today's prospects at it. */
export interface SeparatedLevel {
  readonly feature: string;
  readonly level: number;
  readonly trainingRows: number;
  readonly prospects: number;
}

/**
 * The separated levels (see the file header) of the binary features — those with exactly two values among the
 * training rows (missing values ignored) — and which of today's rows hold one of them (`affected`).
 */
export function convertedOnlyLevels(
  features: readonly string[],
  training: readonly Float64Array[],
  labels: Float64Array,
  current: readonly Float64Array[],
): { levels: SeparatedLevel[]; affected: Uint8Array } {
  const rows = current.length ? current[0]!.length : 0;
  const affected = new Uint8Array(rows);
  const levels: SeparatedLevel[] = [];
  features.forEach((feature, f) => {
    const counts = new Map<number, { rows: number; conversions: number }>();
    training[f]!.forEach((x, i) => {
      if (Number.isNaN(x)) return;
      const c = counts.get(x) ?? { rows: 0, conversions: 0 };
      c.rows += 1;
      c.conversions += labels[i]!;
      counts.set(x, c);
    });
    if (counts.size !== 2) return;
    for (const [level, c] of [...counts].sort((a, b) => a[0] - b[0])) {
      if (c.conversions !== c.rows) continue;
      let prospects = 0;
      for (let i = 0; i < rows; i++) {
        if (current[f]![i] === level) {
          prospects += 1;
          affected[i] = 1;
        }
      }
      levels.push({ feature, level, trainingRows: c.rows, prospects });
    }
  });
  return { levels, affected };
}
