import { UserError } from '../core/errors/user-error.js';

/** The members an audience file holds: the treatment group (the send file), the control group, or all with their group. */
export type AudienceFileGroup = 'treatment' | 'control' | 'all';

/** Parses `--group` (the API's `group` when `field` names it): treatment, control or all. */
export function audienceFileGroup(value: string, field = '--group'): AudienceFileGroup {
  if (value === 'treatment' || value === 'control' || value === 'all') return value;
  throw new UserError(`${field} ${value} is not treatment, control or all`, `${field} treatment writes the customers to contact (the control group is left out); all writes every member with its group`);
}
