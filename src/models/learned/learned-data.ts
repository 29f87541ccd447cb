/**
 * The input of the learned models: feature columns (one Float64Array per
 * feature, NaN = missing), a label and optional row weights — and its check.
 */
import { UserError } from '../../core/errors/user-error.js';

export interface LearnedData {
  /** one column per feature, all of the same length; NaN marks a missing value */
  readonly columns: readonly Float64Array[];
  readonly label: Float64Array;
  /** row weights ≥ 0 (default 1) */
  readonly weight?: Float64Array;
  /**
   * per-row base margin on the link scale (log for Poisson/Tweedie): the
   * trees start from offset + a constant and learn corrections to it — e.g.
   * log of a BTYD model's prediction. Gradient boosting only, one-output losses.
   */
  readonly offset?: Float64Array;
}

/** What the label must be: counts/values ≥ 0, 0/1 outcomes, or any finite number. */
export type LabelKind = 'non-negative' | 'binary' | 'real';

/**
 * Throw a UserError unless the columns have one length, the label matches
 * it and `kind`, and weights are finite and ≥ 0. `what` names the model.
 */
export function validateLearnedData(data: LearnedData, kind: LabelKind, what: string): void {
  const rows = data.label.length;
  if (rows === 0) throw new UserError(`${what}: no rows to learn from`, 'pass at least one customer with a label');
  if (data.columns.length === 0) throw new UserError(`${what}: no feature columns`, 'pass at least one feature column');
  data.columns.forEach((column, f) => {
    if (column.length !== rows) throw new UserError(`${what}: feature column ${f} has ${column.length} rows, the label ${rows}`, 'pass columns and label of equal length');
  });
  if (data.weight !== undefined) {
    if (data.weight.length !== rows) throw new UserError(`${what}: ${data.weight.length} weights for ${rows} rows`, 'pass one weight per row');
    let total = 0;
    for (let i = 0; i < rows; i++) {
      if (!(data.weight[i] >= 0) || !Number.isFinite(data.weight[i])) throw new UserError(`${what}: weight ${data.weight[i]} at row ${i}`, 'weights must be finite and ≥ 0');
      total += data.weight[i];
    }
    if (!(total > 0)) throw new UserError(`${what}: every weight is 0`, 'give some rows a positive weight');
  }
  if (data.offset !== undefined) {
    if (data.offset.length !== rows) throw new UserError(`${what}: ${data.offset.length} offsets for ${rows} rows`, 'pass one offset per row');
    for (let i = 0; i < rows; i++) if (!Number.isFinite(data.offset[i])) throw new UserError(`${what}: offset ${data.offset[i]} at row ${i}`, 'offsets must be finite (clamp the base prediction above 0 before its log)');
  }
  for (let i = 0; i < rows; i++) {
    const y = data.label[i];
    const ok = kind === 'binary' ? y === 0 || y === 1 : kind === 'non-negative' ? y >= 0 && Number.isFinite(y) : Number.isFinite(y);
    if (!ok) {
      const rule = kind === 'binary' ? 'labels must be 0 or 1' : kind === 'non-negative' ? 'labels must be finite and ≥ 0' : 'labels must be finite';
      throw new UserError(`${what}: label ${y} at row ${i}`, rule);
    }
  }
}
