/**
 * The honest tournament's challengers by name (`--candidates` on analyze and
 * validate, `tournamentCandidates` / `candidates` in the library): MBG/CNBD-k
 * and the learned models. The BTYD models always take part — the choice
 * compares every challenger with the best of them, and one of them supplies
 * the learned models' BTYD features — so they are not named here.
 */
import { UserError } from '../core/errors/user-error.js';
import { LEARNED_CANDIDATE_NAMES, type LearnedCandidateName } from '../models/learned/learned-candidates.js';
import { PURCHASE_MODEL_NAMES } from '../models/btyd/purchase-models.js';

export type ChallengerName = 'mbgcnbd' | LearnedCandidateName;

/** Every challenger, in the order the tournament runs them (the `name` validate --json prints). */
export const CHALLENGER_NAMES: readonly ChallengerName[] = ['mbgcnbd', ...LEARNED_CANDIDATE_NAMES];

/**
 * A comma-separated list of challenger names → the names, in the order given, without repeats.
 *
 * Example: `parseChallengerNames('mbgcnbd, gbt-poisson', '--candidates')` → `['mbgcnbd', 'gbt-poisson']`;
 * `parseChallengerNames('xgboost', '--candidates')` throws a UserError naming the known ones.
 */
export function parseChallengerNames(text: string, flag: string): ChallengerName[] {
  const names = [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s !== ''))];
  const known = CHALLENGER_NAMES.join(', ');
  if (names.length === 0) throw new UserError(`${flag}: no candidate named`, `pass one or more of ${known}, separated by commas`);
  for (const name of names) {
    if ((PURCHASE_MODEL_NAMES as readonly string[]).includes(name)) throw new UserError(`${flag}: ${name} is a BTYD model, and the BTYD models always take part (every challenger is compared with the best of them)`, `name challengers only: ${known}`);
    if (!(CHALLENGER_NAMES as readonly string[]).includes(name)) throw new UserError(`${flag}: unknown candidate "${name}"`, `the challengers are ${known} (validate --json prints them as "name")`);
  }
  return names as ChallengerName[];
}

/** The tournament's options for a list of challengers (all of them when undefined). */
export function challengerOptions(names: readonly ChallengerName[] | undefined): { readonly learned?: readonly LearnedCandidateName[]; readonly regularity?: boolean } {
  if (names === undefined) return {};
  return { learned: LEARNED_CANDIDATE_NAMES.filter((n) => names.includes(n)), regularity: names.includes('mbgcnbd') };
}
