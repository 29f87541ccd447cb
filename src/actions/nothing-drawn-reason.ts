import { plural } from '../core/plural.js';
import type { PlaySkipKind } from './play-skip-kind.js';
import type { PlaybookPlan } from './playbook-plan.js';

/** What to change for each kind of skip, in the words of `clvkit playbook` or of `POST /api/playbook/run` (which runs the shipped playbook at the server's minimum group size). */
function advice(kinds: ReadonlySet<PlaySkipKind>, customers: number, api: boolean): string[] {
  const shop = `for a shop of ${plural(customers, 'customer')}`;
  const said = api
    ? [
        ...(kinds.has('belowMinGroupSize') ? [`${shop} the server's minimum group size must be lower (the privacy k-floor, set where it is started: clvkit serve --min-group-size), or the plays fewer and broader, or their holdout larger (the server runs the shipped playbook)`] : []),
        ...(kinds.has('suppressed') ? ["the suppression rules are the shipped playbook's, which the server runs"] : []),
        ...(kinds.has('budget') ? ['send a larger budget'] : []),
      ]
    : [
        ...(kinds.has('belowMinGroupSize') ? [`${shop} pass a lower --min-group-size (the privacy k-floor), or a playbook (--config) with fewer, broader plays or a larger holdout`] : []),
        ...(kinds.has('suppressed') ? ['loosen the suppression rules in a playbook (--config)'] : []),
        ...(kinds.has('budget') ? ['raise --budget'] : []),
      ];
  if (said.length === 0) said.push(`check the plays' filters against the stages, segments and value tiers the run found${api ? '' : ' (a playbook of your own: --config)'}`);
  return said;
}

/**
 * Why a plan drew nothing (and the playbook has plays), in one line: how many plays were skipped for what, and what to
 * change — a lower minimum group size or fewer, broader plays for a shop too small for them, looser suppression, a
 * larger budget; null when a play was drawn. In the CLI's words (`clvkit playbook`'s last line, after `hint: `), or
 * with `api` in the API's (`POST /api/playbook/run`'s `hint`): no flag the caller cannot pass.
 *
 * Example: the default playbook on 50 customers → "nothing drawn: 5 of the 6 plays are below the minimum group size 5
 * (…) and 1 matches no customer; for a shop of 50 customers pass a lower --min-group-size (…), or a playbook (--config) …"
 */
export function nothingDrawnReason(plan: PlaybookPlan, minGroupSize: number, options: { readonly api?: boolean } = {}): string | null {
  if (plan.plays.length === 0 || plan.plays.some((r) => !r.skipped)) return null;
  // the kind runPlaybook recorded beside each reason: the reasons' words are for people (they were parsed here)
  const counts = new Map<PlaySkipKind, number>();
  for (const r of plan.plays) counts.set(r.skipKind!, (counts.get(r.skipKind!) ?? 0) + 1);
  const verbs: Record<PlaySkipKind, (n: number) => string> = {
    belowMinGroupSize: (n) => `${n === 1 ? 'is' : 'are'} below the minimum group size ${minGroupSize} (in customers, or in the control group ${n === 1 ? 'its' : 'their'} holdout leaves)`,
    noMatch: (n) => (n === 1 ? 'matches no customer' : 'match no customer'),
    suppressed: (n) => `${n === 1 ? 'has' : 'have'} every customer suppressed`,
    budget: (n) => `${n === 1 ? 'has' : 'have'} none within the budget`,
  };
  const total = plan.plays.length;
  const kinds = (Object.keys(verbs) as PlaySkipKind[]).filter((k) => counts.has(k));
  const said = kinds.map((k, i) => {
    const n = counts.get(k)!;
    const who = i > 0 ? `${n}` : n === total ? (total === 1 ? 'the one play' : `all ${total} plays`) : `${n} of the ${total} plays`;
    return `${who} ${verbs[k](n)}`;
  });
  const why = said.length === 1 ? said[0]! : `${said.slice(0, -1).join(', ')} and ${said.at(-1)!}`;
  return `nothing drawn: ${why}; ${advice(new Set(kinds), plan.totals.customers, options.api === true).join(', or ')}`;
}
