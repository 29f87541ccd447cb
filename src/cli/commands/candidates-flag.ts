/**
 * `--candidates` (analyze, validate): the honest tournament's challenger names for --help, written out here so that
 * --help loads no model code (test/cli/cli-start-up.test.ts); the parser and the list it checks against are
 * pipeline/tournament-candidates.ts (CHALLENGER_NAMES), loaded when the command runs. test/cli/tournament-candidates-flag.test.ts
 * checks that the two agree.
 */
export const CHALLENGER_HELP = 'mbgcnbd, gbt-poisson, gbt-tweedie, gbt-ziln, gbt-btyd, linear-poisson';
