import { runWords } from '../../core/run-words.js';
import type { AnalyzeOptions } from '../analyze-options.js';
import { churnDaysRefusal, type ChurnWindowDays } from '../churn-horizon.js';
import { analyzeWindowWords, honestSplitError } from '../honest-windows.js';

/**
 * The learned stage's refusals of a run's windows, for the value stage to check as soon as its calibration end is set
 * (`ValueOptions.checkWindows`), so that a run the learned stage would stop stops before the value models' fits, not
 * minutes after them: --learned-tournament on windows too short for its inner split, then a --churn-days the windows
 * cannot hold — the learned stage's own checks, in the same order and the run's words. Undefined when the learned
 * stage will not run (`skipChurn`) or has nothing to refuse.
 *
 * Example: CDNOW sample, 273-day holdout, `{ churnDays: 273 }` → a check that throws "--churn-days 273 does not fit the
 * windows: …" for `{ calibrationDays: 272, holdoutDays: 273 }`
 */
export function learnedWindowsCheck(options: Pick<AnalyzeOptions, 'skipChurn' | 'learnedTournament' | 'churnDays' | 'api'>): ((window: ChurnWindowDays) => void) | undefined {
  const { churnDays } = options;
  if (options.skipChurn === true || (options.learnedTournament !== true && churnDays === undefined)) return undefined;
  const words = runWords(options.api);
  return (window) => {
    const tooShort = options.learnedTournament === true ? honestSplitError(window, analyzeWindowWords(words)) : null;
    if (tooShort) throw tooShort;
    const refusal = churnDays === undefined ? null : churnDaysRefusal(window, churnDays, { give: words.give, name: words.name('churnDays') });
    if (refusal) throw refusal;
  };
}
